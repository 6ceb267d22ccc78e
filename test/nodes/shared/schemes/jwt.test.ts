import { createHash, createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';

import jsonwebtoken from 'jsonwebtoken';

import { DEFAULT_JWT_OPTIONS, jwtScheme, jwtSensitiveHeaders, signJwtRequest } from '../../../../nodes/shared/schemes/jwt';
import type { JwtAlgorithm, JwtOptions, SignInput, SigningSecrets, VerifyOptions } from '../../../../nodes/shared/schemes/types';
import { NON_UTF8_BODY, expectAccepted, expectGarbageNeverVerifies, expectRejected, webhookRequest } from './schemeTestKit';

const NOW = 1_700_000_000;
const BODY = Buffer.from('{"event":"order.paid","id":"evt_7"}');

function options(jwt: Partial<JwtOptions> = {}, nowSeconds = NOW, toleranceSeconds = 60): VerifyOptions {
	return { nowSeconds, toleranceSeconds, jwt: { ...DEFAULT_JWT_OPTIONS, ...jwt } };
}

function verify(headers: Record<string, string | string[]>, secrets: SigningSecrets, verifyOptions = options(), body: Buffer = BODY) {
	return jwtScheme.verify(webhookRequest(headers, body), secrets, verifyOptions);
}

function signed(key: string, jwt: Partial<NonNullable<SignInput['jwt']>> = {}, extra: Partial<SignInput> = {}) {
	return signJwtRequest({
		payload: BODY,
		key,
		timestampSeconds: NOW,
		jwt: { tokenHeader: 'authorization', issuer: '', audience: '', bodyHashClaim: '', algorithm: 'HS256', ...jwt },
		...extra,
	});
}

function base64url(value: unknown): string {
	return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A token built without jsonwebtoken: an independent HS256 implementation. */
function handMadeHs256(claims: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
	const signingInput = `${base64url(header)}.${base64url(claims)}`;
	return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

// jwt.io's debugger example token (HS256, secret "your-256-bit-secret"): https://jwt.io/#debugger-io
const JWT_IO_TOKEN =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

// RFC 7515 Appendix A.3 (ES256): https://www.rfc-editor.org/rfc/rfc7515#appendix-A.3 (JWK public key, JWS, exp 1300819380).
const RFC7515_ES256 = {
	jwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
	token:
		'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.' +
		'DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q',
	exp: 1300819380,
};
const RFC7515_PEM = createPublicKey({ key: RFC7515_ES256.jwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();

const RSA = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PRIVATE_PEM = RSA.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const RSA_PUBLIC_PEM = RSA.publicKey.export({ format: 'pem', type: 'spki' }).toString();

describe('jwt: published vectors', () => {
	it("verifies jwt.io's HS256 example token (it has no exp: accepted only where tokens without expiry are allowed)", () => {
		const result = expectAccepted(
			verify({ authorization: `Bearer ${JWT_IO_TOKEN}` }, { secret: 'your-256-bit-secret' }, options({ requireExp: false }, 1516239022 + 5)),
		);
		expect(result).toEqual({
			ok: true,
			matched: 'current',
			claims: { sub: '1234567890', name: 'John Doe', iat: 1516239022 },
			id: undefined,
			timestamp: 1516239022,
		});
		expectRejected(verify({ authorization: `Bearer ${JWT_IO_TOKEN}` }, { secret: 'your-256-bit-secret!' }), 'invalid_signature');
	});

	it('verifies the RFC 7515 A.3 ES256 example with its public key, and honours its exp', () => {
		const es256 = options({ algorithms: ['ES256'] }, RFC7515_ES256.exp - 100);
		const result = expectAccepted(verify({ authorization: `Bearer ${RFC7515_ES256.token}` }, { secret: '', publicKey: RFC7515_PEM }, es256));
		expect(result.matched).toBe('publicKey');
		expect(result.claims).toEqual({ iss: 'joe', exp: RFC7515_ES256.exp, 'http://example.com/is_root': true });
		const later = options({ algorithms: ['ES256'] }, RFC7515_ES256.exp + 61);
		expectRejected(verify({ authorization: `Bearer ${RFC7515_ES256.token}` }, { secret: '', publicKey: RFC7515_PEM }, later), 'timestamp_out_of_tolerance');
	});
});

describe('jwt: cross-checks', () => {
	it('accepts an HS256 token built by hand with node:crypto (no jsonwebtoken)', () => {
		const token = handMadeHs256({ jti: 'evt_1', iat: NOW, exp: NOW + 60 }, 'hand-secret');
		const result = expectAccepted(verify({ authorization: `Bearer ${token}` }, { secret: 'hand-secret' }));
		expect(result.id).toBe('evt_1');
	});

	it('produces tokens jsonwebtoken verifies, with the claims it promises', () => {
		const headers = signed('sign-secret', { issuer: 'https://sender.example', audience: 'n8n', bodyHashClaim: 'body_sha256' }, { id: 'evt_9' });
		const token = headers.authorization.replace(/^Bearer /, '');
		const claims = jsonwebtoken.verify(token, 'sign-secret', { algorithms: ['HS256'], clockTimestamp: NOW, issuer: 'https://sender.example', audience: 'n8n' });
		expect(claims).toEqual({
			iat: NOW,
			exp: NOW + 300,
			jti: 'evt_9',
			iss: 'https://sender.example',
			aud: 'n8n',
			body_sha256: createHash('sha256').update(BODY).digest('hex'),
		});
	});

	it.each(['RS256', 'RS384', 'RS512'] as const)('signs and verifies %s with a PEM key pair, agreeing with jsonwebtoken', (algorithm) => {
		const headers = signed(RSA_PRIVATE_PEM, { algorithm });
		const token = headers.authorization.slice('Bearer '.length);
		expect(jsonwebtoken.verify(token, RSA_PUBLIC_PEM, { algorithms: [algorithm], clockTimestamp: NOW })).toMatchObject({ iat: NOW });
		const result = expectAccepted(verify(headers, { secret: '', publicKey: RSA_PUBLIC_PEM }, options({ algorithms: [algorithm] })));
		expect(result.matched).toBe('publicKey');
		const theirs = jsonwebtoken.sign({ jti: 'x' }, RSA_PRIVATE_PEM, { algorithm, expiresIn: 300 });
		expectAccepted(verify({ authorization: `Bearer ${theirs}` }, { secret: '', publicKey: RSA_PUBLIC_PEM }, options({ algorithms: [algorithm] }, Math.floor(Date.now() / 1000))));
	});

	it.each([
		['ES256', 'prime256v1'],
		['ES384', 'secp384r1'],
		['ES512', 'secp521r1'],
	] as const)('signs and verifies %s', (algorithm, namedCurve) => {
		const pair = generateKeyPairSync('ec', { namedCurve });
		const headers = signed(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { algorithm });
		const publicKey = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
		expectAccepted(verify(headers, { secret: '', publicKey }, options({ algorithms: [algorithm] })));
		expectRejected(verify(headers, { secret: '', publicKey: RSA_PUBLIC_PEM }, options({ algorithms: [algorithm] })), 'invalid_signature');
	});
});

describe('jwt: algorithm policy', () => {
	it('never uses the public key as an HMAC secret (algorithm confusion)', () => {
		const forged = handMadeHs256({ jti: 'forged', iat: NOW }, RSA_PUBLIC_PEM);
		const both = options({ algorithms: ['RS256', 'HS256'] });
		expectRejected(verify({ authorization: `Bearer ${forged}` }, { secret: 'real-secret', publicKey: RSA_PUBLIC_PEM }, both), 'invalid_signature');
		expectRejected(verify({ authorization: `Bearer ${forged}` }, { secret: '', publicKey: RSA_PUBLIC_PEM }, both), 'missing_key');
		const forgedWithTrimmedKey = handMadeHs256({ jti: 'forged', iat: NOW }, RSA_PUBLIC_PEM.trim());
		expectRejected(verify({ authorization: `Bearer ${forgedWithTrimmedKey}` }, { secret: '', publicKey: RSA_PUBLIC_PEM }, both), 'missing_key');
	});

	it('never verifies an RS token with the shared secret', () => {
		const headers = signed(RSA_PRIVATE_PEM, { algorithm: 'RS256' });
		expectRejected(verify(headers, { secret: 'real-secret' }, options({ algorithms: ['RS256', 'HS256'] })), 'missing_key');
	});

	it('never accepts alg "none", even when configured', () => {
		const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ jti: 'x', iat: NOW })}.`;
		const withNone = options({ algorithms: ['HS256', 'none' as JwtAlgorithm] });
		expectRejected(verify({ authorization: `Bearer ${unsigned}` }, { secret: 's' }, withNone), 'malformed_signature');
		const withJunkSignature = `${unsigned}AAAA`;
		expectRejected(verify({ authorization: `Bearer ${withJunkSignature}` }, { secret: 's' }, withNone), 'invalid_signature');
		expectRejected(verify({ authorization: `Bearer ${withJunkSignature}` }, { secret: 's' }, options({ algorithms: ['none' as JwtAlgorithm] })), 'missing_key');
	});

	it('rejects algorithms that are not configured', () => {
		const hs512 = signed('s', { algorithm: 'HS512' });
		expectRejected(verify(hs512, { secret: 's' }, options({ algorithms: ['HS256'] })), 'invalid_signature');
		expectAccepted(verify(hs512, { secret: 's' }, options({ algorithms: ['HS256', 'HS512'] })));
	});

	it('reports missing_key for an unusable public key or an empty algorithm list', () => {
		const headers = signed(RSA_PRIVATE_PEM, { algorithm: 'RS256' });
		const rs256 = options({ algorithms: ['RS256'] });
		expectRejected(verify(headers, { secret: '', publicKey: '' }, rs256), 'missing_key');
		expectRejected(verify(headers, { secret: '', publicKey: 'not a pem' }, rs256), 'missing_key');
		expectRejected(verify(signed('s'), { secret: 's' }, options({ algorithms: [] })), 'missing_key');
		expectRejected(verify(signed('s'), { secret: '' }), 'missing_key');
	});
});

describe('jwt: claims', () => {
	const secrets = { secret: 'claims-secret' };

	it('returns the claims, jti as id and iat as timestamp', () => {
		const result = expectAccepted(verify(signed('claims-secret', {}, { id: 'evt_42' }), secrets));
		expect(result.id).toBe('evt_42');
		expect(result.timestamp).toBe(NOW);
		expect(result.claims).toEqual({ iat: NOW, exp: NOW + 300, jti: 'evt_42' });
	});

	it('checks issuer and audience when configured, without echoing them', () => {
		const headers = signed('claims-secret', { issuer: 'https://a.example', audience: 'n8n' });
		expectAccepted(verify(headers, secrets, options({ issuer: 'https://a.example', audience: 'n8n' })));
		expectAccepted(verify(headers, secrets, options({ issuer: '', audience: '' })));
		const wrongIssuer = verify(headers, secrets, options({ issuer: 'https://b.example' }));
		expect(wrongIssuer).toStrictEqual({ ok: false, reason: 'invalid_signature' });
		expect(JSON.stringify(wrongIssuer)).not.toContain('a.example');
		expectRejected(verify(headers, secrets, options({ audience: 'someone-else' })), 'invalid_signature');
		expectRejected(verify(signed('claims-secret'), secrets, options({ issuer: 'https://a.example' })), 'invalid_signature');
	});

	it('rejects an expired token and accepts one within the clock tolerance', () => {
		const headers = signed('claims-secret', { expiresInSeconds: 30 });
		expectAccepted(verify(headers, secrets, options({}, NOW + 30 + 59)));
		expectRejected(verify(headers, secrets, options({}, NOW + 30 + 61)), 'timestamp_out_of_tolerance');
	});

	it('rejects a token that is not valid yet (nbf in the future)', () => {
		const token = handMadeHs256({ iat: NOW, nbf: NOW + 600, exp: NOW + 900 }, 'claims-secret');
		expectRejected(verify({ authorization: `Bearer ${token}` }, secrets), 'timestamp_out_of_tolerance');
		expectAccepted(verify({ authorization: `Bearer ${token}` }, secrets, options({}, NOW + 601)));
	});

	it('rejects a token issued further in the future than the tolerance (jsonwebtoken does not check iat)', () => {
		// Tolerance is 60 s in these options; exp is far enough ahead that only iat can be the reason.
		const atEdge = handMadeHs256({ iat: NOW + 60, exp: NOW + 900 }, 'claims-secret');
		expect(expectAccepted(verify({ authorization: `Bearer ${atEdge}` }, secrets)).timestamp).toBe(NOW + 60);
		const beyond = handMadeHs256({ iat: NOW + 61, exp: NOW + 900 }, 'claims-secret');
		expectRejected(verify({ authorization: `Bearer ${beyond}` }, secrets), 'timestamp_out_of_tolerance');
		expectAccepted(verify({ authorization: `Bearer ${beyond}` }, secrets, options({}, NOW + 1)));
		// What the signing helper produces for a sender whose clock runs an hour ahead.
		expectRejected(verify(signed('claims-secret', {}, { timestampSeconds: NOW + 3600 }), secrets), 'timestamp_out_of_tolerance');
		// The signature is checked first: a future token under an unknown key is simply not ours.
		expectRejected(verify({ authorization: `Bearer ${beyond}` }, { secret: 'other-secret' }), 'invalid_signature');
		// Signed with the previous secret: the time check still applies, it does not fall through to another key.
		const previous = handMadeHs256({ iat: NOW + 3600 }, 'old-secret');
		expectRejected(verify({ authorization: `Bearer ${previous}` }, { secret: 'claims-secret', previousSecret: 'old-secret' }), 'timestamp_out_of_tolerance');
	});

	it('rejects an iat that is not a number (it could not be checked against the clock)', () => {
		for (const iat of [String(NOW), '2023-11-14T22:13:20Z', null, [NOW]]) {
			const token = handMadeHs256({ iat, exp: NOW + 300 }, 'claims-secret');
			expectRejected(verify({ authorization: `Bearer ${token}` }, secrets), 'invalid_signature');
		}
		// No iat at all is fine (it is optional in RFC 7519).
		const withoutIat = handMadeHs256({ exp: NOW + 300 }, 'claims-secret');
		expect(expectAccepted(verify({ authorization: `Bearer ${withoutIat}` }, secrets)).timestamp).toBeUndefined();
	});

	it('binds the body through the body-hash claim', () => {
		const hashed = options({ bodyHashClaim: 'body_sha256' });
		const headers = signed('claims-secret', { bodyHashClaim: 'body_sha256' });
		expectAccepted(verify(headers, secrets, hashed));
		expectRejected(verify(headers, secrets, hashed, Buffer.from('{"event":"order.paid","id":"evt_8"}')), 'invalid_signature');
		expectRejected(verify(signed('claims-secret'), secrets, hashed), 'invalid_signature');
		const upper = handMadeHs256({ iat: NOW, exp: NOW + 300, body_sha256: createHash('sha256').update(BODY).digest('hex').toUpperCase() }, 'claims-secret');
		expectAccepted(verify({ authorization: `Bearer ${upper}` }, secrets, hashed));
		const numeric = handMadeHs256({ iat: NOW, exp: NOW + 300, body_sha256: 12 }, 'claims-secret');
		expectRejected(verify({ authorization: `Bearer ${numeric}` }, secrets, hashed), 'invalid_signature');
	});

	it('hashes the raw bytes of non-ASCII and non-UTF-8 bodies', () => {
		const hashed = options({ bodyHashClaim: 'bh' });
		for (const body of [Buffer.from('{"name":"Zoë 🚀"}'), NON_UTF8_BODY]) {
			const headers = signJwtRequest({
				payload: body,
				key: 'claims-secret',
				timestampSeconds: NOW,
				jwt: { tokenHeader: 'authorization', issuer: '', audience: '', bodyHashClaim: 'bh', algorithm: 'HS256' },
			});
			expectAccepted(verify(headers, secrets, hashed, body));
			expectRejected(verify(headers, secrets, hashed, Buffer.concat([body, Buffer.from(' ')])), 'invalid_signature');
		}
		// A verifier that decoded the body to text first would hash U+FFFD replacement characters instead.
		const headers = signJwtRequest({
			payload: NON_UTF8_BODY,
			key: 'claims-secret',
			timestampSeconds: NOW,
			jwt: { tokenHeader: 'authorization', issuer: '', audience: '', bodyHashClaim: 'bh', algorithm: 'HS256' },
		});
		expectRejected(verify(headers, secrets, hashed, Buffer.from(NON_UTF8_BODY.toString('utf8'))), 'invalid_signature');
	});
});

describe('jwt: rotation', () => {
	const secrets = { secret: 'new-secret', previousSecret: 'old-secret' };

	it('reports which secret matched', () => {
		expect(expectAccepted(verify(signed('new-secret'), secrets)).matched).toBe('current');
		expect(expectAccepted(verify(signed('old-secret'), secrets)).matched).toBe('previous');
		expectRejected(verify(signed('old-secret'), { secret: 'new-secret' }), 'invalid_signature');
		expectRejected(verify(signed('third-secret'), secrets), 'invalid_signature');
	});

	it('needs a current secret: a previous secret alone is a configuration error', () => {
		expectRejected(verify(signed('old-secret'), { secret: '', previousSecret: 'old-secret' }), 'missing_key');
	});

	it('picks up a changed secret (no stale cached key)', () => {
		expectAccepted(verify(signed('first'), { secret: 'first' }));
		expectRejected(verify(signed('first'), { secret: 'second' }), 'invalid_signature');
		expectAccepted(verify(signed('second'), { secret: 'second' }));
	});

	it('reports an expired token signed with the previous secret as out of tolerance', () => {
		expectRejected(verify(signed('old-secret', { expiresInSeconds: 10 }), secrets, options({}, NOW + 1000)), 'timestamp_out_of_tolerance');
	});
});

describe('jwt: token headers and malformed input', () => {
	const secrets = { secret: 'header-secret' };
	const token = signed('header-secret').authorization.slice('Bearer '.length);

	it('reads Authorization: Bearer, case-insensitively on the scheme', () => {
		expectAccepted(verify({ authorization: `bearer ${token}` }, secrets));
		expectRejected(verify({ authorization: token }, secrets), 'malformed_signature');
		expectRejected(verify({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, secrets), 'malformed_signature');
		expectRejected(verify({ authorization: `Bearer ${token} extra` }, secrets), 'malformed_signature');
	});

	it('reads the raw value of a custom header, tolerating a Bearer prefix, and signs it bare', () => {
		const custom = options({ tokenHeader: 'X-Webhook-Token' });
		expectAccepted(verify({ 'x-webhook-token': token }, secrets, custom));
		expectAccepted(verify({ 'x-webhook-token': `Bearer ${token}` }, secrets, custom));
		expectRejected(verify({ authorization: `Bearer ${token}` }, secrets, custom), 'missing_signature');
		const headers = signed('header-secret', { tokenHeader: 'X-Webhook-Token' });
		expect(Object.keys(headers)).toEqual(['x-webhook-token']);
		expect(headers['x-webhook-token']).not.toMatch(/^Bearer /);
		expectAccepted(verify(headers, secrets, custom));
	});

	it('reports a missing token', () => {
		expectRejected(verify({}, secrets), 'missing_signature');
		expectRejected(verify({ authorization: '' }, secrets), 'missing_signature');
	});

	it.each([
		['one segment', 'abc'],
		['two segments', 'abc.def'],
		['four segments', `${token}.x`],
		['header not JSON', `${base64url('not json')}.${token.split('.')[1]}.${token.split('.')[2]}`],
		['payload an array', `${token.split('.')[0]}.${base64url([1, 2])}.${token.split('.')[2]}`],
		['header without alg', `${base64url({ typ: 'JWT' })}.${token.split('.')[1]}.${token.split('.')[2]}`],
		['padding characters', `${token}==`],
	])('reports a malformed token (%s)', (_label, value) => {
		expectRejected(verify({ authorization: `Bearer ${value}` }, secrets), 'malformed_signature');
	});

	it('rejects a tampered payload', () => {
		const [header, , signature] = token.split('.');
		const tampered = `${header}.${base64url({ iat: NOW, exp: NOW + 300, jti: 'other' })}.${signature}`;
		expectRejected(verify({ authorization: `Bearer ${tampered}` }, secrets), 'invalid_signature');
	});

	it('never throws on and never accepts arbitrary header values', () => {
		expectGarbageNeverVerifies(jwtScheme, ['authorization'], { secret: 'header-secret', previousSecret: 'old', publicKey: RSA_PUBLIC_PEM });
	});
});

describe('jwt: scheme description', () => {
	it('redacts the token header, including a configured one', () => {
		expect(jwtScheme.sensitiveHeaders).toEqual(['authorization']);
		expect(jwtSensitiveHeaders({ ...DEFAULT_JWT_OPTIONS, tokenHeader: 'X-Webhook-Token' })).toEqual(['x-webhook-token']);
	});

	it('leaves event type and id to the trigger', () => {
		expect(jwtScheme.describeEvent(webhookRequest({}, '{}'), { type: 'a' }, { ok: true, matched: 'current' })).toEqual({});
	});

	it('uses the trigger defaults when no options are given', () => {
		expectAccepted(jwtScheme.verify(webhookRequest(signed('d'), BODY), { secret: 'd' }, { nowSeconds: NOW, toleranceSeconds: 0 }));
	});
});

// Issue 14: a JWT without `exp` was accepted forever; anyone holding one captured token could replay it (and, without
// a body-hash claim, with any body) indefinitely.
describe('jwt: expiry and age', () => {
	const secrets = { secret: 'exp-secret' };
	const bearer = (claims: Record<string, unknown>) => ({ authorization: `Bearer ${handMadeHs256(claims, 'exp-secret')}` });

	it('refuses a token without exp by default, even years later', () => {
		expectRejected(verify(bearer({ iat: NOW, jti: 'a' }), secrets, options()), 'timestamp_out_of_tolerance');
		expectRejected(verify(bearer({ jti: 'a' }), secrets, options({}, NOW + 10 * 365 * 86400)), 'timestamp_out_of_tolerance');
		expectAccepted(verify(bearer({ iat: NOW, exp: NOW + 60 }), secrets, options()));
	});

	it('accepts a token without exp when allowed', () => {
		expectAccepted(verify(bearer({ iat: NOW }), secrets, options({ requireExp: false })));
	});

	it('refuses a token older than maxAge by its iat (with the tolerance), and one without iat when maxAge is set', () => {
		const maxAge = { requireExp: false, maxAgeSeconds: 120 };
		expectAccepted(verify(bearer({ iat: NOW - 120 - 59 }), secrets, options(maxAge)));
		expectRejected(verify(bearer({ iat: NOW - 120 - 60 }), secrets, options(maxAge)), 'timestamp_out_of_tolerance');
		expectRejected(verify(bearer({ exp: NOW + 60 }), secrets, options({ maxAgeSeconds: 120 })), 'invalid_signature');
		expectAccepted(verify(bearer({ iat: NOW - 30, exp: NOW + 60 }), secrets, options({ maxAgeSeconds: 120 })));
	});

	it('a wrong signature is still invalid_signature, whatever the claims', () => {
		const forged = { authorization: `Bearer ${handMadeHs256({ iat: NOW }, 'other-secret')}` };
		expectRejected(verify(forged, secrets, options()), 'invalid_signature');
	});
});
