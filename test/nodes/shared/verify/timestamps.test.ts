import { isWithinTolerance, parseUnixTimestamp } from '../../../../nodes/shared/verify/timestamps';
import { verifyOptions } from '../schemes/schemeTestKit';

describe('timestamps: timestamps', () => {
	it('parses plain digits only', () => {
		expect(parseUnixTimestamp('1700000000')).toBe(1700000000);
		expect(parseUnixTimestamp('0')).toBe(0);
		expect(parseUnixTimestamp('999999999999999')).toBe(999_999_999_999_999);
		expect(parseUnixTimestamp('0001700000000')).toBe(1700000000);
		for (const text of ['', ' 1', '1 ', '+1', '-1', '1.0', '1e9', '0x10', 'Infinity', '1'.repeat(16), '١٧٠٠', '17\u0660']) {
			expect(parseUnixTimestamp(text)).toBeUndefined();
		}
	});

	it('accepts a timestamp up to the tolerance away in both directions', () => {
		const options = verifyOptions(1000, 300);
		expect(isWithinTolerance(700, options)).toBe(true);
		expect(isWithinTolerance(1300, options)).toBe(true);
		expect(isWithinTolerance(699, options)).toBe(false);
		expect(isWithinTolerance(1301, options)).toBe(false);
	});
});
