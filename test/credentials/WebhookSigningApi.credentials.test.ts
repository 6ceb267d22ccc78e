import { createPrivateKey, generateKeyPairSync } from 'node:crypto';

import type { INodePropertyOptions } from 'n8n-workflow';

import { ANY_PROVIDER, WebhookSigningApi } from '../../credentials/WebhookSigningApi.credentials';
import { PROVIDERS, providerById } from '../../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../../nodes/shared/providers/providerScheme';

const field = (name: string) => new WebhookSigningApi().properties.find((property) => property.name === name)!;

describe('Webhook Signing Secret credential', () => {
	it('has the stable field names', () => {
		const fields = new WebhookSigningApi().properties.filter((property) => property.type !== 'notice');
		expect(fields.map((property) => property.name)).toEqual(['provider', 'secret', 'previousSecret', 'publicKey']);
	});

	it('shows its hint and placeholder on screen for each field', () => {
		for (const name of ['secret', 'previousSecret', 'publicKey']) {
			expect(field(name).hint).toBeTruthy();
			expect(field(name).placeholder).toBeTruthy();
		}
	});

	it('offers every provider that signs, plus "Any" (the default, as for credentials saved before the field)', () => {
		const values = (field('provider').options as INodePropertyOptions[]).map((option) => option.value);
		expect(field('provider').default).toBe(ANY_PROVIDER);
		expect(values[0]).toBe(ANY_PROVIDER);
		const signing = PROVIDERS.filter((entry) => isProviderAvailable(entry) && entry.signature.kind !== 'none').map((entry) => entry.id);
		expect([...values.slice(1)].sort()).toEqual([...signing].sort());
	});

	it('says under the chosen provider what to paste and where the provider shows it', () => {
		const notices = new WebhookSigningApi().properties.filter((property) => property.type === 'notice');
		const twilio = notices.find((notice) => (notice.displayOptions?.show?.provider as string[] | undefined)?.includes('twilio'))!;
		expect(twilio.displayName).toBe(`Twilio: ${providerById('twilio')!.secretHelp}`);
		expect(notices.filter((notice) => (notice.displayOptions?.show?.provider as string[] | undefined)?.includes(ANY_PROVIDER))).toHaveLength(1);
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
