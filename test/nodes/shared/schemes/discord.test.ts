import { generateKeyPairSync } from 'node:crypto';

import { verifyKey } from 'discord-interactions';
import nacl from 'tweetnacl';

import {
	discordPublicKeyHex,
	discordScheme,
	parseEd25519PrivateKey,
	parseEd25519PublicKey,
	signDiscordRequest,
} from '../../../../nodes/shared/schemes/discord';
import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import { NON_UTF8_BODY, expectAccepted, expectGarbageNeverVerifies, expectRejected, verifyOptions, webhookRequest } from './schemeTestKit';
import { RFC_TEST_1, RFC_TEST_2 } from './rfc8032Vectors';

// The RFC 8032 §7.1 vectors (rfc8032Vectors.ts): Discord publishes no
// request vector, so the Ed25519 key handling is pinned to the RFC and the request format to Discord's own SDK
// (discord-interactions `verifyKey`) and to an independent implementation (tweetnacl).

const NOW = 1_700_000_000;
const SEED = RFC_TEST_1.seed;
const SECRETS: SigningSecrets = { secret: '', publicKey: RFC_TEST_1.publicKey };
const PING = Buffer.from('{"id":"1122334455","type":1,"application_id":"99"}');

function verify(headers: Record<string, string | string[]>, body: Buffer | string, secrets: SigningSecrets = SECRETS, now = NOW) {
	return discordScheme.verify(webhookRequest(headers, body), secrets, verifyOptions(now));
}

function signed(body: Buffer, timestampSeconds = NOW, key = SEED) {
	return signDiscordRequest({ payload: body, key, timestampSeconds });
}

// Key parsing itself (formats, RFC 8032 key vectors, the cache) is tested in ed25519Keys.test.ts.
describe('discord: keys', () => {
	it('derives the hex public key Discord shows from the private key (RFC 8032 vectors)', () => {
		expect(discordPublicKeyHex(RFC_TEST_1.seed)).toBe(RFC_TEST_1.publicKey);
		expect(discordPublicKeyHex(RFC_TEST_2.seed)).toBe(RFC_TEST_2.publicKey);
		expect(() => discordPublicKeyHex('whsk_' + Buffer.from(RFC_TEST_1.seed, 'hex').toString('base64'))).toThrow();
	});

	it('accepts the public key as hex, base64, base64url and PEM', () => {
		const raw = Buffer.from(RFC_TEST_1.publicKey, 'hex');
		const pem = parseEd25519PublicKey(RFC_TEST_1.publicKey)?.export({ format: 'pem', type: 'spki' }).toString() ?? '';
		const headers = signed(PING);
		for (const publicKey of [RFC_TEST_1.publicKey.toUpperCase(), raw.toString('base64'), raw.toString('base64url'), pem, `  ${RFC_TEST_1.publicKey}\n`]) {
			expect(expectAccepted(verify(headers, PING, { secret: '', publicKey })).matched).toBe('publicKey');
		}
	});

	it('signs with a PEM or base64 private key as well as a hex seed', () => {
		const pem = parseEd25519PrivateKey(SEED)?.export({ format: 'pem', type: 'pkcs8' }).toString() ?? '';
		const base64 = Buffer.from(SEED, 'hex').toString('base64');
		expect(signed(PING, NOW, pem)).toEqual(signed(PING));
		expect(signed(PING, NOW, base64)).toEqual(signed(PING));
	});

	it('reports a non-Ed25519 public key as missing_key and refuses to sign with a non-Ed25519 private key', () => {
		const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
		const rsaPublic = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
		expectRejected(verify(signed(PING), PING, { secret: '', publicKey: rsaPublic }), 'missing_key');
		expect(() => signDiscordRequest({ payload: PING, key: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() })).toThrow();
		expect(() => signDiscordRequest({ payload: PING, key: 'not a key' })).toThrow();
	});
});

describe('discord: cross-checks', () => {
	it("produces signatures Discord's SDK (discord-interactions verifyKey) accepts", async () => {
		for (const body of [PING, Buffer.from('{"type":2,"data":{"name":"grüße 🚀"}}'), NON_UTF8_BODY]) {
			const headers = signed(body);
			await expect(verifyKey(body, headers['x-signature-ed25519'], headers['x-signature-timestamp'], RFC_TEST_1.publicKey)).resolves.toBe(true);
			await expect(verifyKey(Buffer.concat([body, Buffer.from(' ')]), headers['x-signature-ed25519'], headers['x-signature-timestamp'], RFC_TEST_1.publicKey)).resolves.toBe(false);
		}
	});

	it('accepts what tweetnacl signs over timestamp + body, and tweetnacl accepts ours', () => {
		const pair = nacl.sign.keyPair.fromSeed(Buffer.from(RFC_TEST_2.seed, 'hex'));
		expect(Buffer.from(pair.publicKey).toString('hex')).toBe(RFC_TEST_2.publicKey);
		const timestamp = String(NOW);
		const body = Buffer.from('{"type":3,"id":"42"}');
		const theirs = Buffer.from(nacl.sign.detached(Buffer.concat([Buffer.from(timestamp), body]), pair.secretKey)).toString('hex');
		const headers = { 'x-signature-ed25519': theirs, 'x-signature-timestamp': timestamp };
		expectAccepted(verify(headers, body, { secret: '', publicKey: RFC_TEST_2.publicKey }));

		const ours = signed(body, NOW, RFC_TEST_2.seed);
		expect(ours['x-signature-ed25519']).toBe(theirs);
		expect(nacl.sign.detached.verify(Buffer.concat([Buffer.from(timestamp), body]), Buffer.from(ours['x-signature-ed25519'], 'hex'), pair.publicKey)).toBe(true);
	});
});

describe('discord: verification', () => {
	const headers = signed(PING);

	it('accepts a genuine PING and reports the signed timestamp', () => {
		const result = expectAccepted(verify(headers, PING));
		expect(result).toEqual({ ok: true, matched: 'publicKey', timestamp: NOW });
	});

	it('rejects a tampered body', () => {
		expectRejected(verify(headers, Buffer.from('{"id":"1122334455","type":2,"application_id":"99"}')), 'invalid_signature');
	});

	it('rejects a signature by another key', () => {
		const other = signed(PING, NOW, RFC_TEST_2.seed);
		expectRejected(verify(other, PING), 'invalid_signature');
	});

	it('rejects a timestamp changed after signing', () => {
		expectRejected(verify({ ...headers, 'x-signature-timestamp': String(NOW + 1) }, PING), 'invalid_signature');
	});

	it('rejects an expired and a future timestamp, accepting the boundary', () => {
		expectAccepted(verify(signed(PING, NOW - 300), PING));
		expectRejected(verify(signed(PING, NOW - 301), PING), 'timestamp_out_of_tolerance');
		expectRejected(verify(signed(PING, NOW - 86_400), PING), 'timestamp_out_of_tolerance');
		expectRejected(verify(signed(PING, NOW + 3600), PING), 'timestamp_out_of_tolerance');
	});

	it('reports missing headers', () => {
		expectRejected(verify({}, PING), 'missing_signature');
		expectRejected(verify({ 'x-signature-ed25519': headers['x-signature-ed25519'] }, PING), 'missing_signature');
		expectRejected(verify({ 'x-signature-timestamp': headers['x-signature-timestamp'] }, PING), 'missing_signature');
	});

	it.each([
		['short signature', { 'x-signature-ed25519': headers['x-signature-ed25519'].slice(2) }],
		['non-hex signature', { 'x-signature-ed25519': 'zz' + headers['x-signature-ed25519'].slice(2) }],
		['base64 signature', { 'x-signature-ed25519': Buffer.from(headers['x-signature-ed25519'], 'hex').toString('base64') }],
		['non-numeric timestamp', { 'x-signature-timestamp': 'now' }],
		['negative timestamp', { 'x-signature-timestamp': '-1700000000' }],
		['repeated signature header', { 'x-signature-ed25519': [headers['x-signature-ed25519'], headers['x-signature-ed25519']] }],
	])('reports a malformed %s', (_label, override) => {
		expectRejected(verify({ ...headers, ...override }, PING), 'malformed_signature');
	});

	it('reports missing_key when no usable public key is configured', () => {
		expectRejected(verify(headers, PING, { secret: 'a shared secret is not enough' }), 'missing_key');
		expectRejected(verify(headers, PING, { secret: '', publicKey: '' }), 'missing_key');
		expectRejected(verify(headers, PING, { secret: '', publicKey: 'not-a-key' }), 'missing_key');
	});

	it('switches keys when the credential changes (no stale cached key)', () => {
		expectAccepted(verify(headers, PING));
		expectRejected(verify(headers, PING, { secret: '', publicKey: RFC_TEST_2.publicKey }), 'invalid_signature');
		expectAccepted(verify(headers, PING));
	});

	it('verifies the raw bytes of non-ASCII and non-UTF-8 bodies', () => {
		for (const body of [Buffer.from('{"type":2,"data":{"name":"Zoë 你好"}}'), NON_UTF8_BODY]) {
			expectAccepted(verify(signed(body), body));
			expectRejected(verify(signed(body), Buffer.from(body.toString('utf8') + ' ')), 'invalid_signature');
		}
		expectRejected(verify(signed(NON_UTF8_BODY), Buffer.from(NON_UTF8_BODY.toString('utf8'))), 'invalid_signature');
	});

	it('never throws on and never accepts arbitrary header values', () => {
		expectGarbageNeverVerifies(discordScheme, ['x-signature-ed25519', 'x-signature-timestamp'], SECRETS);
	});
});

describe('discord: event description', () => {
	const verified = { ok: true, matched: 'publicKey' } as const;
	const request = webhookRequest({}, PING);

	it('reports the interaction type as a string (PING is "1") and the interaction id', () => {
		expect(discordScheme.describeEvent(request, JSON.parse(PING.toString()), verified)).toEqual({ type: '1', id: '1122334455' });
		expect(discordScheme.describeEvent(request, { type: 2, id: '9' }, verified)).toEqual({ type: '2', id: '9' });
	});

	it('describes nothing for a body that is not an object', () => {
		expect(discordScheme.describeEvent(request, undefined, verified)).toEqual({});
		expect(discordScheme.describeEvent(request, 'text', verified)).toEqual({});
		expect(discordScheme.describeEvent(request, { type: { nested: true } }, verified)).toEqual({ type: undefined, id: undefined });
	});

	it('redacts the signature header and declares itself timestamped', () => {
		expect(discordScheme.sensitiveHeaders).toEqual(['x-signature-ed25519']);
		expect(discordScheme.timestamped).toBe(true);
	});
});
