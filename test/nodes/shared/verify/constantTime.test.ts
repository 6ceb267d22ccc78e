import { safeEqualText } from '../../../../nodes/shared/verify/constantTime';

describe('constantTime: safeEqualText', () => {
	it('safeEqualText compares tokens of any length', () => {
		expect(safeEqualText('token', 'token')).toBe(true);
		expect(safeEqualText('token', 'token ')).toBe(false);
		expect(safeEqualText('', 'token')).toBe(false);
		expect(safeEqualText('tökén', 'tökén')).toBe(true);
	});
});
