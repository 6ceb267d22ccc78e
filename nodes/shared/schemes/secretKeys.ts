import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * HMAC keys as KeyObjects, made once per secret. Node 24 spends ~25-35 µs per `createHmac` given a Buffer key (about
 * 5 µs for a KeyObject), and jsonwebtoken given a string secret first tries and fails to parse it as a PEM key
 * (~0.9 ms per verification on Node 20). Secrets live in process memory anyway; these maps are never logged or output.
 */
const utf8SecretKeys = new Map<string, KeyObject>();
/** By `whsec_…` text; null when the secret decodes to no bytes. */
const whsecSecretKeys = new Map<string, KeyObject | null>();

/** Bound on cached keys per map: a credential holds two secrets; this only matters when many credentials share a process. */
const MAX_CACHED_KEYS = 64;

/** The KeyObject of `secret`'s UTF-8 bytes. */
export function secretKeyFor(secret: string): KeyObject {
	let key = utf8SecretKeys.get(secret);
	if (!key) {
		if (utf8SecretKeys.size >= MAX_CACHED_KEYS) utf8SecretKeys.clear();
		key = createSecretKey(Buffer.from(secret, 'utf8'));
		utf8SecretKeys.set(secret, key);
	}
	return key;
}

/**
 * The HMAC key of a Standard Webhooks secret: the bytes of the base64 after an optional `whsec_` prefix (decoded
 * leniently, as the Standard Webhooks libraries do), or undefined when that is no bytes at all. Cached by the whole
 * secret text, so a verification neither slices nor decodes it.
 */
export function whsecSecretKeyFor(secret: string): KeyObject | undefined {
	let key = whsecSecretKeys.get(secret);
	if (key === undefined) {
		if (whsecSecretKeys.size >= MAX_CACHED_KEYS) whsecSecretKeys.clear();
		const bytes = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
		key = bytes.length > 0 ? createSecretKey(bytes) : null;
		whsecSecretKeys.set(secret, key);
	}
	return key ?? undefined;
}
