import { createHmac } from 'node:crypto';

import { secretKeyFor } from '../../../../nodes/shared/schemes/secretKeys';

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
