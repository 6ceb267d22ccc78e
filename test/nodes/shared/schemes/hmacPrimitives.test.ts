import { createHmac, createSecretKey } from 'node:crypto';

import fc from 'fast-check';

import {
	decodeFixedBase64,
	decodeFixedHex,
	findMatchingSecret,
	hmacSha256,
	hmacSha256OfPrefixedBody,
	isWithinTolerance,
	matchSecret,
	parseUnixTimestamp,
	readSingleHeader,
	safeEqualText,
	secretCandidates,
	verifyPrefixedHexHmac,
	verifiedAt,
	verifyVersionedTimestampHmac,
	versionedTimestampContent,
	versionedTimestampPrefix,
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
		// Buffer.from reads a non-ASCII character by its low byte: '\u0161' (š) would pass for 'a'.
		expect(decodeFixedHex('\u0161a', 1)).toBeUndefined();
		expect(decodeFixedHex('0\u0130', 1)).toBeUndefined();
		for (const character of ['/', ':', '@', 'G', '`', 'g']) expect(decodeFixedHex(`0${character}`, 1)).toBeUndefined();
	});

	it('decodes hex in place between start and end, and refuses bounds outside the text', () => {
		expect(decodeFixedHex('sha256=00ff', 2, 7)).toEqual(Buffer.from([0, 255]));
		expect(decodeFixedHex('t=1,v1=00ff,v1=abcd', 2, 7, 11)).toEqual(Buffer.from([0, 255]));
		expect(decodeFixedHex('t=1,v1=00ff,v1=abcd', 2, 15)).toEqual(Buffer.from([0xab, 0xcd]));
		expect(decodeFixedHex('t=1,v1=00ff,v1=abcd', 2, 7, 12)).toBeUndefined();
		expect(decodeFixedHex('00ff', 2, -1, 3)).toBeUndefined();
		expect(decodeFixedHex('00ff', 2, 1, 5)).toBeUndefined();
	});

	it('decodes every byte value, as Buffer.from does for valid hex', () => {
		const all = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
		expect(decodeFixedHex(all.toString('hex'), 256)).toEqual(all);
		expect(decodeFixedHex(all.toString('hex').toUpperCase(), 256)).toEqual(all);
		expect(decodeFixedBase64(all.toString('base64'), 256)).toEqual(all);
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

	it('refuses stray bits in the last character and wrong padding, for 32- and 64-byte values', () => {
		// 32 bytes: 43 digits + "=", the last digit carries 2 unused bits; 64 bytes: 86 digits + "==", 4 unused bits.
		const mac32 = Buffer.alloc(32, 0);
		expect(mac32.toString('base64')).toBe('A'.repeat(43) + '=');
		expect(decodeFixedBase64('A'.repeat(42) + 'B=', 32)).toBeUndefined();
		expect(decodeFixedBase64('A'.repeat(42) + 'E=', 32)).toEqual(Buffer.concat([Buffer.alloc(31), Buffer.from([0x01])]));
		expect(decodeFixedBase64('A'.repeat(85) + 'Q==', 64)).toEqual(Buffer.concat([Buffer.alloc(63), Buffer.from([0x01])]));
		for (const last of 'BCDEFGHIJKLMNOP') expect(decodeFixedBase64('A'.repeat(85) + last + '==', 64)).toBeUndefined();
		expect(decodeFixedBase64('A'.repeat(86) + '=A', 64)).toBeUndefined();
		expect(decodeFixedBase64('A'.repeat(87) + '=', 64)).toBeUndefined();
		expect(decodeFixedBase64('A'.repeat(44), 32)).toBeUndefined();
	});

	it('accepts exactly the texts that re-encode to themselves (the check it replaces)', () => {
		const byteLengths = [1, 2, 3, 20, 32, 64];
		const reference = (text: string, byteLength: number) => {
			if (text.length !== Math.ceil(byteLength / 3) * 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
			const bytes = Buffer.from(text, 'base64');
			return bytes.length === byteLength && bytes.toString('base64') === text ? bytes : undefined;
		};
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ ';
		fc.assert(
			fc.property(
				fc.constantFrom(...byteLengths),
				fc.uint8Array({ minLength: 64, maxLength: 64 }),
				fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet)), { maxLength: 3 }),
				(byteLength, bytes, edits) => {
					const characters = [...Buffer.from(bytes.subarray(0, byteLength)).toString('base64')];
					// Edits mostly land near the end, where the padding and the stray bits are.
					for (const [position, character] of edits) characters[characters.length - 1 - (position % 4)] = character;
					const text = characters.join('');
					expect(decodeFixedBase64(text, byteLength)).toEqual(reference(text, byteLength));
				},
			),
			{ numRuns: 5000 },
		);
	});
});

describe('hmacPrimitives: timestamps', () => {
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

	it('findMatchingSecret names the matching secret; verifiedAt builds the success literal', () => {
		const mac = (key: string) => Buffer.from(key.padEnd(8, '.'));
		const candidates = secretCandidates({ secret: 'new', previousSecret: 'old' });
		expect(findMatchingSecret(candidates, [mac('old')], mac)).toBe('previous');
		expect(findMatchingSecret(candidates, [mac('new'), mac('old')], mac)).toBe('current');
		expect(findMatchingSecret(candidates, [mac('x')], mac)).toBeUndefined();
		expect(verifiedAt('current', 12)).toStrictEqual({ ok: true, matched: 'current', timestamp: 12 });
	});

	it('safeEqualText compares tokens of any length', () => {
		expect(safeEqualText('token', 'token')).toBe(true);
		expect(safeEqualText('token', 'token ')).toBe(false);
		expect(safeEqualText('', 'token')).toBe(false);
		expect(safeEqualText('tökén', 'tökén')).toBe(true);
	});
});

describe('hmacPrimitives: shared verifiers', () => {
	it('hmacSha256OfPrefixedBody equals the HMAC of prefix + body concatenated, byte for byte', () => {
		const key = createSecretKey(Buffer.from('k3y'));
		for (const [prefix, body] of [
			['', Buffer.from('{"a":1}')],
			['v0:1700000000:', Buffer.from([0xff, 0xfe, 0x00, 0xe9])],
			['msg_1.1700000000.', Buffer.alloc(256 * 1024, 0x61)],
			['grüße 🚀.', Buffer.alloc(0)],
		] as const) {
			const expected = createHmac('sha256', 'k3y').update(Buffer.concat([Buffer.from(prefix, 'utf8'), body])).digest();
			expect(hmacSha256OfPrefixedBody(key, prefix, body)).toEqual(expected);
			expect(hmacSha256(key, Buffer.from(prefix, 'utf8'), body)).toEqual(expected);
		}
	});

	it('versionedTimestampContent keeps the body bytes as they are', () => {
		expect(versionedTimestampPrefix('12')).toBe('v0:12:');
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
