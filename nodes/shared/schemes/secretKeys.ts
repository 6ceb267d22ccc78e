import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * HMAC keys as KeyObjects, made once per secret. Node 24 spends ~25 µs per `createHmac` given a Buffer key (about
 * 5 µs for a KeyObject), and jsonwebtoken given a string secret first tries and fails to parse it as a PEM key
 * (~0.9 ms per verification on Node 20). Secrets live in process memory anyway; this map is never logged or output.
 */
const secretKeys = new Map<string, KeyObject>();

/** Bound on cached keys: a credential holds two secrets; this only matters when many credentials share a process. */
const MAX_CACHED_KEYS = 64;

/** The KeyObject of `secret`'s UTF-8 bytes. */
export function secretKeyFor(secret: string): KeyObject {
	let key = secretKeys.get(secret);
	if (!key) {
		if (secretKeys.size >= MAX_CACHED_KEYS) secretKeys.clear();
		key = createSecretKey(Buffer.from(secret, 'utf8'));
		secretKeys.set(secret, key);
	}
	return key;
}
