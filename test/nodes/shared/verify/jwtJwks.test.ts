import { createHash, generateKeyPairSync } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import { sign as signToken } from 'jsonwebtoken';
import type { Algorithm, SignOptions } from 'jsonwebtoken';

import { JwksCache } from '../../../../nodes/shared/verify/jwks';
import { readToken, verifyJwtWithJwks, type JwksJwtOptions, type TokenLocation } from '../../../../nodes/shared/verify/jwtJwks';

import { json, startHttpKeyServer, text, type KeyServer } from './keyServer';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });

const NOW = 1_764_259_200;

function jwk(key: KeyObject, kid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { ...(key.export({ format: 'jwk' }) as JsonWebKey), kid, ...extra };
}

function token(claims: Record<string, unknown>, privateKey: KeyObject, algorithm: Algorithm, header: Record<string, unknown> = { kid: 'rsa' }, options: SignOptions = {}): string {
	return signToken({ iat: NOW, exp: NOW + 300, ...claims }, privateKey, { algorithm, header: { alg: algorithm, ...header }, ...options });
}

function bearer(value: string): Record<string, string> {
	return { authorization: `Bearer ${value}` };
}

describe('jwtJwks: reading the token', () => {
	it.each<[Record<string, string | string[]>, TokenLocation, unknown]>([
		[{ authorization: 'Bearer a.b.c' }, { header: 'authorization' }, { token: 'a.b.c' }],
		[{ authorization: 'bearer \t a.b.c ' }, { header: 'Authorization' }, { token: 'a.b.c' }],
		[{ authorization: 'a.b.c' }, { header: 'authorization' }, { ok: false, reason: 'malformed_signature' }],
		[{ authorization: 'a.b.c' }, { header: 'authorization', bearer: 'optional' }, { token: 'a.b.c' }],
		[{ 'x-token': 'a.b.c' }, { header: 'X-Token' }, { token: 'a.b.c' }],
		[{ 'x-token': 'Bearer a.b.c' }, { header: 'x-token' }, { token: 'a.b.c' }],
		[{ 'x-token': 'a.b.c' }, { header: 'x-token', bearer: 'required' }, { ok: false, reason: 'malformed_signature' }],
		[{ 'x-token': 'Basic a.b.c' }, { header: 'x-token' }, { ok: false, reason: 'malformed_signature' }],
		[{}, { header: 'authorization' }, { ok: false, reason: 'missing_signature' }],
		[{ authorization: '  ' }, { header: 'authorization' }, { ok: false, reason: 'missing_signature' }],
		[{ authorization: ['Bearer a.b.c', 'Bearer d.e.f'] }, { header: 'authorization' }, { ok: false, reason: 'malformed_signature' }],
	])('%j with %j', (headers, location, expected) => {
		expect(readToken(headers, location)).toEqual(expected);
	});
});

describe('verifyJwtWithJwks against a real loopback JWKS server', () => {
	let server: KeyServer;
	let cache: JwksCache;
	let options: JwksJwtOptions;

	beforeAll(async () => {
		server = await startHttpKeyServer();
		server.routes.set(
			'/jwks',
			json({
				keys: [
					jwk(rsa.publicKey, 'rsa'),
					jwk(p256.publicKey, 'p256'),
					jwk(p384.publicKey, 'p384'),
					jwk(rsa.publicKey, 'rs384-only', { alg: 'RS384' }),
				],
			}),
		);
		server.routes.set('/down', text('down', 503));
	});
	afterAll(async () => await server.close());
	beforeEach(() => {
		cache = new JwksCache({ allowLoopbackHttp: true, timeoutMs: 2000 });
		options = { jwksUrl: `${server.origin}/jwks`, algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'RS384'], nowSeconds: NOW };
	});

	const verify = async (headers: Record<string, string | string[]>, overrides: Partial<JwksJwtOptions> = {}) =>
		await verifyJwtWithJwks(headers, { ...options, ...overrides }, cache);

	it.each([
		['RS256', rsa.privateKey, 'rsa'],
		['PS256', rsa.privateKey, 'rsa'],
		['ES256', p256.privateKey, 'p256'],
		['ES384', p384.privateKey, 'p384'],
	] as const)('accepts %s signed by the key its kid names', async (algorithm, privateKey, kid) => {
		const result = await verify(bearer(token({ sub: 'a', jti: 'evt-1' }, privateKey, algorithm, { kid })));
		expect(result).toEqual({
			ok: true,
			claims: { sub: 'a', jti: 'evt-1', iat: NOW, exp: NOW + 300 },
			kid,
			algorithm,
			id: 'evt-1',
			timestamp: NOW,
		});
	});

	it('reads the token from any header, with or without Bearer', async () => {
		const value = token({}, rsa.privateKey, 'RS256');
		expect((await verify({ 'x-goog-token': value }, { token: { header: 'X-Goog-Token' } })).ok).toBe(true);
		expect((await verify({ 'x-goog-token': `Bearer ${value}` }, { token: { header: 'x-goog-token' } })).ok).toBe(true);
		expect(await verify({ authorization: value })).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(await verify({})).toEqual({ ok: false, reason: 'missing_signature' });
	});

	it('refuses a token signed by another key under a known kid', async () => {
		expect(await verify(bearer(token({}, otherRsa.privateKey, 'RS256')))).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('refuses a tampered payload', async () => {
		const [header, , signature] = token({ sub: 'a' }, rsa.privateKey, 'RS256').split('.');
		const forged = Buffer.from(JSON.stringify({ sub: 'admin', iat: NOW, exp: NOW + 300 })).toString('base64url');
		expect(await verify(bearer(`${header}.${forged}.${signature}`))).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('refuses algorithms outside the allow-list before fetching anything', async () => {
		const hits = server.hitsFor('/jwks');
		expect(await verify(bearer(token({}, rsa.privateKey, 'RS512')))).toEqual({ ok: false, reason: 'invalid_signature' });
		const unsigned = `${Buffer.from('{"alg":"none","kid":"rsa"}').toString('base64url')}.${Buffer.from('{"iat":1}').toString('base64url')}.`;
		expect(await verify(bearer(unsigned))).toEqual({ ok: false, reason: 'malformed_signature' });
		const unsignedWithSegment = `${unsigned}AAAA`;
		expect(await verify(bearer(unsignedWithSegment))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(server.hitsFor('/jwks')).toBe(hits);
	});

	it('never uses a JWKS for HS* tokens (the public key as an HMAC secret), whatever the allow-list says', async () => {
		const hmacToken = signToken({ iat: NOW, exp: NOW + 60 }, 'secret', { algorithm: 'HS256', header: { alg: 'HS256', kid: 'rsa' } });
		expect(await verify(bearer(hmacToken), { algorithms: ['HS256'] })).toEqual({ ok: false, reason: 'missing_key' });
		expect(await verify(bearer(hmacToken), { algorithms: ['HS256', 'RS256'] })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('refuses a key whose type or curve does not fit the algorithm, and a JWK pinned to another alg', async () => {
		// The P-256 key's kid on an RS256 token; an ES384 token naming the P-256 key; the RS384-only key for RS256.
		expect(await verify(bearer(token({}, rsa.privateKey, 'RS256', { kid: 'p256' })))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify(bearer(token({}, p384.privateKey, 'ES384', { kid: 'p256' })))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify(bearer(token({}, rsa.privateKey, 'RS256', { kid: 'rs384-only' })))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect((await verify(bearer(token({}, rsa.privateKey, 'RS384', { kid: 'rs384-only' })))).ok).toBe(true);
	});

	it('needs a kid, and refuses an unknown one', async () => {
		expect(await verify(bearer(token({}, rsa.privateKey, 'RS256', {})))).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(await verify(bearer(token({}, rsa.privateKey, 'RS256', { kid: 7 })))).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(await verify(bearer(token({}, rsa.privateKey, 'RS256', { kid: 'nope' })))).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('checks iss and aud (any of several accepted values)', async () => {
		const value = token({ iss: 'https://issuer.example', aud: ['https://a.example', 'https://b.example'] }, rsa.privateKey, 'RS256');
		expect((await verify(bearer(value), { issuer: ['other', 'https://issuer.example'], audience: 'https://b.example' })).ok).toBe(true);
		expect(await verify(bearer(value), { issuer: 'other' })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify(bearer(value), { audience: ['https://c.example'] })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify(bearer(token({}, rsa.privateKey, 'RS256')), { audience: 'https://a.example' })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('requires exp unless allowed away', async () => {
		const noExp = signToken({ iat: NOW }, rsa.privateKey, { algorithm: 'RS256', header: { alg: 'RS256', kid: 'rsa' } });
		expect(await verify(bearer(noExp))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect((await verify(bearer(noExp), { requireExp: false })).ok).toBe(true);
	});

	it('applies exp, nbf and a future iat with the clock tolerance', async () => {
		const expired = token({ exp: NOW - 30 }, rsa.privateKey, 'RS256');
		expect((await verify(bearer(expired), { clockToleranceSeconds: 60 })).ok).toBe(true);
		expect(await verify(bearer(expired), { clockToleranceSeconds: 10 })).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
		const early = token({ nbf: NOW + 120 }, rsa.privateKey, 'RS256');
		expect(await verify(bearer(early))).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
		const future = token({ iat: NOW + 120, exp: NOW + 600 }, rsa.privateKey, 'RS256');
		expect(await verify(bearer(future))).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
		expect((await verify(bearer(future), { clockToleranceSeconds: 180 })).ok).toBe(true);
	});

	it('refuses a token older than maxAgeSeconds, and one without iat when maxAge is set', async () => {
		const old = token({ iat: NOW - 3600, exp: NOW + 3600 }, rsa.privateKey, 'RS256');
		expect((await verify(bearer(old))).ok).toBe(true);
		expect(await verify(bearer(old), { maxAgeSeconds: 600 })).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
		const noIat = signToken({ exp: NOW + 60 }, rsa.privateKey, { algorithm: 'RS256', header: { alg: 'RS256', kid: 'rsa' }, noTimestamp: true });
		expect((await verify(bearer(noIat))).ok).toBe(true);
		expect(await verify(bearer(noIat), { maxAgeSeconds: 600 })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('checks fixed claims and binds the token to the body with a hash claim', async () => {
		const body = Buffer.from('{"a":1}');
		const value = token({ email_verified: true, body_sha256: createHash('sha256').update(body).digest('hex') }, rsa.privateKey, 'RS256');
		expect((await verify(bearer(value), { requiredClaims: { email_verified: true }, bodyHashClaim: 'body_sha256', rawBody: body })).ok).toBe(true);
		expect(await verify(bearer(value), { requiredClaims: { email_verified: 'true' } })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify(bearer(value), { bodyHashClaim: 'body_sha256', rawBody: Buffer.from('{"a":2}') })).toEqual({
			ok: false,
			reason: 'invalid_signature',
		});
	});

	it('answers key_unavailable (retry later) when the JWKS cannot be fetched, missing_key when nothing is configured', async () => {
		const value = token({}, rsa.privateKey, 'RS256');
		expect(await verify(bearer(value), { jwksUrl: `${server.origin}/down` })).toEqual({ ok: false, reason: 'key_unavailable' });
		expect(await verify(bearer(value), { jwksUrl: '' })).toEqual({ ok: false, reason: 'missing_key' });
		expect(await verify(bearer(value), { algorithms: [] })).toEqual({ ok: false, reason: 'missing_key' });
	});

	it('never throws on garbage', async () => {
		const garbage = ['Bearer x', 'Bearer a.b', 'Bearer a.b.c', 'Bearer ....', `Bearer ${'a'.repeat(9000)}.b.c`, 'Bearer e30.e30.e30', 'Bearer W10.e30.AA'];
		for (const value of garbage) {
			const result = await verify({ authorization: value });
			expect(result.ok).toBe(false);
		}
	});
});

/**
 * Google Cloud Pub/Sub push, expressed with the generic verifier: Pub/Sub sends an OIDC token in
 * `Authorization: Bearer`, signed RS256 by Google's keys (https://www.googleapis.com/oauth2/v3/certs, looked up by
 * kid), with `iss` accounts.google.com (with or without https://), `aud` the audience configured on the
 * subscription, and `email` the push service account (`email_verified: true`).
 * Source: https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions (its example token's header and
 * claims are mirrored below). Google publishes no token that verifies offline, so the key is generated here and
 * served from a loopback JWKS in Google's place.
 */
describe('example: Google Cloud Pub/Sub push (OIDC token, JWKS by kid)', () => {
	const google = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const KID = '7d680d8c70d44e947133cbd499ebc1a61c3d5abc';
	const AUDIENCE = 'https://n8n.example.com/webhook/pubsub';
	const SERVICE_ACCOUNT = 'push-sender@my-project.iam.gserviceaccount.com';
	let server: KeyServer;
	let pubsub: JwksJwtOptions;
	let cache: JwksCache;

	beforeAll(async () => {
		server = await startHttpKeyServer();
		server.routes.set('/oauth2/v3/certs', json({ keys: [jwk(google.publicKey, KID, { alg: 'RS256', use: 'sig' })] }));
		pubsub = {
			jwksUrl: `${server.origin}/oauth2/v3/certs`,
			algorithms: ['RS256'],
			issuer: ['accounts.google.com', 'https://accounts.google.com'],
			audience: AUDIENCE,
			requiredClaims: { email: SERVICE_ACCOUNT, email_verified: true },
			nowSeconds: NOW + 10,
		};
		cache = new JwksCache({ allowLoopbackHttp: true });
	});
	afterAll(async () => await server.close());

	function pushToken(overrides: Record<string, unknown> = {}): string {
		const claims = {
			aud: AUDIENCE,
			azp: '113774264463038321964',
			email: SERVICE_ACCOUNT,
			email_verified: true,
			exp: NOW + 3600,
			iat: NOW,
			iss: 'https://accounts.google.com',
			sub: '113774264463038321964',
			...overrides,
		};
		return signToken(claims, google.privateKey, { algorithm: 'RS256', header: { alg: 'RS256', kid: KID, typ: 'JWT' } });
	}

	it('accepts a push from the configured service account to the configured audience', async () => {
		const result = await verifyJwtWithJwks(bearer(pushToken()), pubsub, cache);
		expect(result.ok && result.claims.email).toBe(SERVICE_ACCOUNT);
		expect(result.ok && result.kid).toBe(KID);
		expect((await verifyJwtWithJwks(bearer(pushToken({ iss: 'accounts.google.com' })), pubsub, cache)).ok).toBe(true);
	});

	it.each([
		['another audience (a token meant for another endpoint)', { aud: 'https://elsewhere.example.com/push' }],
		['another service account', { email: 'someone@other-project.iam.gserviceaccount.com' }],
		['an unverified email', { email_verified: false }],
		['another issuer', { iss: 'https://evil.example.com' }],
	])('refuses %s', async (_label, overrides) => {
		expect(await verifyJwtWithJwks(bearer(pushToken(overrides)), pubsub, cache)).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('refuses an expired push token', async () => {
		expect(await verifyJwtWithJwks(bearer(pushToken({ exp: NOW - 120 })), pubsub, cache)).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
	});

	it('refuses a token signed by anyone but the JWKS key', async () => {
		const forged = signToken({ aud: AUDIENCE, email: SERVICE_ACCOUNT, email_verified: true, iss: 'https://accounts.google.com', iat: NOW, exp: NOW + 60 }, otherRsa.privateKey, {
			algorithm: 'RS256',
			header: { alg: 'RS256', kid: KID },
		});
		expect(await verifyJwtWithJwks(bearer(forged), pubsub, cache)).toEqual({ ok: false, reason: 'invalid_signature' });
	});
});
