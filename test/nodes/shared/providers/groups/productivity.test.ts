import { verify as verifyToken } from 'jsonwebtoken';

import { PROVIDERS, providerById, providerSchemeById } from '../../../../../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../../../../../nodes/shared/providers/providerScheme';
import { answerHandshake } from '../../../../../nodes/SecureWebhookTrigger/handshakes';
import { incoming, parsedBody, testProvider, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { 'content-type': 'application/json' };

/** One fixture per entry of the productivity group; research notes: /work/team/providers/<id>.md. */
const FIXTURES: ProviderFixture[] = [
	{
		provider: 'typeform',
		vector: {
			source: 'docs',
			// https://www.typeform.com/developers/webhooks/secure-your-webhooks/: "sha256=" + base64 HMAC-SHA256 of the payload
			// with the webhook's secret; the docs' example payload (shortened), computed with Python's hmac.
			reference: 'https://www.typeform.com/developers/webhooks/secure-your-webhooks/, example payload, computed with Python hmac',
			secrets: { secret: 'typeform-webhook-secret-6h7j' },
			request: {
				body: '{"event_id":"01H0N4Y5QJ8T2V3W4X5Y6Z7A8B","event_type":"form_response","form_response":{"form_id":"lT4Z3j","token":"a3a12ec67a1365927098a606107fac15","submitted_at":"2018-01-18T18:17:02Z","landed_at":"2018-01-18T18:07:02Z","definition":{"id":"lT4Z3j","title":"Webhooks example"},"answers":[{"type":"text","text":"It\'s cold right now! I\'m freezing","field":{"id":"DlXFaesGBpoF","type":"long_text"}}]}}',
				headers: { ...JSON_TYPE, 'typeform-signature': 'sha256=LUwwQDLQz++WQ5v+tuIilgA9n4mGQI3sIcmklvIWmcA=' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'form_response', id: '01H0N4Y5QJ8T2V3W4X5Y6Z7A8B' },
		},
		event: (key) => ({ body: json({ event_id: `ev-${key}`, event_type: 'form_response', form_response: { form_id: 'lT4Z3j', token: key } }), headers: JSON_TYPE }),
		eventType: 'form_response',
	},
	{
		provider: 'calendly',
		vector: {
			source: 'docs',
			// https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures: Calendly-Webhook-Signature
			// "t=<unix>,v1=<hex HMAC-SHA256 of t.body>"; an invitee.created payload (shortened), computed with Python's hmac.
			reference: 'https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures, invitee.created payload, computed with Python hmac',
			secrets: { secret: 'calendly-signing-key-3r4t' },
			request: {
				body: '{"created_at":"2020-11-23T17:51:19.000000Z","created_by":"https://api.calendly.com/users/AAAAAAAAAAAAAAAA","event":"invitee.created","payload":{"email":"test@example.com","name":"John Doe","uri":"https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA","status":"active"}}',
				headers: { ...JSON_TYPE, 'calendly-webhook-signature': 't=1606153879,v1=bfc1bf466d7aa6590453c84e8e5d04d0800978e9a4c2877b9960d55e27b37979' },
			},
			nowSeconds: 1606153879 + 20,
			expected: {
				type: 'invitee.created',
				id: 'invitee.created:2020-11-23T17:51:19.000000Z:https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
			},
		},
		event: (key) => ({
			body: json({ created_at: '2024-01-01T00:00:00.000000Z', event: 'invitee.canceled', payload: { uri: `https://api.calendly.com/scheduled_events/E/invitees/${key}` } }),
			headers: JSON_TYPE,
		}),
		eventType: 'invitee.canceled',
	},
	{
		provider: 'calCom',
		vector: {
			source: 'docs',
			// https://cal.com/docs (webhooks): X-Cal-Signature-256 is the hex HMAC-SHA256 of the body with the webhook secret;
			// a BOOKING_CREATED payload (shortened), computed with Python's hmac.
			reference: 'https://cal.com/docs webhooks, BOOKING_CREATED payload, computed with Python hmac',
			secrets: { secret: 'calcom-webhook-secret-e4f5' },
			request: {
				body: '{"triggerEvent":"BOOKING_CREATED","createdAt":"2023-05-24T09:30:00.538Z","payload":{"type":"60min","title":"60 Min Meeting between Pro Example and John Doe","startTime":"2023-05-25T09:30:00Z","endTime":"2023-05-25T10:30:00Z","uid":"bFJeNb2uX8ANpT3JL5EfXw","bookingId":91,"status":"ACCEPTED"}}',
				headers: { ...JSON_TYPE, 'x-cal-signature-256': '9edc3545215780c8181afb15c039e45844f22c5733e075037e62d646fbe4a49f' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'BOOKING_CREATED', id: 'BOOKING_CREATED:bFJeNb2uX8ANpT3JL5EfXw:2023-05-24T09:30:00.538Z' },
		},
		event: (key) => ({ body: json({ triggerEvent: 'BOOKING_CANCELLED', createdAt: '2024-01-01T00:00:00.000Z', payload: { uid: key } }), headers: JSON_TYPE }),
		eventType: 'BOOKING_CANCELLED',
	},
	{
		provider: 'asana',
		vector: {
			source: 'docs',
			// https://developers.asana.com/docs/webhooks-guide: X-Hook-Signature is the hex HMAC-SHA256 of the body with the
			// X-Hook-Secret of the handshake; the guide's event example, computed with Python's hmac and a made-up secret.
			reference: 'https://developers.asana.com/docs/webhooks-guide, event example, computed with Python hmac',
			secrets: { secret: '7d9a01e2c5f3b8a46e0d1c2b3a4f5e6d' },
			request: {
				body: '{"events":[{"user":{"gid":"1516136921011016","resource_type":"user"},"created_at":"2022-02-21T17:44:11.539Z","action":"changed","resource":{"gid":"1201838429491342","resource_type":"task","resource_subtype":"default_task"},"parent":null,"change":{"field":"name","action":"changed"}}]}',
				headers: { ...JSON_TYPE, 'x-hook-signature': 'a63c1ebbe7ad7a448c71854a2bf7901eaa333371b6b247bb62ade6c3b1131089' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'task.changed', id: '48ad64645adb6b10add9c0561270c8096bf4a8c317c6401b7cad0b01d3f34ef5' },
		},
		// A retry resends the same batch.
		event: (key) => ({ body: json({ events: [{ action: 'added', resource: { gid: key, resource_type: 'story' }, created_at: '2024-01-01T00:00:00.000Z' }] }), headers: JSON_TYPE }),
		eventType: 'story.added',
		handshakes: [
			{
				name: 'the X-Hook-Secret handshake is answered 200 with the same header',
				phase: 'unsigned',
				request: { method: 'POST', body: '', headers: { 'x-hook-secret': 'b537207f20cbfa02357cf448134da559' } },
				expect: { status: 200, headers: { 'x-hook-secret': 'b537207f20cbfa02357cf448134da559' } },
			},
		],
	},
	{
		provider: 'clickUp',
		vector: {
			source: 'docs',
			// https://developer.clickup.com/docs/webhooksignature: X-Signature is the hex HMAC-SHA256 of the body with the
			// webhook's secret; a taskCreated payload as in the docs, computed with Python's hmac.
			reference: 'https://developer.clickup.com/docs/webhooksignature, taskCreated payload, computed with Python hmac',
			secrets: { secret: 'clickup-webhook-secret-0q9w' },
			request: {
				body: '{"event":"taskCreated","history_items":[{"id":"2800763136717140857","type":1,"date":"1642734631523","field":"status","user":{"id":183,"username":"John"}}],"task_id":"1vj37mc","webhook_id":"7fa3ec74-69a8-4530-a251-8a13730bd204"}',
				headers: { ...JSON_TYPE, 'x-signature': '7e30a4e70f0318b7355e588a194cac7e999aea3e6602c74e914672f1e6d77255' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'taskCreated', id: 'taskCreated:2800763136717140857' },
		},
		event: (key) => ({ body: json({ event: 'taskStatusUpdated', history_items: [{ id: `hist-${key}`, field: 'status' }], task_id: '1vj37mc' }), headers: JSON_TYPE }),
		eventType: 'taskStatusUpdated',
	},
];

/** monday.com app webhooks (jwt, pending): its own checks below. */
const MONDAY_URL = 'https://hooks.example.com/webhook/monday';

const MONDAY: ProviderFixture = {
	provider: 'monday',
	vector: {
		source: 'docs',
		// https://developer.monday.com/apps/docs/integration-authorization: a bare HS256 JWT in Authorization, signed with the
		// app's Signing Secret, aud = the webhook URL; made with jsonwebtoken 9 (iat 1700000000, exp +300 s).
		reference: 'https://developer.monday.com/apps/docs/integration-authorization, token made with jsonwebtoken',
		secrets: { secret: 'monday-app-signing-secret-2b7c' },
		request: {
			body: '{"event":{"app":"monday","type":"update_column_value","triggerTime":"2021-10-11T09:07:28.210Z","subscriptionId":73759690,"userId":4012689,"boardId":1771812698,"pulseId":1772099344,"columnId":"status","triggerUuid":"b5ed2e17c530f43668de130142445cba"}}',
			headers: {
				...JSON_TYPE,
				authorization:
					'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2NvdW50SWQiOjE4MjU1MjgsInVzZXJJZCI6NDAxMjY4OSwiYXVkIjoiaHR0cHM6Ly9ob29rcy5leGFtcGxlLmNvbS93ZWJob29rL21vbmRheSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwMzAwfQ.YNGBFM6XStz_yu2ljNZVlSHAbEgkkdIMdd7EPy-BU90',
			},
		},
		nowSeconds: 1_700_000_010,
		expected: { type: 'update_column_value', id: 'b5ed2e17c530f43668de130142445cba' },
	},
	// The node's Audience setting: the webhook URL the app registered (the token's aud).
	options: { audience: MONDAY_URL },
	signInput: { jwtClaims: { aud: MONDAY_URL } },
	event: (key) => ({ body: json({ event: { type: 'create_item', triggerUuid: `uuid-${key}`, boardId: 1 } }), headers: JSON_TYPE }),
	eventType: 'create_item',
	handshakes: [
		{
			name: 'the {"challenge"} request is echoed as JSON',
			phase: 'unsigned',
			request: { method: 'POST', body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}', headers: JSON_TYPE },
			expect: { status: 200, body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' } },
		},
	],
};

describe('provider group Productivity', () => {
	it('has one fixture per catalogue entry of the group', () => {
		const entries = PROVIDERS.filter((entry) => entry.group === 'productivity').map((entry) => entry.id).sort();
		expect([...FIXTURES, MONDAY].map((fixture) => fixture.provider).sort()).toEqual(entries);
	});

	it('offers every entry (none is pending)', () => {
		for (const fixture of [...FIXTURES, MONDAY]) expect(isProviderAvailable(providerById(fixture.provider)!)).toBe(true);
	});

	for (const fixture of [...FIXTURES, MONDAY]) testProvider(fixture);
});

describe('monday.com: a bare token in Authorization, aud = the webhook URL', () => {
	const entry = providerById('monday')!;
	const { headers } = MONDAY.vector.request;
	const verify = (token: string, secret: string, audience: string, now: number) =>
		verifyToken(token, secret, { algorithms: ['HS256'], audience, clockTimestamp: now });
	const verifyHere = async (authorization: string, audience: string) =>
		await providerSchemeById('monday').verify(incoming({ ...MONDAY.vector.request, headers: { ...headers, authorization } }), MONDAY.vector.secrets, {
			nowSeconds: MONDAY.vector.nowSeconds,
			toleranceSeconds: 300,
			audience,
		});

	it('describes the token: Authorization without Bearer, HS256 with the signing secret, the configured audience', () => {
		expect(entry.signature).toMatchObject({ kind: 'jwt', token: { header: 'authorization', bearer: 'optional' }, algorithms: ['HS256'], audience: 'configured' });
		expect(entry.settings).toContain('audience');
	});

	it(`its ${MONDAY.vector.source} vector is a token of the signing secret for the webhook URL, and only for it`, () => {
		expect(verify(headers.authorization, MONDAY.vector.secrets.secret, MONDAY_URL, MONDAY.vector.nowSeconds)).toMatchObject({ aud: MONDAY_URL, exp: 1700000300 });
		expect(() => verify(headers.authorization, MONDAY.vector.secrets.secret, 'https://other.example.com/webhook/monday', MONDAY.vector.nowSeconds)).toThrow();
		expect(() => verify(headers.authorization, 'another-secret', MONDAY_URL, MONDAY.vector.nowSeconds)).toThrow();
		expect(() => verify(headers.authorization, MONDAY.vector.secrets.secret, MONDAY_URL, 1700000300 + 1)).toThrow();
	});

	it('the trigger accepts the bare token and "Bearer <token>", refuses another audience, and verifies nothing while Audience is empty', async () => {
		expect((await verifyHere(headers.authorization, MONDAY_URL)).ok).toBe(true);
		expect((await verifyHere(`Bearer ${headers.authorization}`, MONDAY_URL)).ok).toBe(true);
		expect(await verifyHere(headers.authorization, 'https://other.example.com/webhook/monday')).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verifyHere(headers.authorization, '')).toEqual({ ok: false, reason: 'missing_key' });
	});

	it('answers the challenge as the trigger will (an echo, before any signature)', () => {
		const handshake = MONDAY.handshakes![0];
		const request = incoming(handshake.request);
		const answer = answerHandshake(entry.handshakes, 'unsigned', { ...request, body: parsedBody(request) }, { verifyToken: '' });
		expect(answer?.status).toBe(200);
		expect(answer?.body).toEqual(handshake.expect.body);
	});
});
