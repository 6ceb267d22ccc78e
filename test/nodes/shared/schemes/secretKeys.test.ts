import { createHmac } from 'node:crypto';

import { secretKeyFor, whsecSecretKeyFor } from '../../../../nodes/shared/schemes/secretKeys';

describe('secretKeyFor', () => {
	it('holds the UTF-8 bytes of the secret, so MACs equal those keyed with the string', () => {
		for (const secret of ['whsec_abc', 'Grüße 🚀', 'x'.repeat(200)]) {
			const key = secretKeyFor(secret);
			expect(key.type).toBe('secret');
			expect(key.export()).toEqual(Buffer.from(secret, 'utf8'));
			expect(createHmac('sha256', key).update('body').digest('hex')).toBe(createHmac('sha256', secret).update('body').digest('hex'));
		}
	});

	it('reuses the key for the same secret and makes a new one for another', () => {
		expect(secretKeyFor('one')).toBe(secretKeyFor('one'));
		expect(secretKeyFor('one')).not.toBe(secretKeyFor('two'));
	});

	it('stays correct when more secrets than the cache bound pass through', () => {
		for (let i = 0; i < 200; i++) expect(secretKeyFor(`secret-${i}`).export().toString()).toBe(`secret-${i}`);
	});
});

describe('whsecSecretKeyFor', () => {
	it('holds the base64-decoded bytes after the optional whsec_ prefix, as Standard Webhooks keys its HMAC', () => {
		// The Standard Webhooks spec vector's secret (libraries/javascript/src/webhook.test.ts).
		const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
		const bytes = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
		const key = whsecSecretKeyFor(secret);
		expect(key?.export()).toEqual(bytes);
		expect(whsecSecretKeyFor(secret)).toBe(key);
		expect(whsecSecretKeyFor('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')?.export()).toEqual(bytes);
		expect(whsecSecretKeyFor(secret)).not.toBe(secretKeyFor(secret));
	});

	it('is undefined for a secret that decodes to no bytes, every time', () => {
		for (const text of ['', 'whsec_', '=', 'whsec_!!!', 'A']) {
			expect(whsecSecretKeyFor(text)).toBeUndefined();
			expect(whsecSecretKeyFor(text)).toBeUndefined();
		}
	});

	it('stays correct when more secrets than the cache bound pass through', () => {
		for (let i = 0; i < 200; i++) {
			const bytes = Buffer.from(`secret-${i}`);
			expect(whsecSecretKeyFor('whsec_' + bytes.toString('base64'))?.export()).toEqual(bytes);
		}
	});
});
