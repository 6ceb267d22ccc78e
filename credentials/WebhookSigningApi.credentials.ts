import type { ICredentialType, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PROVIDERS } from '../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../nodes/shared/providers/providerScheme';
import { PROVIDER_GROUPS } from '../nodes/shared/providers/types';

/**
 * The shared secret(s) and public key a webhook sender signs with. Field names are stable: saved
 * workflows, the docs and the end-to-end tests refer to them.
 *
 * The secrets are multi-line because the Signed Webhook node takes a PEM private key there (RS/ES JWTs): a
 * single-line field drops a pasted key's line breaks, and a PEM without them does not parse. n8n ≥ 2 renders
 * `password` with `rows` as a masked text area (as for its own SSH private key); n8n 1.x as a one-line password
 * field, where a PEM must be entered through an expression or the API.
 *
 * `provider` says whom the secret belongs to. n8n's editor pre-selects the most recently updated credential of a
 * type for a new node and names new ones "<type> account N"; it cannot see a credential's fields, so it cannot
 * filter by provider. The trigger refuses, when it starts listening, a credential made for another provider.
 */
const PEM_ROWS = 4;

/** Where the trigger's provider is not tied to one credential: the Signed Webhook node, or a credential for several. */
export const ANY_PROVIDER = '';

const OFFERED = PROVIDERS.filter((entry) => isProviderAvailable(entry) && entry.signature.kind !== 'none');

const providerOptions: INodePropertyOptions[] = [
	{ name: 'Any (Not Tied to a Provider)', value: ANY_PROVIDER, description: 'For the Signed Webhook node, or one secret shared by several providers' },
	...OFFERED.map((entry) => ({ name: `${PROVIDER_GROUPS[entry.group]}: ${entry.displayName}`, value: entry.id })).sort((a, b) =>
		a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
	),
];

/** Under the chosen provider: what to paste and where the provider shows it (the catalogue's secretHelp). */
const providerHelp: INodeProperties[] = [
	{
		displayName:
			'Choose the provider this secret comes from: it then says here what to paste and where the provider shows it, and a Secure Webhook Trigger set to another provider refuses this credential. Rename the credential after it (click its name above).',
		name: 'anyProviderNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { provider: [ANY_PROVIDER] } },
	},
	...OFFERED.map(
		(entry): INodeProperties => ({
			displayName: `${entry.displayName}: ${entry.secretHelp}`,
			name: `secretHelp_${entry.id}`,
			type: 'notice',
			default: '',
			displayOptions: { show: { provider: [entry.id] } },
		}),
	),
];

export class WebhookSigningApi implements ICredentialType {
	name = 'webhookSigningApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- the product name users see in the credential list
	displayName = 'Webhook Signing Secret';

	documentationUrl = 'https://github.com/n8n-nodes-ai-webhooks/n8n-nodes-ai-webhooks#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			options: providerOptions,
			default: ANY_PROVIDER,
			description: 'Who signs with this secret. Type to search.',
		},
		...providerHelp,
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true, rows: PEM_ROWS },
			default: '',
			placeholder: 'whsec_…, the signing secret, auth token or app secret exactly as shown',
			hint: 'As the provider shows it, prefix included. For the Signed Webhook node with RS/ES JWTs: the PEM private key.',
			description:
				'The signing secret exactly as the provider shows it (for example whsec_… for OpenAI, Svix and Stripe). For JWT with HS256/384/512 this is the HMAC key; for the Signed Webhook node with RS/ES JWTs, the PEM private key.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true, rows: PEM_ROWS },
			default: '',
			placeholder: 'Optional: the old secret while you rotate',
			hint: 'Requests signed with it are still accepted until you empty this field.',
			description:
				'Optional. While you rotate secrets, requests signed with this older secret are still accepted.',
		},
		{
			displayName: 'Public Key',
			name: 'publicKey',
			type: 'string',
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing -- a public key is not secret
			typeOptions: { rows: PEM_ROWS },
			default: '',
			placeholder: '-----BEGIN PUBLIC KEY-----, a hex or base64 Ed25519 key, or whpk_…',
			hint: 'Only for public-key signatures: Discord, SendGrid, Standard Webhooks v1a, RS/ES JWTs. Empty otherwise.',
			description:
				'Optional. PEM public key for RS/ES JWTs; hex, base64 or whpk_… Ed25519 key for Standard Webhooks v1a and Discord.',
		},
	];
}
