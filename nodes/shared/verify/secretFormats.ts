import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { LruMap } from '../stores/lruMap';

/**
 * How a provider turns the secret it shows into HMAC key bytes. Getting this wrong is the classic reason every
 * delivery fails: Stripe uses its `whsec_…` text as it is, Standard Webhooks base64-decodes what follows `whsec_`.
 *
 * - `utf8`: the text as shown (Stripe, GitHub, Slack, most providers)
 * - `hex`: the text is hex; the key is the bytes it encodes
 * - `base64`: the text is base64 (or base64url); the key is the bytes it encodes
 * - `whsec`: Standard Webhooks: an optional `whsec_` label, then base64
 * - `{ stripPrefix, decode }`: a label to drop first (when present), then one of the above
 */
export type SecretDecoding = 'utf8' | 'hex' | 'base64';
export type SecretFormat = SecretDecoding | 'whsec' | { stripPrefix: string; decode: SecretDecoding };

const HEX_TEXT = /^(?:[0-9a-fA-F]{2})+$/;

/** The key bytes of `secret` in `format`; undefined when the text is not in that format or encodes no bytes. */
export function secretBytes(secret: string, format: SecretFormat): Buffer | undefined {
	let text = secret;
	let decoding: SecretDecoding;
	if (format === 'whsec') {
		if (text.startsWith('whsec_')) text = text.slice('whsec_'.length);
		decoding = 'base64';
	} else if (typeof format === 'object') {
		if (format.stripPrefix !== '' && text.startsWith(format.stripPrefix)) text = text.slice(format.stripPrefix.length);
		decoding = format.decode;
	} else {
		decoding = format;
	}
	if (decoding === 'utf8') return text === '' ? undefined : Buffer.from(text, 'utf8');
	if (decoding === 'hex') return HEX_TEXT.test(text) ? Buffer.from(text, 'hex') : undefined;
	// Leniently, as the providers' own libraries decode (Buffer.from reads base64 and base64url alike).
	const bytes = Buffer.from(text, 'base64');
	return bytes.length > 0 ? bytes : undefined;
}

function formatId(format: SecretFormat): string {
	return typeof format === 'string' ? format : `${format.decode}:${format.stripPrefix}`;
}

/**
 * HMAC keys as KeyObjects, made once per secret and format. Node 24 spends ~25-35 µs per `createHmac` given a Buffer
 * key (about 5 µs for a KeyObject), and jsonwebtoken given a string secret first tries and fails to parse it as a PEM
 * key (~0.9 ms per verification on Node 20). Secrets live in process memory anyway; these maps are never logged or
 * output. Unusable texts are remembered as such (null).
 */
/** Bound on cached keys per format: a credential holds two secrets; this only matters when many credentials share a process. */
const MAX_CACHED_KEYS = 64;
/** Formats are constants of the catalogue's recipes. */
const MAX_CACHED_FORMATS = 16;
const keysByFormat = new LruMap<LruMap<KeyObject | null>>(MAX_CACHED_FORMATS);

/** The HMAC key of `secret` read in `format`, or undefined when the text is not in that format. */
export function hmacKeyFor(secret: string, format: SecretFormat): KeyObject | undefined {
	const id = formatId(format);
	let keys = keysByFormat.get(id);
	if (!keys) {
		keys = new LruMap(MAX_CACHED_KEYS);
		keysByFormat.set(id, keys);
	}
	let key = keys.get(secret);
	if (key === undefined) {
		const bytes = secretBytes(secret, format);
		key = bytes ? createSecretKey(bytes) : null;
		keys.set(secret, key);
	}
	return key ?? undefined;
}

const utf8SecretKeys = new LruMap<KeyObject>(MAX_CACHED_KEYS);

/**
 * The KeyObject of `secret`'s UTF-8 bytes, empty text included (jsonwebtoken and a few callers need a key for any
 * string). The hot path of most providers: one map lookup.
 */
export function secretKeyFor(secret: string): KeyObject {
	let key = utf8SecretKeys.get(secret);
	if (!key) {
		key = createSecretKey(Buffer.from(secret, 'utf8'));
		utf8SecretKeys.set(secret, key);
	}
	return key;
}

/**
 * The HMAC key of a Standard Webhooks secret: the bytes of the base64 after an optional `whsec_` prefix (decoded
 * leniently, as the Standard Webhooks libraries do), or undefined when that is no bytes at all.
 */
export function whsecSecretKeyFor(secret: string): KeyObject | undefined {
	return hmacKeyFor(secret, 'whsec');
}
