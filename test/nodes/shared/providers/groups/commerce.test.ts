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
	{
		provider: 'wooCommerce',
		vector: {
			source: 'docs',
			// WC_Webhook::generate_signature (class-wc-webhook.php): base64 of HMAC-SHA256 of the payload with the secret;
			// an order.created payload shaped like the REST API docs' order (shortened), computed with Python's hmac.
			reference: 'class-wc-webhook.php generate_signature, REST API docs order payload, computed with Python hmac',
			secrets: { secret: 'wc_secret_3e9d8f7a6b5c4d3e2f1a' },
			request: {
				body: '{"id":727,"parent_id":0,"number":"727","status":"processing","currency":"USD","total":"29.35","billing":{"first_name":"John","last_name":"Doe"},"line_items":[{"id":315,"name":"Woo Single #1","product_id":93,"quantity":2}]}',
				headers: {
					'content-type': 'application/json',
					'x-wc-webhook-signature': 'spdNyE5FzZCXkVIxFz5pezOlLqj2n8Akf+62VPJPtDY=',
					'x-wc-webhook-topic': 'order.created',
					'x-wc-webhook-resource': 'order',
					'x-wc-webhook-event': 'created',
					'x-wc-webhook-id': '12',
					'x-wc-webhook-delivery-id': '1e9a5d1e0a0f3d9d7e6b0ad4c2c5d7b1',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'order.created' },
		},
		// No retries: a repeated delivery is a replay of the same body with the same delivery id.
		event: (key) => ({
			body: JSON.stringify({ id: 727, number: key, status: 'processing' }),
			headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.updated', 'x-wc-webhook-delivery-id': '9b1d0c7e5f4a3b2c1d0e9f8a7b6c5d4e' },
		}),
		eventType: 'order.updated',
		handshakes: [
			{
				name: 'the unsigned creation ping (webhook_id=…) gets an empty 200',
				phase: 'unsigned',
				request: { method: 'POST', body: 'webhook_id=12', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
				expect: { status: 200, body: '' },
			},
		],
	},
	{
		provider: 'lemonSqueezy',
		vector: {
			source: 'docs',
			// https://docs.lemonsqueezy.com/help/webhooks/signing-requests: hex HMAC-SHA256 of the raw body with the signing
			// secret in X-Signature; order_created payload as in the docs' example (shortened), computed with Python's hmac.
			reference: 'https://docs.lemonsqueezy.com/help/webhooks/signing-requests, order_created example, computed with Python hmac',
			secrets: { secret: 'lemon_signing_secret_8f3a' },
			request: {
				body: '{"meta":{"event_name":"order_created","custom_data":{"customer_id":25}},"data":{"type":"orders","id":"1","attributes":{"store_id":1,"identifier":"104e18a2-d755-4d4b-80c4-a6c1dcbe1c10","order_number":1,"status":"paid","total":999,"created_at":"2021-08-17T09:45:53.000000Z","updated_at":"2021-08-17T09:45:53.000000Z"}}}',
				headers: {
					'content-type': 'application/json',
					'x-event-name': 'order_created',
					'x-signature': '19ce2ed86b1ed960efdd4fcc0781a37a2ca4e5867e762db20f6e322ceed66c12',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'order_created', id: '0c6f386675e479d22bfc8711c42ce63668fa47b721f2a524d721f8b5ee15e56f' },
		},
		// A retry resends the same body.
		event: (key) => ({
			body: JSON.stringify({ meta: { event_name: 'subscription_updated' }, data: { type: 'subscriptions', id: key, attributes: { status: 'active' } } }),
			headers: { 'content-type': 'application/json', 'x-event-name': 'subscription_updated' },
		}),
		eventType: 'subscription_updated',
	},
];

testProviderGroup('commerce', FIXTURES);
