import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const FIXTURES: ProviderFixture[] = [
	{
		provider: 'shopify',
		vector: {
			source: 'docs',
			// Shopify publishes no triple; the algorithm (base64 HMAC-SHA256 of the raw body with the client secret) is from
			// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook, computed with Python's hmac.
			reference: 'https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook, computed with Python hmac',
			secrets: { secret: 'shpss_test_client_secret' },
			request: {
				body: '{"id":820982911946154508,"email":"jon@example.com","total_price":"403.00"}',
				headers: {
					'content-type': 'application/json',
					'x-shopify-hmac-sha256': 'dmo2iZE0OxU76zyU0Fh+fxpQKMEUalQrhNSBnQahH6c=',
					'x-shopify-topic': 'orders/create',
					'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'orders/create', id: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' },
		},
		event: (key, attempt) => ({
			body: JSON.stringify({ id: 820982911946154508, name: `#${key}` }),
			headers: {
				'content-type': 'application/json',
				'x-shopify-topic': 'orders/create',
				'x-shopify-webhook-id': `webhook-${key}`,
				'x-shopify-triggered-at': `2024-01-01T00:0${attempt}:00Z`,
			},
		}),
		eventType: 'orders/create',
	},
];

testProviderGroup('commerce', FIXTURES);
