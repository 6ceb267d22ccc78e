import { generateKeyPairSync } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import { JwksCache, parseJwks, publicKeyFromJwk, type JwksCacheOptions } from '../../../../nodes/shared/verify/jwks';

import { hang, json, redirect, startHttpKeyServer, text, type KeyServer } from './keyServer';

function publicJwk(key: KeyObject, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { ...(key.export({ format: 'jwk' }) as JsonWebKey), ...extra };
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ed25519 = generateKeyPairSync('ed25519');

describe('jwks: JWK to KeyObject', () => {
	it.each([
		['RSA', rsa.publicKey, 'rsa'],
		['EC P-256', p256.publicKey, 'ec'],
		['EC P-384', p384.publicKey, 'ec'],
		['OKP Ed25519', ed25519.publicKey, 'ed25519'],
	])('%s becomes a public KeyObject of the same key', (_label, publicKey, type) => {
		const entry = publicKeyFromJwk(publicJwk(publicKey, { kid: 'k', alg: 'X' }));
		expect(entry?.key.type).toBe('public');
		expect(entry?.key.asymmetricKeyType).toBe(type);
		expect(entry?.key.equals(publicKey)).toBe(true);
		expect(entry?.algorithm).toBe('X');
	});

	it('takes only the public members of a JWK that carelessly includes the private key', () => {
		const withPrivate = rsa.privateKey.export({ format: 'jwk' });
		const entry = publicKeyFromJwk(withPrivate);
		expect(entry?.key.type).toBe('public');
		expect(entry?.key.equals(rsa.publicKey)).toBe(true);
	});

	it('skips encryption keys, keys without verify in key_ops, short RSA keys and anything that is not a key', () => {
		const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
		expect(publicKeyFromJwk(publicJwk(rsa.publicKey, { use: 'enc' }))).toBeUndefined();
		expect(publicKeyFromJwk(publicJwk(rsa.publicKey, { use: 'sig' }))).toBeDefined();
		expect(publicKeyFromJwk(publicJwk(rsa.publicKey, { key_ops: ['encrypt'] }))).toBeUndefined();
		expect(publicKeyFromJwk(publicJwk(rsa.publicKey, { key_ops: ['verify'] }))).toBeDefined();
		expect(publicKeyFromJwk(publicJwk(short.publicKey))).toBeUndefined();
		expect(publicKeyFromJwk({ kty: 'oct', k: 'c2VjcmV0' })).toBeUndefined();
		expect(publicKeyFromJwk({ kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' })).toBeUndefined();
		expect(publicKeyFromJwk({ kty: 'OKP', crv: 'X25519', x: 'AA' })).toBeUndefined();
		expect(publicKeyFromJwk({ kty: 'RSA', n: 'not base64url!', e: 'AQAB' })).toBeUndefined();
		expect(publicKeyFromJwk({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' })).toBeUndefined();
		for (const garbage of [null, 'RSA', 42, [], {}, { kty: 'RSA' }, { kty: 'RSA', n: 5, e: 'AQAB' }]) {
			expect(publicKeyFromJwk(garbage)).toBeUndefined();
		}
	});
});

describe('jwks: parsing a set', () => {
	it('indexes usable keys by kid, skipping keys without one, and keeps repeated kids', () => {
		const keys = parseJwks(
			JSON.stringify({
				keys: [
					publicJwk(rsa.publicKey, { kid: 'a', alg: 'RS256' }),
					publicJwk(p256.publicKey, { kid: 'a' }),
					publicJwk(rsa2.publicKey),
					publicJwk(ed25519.publicKey, { kid: 'b' }),
					{ kid: 'c', kty: 'oct', k: 'c2VjcmV0' },
				],
			}),
		);
		expect([...(keys?.keys() ?? [])]).toEqual(['a', 'b']);
		expect(keys?.get('a')?.map((entry) => entry.key.asymmetricKeyType)).toEqual(['rsa', 'ec']);
	});

	it.each([
		['not JSON', '{"keys":['],
		['not an object', '[]'],
		['no keys array', '{"keys":{}}'],
		['more than 100 keys', JSON.stringify({ keys: Array.from({ length: 101 }, () => ({})) })],
	])('refuses %s', (_label, document) => {
		expect(parseJwks(document)).toBeUndefined();
	});
});

/** A controllable clock: the refetch interval is a minute, and tests do not wait a minute. */
function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
	let now = start;
	return { now: () => now, advance: (ms) => (now += ms) };
}

describe('JwksCache against a real loopback JWKS server', () => {
	let server: KeyServer;
	let time: ReturnType<typeof clock>;
	let cache: JwksCache;
	const url = (path: string) => `${server.origin}${path}`;
	const newCache = (options: JwksCacheOptions = {}) => new JwksCache({ allowLoopbackHttp: true, timeoutMs: 2000, now: time.now, ...options });

	beforeEach(async () => {
		server = await startHttpKeyServer();
		server.routes.set('/jwks', json({ keys: [publicJwk(rsa.publicKey, { kid: 'one', alg: 'RS256' })] }));
		time = clock();
		cache = newCache();
	});
	afterEach(async () => await server.close());

	it('fetches once and answers later lookups from memory', async () => {
		const first = await cache.getKey(url('/jwks'), 'one');
		expect(first.ok && first.key.equals(rsa.publicKey)).toBe(true);
		expect(first.ok && first.algorithm).toBe('RS256');
		time.advance(30 * 60_000);
		expect((await cache.getKey(url('/jwks'), 'one')).ok).toBe(true);
		expect(server.hitsFor('/jwks')).toBe(1);
	});

	it('shares one in-flight fetch between concurrent lookups', async () => {
		const results = await Promise.all(Array.from({ length: 20 }, () => cache.getKey(url('/jwks'), 'one')));
		expect(results.every((result) => result.ok)).toBe(true);
		expect(server.hitsFor('/jwks')).toBe(1);
	});

	it('finds a key the provider rotated in, re-fetching for its unknown kid once the minute is over', async () => {
		expect((await cache.getKey(url('/jwks'), 'one')).ok).toBe(true);
		server.routes.set(
			'/jwks',
			json({ keys: [publicJwk(rsa.publicKey, { kid: 'one' }), publicJwk(rsa2.publicKey, { kid: 'two' })] }),
		);
		// Within the minute after the last fetch, an unknown kid is answered from memory.
		time.advance(59_000);
		expect(await cache.getKey(url('/jwks'), 'two')).toEqual({ ok: false, reason: 'unknown_kid' });
		expect(server.hitsFor('/jwks')).toBe(1);
		time.advance(1_000);
		const rotated = await cache.getKey(url('/jwks'), 'two');
		expect(rotated.ok && rotated.key.equals(rsa2.publicKey)).toBe(true);
		expect(server.hitsFor('/jwks')).toBe(2);
		expect(cache.cachedKeyIds(url('/jwks'))).toEqual(['one', 'two']);
	});

	it('drops a key the provider rotated out when the set is re-fetched', async () => {
		expect((await cache.getKey(url('/jwks'), 'one')).ok).toBe(true);
		server.routes.set('/jwks', json({ keys: [publicJwk(rsa2.publicKey, { kid: 'two' })] }));
		time.advance(60_000);
		expect((await cache.getKey(url('/jwks'), 'two')).ok).toBe(true);
		expect(await cache.getKey(url('/jwks'), 'one')).toEqual({ ok: false, reason: 'unknown_kid' });
	});

	it('re-fetches for unknown kids at most once a minute per URL, however many arrive', async () => {
		await cache.getKey(url('/jwks'), 'one');
		for (let index = 0; index < 50; index++) {
			expect(await cache.getKey(url('/jwks'), `forged-${index}`)).toEqual({ ok: false, reason: 'unknown_kid' });
			time.advance(1_000);
		}
		// 50 seconds of forged kids: no fetch besides the first. After the minute: one more, then quiet again.
		expect(server.hitsFor('/jwks')).toBe(1);
		time.advance(10_000);
		await Promise.all(Array.from({ length: 10 }, (_, index) => cache.getKey(url('/jwks'), `late-${index}`)));
		expect(server.hitsFor('/jwks')).toBe(2);
	});

	it('limits each URL on its own', async () => {
		server.routes.set('/other', json({ keys: [publicJwk(p256.publicKey, { kid: 'ec' })] }));
		await cache.getKey(url('/jwks'), 'unknown');
		expect((await cache.getKey(url('/other'), 'ec')).ok).toBe(true);
		expect(server.hitsFor('/jwks')).toBe(1);
		expect(server.hitsFor('/other')).toBe(1);
	});

	it('refreshes a set older than maxAgeMs, and keeps the old set usable while the refresh fails', async () => {
		cache = newCache({ maxAgeMs: 10 * 60_000, maxStaleMs: 60 * 60_000 });
		await cache.getKey(url('/jwks'), 'one');
		server.routes.set('/jwks', text('down', 503));
		time.advance(10 * 60_000);
		expect((await cache.getKey(url('/jwks'), 'one')).ok).toBe(true);
		expect(server.hitsFor('/jwks')).toBe(2);
		// Stale beyond maxAgeMs + maxStaleMs: no longer trusted.
		time.advance(60 * 60_000);
		expect(await cache.getKey(url('/jwks'), 'one')).toEqual({ ok: false, reason: 'unavailable', detail: 'http_status' });
		server.routes.set('/jwks', json({ keys: [publicJwk(rsa.publicKey, { kid: 'one' })] }));
		time.advance(60_000);
		expect((await cache.getKey(url('/jwks'), 'one')).ok).toBe(true);
	});

	it('does not hammer a failing JWKS: one fetch a minute, failures answered from memory', async () => {
		server.routes.set('/jwks', text('down', 500));
		for (let index = 0; index < 5; index++) {
			expect(await cache.getKey(url('/jwks'), 'one')).toEqual({ ok: false, reason: 'unavailable', detail: 'http_status' });
		}
		expect(server.hitsFor('/jwks')).toBe(1);
	});

	it.each([
		['an oversize set', '/big', () => json({ keys: [publicJwk(rsa.publicKey, { kid: 'one' })], pad: 'x'.repeat(70_000) }), 'too_large'],
		['a set that never comes', '/slow', () => hang, 'timeout'],
		['a redirect to another host', '/moved', () => redirect('http://localhost:1/jwks'), 'redirect_refused'],
		['bad JSON', '/bad', () => text(JSON.stringify({ keys: [publicJwk(rsa.publicKey, { kid: 'one' })] }).slice(0, -2), 200, 'application/json'), 'bad_document'],
		['JSON that is not a JWKS', '/notjwks', () => json({ keys: 'none' }), 'bad_document'],
	])('refuses %s, and the failure carries no key material', async (_label, path, route, detail) => {
		server.routes.set(path, route());
		cache = newCache({ timeoutMs: 300 });
		const result = await cache.getKey(url(path), 'one');
		expect(result).toEqual({ ok: false, reason: 'unavailable', detail });
		expect(JSON.stringify(result)).not.toContain(String(publicJwk(rsa.publicKey).n).slice(0, 16));
	});

	it('fetches only https (and loopback http when allowed for tests)', async () => {
		const strict = new JwksCache({ now: time.now });
		expect(await strict.getKey(url('/jwks'), 'one')).toEqual({ ok: false, reason: 'unavailable', detail: 'insecure_url' });
		expect(server.hitsFor('/jwks')).toBe(0);
	});

	it('forgets the least recently used URL beyond maxUrls', async () => {
		server.routes.set('/a', json({ keys: [publicJwk(rsa.publicKey, { kid: 'k' })] }));
		server.routes.set('/b', json({ keys: [publicJwk(rsa.publicKey, { kid: 'k' })] }));
		server.routes.set('/c', json({ keys: [publicJwk(rsa.publicKey, { kid: 'k' })] }));
		cache = newCache({ maxUrls: 2 });
		await cache.getKey(url('/a'), 'k');
		await cache.getKey(url('/b'), 'k');
		await cache.getKey(url('/a'), 'k');
		await cache.getKey(url('/c'), 'k');
		expect(cache.cachedKeyIds(url('/a'))).toEqual(['k']);
		expect(cache.cachedKeyIds(url('/b'))).toEqual([]);
		expect(cache.cachedKeyIds(url('/c'))).toEqual(['k']);
	});

	it('gives every key of a repeated kid to getKeys', async () => {
		server.routes.set('/dup', json({ keys: [publicJwk(p256.publicKey, { kid: 'x' }), publicJwk(rsa.publicKey, { kid: 'x' })] }));
		const result = await cache.getKeys(url('/dup'), 'x');
		expect(result.ok && result.keys.map((entry) => entry.key.asymmetricKeyType)).toEqual(['ec', 'rsa']);
	});
});
