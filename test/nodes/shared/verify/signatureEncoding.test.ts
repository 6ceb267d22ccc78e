import fc from 'fast-check';

import { decodeFixedBase64, decodeFixedHex, decodeSignatureBytes, encodedLength } from '../../../../nodes/shared/verify/signatureEncoding';

describe('signatureEncoding: fixed-length decoding', () => {
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

describe('signatureEncoding: decodeSignatureBytes', () => {
	const mac = Buffer.from('fbff00112233445566778899aabbccddeeff00112233445566778899aabbccdd', 'hex');

	it('hex in either case, in place between bounds', () => {
		const text = `sha256=${mac.toString('hex').toUpperCase()}`;
		expect(decodeSignatureBytes(text, 'hex', 32, false, 7)).toEqual(mac);
		expect(decodeSignatureBytes(text, 'hex', 32, false, 6)).toBeUndefined();
	});

	it('base64: padded, or unpadded only when allowed; never the url-safe alphabet', () => {
		const padded = mac.toString('base64');
		expect(decodeSignatureBytes(padded, 'base64', 32)).toEqual(mac);
		expect(decodeSignatureBytes(padded.replace(/=+$/, ''), 'base64', 32)).toBeUndefined();
		expect(decodeSignatureBytes(padded.replace(/=+$/, ''), 'base64', 32, true)).toEqual(mac);
		expect(decodeSignatureBytes(mac.toString('base64url'), 'base64', 32, true)).toBeUndefined();
		expect(decodeSignatureBytes(`${padded}=`, 'base64', 32, true)).toBeUndefined();
	});

	it('base64url: unpadded (as usually written) or padded; never the standard alphabet', () => {
		const url = mac.toString('base64url');
		expect(decodeSignatureBytes(url, 'base64url', 32)).toEqual(mac);
		expect(decodeSignatureBytes(`${url}=`, 'base64url', 32)).toEqual(mac);
		expect(decodeSignatureBytes(mac.toString('base64'), 'base64url', 32)).toBeUndefined();
	});

	it('costs one comparison for a long text of padding (no backtracking)', () => {
		expect(decodeSignatureBytes('A' + '='.repeat(100_000) + 'A', 'base64', 32, true)).toBeUndefined();
		expect(encodedLength('base64', 32)).toBe(44);
		expect(encodedLength('hex', 20)).toBe(40);
	});
});
