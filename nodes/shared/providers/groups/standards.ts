import type { ProviderEntry } from '../types';

/** Open standards many senders implement (one entry each; products built on them may have their own entry too). */
export const STANDARDS_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'standardWebhooks',
		displayName: 'Standard Webhooks (OpenAI, Svix, Resend, Clerk…)',
		group: 'standards',
		aliases: ['OpenAI', 'Svix', 'Resend', 'Clerk'],
		docsUrl: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
		sdkUrl: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/index.ts',
		signature: {
			kind: 'special',
			verifier: 'standardWebhooks',
			timestamp: { from: { header: 'webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'type' }],
		eventId: [{ verified: 'id' }, { header: 'webhook-id' }, { header: 'svix-id' }],
		redelivery: 'webhook-id is the message id: the spec requires the same id on every retry and manual resend of a message.',
		contentTypes: ['application/json'],
		secretHelp:
			'The endpoint\'s signing secret as shown, starting with whsec_ (OpenAI: Settings → Webhooks; Svix: the endpoint\'s Signing Secret). For v1a (Ed25519) senders, the whpk_… public key goes into Public Key.',
		vectors: {
			source: 'official',
			reference:
				'standard-webhooks libraries/javascript/src/webhook.test.ts "sign function works" (msg_p5jXN8AQM9LWM0D4loKWxJek); cross-checked with the standardwebhooks and svix packages',
		},
	},
];
