import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);

const FIXTURES: ProviderFixture[] = [
	{
		provider: 'standardWebhooks',
		vector: {
			source: 'official',
			// standard-webhooks libraries/javascript/src/webhook.test.ts ("sign function works"), also in
			// libraries/python/tests/test_webhooks.py (test_sign_function).
			reference: 'standard-webhooks libraries/javascript/src/webhook.test.ts, "sign function works"',
			secrets: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
			request: {
				body: '{"test": 2432232314}',
				headers: {
					'content-type': 'application/json',
					'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
					'webhook-timestamp': '1614265330',
					'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
				},
			},
			nowSeconds: 1614265330 + 10,
			expected: { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' },
		},
		// The kit signs with `id: key`: the message id, which the spec keeps on every retry.
		event: (key) => ({ body: json({ type: 'response.completed', data: { id: `resp_${key}` } }), headers: { 'content-type': 'application/json' } }),
		eventType: 'response.completed',
	},
];

testProviderGroup('standards', FIXTURES);
