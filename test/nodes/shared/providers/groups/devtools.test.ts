import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const FIXTURES: ProviderFixture[] = [
	{
		provider: 'github',
		vector: {
			source: 'official',
			reference: 'https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation',
			secrets: { secret: "It's a Secret to Everybody" },
			request: {
				body: 'Hello, World!',
				headers: {
					'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
					'x-github-event': 'ping',
					'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'ping', id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' },
		},
		// A redelivery keeps X-GitHub-Delivery: it identifies the event (github/docs#32822).
		event: (key) => ({
			body: JSON.stringify({ action: 'opened', issue: { number: 1, title: key } }),
			headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': `delivery-${key}` },
		}),
		eventType: 'issues.opened',
	},
	{
		provider: 'gitlab',
		vector: {
			source: 'docs',
			// The documented delivery headers (https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers)
			// and push event body (https://docs.gitlab.com/user/project/integrations/webhook_events/#push-events).
			reference: 'https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers',
			secrets: { secret: 'gl-secret-token-1234' },
			request: {
				body: '{"object_kind":"push","event_name":"push","before":"95790bf891e76fee5e1747ab589903a6a1f80f22","ref":"refs/heads/master"}',
				headers: {
					'content-type': 'application/json',
					'x-gitlab-event': 'Push Hook',
					'x-gitlab-token': 'gl-secret-token-1234',
					'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
					'x-gitlab-webhook-uuid': '8b77c3e5-51c1-4d37-8b3e-2d3a2a7c2d8e',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'push', id: '13792a34-cac6-4fda-95a8-c58e00a3954e' },
		},
		event: (key) => ({
			body: JSON.stringify({ object_kind: 'issue', object_attributes: { iid: 1, title: key } }),
			headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Issue Hook', 'x-gitlab-event-uuid': `uuid-${key}` },
		}),
		eventType: 'issue',
	},
];

testProviderGroup('devtools', FIXTURES);
