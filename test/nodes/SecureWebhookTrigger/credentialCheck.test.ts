import { generateKeyPairSync } from 'node:crypto';

import { checkSigningCredential, credentialProviderMismatch } from '../../../nodes/SecureWebhookTrigger/credentialCheck';
import { providerById } from '../../../nodes/shared/providers/catalogue';

const provider = (id: string) => providerById(id)!;

describe('a credential made for another provider', () => {
	it('is refused with a message naming both providers', () => {
		const message = credentialProviderMismatch({ provider: 'github', secret: 's' }, provider('openai'), providerById);
		expect(message).toContain('made for GitHub');
		expect(message).toContain('verifies OpenAI');
	});

	it('is accepted when it names the same provider, "Any", or none (saved before the field existed)', () => {
		expect(credentialProviderMismatch({ provider: 'stripe' }, provider('stripe'), providerById)).toBeUndefined();
		expect(credentialProviderMismatch({ provider: '' }, provider('stripe'), providerById)).toBeUndefined();
		expect(credentialProviderMismatch({ secret: 's' }, provider('stripe'), providerById)).toBeUndefined();
	});
});

describe('the credential test checks the fields for form', () => {
	const ed25519Hex = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
	const ed25519 = Buffer.from(ed25519Hex, 'base64url').toString('hex');
	const rsaPublic = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

	it.each([
		['an empty credential', {}, 'Enter the Secret'],
		['Discord without its public key', { provider: 'discord', secret: 'x' }, 'signs with a key pair'],
		['Twilio without its auth token', { provider: 'twilio', publicKey: ed25519 }, 'needs the Secret'],
		['a whsec_ secret that is not base64', { provider: 'standardWebhooks', secret: 'whsec_%%%' }, 'does not decode'],
		['a broken PEM public key', { publicKey: '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----', secret: 'x' }, 'does not parse'],
		['a public key of the wrong length', { provider: 'discord', publicKey: 'abcd' }, 'neither a PEM key'],
		['a broken PEM private key', { secret: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----' }, 'does not parse'],
		['an unknown provider', { provider: 'nope', secret: 'x' }, 'Unknown provider'],
	])('refuses %s', (_name, fields, expected) => {
		const result = checkSigningCredential(fields, providerById);
		expect(result.ok).toBe(false);
		expect(result.message).toContain(expected);
	});

	it.each([
		['a Stripe secret', { provider: 'stripe', secret: 'whsec_abc' }],
		['a Standard Webhooks whsec_ secret', { provider: 'standardWebhooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
		['Discord with a hex public key', { provider: 'discord', publicKey: ed25519 }],
		['a PEM public key, no provider', { publicKey: rsaPublic }],
		['a plain secret, no provider', { secret: 'shared' }],
	])('accepts %s, saying no provider can confirm it', (_name, fields) => {
		const result = checkSigningCredential(fields, providerById);
		expect(result).toMatchObject({ ok: true });
		expect(result.message).toContain('No provider can confirm a signing secret');
	});
});
