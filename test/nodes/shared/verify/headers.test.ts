import { readSingleHeader } from '../../../../nodes/shared/verify/headers';

describe('headers: readSingleHeader', () => {
	it('returns the value, or the reason it cannot', () => {
		expect(readSingleHeader({ 'x-sig': 'abc' }, 'X-Sig')).toBe('abc');
		expect(readSingleHeader({ 'x-sig': ['abc'] }, 'x-sig')).toBe('abc');
		expect(readSingleHeader({}, 'x-sig')).toEqual({ ok: false, reason: 'missing_signature' });
		expect(readSingleHeader({ 'x-sig': '' }, 'x-sig')).toEqual({ ok: false, reason: 'missing_signature' });
		expect(readSingleHeader({ 'x-sig': [] }, 'x-sig')).toEqual({ ok: false, reason: 'missing_signature' });
		expect(readSingleHeader({ 'x-sig': ['a', 'b'] }, 'x-sig')).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(readSingleHeader({ 'x-sig': 'a'.repeat(8193) }, 'x-sig')).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(readSingleHeader({ 'x-sig': 'a'.repeat(8192) }, 'x-sig')).toBe('a'.repeat(8192));
	});
});
