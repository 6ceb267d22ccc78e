import { Webhook as SvixWebhook } from 'svix';

import { providerSchemeById } from '../../../../../nodes/shared/providers/catalogue';
import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { 'content-type': 'application/json' };

/** Clerk's vector: svix@1.99.1 sign (Clerk delivers through Svix). */
const CLERK = {
	secret: 'whsec_dGVzdC1jbGVyay1zaWduaW5nLXNlY3JldC0wMQ==',
	id: 'msg_2Lh9KRb0pzN4LePd3XiA4OyhRQb',
	timestamp: '1654012592',
	body: '{"data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC","object":"user","first_name":"Example"},"object":"event","type":"user.created","timestamp":1654012591835,"instance_id":"ins_123"}',
	signature: 'v1,gOT4jmrE2/SQi0CjoJqk5lKYO10MmeciNFubLX9RY4Q=',
};

/** One fixture per entry of the identity group; research notes: /work/team/providers/<id>.md. */
const FIXTURES: ProviderFixture[] = [
	{
		provider: 'clerk',
		vector: {
			source: 'sdk',
			// svix@1.99.1 new Webhook(secret).sign(id, 2022-05-31T15:56:32Z, body): the library @clerk/backend verifies with;
			// the docs' user.created payload (shortened). Checked both ways below.
			reference: 'svix@1.99.1 Webhook.sign, user.created payload of https://clerk.com/docs/webhooks/sync-data',
			secrets: { secret: CLERK.secret },
			request: { body: CLERK.body, headers: { ...JSON_TYPE, 'svix-id': CLERK.id, 'svix-timestamp': CLERK.timestamp, 'svix-signature': CLERK.signature } },
			nowSeconds: Number(CLERK.timestamp) + 5,
			expected: { type: 'user.created', id: CLERK.id },
		},
		event: () => ({ body: json({ type: 'session.created', object: 'event', data: { id: 'sess_1' } }), headers: JSON_TYPE }),
		eventType: 'session.created',
	},
	{
		provider: 'workOs',
		vector: {
			source: 'docs',
			// https://workos.com/docs/events/data-syncing/webhooks: WorkOS-Signature "t=<ms>, v1=<hex HMAC-SHA256 of t.body>", as
			// @workos-inc/node@8.13.0 SignatureProvider.computeSignature does; a user.created event, computed with Python's hmac.
			reference: 'https://workos.com/docs/events/data-syncing/webhooks, user.created event, computed with Python hmac',
			secrets: { secret: 'workos-webhook-secret-a1b2c3' },
			request: {
				body: '{"id":"event_01J8YDX1Q4G3X4K2MN8B9VSTAR","event":"user.created","data":{"object":"user","id":"user_01E4ZCR3C56J083X43JQXF3JK5","email":"marcelina.davis@example.com"},"created_at":"2024-09-30T12:00:00.000Z"}',
				headers: { ...JSON_TYPE, 'workos-signature': 't=1727697600000, v1=9b76a37fe1548da0ebf949b84a0d14554d19a7465ab162509b0fb3260b53a47d' },
			},
			nowSeconds: 1727697600 + 30,
			expected: { type: 'user.created', id: 'event_01J8YDX1Q4G3X4K2MN8B9VSTAR' },
		},
		event: (key) => ({ body: json({ id: `event_${key}`, event: 'dsync.user.updated', data: { id: 'directory_user_1' } }), headers: JSON_TYPE }),
		eventType: 'dsync.user.updated',
	},
	{
		provider: 'okta',
		vector: {
			source: 'docs',
			// https://developer.okta.com/docs/concepts/event-hooks/: the configured Authorization header value, and the docs'
			// event hook payload (shortened).
			reference: 'https://developer.okta.com/docs/concepts/event-hooks/ (authentication header, payload example)',
			secrets: { secret: 'okta-hook-shared-secret-9c4e' },
			request: {
				body: '{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1","source":"https://dev-12345.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3","eventId":"b5a188b9-5ece-4636-b041-482ffda96311","data":{"events":[{"uuid":"7ca3d7a4-3c1b-11ec-9e6b-8f5c5c1f4b2e","published":"2021-11-02T22:15:14.000Z","eventType":"user.session.start","displayMessage":"User login to Okta"}]},"eventTime":"2021-11-02T22:15:14.000Z","contentType":"application/json"}',
				headers: { ...JSON_TYPE, authorization: 'okta-hook-shared-secret-9c4e' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'user.session.start', id: 'b5a188b9-5ece-4636-b041-482ffda96311' },
		},
		event: (key) => ({ body: json({ eventType: 'com.okta.event_hook', eventId: `ev-${key}`, data: { events: [{ eventType: 'user.lifecycle.create' }] } }), headers: JSON_TYPE }),
		eventType: 'user.lifecycle.create',
		handshakes: [
			{
				name: 'the one-time GET verification is answered with the challenge as {"verification"}',
				phase: 'unsigned',
				request: { method: 'GET', body: '', headers: { 'x-okta-verification-challenge': 'wKkYc0vEYDr_MI8V2f0rS9TIDq1Dk3YO0bfP1D5pmUU' } },
				expect: { status: 200, body: { verification: 'wKkYc0vEYDr_MI8V2f0rS9TIDq1Dk3YO0bfP1D5pmUU' } },
			},
		],
	},
];

testProviderGroup('identity', FIXTURES);

describe('Clerk: both directions with svix@1.99.1', () => {
	it('what svix signs verifies here (the vector, re-signed)', () => {
		expect(new SvixWebhook(CLERK.secret).sign(CLERK.id, new Date(Number(CLERK.timestamp) * 1000), CLERK.body)).toBe(CLERK.signature);
	});

	it('what the catalogue signs, svix verifies', () => {
		const now = Math.floor(Date.now() / 1000);
		const signed = providerSchemeById('clerk').sign!({ payload: Buffer.from(CLERK.body), key: CLERK.secret, timestampSeconds: now, id: 'msg_ours' });
		expect(new SvixWebhook(CLERK.secret).verify(CLERK.body, signed)).toEqual(JSON.parse(CLERK.body));
	});
});
