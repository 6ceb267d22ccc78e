import { generateKeyPairSync } from 'node:crypto';

import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

import {
	parseStandardWebhooksPublicKey,
	parseStandardWebhooksSigningKey,
	signStandardWebhook,
	standardWebhooksScheme,
} from '../../../../nodes/shared/schemes/standardWebhooks';
import {
	NON_UTF8_BODY,
	expectAccepted,
	expectGarbageNeverVerifies,
	expectRejected,
	verifyOptions,
	webhookRequest,
} from './schemeTestKit';

// Official vector: standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts ("sign function
// works") and libraries/python/tests/test_webhooks.py (test_sign_function).
const VECTOR = {
	secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
	timestamp: 1614265330,
	payload: '{"test": 2432232314}',
	signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

// v1a (Ed25519): the spec publishes no key/signature pair. This one uses the RFC 8032 §7.1 TEST 1 key pair
// (https://www.rfc-editor.org/rfc/rfc8032#section-7.1) and was computed with Python's `cryptography`
// (an implementation independent of Node's) over the vector's signed content above.
const RFC8032_SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC_HEX = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_PUBLIC_PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n';
const V1A_SIGNATURE = 'v1a,fldxM4gAKugP6nnt1hdz3sgGfZ6d99nzrMFnZOELIxbzEHoVmAb2ADpkJK7zgPePmPsle0zV9jSeGlHFG2NVAw==';

const NOW = VECTOR.timestamp + 10;
const OPTIONS = verifyOptions(NOW);
const OTHER_SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

function vectorHeaders(signature = VECTOR.signature): Record<string, string> {
	return { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': signature };
}

function verify(headers: Record<string, string | string[]>, body: Buffer | string, secrets: { secret: string; previousSecret?: string; publicKey?: string }, options = OPTIONS) {
	return standardWebhooksScheme.verify(webhookRequest(headers, body), secrets, options);
}

describe('standardWebhooks: official vector', () => {
	it('signs the spec test suite vector byte for byte', () => {
		const headers = signStandardWebhook({
			payload: Buffer.from(VECTOR.payload),
			key: VECTOR.secret,
			id: VECTOR.id,
			timestampSeconds: VECTOR.timestamp,
		});
		expect(headers).toEqual(vectorHeaders());
	});

	it('verifies the vector and reports id, timestamp and the matching secret', () => {
		const result = expectAccepted(verify(vectorHeaders(), VECTOR.payload, { secret: VECTOR.secret }));
		expect(result).toEqual({ ok: true, matched: 'current', id: VECTOR.id, timestamp: VECTOR.timestamp });
	});

	it('accepts the secret without its whsec_ prefix, as the reference libraries do', () => {
		expectAccepted(verify(vectorHeaders(), VECTOR.payload, { secret: VECTOR.secret.slice('whsec_'.length) }));
	});

	it('accepts the Svix header names', () => {
		const headers = { 'svix-id': VECTOR.id, 'svix-timestamp': String(VECTOR.timestamp), 'svix-signature': VECTOR.signature };
		expect(expectAccepted(verify(headers, VECTOR.payload, { secret: VECTOR.secret })).id).toBe(VECTOR.id);
	});

	it('rejects the vector signed with the secret used literally instead of base64-decoded', () => {
		const literal = signStandardWebhook({ payload: Buffer.from(VECTOR.payload), key: 'whsec_' + Buffer.from(VECTOR.secret).toString('base64'), id: VECTOR.id, timestampSeconds: VECTOR.timestamp });
		expectRejected(verify(literal, VECTOR.payload, { secret: VECTOR.secret }), 'invalid_signature');
	});
});

describe('standardWebhooks: v1a (Ed25519)', () => {
	const signatureHeader = V1A_SIGNATURE;

	it.each([
		['hex', RFC8032_PUBLIC_HEX],
		['base64', Buffer.from(RFC8032_PUBLIC_HEX, 'hex').toString('base64')],
		['whpk_', 'whpk_' + Buffer.from(RFC8032_PUBLIC_HEX, 'hex').toString('base64')],
		['PEM', RFC8032_PUBLIC_PEM],
	])('verifies the RFC 8032 key vector with the public key as %s', (_format, publicKey) => {
		const result = expectAccepted(verify(vectorHeaders(signatureHeader), VECTOR.payload, { secret: '', publicKey }));
		expect(result.matched).toBe('publicKey');
	});

	it('signs with a whsk_ seed exactly as the independent implementation did', () => {
		const headers = signStandardWebhook({
			payload: Buffer.from(VECTOR.payload),
			key: 'whsk_' + Buffer.from(RFC8032_SEED_HEX, 'hex').toString('base64'),
			id: VECTOR.id,
			timestampSeconds: VECTOR.timestamp,
		});
		expect(headers['webhook-signature']).toBe(signatureHeader);
	});

	it('signs with a PEM private key and verifies with its public key', () => {
		const { privateKey, publicKey } = generateKeyPairSync('ed25519');
		const headers = standardWebhooksScheme.sign!({
			payload: NON_UTF8_BODY,
			key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
			id: 'msg_1',
			timestampSeconds: NOW,
		});
		expect(headers['webhook-signature']).toMatch(/^v1a,/);
		const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
		expect(expectAccepted(verify(headers, NON_UTF8_BODY, { secret: '', publicKey: pem })).matched).toBe('publicKey');
		expectRejected(verify(headers, Buffer.from([0xff, 0xfe, 0x00, 0xea]), { secret: '', publicKey: pem }), 'invalid_signature');
	});

	it('rejects a v1a signature under another public key', () => {
		const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
		expectRejected(verify(vectorHeaders(signatureHeader), VECTOR.payload, { secret: '', publicKey: other }), 'invalid_signature');
	});

	it('passes when any one signature in the list is valid', () => {
		const bogusV1 = 'v1,' + Buffer.alloc(32).toString('base64');
		const list = `v2,whatever ${bogusV1} ${signatureHeader}`;
		expect(expectAccepted(verify(vectorHeaders(list), VECTOR.payload, { secret: VECTOR.secret, publicKey: RFC8032_PUBLIC_HEX })).matched).toBe('publicKey');
		const both = `${bogusV1} ${VECTOR.signature}`;
		expect(expectAccepted(verify(vectorHeaders(both), VECTOR.payload, { secret: VECTOR.secret })).matched).toBe('current');
	});

	// Key parsing itself (formats, labels, the cache) is tested in ed25519Keys.test.ts.
	it('reads whpk_ public keys (label optional) and whsk_ signing keys (label required)', () => {
		const raw = Buffer.from(RFC8032_PUBLIC_HEX, 'hex');
		for (const text of ['whpk_' + raw.toString('base64'), raw.toString('base64'), RFC8032_PUBLIC_HEX, RFC8032_PUBLIC_PEM]) {
			expect(parseStandardWebhooksPublicKey(text)?.export({ format: 'pem', type: 'spki' })).toBe(RFC8032_PUBLIC_PEM);
		}
		const seed = Buffer.from(RFC8032_SEED_HEX, 'hex');
		expect(parseStandardWebhooksSigningKey('whsk_' + seed.toString('base64'))).toBeDefined();
		// libsodium's 64-byte secret key (seed + public key) behind the label.
		expect(parseStandardWebhooksSigningKey('whsk_' + Buffer.concat([seed, raw]).toString('base64'))).toBeDefined();
		// Bare base64 is a whsec_ secret: signing with it must produce v1 (HMAC), never v1a.
		expect(parseStandardWebhooksSigningKey(seed.toString('base64'))).toBeUndefined();
		const bare = signStandardWebhook({ payload: Buffer.from(VECTOR.payload), key: seed.toString('base64'), id: VECTOR.id, timestampSeconds: VECTOR.timestamp });
		expect(bare['webhook-signature']).toMatch(/^v1,/);
	});

	it('refuses keys that are not Ed25519 public keys', () => {
		const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
		expect(parseStandardWebhooksPublicKey(rsa)).toBeUndefined();
		expect(parseStandardWebhooksPublicKey('whpk_abc')).toBeUndefined();
		expect(parseStandardWebhooksPublicKey('-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----')).toBeUndefined();
		for (const publicKey of [rsa, 'whpk_abc', 'whpk_' + Buffer.from(RFC8032_PUBLIC_HEX, 'hex').toString('base64') + 'AA']) {
			expectRejected(verify(vectorHeaders(signatureHeader), VECTOR.payload, { secret: '', publicKey }), 'missing_key');
		}
	});
});

describe('standardWebhooks: cross-checks with the providers’ SDKs', () => {
	const body = '{"type":"response.completed","data":{"id":"resp_1","text":"héllo ✓"}}';

	it('accepts what the standardwebhooks package signs', () => {
		const signature = new StandardWebhook(VECTOR.secret).sign('msg_x', new Date(NOW * 1000), body);
		const headers = { 'webhook-id': 'msg_x', 'webhook-timestamp': String(NOW), 'webhook-signature': signature };
		expectAccepted(verify(headers, body, { secret: VECTOR.secret }));
	});

	it('signs what the standardwebhooks package accepts', () => {
		const headers = signStandardWebhook({ payload: Buffer.from(body), key: VECTOR.secret });
		expect(new StandardWebhook(VECTOR.secret).verify(body, headers)).toEqual(JSON.parse(body));
	});

	it('accepts what svix signs (with svix-* headers)', () => {
		const svix = new SvixWebhook(VECTOR.secret);
		const signature = svix.sign('msg_svix', new Date(NOW * 1000), body);
		const headers = { 'svix-id': 'msg_svix', 'svix-timestamp': String(NOW), 'svix-signature': signature };
		expect(expectAccepted(verify(headers, body, { secret: VECTOR.secret })).id).toBe('msg_svix');
	});

	it('signs what svix accepts (as webhook-* and as svix-* headers)', () => {
		const headers = signStandardWebhook({ payload: Buffer.from(body), key: VECTOR.secret });
		const svix = new SvixWebhook(VECTOR.secret);
		expect(svix.verify(body, headers)).toEqual(JSON.parse(body));
		const svixNamed = { 'svix-id': headers['webhook-id'], 'svix-timestamp': headers['webhook-timestamp'], 'svix-signature': headers['webhook-signature'] };
		expect(svix.verify(Buffer.from(body), svixNamed)).toEqual(JSON.parse(body));
	});
});

describe('standardWebhooks: rejections', () => {
	const secrets = { secret: VECTOR.secret };

	it('rejects a tampered body', () => {
		expectRejected(verify(vectorHeaders(), '{"test": 2432232315}', secrets), 'invalid_signature');
	});

	it('rejects a tampered id or timestamp (both are signed)', () => {
		expectRejected(verify({ ...vectorHeaders(), 'webhook-id': 'msg_other' }, VECTOR.payload, secrets), 'invalid_signature');
		expectRejected(verify({ ...vectorHeaders(), 'webhook-timestamp': String(VECTOR.timestamp + 1) }, VECTOR.payload, secrets), 'invalid_signature');
	});

	it('rejects the wrong secret', () => {
		expectRejected(verify(vectorHeaders(), VECTOR.payload, { secret: OTHER_SECRET }), 'invalid_signature');
	});

	it.each(['webhook-signature', 'webhook-id', 'webhook-timestamp'])('rejects a request without %s', (name) => {
		const headers: Record<string, string> = vectorHeaders();
		delete headers[name];
		expectRejected(verify(headers, VECTOR.payload, secrets), 'missing_signature');
	});

	it.each([
		['no version', 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
		['truncated base64', 'v1,g0hM9SsE+OTPJTGt'],
		['non-base64', 'v1,!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!='],
		['only unknown versions', 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
		['too many entries', Array.from({ length: 40 }, () => VECTOR.signature).join(' ')],
	])('rejects a malformed signature header (%s)', (_case, signature) => {
		expectRejected(verify(vectorHeaders(signature), VECTOR.payload, secrets), 'malformed_signature');
	});

	it.each(['hello', '1614265330.5', '-1614265330', '1e9', ''])('rejects a malformed timestamp %p', (timestamp) => {
		const result = verify({ ...vectorHeaders(), 'webhook-timestamp': timestamp }, VECTOR.payload, secrets);
		expectRejected(result, timestamp === '' ? 'missing_signature' : 'malformed_signature');
	});

	it('rejects duplicated signature headers', () => {
		const headers = { ...vectorHeaders(), 'webhook-signature': [VECTOR.signature, VECTOR.signature] };
		expectRejected(verify(headers, VECTOR.payload, secrets), 'malformed_signature');
	});

	it('rejects an expired and a future timestamp, and accepts the edges of the window', () => {
		expectRejected(verify(vectorHeaders(), VECTOR.payload, secrets, verifyOptions(VECTOR.timestamp + 301)), 'timestamp_out_of_tolerance');
		expectRejected(verify(vectorHeaders(), VECTOR.payload, secrets, verifyOptions(VECTOR.timestamp - 301)), 'timestamp_out_of_tolerance');
		expectAccepted(verify(vectorHeaders(), VECTOR.payload, secrets, verifyOptions(VECTOR.timestamp + 300)));
		expectAccepted(verify(vectorHeaders(), VECTOR.payload, secrets, verifyOptions(VECTOR.timestamp - 300)));
		expectRejected(verify(vectorHeaders(), VECTOR.payload, secrets, verifyOptions(VECTOR.timestamp + 61, 60)), 'timestamp_out_of_tolerance');
	});

	it('returns missing_key when neither a secret nor a usable public key is configured', () => {
		expectRejected(verify(vectorHeaders(), VECTOR.payload, { secret: '' }), 'missing_key');
		expectRejected(verify(vectorHeaders(), VECTOR.payload, { secret: '', previousSecret: '' }), 'missing_key');
		// A previous secret alone is a half-done rotation, not a key.
		expectRejected(verify(vectorHeaders(), VECTOR.payload, { secret: '', previousSecret: VECTOR.secret }), 'missing_key');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(standardWebhooksScheme, ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'svix-signature'], {
			secret: VECTOR.secret,
			publicKey: RFC8032_PUBLIC_HEX,
		});
	});
});

describe('standardWebhooks: rotation and raw bytes', () => {
	it('accepts the previous secret during a rotation and says so', () => {
		const result = verify(vectorHeaders(), VECTOR.payload, { secret: OTHER_SECRET, previousSecret: VECTOR.secret });
		expect(expectAccepted(result).matched).toBe('previous');
	});

	it('prefers the current secret when both match', () => {
		expect(expectAccepted(verify(vectorHeaders(), VECTOR.payload, { secret: VECTOR.secret, previousSecret: VECTOR.secret })).matched).toBe('current');
	});

	it('verifies a non-UTF-8 body over its bytes, and a single changed byte fails', () => {
		const headers = signStandardWebhook({ payload: NON_UTF8_BODY, key: VECTOR.secret, id: 'msg_bytes', timestampSeconds: NOW });
		expectAccepted(verify(headers, NON_UTF8_BODY, { secret: VECTOR.secret }));
		// What a decode-to-string implementation would hash instead: U+FFFD replacement characters.
		expectRejected(verify(headers, Buffer.from(NON_UTF8_BODY.toString('utf8'), 'utf8'), { secret: VECTOR.secret }), 'invalid_signature');
	});
});

describe('standardWebhooks: describeEvent and sign', () => {
	it('takes the type from the body and the id from webhook-id', () => {
		const request = webhookRequest(vectorHeaders(), '{}');
		const verification = { ok: true as const, matched: 'current' as const, id: VECTOR.id, timestamp: VECTOR.timestamp };
		expect(standardWebhooksScheme.describeEvent(request, { type: 'response.completed' }, verification)).toEqual({ type: 'response.completed', id: VECTOR.id });
		expect(standardWebhooksScheme.describeEvent(request, undefined, { ok: true, matched: 'current' })).toEqual({ type: undefined, id: VECTOR.id });
	});

	it('sign() returns the three webhook-* headers, with a fresh id and the current time by default', () => {
		const headers = standardWebhooksScheme.sign!({ payload: Buffer.from('{}'), key: VECTOR.secret });
		expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
		expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
		const now = Math.floor(Date.now() / 1000);
		expectAccepted(verify(headers, '{}', { secret: VECTOR.secret }, verifyOptions(now)));
	});

	it('declares its sensitive headers and that it is timestamped', () => {
		expect(standardWebhooksScheme.sensitiveHeaders).toEqual(['webhook-signature', 'svix-signature']);
		expect(standardWebhooksScheme.timestamped).toBe(true);
		expect(standardWebhooksScheme.name).toBe('standardWebhooks');
	});
});
