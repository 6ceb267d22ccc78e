import {
	decodeFixedBase64,
	decodeFixedHex,
	isWithinTolerance,
	matchSecret,
	parseUnixTimestamp,
	readSingleHeader,
	safeEqualText,
	secretCandidates,
	verifyPrefixedHexHmac,
	verifyVersionedTimestampHmac,
	versionedTimestampContent,
} from '../../../../nodes/shared/schemes/hmacPrimitives';
import { expectRejected, verifyOptions, webhookRequest } from './schemeTestKit';

describe('hmacPrimitives: secretCandidates', () => {
	it('lists the current secret, then the previous one when set', () => {
		expect(secretCandidates({ secret: 'a', previousSecret: 'b' })).toEqual([
			{ key: 'a', matched: 'current' },
			{ key: 'b', matched: 'previous' },
		]);
		expect(secretCandidates({ secret: 'a', previousSecret: '' })).toEqual([{ key: 'a', matched: 'current' }]);
		expect(secretCandidates({ secret: 'a' })).toEqual([{ key: 'a', matched: 'current' }]);
	});

	it('lists nothing without a current secret, even if a previous one is set', () => {
		expect(secretCandidates({ secret: '', previousSecret: 'b' })).toEqual([]);
	});
});

describe('hmacPrimitives: readSingleHeader', () => {
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

describe('hmacPrimitives: fixed-length decoding', () => {
	it('decodes hex of exactly the expected length, in either case', () => {
		expect(decodeFixedHex('00ff', 2)).toEqual(Buffer.from([0, 255]));
		expect(decodeFixedHex('00FF', 2)).toEqual(Buffer.from([0, 255]));
		// Buffer.from('00fg', 'hex') would silently return one byte.
		expect(decodeFixedHex('00fg', 2)).toBeUndefined();
		expect(decodeFixedHex('00f', 2)).toBeUndefined();
		expect(decodeFixedHex('00ff00', 2)).toBeUndefined();
		expect(decodeFixedHex(' 0ff', 2)).toBeUndefined();
	});

	it('decodes canonical padded base64 of exactly the expected length', () => {
		const mac = Buffer.alloc(32, 0xfb); // encodes to '+' and '/' characters
		const text = mac.toString('base64');
		expect(text).toMatch(/[+/]/);
		expect(decodeFixedBase64(text, 32)).toEqual(mac);
		expect(decodeFixedBase64(text.replace(/=$/, ''), 32)).toBeUndefined();
		expect(decodeFixedBase64(mac.toString('base64url') + '=', 32)).toBeUndefined();
		expect(decodeFixedBase64(Buffer.alloc(31).toString('base64'), 32)).toBeUndefined();
		expect(decodeFixedBase64('====' + text.slice(4), 32)).toBeUndefined();
	});
});

describe('hmacPrimitives: timestamps', () => {
	it('parses plain digits only', () => {
		expect(parseUnixTimestamp('1700000000')).toBe(1700000000);
		expect(parseUnixTimestamp('0')).toBe(0);
		for (const text of ['', ' 1', '1 ', '+1', '-1', '1.0', '1e9', '0x10', 'Infinity', '1'.repeat(16)]) {
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

describe('hmacPrimitives: comparisons', () => {
	it('matchSecret reports which secret matched, and invalid_signature otherwise', () => {
		const mac = (key: string) => Buffer.from(key.padEnd(8, '.'));
		const candidates = secretCandidates({ secret: 'new', previousSecret: 'old' });
		expect(matchSecret(candidates, [mac('old')], mac)).toEqual({ ok: true, matched: 'previous' });
		expect(matchSecret(candidates, [mac('x'), mac('new')], mac)).toEqual({ ok: true, matched: 'current' });
		expectRejected(matchSecret(candidates, [mac('x')], mac), 'invalid_signature');
		expectRejected(matchSecret(candidates, [], mac), 'invalid_signature');
		expectRejected(matchSecret(candidates, [mac('new')], () => undefined), 'invalid_signature');
	});

	it('safeEqualText compares tokens of any length', () => {
		expect(safeEqualText('token', 'token')).toBe(true);
		expect(safeEqualText('token', 'token ')).toBe(false);
		expect(safeEqualText('', 'token')).toBe(false);
		expect(safeEqualText('tökén', 'tökén')).toBe(true);
	});
});

describe('hmacPrimitives: shared verifiers', () => {
	it('versionedTimestampContent keeps the body bytes as they are', () => {
		const body = Buffer.from([0xff, 0x00]);
		expect(versionedTimestampContent('12', body)).toEqual(Buffer.from([0x76, 0x30, 0x3a, 0x31, 0x32, 0x3a, 0xff, 0x00]));
	});

	it('verifyPrefixedHexHmac and verifyVersionedTimestampHmac report missing keys before reading headers', () => {
		const request = webhookRequest({}, '');
		expectRejected(verifyPrefixedHexHmac(request, { secret: '' }, 'x-sig', 'sha256='), 'missing_key');
		expectRejected(
			verifyVersionedTimestampHmac(request, { secret: '' }, verifyOptions(0), { signatureHeader: 'x-sig', timestampHeader: 'x-ts' }),
			'missing_key',
		);
	});
});
