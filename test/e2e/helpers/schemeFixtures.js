'use strict';

const { randomBytes, randomUUID } = require('node:crypto');

const { signing } = require('./package');

/**
 * One fixture per scheme preset: the credential the trigger uses, its parameters, how a provider would
 * send an event (body, content type, extra headers) and which headers carry the signature. Requests are
 * signed with the package's own `SCHEMES.<name>.sign`, the helpers senders and the README use.
 *
 * `event({ id, type })` returns `{ payload: Buffer, contentType, headers, expected }`, where `expected` is
 * what the item's `event`/`id` must be. `tamper(payload)` changes the body but keeps it valid for its
 * content type (n8n itself answers 422 to JSON that does not parse, before the node runs).
 */

const json = (value) => Buffer.from(JSON.stringify(value));
const hex = (bytes) => randomBytes(bytes).toString('hex');
const tamperJson = (payload) => {
	const value = JSON.parse(payload.toString('utf8'));
	value.tampered = true;
	return json(value);
};

const HMAC_OPTIONS = {
	algorithm: 'sha256',
	signatureHeader: 'x-signature',
	encoding: 'hex',
	prefix: 'sha256=',
	timestampHeader: 'x-timestamp',
	signedContent: '{timestamp}.{body}',
};

const JWT_OPTIONS = { tokenHeader: 'authorization', issuer: 'e2e-sender', audience: 'e2e-receiver', bodyHashClaim: 'body_sha256' };

function standardWebhooksSecret() {
	return `whsec_${randomBytes(32).toString('base64')}`;
}

const FIXTURES = {
	standardWebhooks: {
		newKey: standardWebhooksSecret,
		credential: (key) => ({ secret: key }),
		parameters: { events: 'response.completed' },
		signatureHeaders: ['webhook-signature'],
		timestamped: true,
		acceptedType: 'response.completed',
		filteredType: 'response.failed',
		event: ({ id, type }) => ({
			payload: json({ object: 'event', type, created_at: Math.floor(Date.now() / 1000), data: { id: `resp_${hex(6)}` } }),
			contentType: 'application/json',
			headers: {},
			signId: id,
			expected: { event: type, id },
		}),
	},
	stripe: {
		newKey: () => `whsec_${hex(16)}`,
		credential: (key) => ({ secret: key }),
		parameters: { events: 'payment_intent.succeeded' },
		signatureHeaders: ['stripe-signature'],
		timestamped: true,
		acceptedType: 'payment_intent.succeeded',
		filteredType: 'charge.refunded',
		event: ({ id, type }) => ({
			payload: json({ id, object: 'event', type, data: { object: { id: `pi_${hex(6)}`, amount: 2000, currency: 'usd' } } }),
			contentType: 'application/json',
			headers: {},
			expected: { event: type, id },
		}),
	},
	github: {
		newKey: () => hex(20),
		credential: (key) => ({ secret: key }),
		parameters: { events: 'issues.opened' },
		signatureHeaders: ['x-hub-signature-256'],
		timestamped: false,
		acceptedType: 'opened',
		filteredType: 'closed',
		event: ({ id, type }) => ({
			payload: json({ action: type, issue: { number: 7, title: 'Webhook test' }, repository: { full_name: 'acme/app' } }),
			contentType: 'application/json',
			headers: { 'x-github-event': 'issues', 'x-github-delivery': id },
			expected: { event: `issues.${type}`, id },
		}),
	},
	slack: {
		newKey: () => hex(16),
		credential: (key) => ({ secret: key }),
		parameters: { events: 'app_mention' },
		signatureHeaders: ['x-slack-signature'],
		timestamped: true,
		acceptedType: 'app_mention',
		filteredType: 'message',
		event: ({ id, type }) => ({
			payload: json({ type: 'event_callback', event_id: id, team_id: 'T1', event: { type, text: 'hi', user: 'U1' } }),
			contentType: 'application/json',
			headers: {},
			expected: { event: type, id },
		}),
	},
	shopify: {
		newKey: () => hex(16),
		credential: (key) => ({ secret: key }),
		parameters: { events: 'orders/create' },
		signatureHeaders: ['x-shopify-hmac-sha256'],
		timestamped: false,
		acceptedType: 'orders/create',
		filteredType: 'orders/cancelled',
		event: ({ id, type }) => ({
			payload: json({ id: 820982911946154500, email: 'jon@example.com', total_price: '10.00' }),
			contentType: 'application/json',
			headers: { 'x-shopify-topic': type, 'x-shopify-webhook-id': id, 'x-shopify-shop-domain': 'acme.myshopify.com' },
			expected: { event: type, id },
		}),
	},
	meta: {
		newKey: () => hex(16),
		credential: (key) => ({ secret: key }),
		parameters: { events: 'whatsapp_business_account.messages', verifyToken: 'e2e-verify-token' },
		signatureHeaders: ['x-hub-signature-256'],
		timestamped: false,
		// Meta notifications carry no event id: duplicates cannot be recognised.
		hasEventId: false,
		acceptedType: 'messages',
		filteredType: 'statuses',
		event: ({ type }) => ({
			payload: json({
				object: 'whatsapp_business_account',
				entry: [{ id: '102290129340398', changes: [{ field: type, value: { messaging_product: 'whatsapp' } }] }],
			}),
			contentType: 'application/json',
			headers: {},
			expected: { event: `whatsapp_business_account.${type}`, id: null },
		}),
	},
	twilio: {
		newKey: () => hex(16),
		credential: (key) => ({ secret: key }),
		// publicUrl is filled in with the workflow's production URL.
		parameters: { events: 'delivered' },
		options: { allowedContentTypes: 'application/x-www-form-urlencoded' },
		signatureHeaders: ['x-twilio-signature'],
		timestamped: false,
		signsUrl: true,
		acceptedType: 'delivered',
		filteredType: 'failed',
		// The id is the request's I-Twilio-Idempotency-Token, which Twilio's retries keep; MessageSid is shared by every
		// status callback of one message.
		event: ({ id, type }) => ({
			payload: Buffer.from(new URLSearchParams({ MessageSid: `SM${id}`, MessageStatus: type, To: '+15005550006', From: '+15005550001' }).toString()),
			contentType: 'application/x-www-form-urlencoded',
			headers: { 'i-twilio-idempotency-token': id },
			expected: { event: type, id },
		}),
		tamper: (payload) => {
			const form = new URLSearchParams(payload.toString('utf8'));
			form.set('To', '+15005550009');
			return Buffer.from(form.toString());
		},
	},
	zoom: {
		newKey: () => hex(16),
		credential: (key) => ({ secret: key }),
		parameters: { events: 'meeting.started' },
		signatureHeaders: ['x-zm-signature'],
		timestamped: true,
		// Zoom events carry no delivery id: duplicates cannot be recognised.
		hasEventId: false,
		acceptedType: 'meeting.started',
		filteredType: 'meeting.ended',
		event: ({ type }) => ({
			payload: json({ event: type, event_ts: Date.now(), payload: { account_id: 'acc', object: { id: '85746065' } } }),
			contentType: 'application/json',
			headers: {},
			expected: { event: type, id: null },
		}),
	},
	discord: {
		// The sender's Ed25519 private key (seed); the credential holds the public key Discord shows.
		newKey: () => hex(32),
		credential: (key) => ({ secret: '', publicKey: signing().discordPublicKeyHex(key) }),
		parameters: { events: '2' },
		signatureHeaders: ['x-signature-ed25519'],
		timestamped: true,
		matched: 'publicKey',
		acceptedType: 2,
		filteredType: 3,
		event: ({ id, type }) => ({
			payload: json({ id, type, application_id: '111', token: 'interaction-token', data: { name: 'ping' } }),
			contentType: 'application/json',
			headers: {},
			expected: { event: String(type), id },
		}),
	},
	gitlab: {
		newKey: () => hex(16),
		credential: (key) => ({ secret: key }),
		parameters: { events: 'issue' },
		signatureHeaders: ['x-gitlab-token'],
		timestamped: false,
		// GitLab sends a shared token, not a signature over the body: a changed body cannot be detected.
		signsBody: false,
		acceptedType: 'issue',
		filteredType: 'merge_request',
		event: ({ id, type }) => ({
			payload: json({ object_kind: type, event_type: type, object_attributes: { action: 'open', iid: 3 } }),
			contentType: 'application/json',
			headers: { 'x-gitlab-event': 'Issue Hook', 'x-gitlab-event-uuid': id },
			expected: { event: type, id },
		}),
	},
	hmac: {
		newKey: () => hex(32),
		credential: (key) => ({ secret: key }),
		parameters: {
			events: 'order.paid',
			hmacAlgorithm: HMAC_OPTIONS.algorithm,
			hmacSignatureHeader: HMAC_OPTIONS.signatureHeader,
			hmacEncoding: HMAC_OPTIONS.encoding,
			hmacPrefix: HMAC_OPTIONS.prefix,
			hmacTimestampHeader: HMAC_OPTIONS.timestampHeader,
			hmacSignedContent: HMAC_OPTIONS.signedContent,
			eventTypePath: 'type',
			eventIdPath: 'id',
		},
		signOptions: { hmac: HMAC_OPTIONS },
		signatureHeaders: [HMAC_OPTIONS.signatureHeader],
		timestamped: true,
		acceptedType: 'order.paid',
		filteredType: 'order.refunded',
		event: ({ id, type }) => ({
			payload: json({ id, type, amount: 42 }),
			contentType: 'application/json',
			headers: {},
			expected: { event: type, id },
		}),
	},
	jwt: {
		newKey: () => hex(32),
		credential: (key) => ({ secret: key }),
		parameters: {
			events: 'document.ready',
			jwtTokenHeader: JWT_OPTIONS.tokenHeader,
			jwtAlgorithms: ['HS256'],
			jwtIssuer: JWT_OPTIONS.issuer,
			jwtAudience: JWT_OPTIONS.audience,
			jwtBodyHashClaim: JWT_OPTIONS.bodyHashClaim,
			eventTypePath: 'type',
			eventIdPath: 'id',
		},
		signOptions: { jwt: { ...JWT_OPTIONS, algorithm: 'HS256', expiresInSeconds: 300 } },
		signatureHeaders: ['authorization'],
		// No signed request timestamp, but `exp`: a token issued an hour ago has expired.
		timestamped: true,
		acceptedType: 'document.ready',
		filteredType: 'document.failed',
		event: ({ id, type }) => ({
			payload: json({ id, type, document: { pages: 3 } }),
			contentType: 'application/json',
			headers: {},
			expected: { event: type, id },
		}),
	},
};

/** Signs `payload` as the provider would, with the package's helper for `scheme`. */
function signFor(scheme, fixture, { payload, key, timestampSeconds, id, url }) {
	return signing().SCHEMES[scheme].sign({ payload, key, timestampSeconds, id, url, ...(fixture.signOptions ?? {}) });
}

/**
 * A ready-to-send request for `scheme`: `{ body, headers, expected }`. `overrides` change the key, the
 * timestamp, or tamper with the body after signing.
 */
function signedRequest(scheme, { key, url, id = `evt_${randomUUID()}`, type, timestampSeconds = Math.floor(Date.now() / 1000), tamper = false }) {
	const fixture = FIXTURES[scheme];
	const event = fixture.event({ id, type: type ?? fixture.acceptedType });
	const signatureHeaders = signFor(scheme, fixture, { payload: event.payload, key, timestampSeconds, id: event.signId ?? id, url });
	const body = tamper ? (fixture.tamper ?? tamperJson)(event.payload) : event.payload;
	return {
		body,
		headers: { 'content-type': event.contentType, ...event.headers, ...signatureHeaders },
		expected: { ...event.expected, payload: event.payload, contentType: event.contentType, timestampSeconds },
	};
}

const SCHEME_PRESETS = Object.keys(FIXTURES);

module.exports = { FIXTURES, SCHEME_PRESETS, signedRequest, signFor, standardWebhooksSecret };
