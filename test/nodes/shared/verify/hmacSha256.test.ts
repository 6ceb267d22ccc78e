import { createHmac, createSecretKey } from 'node:crypto';

import { hmacSha256, hmacSha256OfPrefixedBody } from '../../../../nodes/shared/verify/hmacSha256';

describe('hmacSha256: shared verifiers', () => {
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

});
