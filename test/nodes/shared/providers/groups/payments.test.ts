import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);

const FIXTURES: ProviderFixture[] = [
	{
		provider: 'stripe',
		vector: {
			source: 'sdk',
			// stripe-node 23.1.0 stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: 1700000000 }), re-derived
			// from the SDK on every run in test/nodes/shared/schemes/stripe.test.ts.
			reference: 'stripe-node 23.1.0 webhooks.generateTestHeaderString',
			secrets: { secret: 'whsec_test_secret' },
			request: {
				body: JSON.stringify({ id: 'evt_test_webhook', object: 'event', type: 'payment_intent.succeeded' }, null, 2),
				headers: {
					'content-type': 'application/json; charset=utf-8',
					'stripe-signature': 't=1700000000,v1=eff1d2c6bc8bde2a9c9492db8f9912986b91cf6f9a4b0453e9c3cfbbf84a9b99',
				},
			},
			nowSeconds: 1700000005,
			expected: { type: 'payment_intent.succeeded', id: 'evt_test_webhook' },
		},
		// A retry resends the same event object; only the signature's timestamp changes.
		event: (key) => ({
			body: json({ id: `evt_${key}`, object: 'event', type: 'payment_intent.succeeded', data: { object: { amount: 100 } } }),
			headers: { 'content-type': 'application/json; charset=utf-8' },
		}),
		eventType: 'payment_intent.succeeded',
	},
];

testProviderGroup('payments', FIXTURES);
