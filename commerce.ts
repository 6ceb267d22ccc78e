import type { ProviderEntry } from '../types';

export const COMMERCE_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'shopify',
		displayName: 'Shopify',
		group: 'commerce',
		docsUrl: 'https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-shopify-hmac-sha256' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ header: 'x-shopify-topic' }],
		eventId: [{ header: 'x-shopify-webhook-id' }, { header: 'x-shopify-event-id' }],
		redelivery:
			'Retries (8 over 4 hours) deliver the original payload with the same X-Shopify-Webhook-Id; X-Shopify-Event-Id is the same for every webhook one event triggers (https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates).',
		contentTypes: ['application/json'],
		secretHelp: 'The app\'s client secret (Partner Dashboard or Dev Dashboard → the app → Client credentials); for a webhook made in the store admin, the key shown under Settings → Notifications → Webhooks.',
		vectors: { source: 'docs', reference: 'https://shopify.dev/docs/apps/build/webhooks/subscribe/https (algorithm), computed with node:crypto' },
		caveats: ['No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.'],
	},
];
