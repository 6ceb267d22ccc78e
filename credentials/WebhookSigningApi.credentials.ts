import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The shared secret(s) and public key a webhook sender signs with. Field names are stable: saved
 * workflows, the docs and the end-to-end tests refer to them.
 *
 * The secrets are multi-line because the Signed Webhook node takes a PEM private key there (RS/ES JWTs): a
 * single-line field drops a pasted key's line breaks, and a PEM without them does not parse. n8n ≥ 2 renders
 * `password` with `rows` as a masked text area (as for its own SSH private key); n8n 1.x as a one-line password
 * field, where a PEM must be entered through an expression or the API.
 */
const PEM_ROWS = 4;
export class WebhookSigningApi implements ICredentialType {
	name = 'webhookSigningApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- the product name users see in the credential list
	displayName = 'Webhook Signing Secret';

	documentationUrl = 'https://github.com/n8n-nodes-ai-webhooks/n8n-nodes-ai-webhooks#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true, rows: PEM_ROWS },
			default: '',
			description:
				'The signing secret exactly as the provider shows it (for example whsec_… for OpenAI, Svix and Stripe). For JWT with HS256/384/512 this is the HMAC key; for the Signed Webhook node with RS/ES JWTs, the PEM private key.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true, rows: PEM_ROWS },
			default: '',
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
			description:
				'Optional. PEM public key for RS/ES JWTs; hex, base64 or whpk_… Ed25519 key for Standard Webhooks v1a and Discord.',
		},
	];
}
