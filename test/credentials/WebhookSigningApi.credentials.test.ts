import { createPrivateKey, generateKeyPairSync } from 'node:crypto';

import { WebhookSigningApi } from '../../credentials/WebhookSigningApi.credentials';

const field = (name: string) => new WebhookSigningApi().properties.find((property) => property.name === name)!;

describe('Webhook Signing Secret credential', () => {
	it('has the stable field names', () => {
		expect(new WebhookSigningApi().properties.map((property) => property.name)).toEqual(['secret', 'previousSecret', 'publicKey']);
	});

	// A PEM private key (Signed Webhook, RS/ES JWTs) loses its line breaks in a one-line field, and then does not parse.
	it.each(['secret', 'previousSecret'])('%s is a masked multi-line field, where a PEM key keeps its line breaks', (name) => {
		expect(field(name).typeOptions).toMatchObject({ password: true });
		expect(field(name).typeOptions?.rows).toBeGreaterThan(1);
	});

	it('publicKey is multi-line and not masked (a public key is not secret)', () => {
		expect(field('publicKey').typeOptions?.rows).toBeGreaterThan(1);
		expect(field('publicKey').typeOptions?.password).toBeUndefined();
	});

	it('why it matters: a PEM key whose line breaks a one-line field dropped is refused by Node', () => {
		const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		expect(() => createPrivateKey(pem)).not.toThrow();
		expect(() => createPrivateKey(pem.replace(/\r?\n/g, ''))).toThrow();
	});
});
