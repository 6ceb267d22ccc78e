import { randomUUID } from 'node:crypto';

import { discordPublicKeyHex } from '../../nodes/shared/schemes/discord';
import { SCHEMES } from '../../nodes/shared/schemes/registry';
import type { SchemeName, SignInput } from '../../nodes/shared/schemes/types';

/** A demo credential and matching request signer for every scheme the trigger verifies. */
export interface SchemeFixture {
	scheme: Exclude<SchemeName, 'none'>;
	/** Extra trigger parameters the scheme needs. */
	parameters: Record<string, unknown>;
	credential: { secret: string; previousSecret: string; publicKey: string };
	contentType: string;
	/** A body whose event type the preset reads as `eventType`. */
	body: (eventType: string, id: string) => Buffer;
	eventType: string;
	sign: (payload: Buffer, options?: { key?: string; timestampSeconds?: number; id?: string; url?: string }) => Record<string, string>;
}

const whsec = 'whsec_' + Buffer.from('standard-webhooks-demo-secret-32b').toString('base64');
const discordSeed = 'a'.repeat(64);

function signer(scheme: SchemeName, base: Partial<SignInput>, defaultKey: string) {
	return (payload: Buffer, options: { key?: string; timestampSeconds?: number; id?: string; url?: string } = {}) =>
		SCHEMES[scheme].sign!({ ...base, payload, key: options.key ?? defaultKey, timestampSeconds: options.timestampSeconds, id: options.id ?? base.id, url: options.url ?? base.url });
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const cred = (secret: string, publicKey = '') => ({ secret, previousSecret: '', publicKey });

export function schemeFixtures(publicUrlBase: string): SchemeFixture[] {
	const hmacOptions = {
		algorithm: 'sha256' as const,
		signatureHeader: 'x-acme-signature',
		encoding: 'hex' as const,
		prefix: 'sha256=',
		timestampHeader: 'x-acme-timestamp',
		signedContent: '{timestamp}.{body}',
	};
	const jwtOptions = { tokenHeader: 'authorization', issuer: 'acme', audience: 'n8n', bodyHashClaim: 'body_sha256', algorithm: 'HS256' as const };
	return [
		{
			scheme: 'standardWebhooks', parameters: {}, credential: cred(whsec), contentType: 'application/json',
			eventType: 'response.completed', body: (type, id) => json({ type, data: { id } }),
			sign: (payload, o = {}) => signer('standardWebhooks', {}, whsec)(payload, { id: o.id ?? `msg_${payload.length}_${Math.random()}`, ...o }),
		},
		{
			scheme: 'stripe', parameters: {}, credential: cred('whsec_stripe_demo_secret'), contentType: 'application/json',
			eventType: 'payment_intent.succeeded', body: (type, id) => json({ id, type, object: 'event' }),
			sign: signer('stripe', {}, 'whsec_stripe_demo_secret'),
		},
		{
			scheme: 'github', parameters: {}, credential: cred('github-demo-secret'), contentType: 'application/json',
			eventType: 'issues.opened', body: (_type, id) => json({ action: 'opened', issue: { number: 1 }, _delivery: id }),
			sign: (payload, o = {}) => ({ ...signer('github', {}, 'github-demo-secret')(payload, o), 'x-github-event': 'issues', 'x-github-delivery': o.id ?? `d-${Math.random()}` }),
		},
		{
			scheme: 'slack', parameters: {}, credential: cred('slack-demo-signing-secret'), contentType: 'application/json',
			eventType: 'app_mention', body: (type, id) => json({ type: 'event_callback', event_id: id, event: { type, text: 'hi' } }),
			sign: signer('slack', {}, 'slack-demo-signing-secret'),
		},
		{
			scheme: 'shopify', parameters: {}, credential: cred('shopify-demo-secret'), contentType: 'application/json',
			eventType: 'orders/create', body: (_type, id) => json({ id, total_price: '10.00' }),
			sign: (payload, o = {}) => ({ ...signer('shopify', {}, 'shopify-demo-secret')(payload, o), 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': o.id ?? `w-${Math.random()}` }),
		},
		{
			scheme: 'meta', parameters: { verifyToken: 'meta-verify' }, credential: cred('meta-app-secret'), contentType: 'application/json',
			eventType: 'whatsapp_business_account.messages',
			body: (_type, id) => json({ object: 'whatsapp_business_account', entry: [{ id, changes: [{ field: 'messages', value: { text: 'caf\u00e9' } }] }] }),
			sign: signer('meta', {}, 'meta-app-secret'),
		},
		{
			scheme: 'twilio', parameters: { publicUrl: `${publicUrlBase}` }, credential: cred('twilio-auth-token'), contentType: 'application/x-www-form-urlencoded',
			eventType: 'received', body: (type, id) => Buffer.from(new URLSearchParams({ MessageSid: id, SmsStatus: type, Body: 'Hello é' }).toString()),
			sign: (payload, o = {}) => signer('twilio', { url: publicUrlBase }, 'twilio-auth-token')(payload, o),
		},
		{
			scheme: 'zoom', parameters: {}, credential: cred('zoom-secret-token'), contentType: 'application/json',
			eventType: 'meeting.started', body: (type, id) => json({ event: type, event_ts: 1, payload: { object: { uuid: id } } }),
			sign: signer('zoom', {}, 'zoom-secret-token'),
		},
		{
			scheme: 'discord', parameters: {}, credential: cred('', discordPublicKeyHex(discordSeed)), contentType: 'application/json',
			eventType: '2', body: (_type, id) => json({ id, type: 2, data: { name: 'ping' } }),
			sign: signer('discord', {}, discordSeed),
		},
		{
			scheme: 'gitlab', parameters: {}, credential: cred('gitlab-token'), contentType: 'application/json',
			eventType: 'issue', body: (type) => json({ object_kind: type }),
			sign: (payload, o = {}) => ({ ...signer('gitlab', {}, 'gitlab-token')(payload, o), 'x-gitlab-event-uuid': o.id ?? `g-${Math.random()}` }),
		},
		{
			scheme: 'hmac',
			parameters: { hmacSignatureHeader: hmacOptions.signatureHeader, hmacPrefix: hmacOptions.prefix, hmacTimestampHeader: hmacOptions.timestampHeader, hmacSignedContent: hmacOptions.signedContent, eventTypePath: 'type', eventIdPath: 'id' },
			credential: cred('hmac-demo-secret'), contentType: 'application/json',
			eventType: 'lead.scored', body: (type, id) => json({ id, type, score: 0.9 }),
			sign: signer('hmac', { hmac: hmacOptions }, 'hmac-demo-secret'),
		},
		{
			scheme: 'jwt',
			parameters: { jwtIssuer: 'acme', jwtAudience: 'n8n', jwtBodyHashClaim: 'body_sha256', eventTypePath: 'type', eventIdPath: 'id' },
			credential: cred('jwt-demo-hs256-secret-of-enough-length'), contentType: 'application/json',
			eventType: 'lead.scored', body: (type, id) => json({ id, type }),
			sign: signer('jwt', { jwt: jwtOptions }, 'jwt-demo-hs256-secret-of-enough-length'),
		},
	];
}

/**
 * A GitHub `issues` delivery signed with `secret` (the package's own signer), with `id` as its X-GitHub-Delivery: the
 * event id the trigger de-duplicates on. For tests about the trigger's state rather than about a scheme.
 */
export function githubDelivery(secret: string, id: string = randomUUID()): { body: string; headers: Record<string, string> } {
	const body = JSON.stringify({ action: 'opened', issue: { number: 1 }, delivery: id });
	return {
		body,
		headers: {
			'content-type': 'application/json',
			'x-github-event': 'issues',
			'x-github-delivery': id,
			...SCHEMES.github.sign!({ payload: Buffer.from(body), key: secret }),
		},
	};
}
