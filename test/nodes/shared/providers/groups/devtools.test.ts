import { Webhook as SvixWebhook } from 'svix';

import { providerSchemeById } from '../../../../../nodes/shared/providers/catalogue';
import { incoming, testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { 'content-type': 'application/json' };

/** The Svix docs' worked example (docs.svix.com/receiving/verifying-payloads/how-manual), the Standard Webhooks reference vector. */
const SVIX = {
	secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
	timestamp: '1614265330',
	body: '{"test": 2432232314}',
	signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

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
			headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Issue Hook', 'x-gitlab-event-uuid': `uuid-${key}`, 'idempotency-key': `idem-${key}` },
		}),
		eventType: 'issue',
	},
	{
		provider: 'linear',
		vector: {
			source: 'sdk',
			// linear/linear packages/sdk/src/_tests/LinearWebhooks.test.ts: its request body and secret "SECRET"; the test signs at
			// run time, so the signature is node:crypto's HMAC-SHA256 of those bytes, accepted by @linear/sdk@98.0.0
			// LinearWebhookClient("SECRET").verify with the clock at the body's webhookTimestamp.
			reference: 'linear/linear packages/sdk/src/_tests/LinearWebhooks.test.ts body and secret, checked with @linear/sdk@98.0.0',
			secrets: { secret: 'SECRET' },
			request: {
				body: '{"action":"create","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9","createdAt":"2020-01-23T12:53:18.084Z","updatedAt":"2020-01-23T12:53:18.084Z","archivedAt":null,"body":"Indeed, I think this is definitely an improvement over the previous version.","edited":false,"issueId":"539068e2-ae88-4d09-bd75-22eb4a59612f","userId":"aacdca22-6266-4c0a-ab3c-8fa70a26765c"},"type":"Comment","url":"https://linear.app/issue/LIN-1778/foo-bar#comment-77217de3-fb52-4dad-bb9a-b356beb93de8","createdAt":"2020-01-23T12:53:18.084Z","webhookTimestamp":1677611643000}',
				headers: {
					'content-type': 'application/json; charset=utf-8',
					'linear-signature': '8790fcbbea809950be9198408593c2a13f7591bba6c61adb589f709b5e1b186a',
					'linear-delivery': '234d1a4e-b617-4388-90fe-adc3633d6b72',
					'linear-event': 'Comment',
				},
			},
			nowSeconds: 1677611643 + 20,
			expected: { type: 'Comment.create', id: 'Comment:create:2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9:2020-01-23T12:53:18.084Z' },
		},
		// A retry (1 minute later) re-signs with a new webhookTimestamp; the entity and createdAt stay.
		event: (key, attempt) => ({
			body: json({ action: 'update', type: 'Issue', data: { id: `issue-${key}` }, createdAt: '2024-01-01T00:00:00.000Z', webhookTimestamp: 1_700_000_000_000 + (attempt - 1) * 60_000 }),
			headers: { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': `delivery-${key}-${attempt}` },
		}),
		eventType: 'Issue.update',
	},
	{
		provider: 'sentry',
		vector: {
			source: 'docs',
			// https://docs.sentry.io/integrations/integration-platform/webhooks/: Sentry-Hook-Signature is the hex HMAC-SHA256 of
			// the body with the client secret; an issue.created payload (shortened), computed with Python's hmac.
			reference: 'https://docs.sentry.io/integrations/integration-platform/webhooks/, issue.created payload, computed with Python hmac',
			secrets: { secret: 'sentry_client_secret_2f6e1a9c' },
			request: {
				body: '{"action":"created","installation":{"uuid":"a8e5d37a-696c-4c54-adb5-b3f28d64c7de"},"data":{"issue":{"id":"1170820242","title":"ReferenceError: blooopy is not defined","status":"unresolved"}},"actor":{"type":"application","id":"sentry","name":"Sentry"}}',
				headers: {
					...JSON_TYPE,
					'request-id': 'e5a2c4b6-1f3d-4e7a-9b8c-0d1e2f3a4b5c',
					'sentry-hook-resource': 'issue',
					'sentry-hook-timestamp': '1700000000',
					'sentry-hook-signature': '24fca231ee88f5404cdf320c227ae8a96dcff142722a559c11a9534e54f1aefe',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'issue.created', id: 'e5a2c4b6-1f3d-4e7a-9b8c-0d1e2f3a4b5c' },
		},
		event: (key) => ({ body: json({ action: 'triggered', data: { event: { event_id: key } } }), headers: { ...JSON_TYPE, 'sentry-hook-resource': 'event_alert', 'request-id': `req-${key}` } }),
		eventType: 'event_alert.triggered',
	},
	{
		provider: 'bitbucket',
		vector: {
			source: 'docs',
			// https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/ (Secure webhooks): X-Hub-Signature is
			// "sha256=" + hex HMAC-SHA256 of the body; a repo:push payload (shortened), computed with Python's hmac.
			reference: 'https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/, repo:push payload, computed with Python hmac',
			secrets: { secret: 'bb-webhook-secret-71d2' },
			request: {
				body: '{"push":{"changes":[{"new":{"type":"branch","name":"main"}}]},"repository":{"type":"repository","full_name":"team/repo","uuid":"{b21c0a5a-43a1-4a3e-9f5e-d5c1fd8a6f0b}"},"actor":{"type":"user","display_name":"Jane"}}',
				headers: {
					...JSON_TYPE,
					'x-hub-signature': 'sha256=dd7243cb54442385d4d87259c3841e069d46688380ff9f6ea35c000914c4a9b6',
					'x-event-key': 'repo:push',
					'x-request-uuid': '4a7c3b2e-9d1f-4e6a-8b5c-2f0e1d3c4b5a',
					'x-hook-uuid': 'b8e7d6c5-4a3b-2c1d-0e9f-8a7b6c5d4e3f',
					'x-attempt-number': '1',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'repo:push', id: '4a7c3b2e-9d1f-4e6a-8b5c-2f0e1d3c4b5a' },
		},
		event: (key, attempt) => ({
			body: json({ pullrequest: { id: 1, title: key }, repository: { full_name: 'team/repo' } }),
			headers: { ...JSON_TYPE, 'x-event-key': 'pullrequest:created', 'x-request-uuid': `uuid-${key}`, 'x-attempt-number': String(attempt) },
		}),
		eventType: 'pullrequest:created',
	},
	{
		provider: 'jira',
		vector: {
			source: 'docs',
			// https://developer.atlassian.com/cloud/jira/platform/webhooks/ (secure admin webhooks): "sha256=" + hex HMAC-SHA256 of
			// the body with the webhook's secret; a jira:issue_created payload (shortened), computed with Python's hmac.
			reference: 'https://developer.atlassian.com/cloud/jira/platform/webhooks/, jira:issue_created payload, computed with Python hmac',
			secrets: { secret: 'jira-webhook-secret-5a8b' },
			request: {
				body: '{"timestamp":1700000000000,"webhookEvent":"jira:issue_created","issue_event_type_name":"issue_created","issue":{"id":"10001","key":"PROJ-1","fields":{"summary":"Example issue"}}}',
				headers: {
					...JSON_TYPE,
					'x-hub-signature': 'sha256=53fc317e777398d0f94315968d26309f07ac1cc43f0a9426728bbef127d19112',
					'x-atlassian-webhook-identifier': '1c2b3a4d5e6f7081',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'jira:issue_created', id: '1c2b3a4d5e6f7081' },
		},
		event: (key, attempt) => ({
			body: json({ timestamp: 1700000000000, webhookEvent: 'jira:issue_updated', issue: { key } }),
			headers: { ...JSON_TYPE, 'x-atlassian-webhook-identifier': `id-${key}`, ...(attempt > 1 ? { 'x-atlassian-webhook-retry': String(attempt - 1) } : {}) },
		}),
		eventType: 'jira:issue_updated',
	},
	{
		provider: 'circleCi',
		vector: {
			source: 'docs',
			// https://circleci.com/docs/webhooks/: circleci-signature "v1=" + hex HMAC-SHA256 of the body with the secret; the
			// docs' workflow-completed example (shortened), computed with Python's hmac.
			reference: 'https://circleci.com/docs/webhooks/, workflow-completed example, computed with Python hmac',
			secrets: { secret: 'circleci-secret-9e4d2c' },
			request: {
				body: '{"type":"workflow-completed","id":"3888f21b-eaa7-38e3-8f3d-75a63bba8895","happened_at":"2021-09-01T22:49:34.317Z","webhook":{"id":"cf8c4fdd-0587-4da1-b4ca-4846e9640af9","name":"Sample Webhook"},"workflow":{"id":"fda08377-fe7e-46b1-8992-3a7aaecac9c3","name":"build-test-deploy","status":"success"}}',
				headers: { ...JSON_TYPE, 'circleci-signature': 'v1=515bcea74a133135ec4193867175aded46563495cecca2fdc338d9ed13e35a93', 'circleci-event-type': 'workflow-completed' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'workflow-completed', id: '3888f21b-eaa7-38e3-8f3d-75a63bba8895' },
		},
		event: (key) => ({ body: json({ type: 'job-completed', id: `event-${key}`, job: { status: 'success' } }), headers: JSON_TYPE }),
		eventType: 'job-completed',
	},
	{
		provider: 'pagerDuty',
		vector: {
			source: 'docs',
			// https://developer.pagerduty.com/docs/webhooks-overview: X-PagerDuty-Signature "v1=" + hex HMAC-SHA256 of the body
			// with the subscription's secret; the docs' incident.priority_updated example (shortened), computed with Python's hmac.
			reference: 'https://developer.pagerduty.com/docs/webhooks-overview, incident.priority_updated example, computed with Python hmac',
			secrets: { secret: 'pd-webhook-secret-4e1a7f' },
			request: {
				body: '{"event":{"id":"5ac64822-4adc-4fda-ade0-410becf0de4f","event_type":"incident.priority_updated","resource_type":"incident","occurred_at":"2020-10-02T18:45:22.169Z","agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","self":"https://api.pagerduty.com/users/PLH1HKV","summary":"Tenex Engineer","type":"user_reference"},"client":{"name":"PagerDuty"},"data":{"id":"PGR0VU2","type":"incident","self":"https://api.pagerduty.com/incidents/PGR0VU2","html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","number":2,"status":"triggered","title":"A little bump in the road"}}}',
				headers: {
					...JSON_TYPE,
					// A rotation lists one v1 per active secret; the second one is this secret's.
					'x-pagerduty-signature': 'v1=00000000000000000000000000000000000000000000000000000000000000ff,v1=68d8f30fc342a923c1b82ccbbdcac5af1297df9dbe8327fa672356dc4f8a1d1e',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'incident.priority_updated', id: '5ac64822-4adc-4fda-ade0-410becf0de4f' },
		},
		event: (key) => ({ body: json({ event: { id: `event-${key}`, event_type: 'incident.triggered', resource_type: 'incident', data: {} } }), headers: JSON_TYPE }),
		eventType: 'incident.triggered',
	},
	{
		provider: 'terraformCloud',
		vector: {
			source: 'docs',
			// https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations (notification
			// authenticity): X-TFE-Notification-Signature is the hex HMAC-SHA512 of the body with the token; the docs' sample
			// payload, computed with Python's hmac and a made-up token.
			reference: 'HCP Terraform notification-configurations API docs, sample payload, computed with Python hmac',
			secrets: { secret: 'tfe-notification-token-83b1' },
			request: {
				body: '{"payload_version":1,"notification_configuration_id":"nc-AeUQ2zfKZzW9TiGZ","run_url":"https://app.terraform.io/app/acme-org/my-workspace/runs/run-FwnENkvDnrpyFC7M","run_id":"run-FwnENkvDnrpyFC7M","run_message":"Add five new queue workers","run_created_at":"2019-01-25T18:34:00.000Z","run_created_by":"sample-user","workspace_id":"ws-XdeUVMWShTesDMME","workspace_name":"my-workspace","organization_name":"acme-org","notifications":[{"message":"Run Canceled","trigger":"run:errored","run_status":"errored","run_updated_at":"2019-01-25T18:37:04.000Z","run_updated_by":"sample-user"}]}',
				headers: {
					...JSON_TYPE,
					'x-tfe-notification-signature':
						'144ce42917cec4002104a0457d5e70271b58d2bc72f1acc167d0bd3c8b0ffb2b1daf13c055d380e391c1fe6567b4bd4c60f6611767944192f48129d12aa5de43',
				},
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'run:errored', id: 'run-FwnENkvDnrpyFC7M:run:errored:2019-01-25T18:37:04.000Z' },
		},
		event: (key) => ({
			body: json({ payload_version: 1, run_id: `run-${key}`, notifications: [{ trigger: 'run:completed', run_status: 'applied', run_updated_at: '2024-01-01T00:00:00.000Z' }] }),
			headers: JSON_TYPE,
		}),
		eventType: 'run:completed',
	},
	{
		provider: 'segment',
		vector: {
			source: 'docs',
			// https://segment.com/docs/connections/destinations/catalog/webhooks/ (Authentication): X-Signature is the hex
			// HMAC-SHA1 of the body with the shared secret; a track call, computed with Python's hmac.
			reference: 'https://segment.com/docs/connections/destinations/catalog/webhooks/, a track call, computed with Python hmac',
			secrets: { secret: 'segment-shared-secret-c3f9' },
			request: {
				body: '{"type":"track","event":"Order Completed","userId":"97980cfea0067","messageId":"ajs-6f8ca1fd7bbe2ea4a4fa5a0a4a0a7b35","properties":{"revenue":39.95},"timestamp":"2023-06-01T12:00:00.000Z"}',
				headers: { ...JSON_TYPE, 'x-signature': 'e433e4455bf883632aa668448b4d21f5d18aeed2' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'track.Order Completed', id: 'ajs-6f8ca1fd7bbe2ea4a4fa5a0a4a0a7b35' },
		},
		event: (key) => ({ body: json({ type: 'identify', userId: 'u1', messageId: `msg-${key}`, traits: {} }), headers: JSON_TYPE }),
		eventType: 'identify',
	},
	{
		provider: 'svix',
		vector: {
			source: 'official',
			// https://docs.svix.com/receiving/verifying-payloads/how-manual worked example (the Standard Webhooks reference
			// vector), with Svix's svix-* header names.
			reference: 'https://docs.svix.com/receiving/verifying-payloads/how-manual worked example',
			secrets: { secret: SVIX.secret },
			request: { body: SVIX.body, headers: { ...JSON_TYPE, 'svix-id': SVIX.id, 'svix-timestamp': SVIX.timestamp, 'svix-signature': SVIX.signature } },
			nowSeconds: Number(SVIX.timestamp) + 10,
			expected: { id: SVIX.id },
		},
		// The kit signs with `id: key`: the svix-id (webhook-id) a retry keeps.
		event: () => ({ body: json({ type: 'invoice.paid', data: { id: 'inv_1' } }), headers: JSON_TYPE }),
		eventType: 'invoice.paid',
	},
];

testProviderGroup('devtools', FIXTURES);

describe('Svix: both directions with svix@1.99.1', () => {
	it('what the svix library signs verifies here (the vector, re-signed)', () => {
		expect(new SvixWebhook(SVIX.secret).sign(SVIX.id, new Date(Number(SVIX.timestamp) * 1000), SVIX.body)).toBe(SVIX.signature);
	});

	it('what the catalogue signs, the svix library verifies (svix-* headers)', async () => {
		const now = Math.floor(Date.now() / 1000);
		const signed = providerSchemeById('svix').sign!({ payload: Buffer.from(SVIX.body), key: SVIX.secret, timestampSeconds: now, id: 'msg_ours' });
		const headers = Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.replace(/^webhook-/, 'svix-'), value]));
		expect(new SvixWebhook(SVIX.secret).verify(SVIX.body, headers)).toEqual(JSON.parse(SVIX.body));
		const request = incoming({ body: SVIX.body, headers });
		expect((await providerSchemeById('svix').verify(request, { secret: SVIX.secret }, { nowSeconds: now, toleranceSeconds: 300 })).ok).toBe(true);
	});
});
