import { generateKeyPairSync } from 'node:crypto';

import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

import { ConcurrencyLimiter } from '../../../nodes/SignedWebhook/concurrencyLimiter';
import { systemClock } from '../../../nodes/SignedWebhook/deliver';
import { fanOut, type OutgoingItem } from '../../../nodes/SignedWebhook/fanOut';
import { createConnectionPool, sendAttempt } from '../../../nodes/SignedWebhook/httpAttempt';
import { eventHeaders, signatureHeaderNames, type SigningSetup } from '../../../nodes/SignedWebhook/signing';
import { SCHEMES } from '../../../nodes/shared/schemes/registry';
import type { IncomingWebhook, JwtAlgorithm, SigningSecrets, VerifyOptions } from '../../../nodes/shared/schemes/types';
import { startLocalReceiver, type LocalReceiver, type ReceivedRequest } from './localReceiver';

const HMAC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: { export(options: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') =>
	key.export({ type, format: 'pem' }).toString();

interface RoundTripCase {
	title: string;
	setup: SigningSetup;
	/** The credential, as both the sender (Signed Webhook) and the receiver (Secure Webhook Trigger) have it. */
	credential: SigningSecrets;
	/** The trigger's parameters for the same scheme. */
	verifyOptions?: Pick<VerifyOptions, 'hmac' | 'jwt'>;
}

function jwtCase(algorithm: JwtAlgorithm, secret: string, publicKey: string, extra: { tokenHeader?: string; issuer?: string; audience?: string } = {}): RoundTripCase {
	const jwt = { algorithm, tokenHeader: extra.tokenHeader ?? 'authorization', issuer: extra.issuer ?? '', audience: extra.audience ?? '', bodyHashClaim: 'body_sha256', expiresInSeconds: 300 };
	return {
		title: `jwt ${algorithm}${extra.tokenHeader ? ` in ${extra.tokenHeader}` : ''}${extra.issuer ? ' with iss/aud' : ''}`,
		setup: { scheme: 'jwt', key: secret, jwt },
		credential: { secret, publicKey },
		verifyOptions: { jwt: { tokenHeader: jwt.tokenHeader, algorithms: [algorithm], issuer: jwt.issuer, audience: jwt.audience, bodyHashClaim: 'body_sha256' } },
	};
}

const hmacOptions = (overrides: Partial<NonNullable<VerifyOptions['hmac']>>): NonNullable<VerifyOptions['hmac']> => ({
	algorithm: 'sha256',
	signatureHeader: 'x-signature',
	encoding: 'hex',
	prefix: '',
	timestampHeader: '',
	signedContent: '{body}',
	...overrides,
});

const CASES: RoundTripCase[] = [
	{ title: 'standardWebhooks', setup: { scheme: 'standardWebhooks', key: HMAC_SECRET }, credential: { secret: HMAC_SECRET } },
	{ title: 'github', setup: { scheme: 'github', key: 'gh-webhook-secret' }, credential: { secret: 'gh-webhook-secret' } },
	{ title: 'stripe', setup: { scheme: 'stripe', key: HMAC_SECRET }, credential: { secret: HMAC_SECRET } },
	...[
		hmacOptions({}),
		hmacOptions({ algorithm: 'sha512', encoding: 'base64', signatureHeader: 'x-hub-sig', prefix: 'sha512=' }),
		hmacOptions({ algorithm: 'sha1', encoding: 'base64url', timestampHeader: 'x-timestamp', signedContent: '{timestamp}.{body}' }),
	].map(
		(hmac): RoundTripCase => ({
			title: `hmac ${hmac.algorithm}/${hmac.encoding}${hmac.timestampHeader ? ' with timestamp' : ''}`,
			setup: { scheme: 'hmac', key: 'plain-shared-secret', hmac },
			credential: { secret: 'plain-shared-secret' },
			verifyOptions: { hmac },
		}),
	),
	jwtCase('HS256', 'jwt-shared-secret-of-some-length', ''),
	jwtCase('HS512', 'jwt-shared-secret-of-some-length', '', { tokenHeader: 'x-webhook-token', issuer: 'n8n', audience: 'receiver' }),
	jwtCase('RS256', pem(rsa.privateKey, 'pkcs8'), pem(rsa.publicKey, 'spki')),
	jwtCase('ES256', pem(ec.privateKey, 'pkcs8'), pem(ec.publicKey, 'spki')),
];

describe('round trip: the Signed Webhook node signs, the Secure Webhook Trigger verifies', () => {
	let receiver: LocalReceiver;

	beforeAll(async () => {
		receiver = await startLocalReceiver({ '/hook': () => ({ status: 200 }) });
	});

	afterAll(async () => {
		await receiver.close();
	});

	async function sendThroughTheWire(setup: SigningSetup, eventId: string): Promise<ReceivedRequest> {
		const payload = { type: 'invoice.paid', id: eventId, data: { amount: 1299, note: 'Grüße ✓' } };
		const body = Buffer.from(JSON.stringify(payload), 'utf8');
		const item: OutgoingItem = {
			itemIndex: 0,
			eventId,
			eventType: 'invoice.paid',
			payload,
			body,
			destinations: [`${receiver.url('/hook')}?tenant=a`],
			headers: { 'content-type': 'application/json', ...eventHeaders(setup.scheme, 'invoice.paid', eventId) },
			customHeaders: {},
		};
		const pool = createConnectionPool(1);
		try {
			const [outcome] = await fanOut(
				[item],
				{ method: 'POST', signing: setup, refuseNonPublic: false, policy: { schedule: { kind: 'explicit', delaysMs: [] }, retryAfterMaxMs: 0, timeBudgetMs: 0, timeoutMs: 2000 } },
				{
					send: async (request) => await sendAttempt({ ...request, maxResponseBytes: 1024, maxRedirects: 0, refuseNonPublic: false, pool }),
					limiter: new ConcurrencyLimiter(1),
					clock: systemClock,
					random: Math.random,
				},
			);
			expect(outcome.result.delivered).toBe(true);
		} finally {
			pool.destroy();
		}
		const received = receiver.requests.find((request) => request.headers['x-event-id'] === eventId || request.headers['x-github-delivery'] === eventId);
		if (!received) throw new Error('not received');
		return received;
	}

	const asIncoming = (request: ReceivedRequest, rawBody = request.body): IncomingWebhook => ({
		method: request.method,
		rawBody,
		headers: request.headers,
		url: `${request.path}?tenant=a`,
	});

	it.each(CASES.map((testCase) => [testCase.title, testCase] as const))('%s', async (_title, testCase) => {
		const eventId = `evt_${testCase.title.replace(/\W+/g, '_')}`;
		const request = await sendThroughTheWire(testCase.setup, eventId);
		const scheme = SCHEMES[testCase.setup.scheme];
		const options: VerifyOptions = { toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000), ...testCase.verifyOptions };

		const verification = scheme.verify(asIncoming(request), testCase.credential, options);
		expect(verification).toMatchObject({ ok: true });

		// The signature covers the bytes: one changed byte fails, so the check above is not vacuous.
		const tampered = Buffer.from(request.body);
		tampered[tampered.length - 2] ^= 0x01;
		expect(scheme.verify(asIncoming(request, tampered), testCase.credential, options)).toMatchObject({ ok: false });
		// Every header that carries the signature is known, so outputs can redact it.
		const names = signatureHeaderNames(testCase.setup);
		expect(names.some((name) => request.headers[name] !== undefined)).toBe(true);
	});

	// `none` verifies anything, so a round trip proves nothing; what matters is that nothing signature-like is sent.
	it('none: sends no signature header of any scheme, and a signing trigger refuses it', async () => {
		const request = await sendThroughTheWire({ scheme: 'none', key: '' }, 'evt_unsigned');
		const signatureHeaders = new Set(Object.values(SCHEMES).flatMap((scheme) => scheme.sensitiveHeaders));
		expect(Object.keys(request.headers).filter((name) => signatureHeaders.has(name))).toEqual([]);
		const options = { toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000) };
		expect(SCHEMES.standardWebhooks.verify(asIncoming(request), { secret: HMAC_SECRET }, options)).toMatchObject({ ok: false });
	});

	it('the trigger sees the event id and type the node sent', async () => {
		const request = await sendThroughTheWire({ scheme: 'standardWebhooks', key: HMAC_SECRET }, 'evt_describe');
		const verification = SCHEMES.standardWebhooks.verify(asIncoming(request), { secret: HMAC_SECRET }, { toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000) });
		if (!verification.ok) throw new Error('did not verify');
		expect(SCHEMES.standardWebhooks.describeEvent(asIncoming(request), JSON.parse(request.body.toString()), verification)).toEqual({ type: 'invoice.paid', id: 'evt_describe' });

		const github = await sendThroughTheWire({ scheme: 'github', key: 'gh-webhook-secret' }, 'evt_describe_gh');
		const githubVerification = SCHEMES.github.verify(asIncoming(github), { secret: 'gh-webhook-secret' }, { toleranceSeconds: 300, nowSeconds: 0 });
		if (!githubVerification.ok) throw new Error('did not verify');
		expect(SCHEMES.github.describeEvent(asIncoming(github), JSON.parse(github.body.toString()), githubVerification)).toEqual({ type: 'invoice.paid', id: 'evt_describe_gh' });
	});

	it('the default scheme verifies with the standardwebhooks library', async () => {
		const request = await sendThroughTheWire({ scheme: 'standardWebhooks', key: HMAC_SECRET }, 'evt_library');
		const headers = {
			'webhook-id': String(request.headers['webhook-id']),
			'webhook-timestamp': String(request.headers['webhook-timestamp']),
			'webhook-signature': String(request.headers['webhook-signature']),
		};
		expect(headers['webhook-id']).toBe('evt_library');
		expect(new Webhook(HMAC_SECRET).verify(request.body.toString('utf8'), headers)).toMatchObject({ type: 'invoice.paid', id: 'evt_library' });
		expect(() => new Webhook(HMAC_SECRET).verify(request.body.toString('utf8').replace('1299', '1298'), headers)).toThrow();
	});

	it('the stripe scheme verifies with stripe-node', async () => {
		const request = await sendThroughTheWire({ scheme: 'stripe', key: HMAC_SECRET }, 'evt_stripe_node');
		const stripe = new Stripe('sk_test_not_used_offline');
		const event = stripe.webhooks.constructEvent(request.body, String(request.headers['stripe-signature']), HMAC_SECRET);
		expect(event).toMatchObject({ type: 'invoice.paid', id: 'evt_stripe_node' });
	});
});
