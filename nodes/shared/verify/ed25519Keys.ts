import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { LruMap } from '../stores/lruMap';

/**
 * Ed25519 keys as users paste them into the credential (Discord, Standard Webhooks v1a): a PEM, or the raw key bytes
 * as hex, base64 or base64url, optionally behind a scheme's label (`whpk_`, `whsk_`).
 */

export const ED25519_KEY_BYTES = 32;

/** DER prefix that turns a raw 32-byte Ed25519 seed into a PKCS#8 private key (RFC 8410). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const HEX_PATTERN = /^[0-9a-fA-F]+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** How a scheme writes a raw (non-PEM) key. PEM keys are always accepted as they are. */
export interface Ed25519KeyFormat {
	/** Label before the raw key, e.g. Standard Webhooks' `whpk_`. Empty for none. */
	prefix: string;
	/**
	 * Raw text without the label is not a key. Standard Webhooks needs this for signing keys: a bare base64 string is
	 * a `whsec_` HMAC secret, and a 32-byte secret cannot be told apart from a seed.
	 */
	prefixRequired: boolean;
}

/** Hex, base64 or base64url as shown by Discord, tweetnacl, libsodium and most dashboards: no label. */
export const BARE_ED25519_KEY: Readonly<Ed25519KeyFormat> = { prefix: '', prefixRequired: false };

/**
 * Exactly one of `byteLengths` bytes from hex (either case) or canonical base64/base64url (padding optional), or
 * undefined. `Buffer.from` alone skips bad characters and stray bits, so a mistyped key would decode to another key.
 */
export function decodeEd25519KeyBytes(text: string, byteLengths: readonly number[]): Buffer | undefined {
	for (const byteLength of byteLengths) {
		if (text.length === byteLength * 2 && HEX_PATTERN.test(text)) return Buffer.from(text, 'hex');
	}
	if (!BASE64_PATTERN.test(text)) return undefined;
	const unpadded = text.replace(/=+$/, '');
	const bytes = Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
	if (!byteLengths.includes(bytes.length) || unpadded.length !== Math.ceil((bytes.length * 4) / 3)) return undefined;
	const canonical = bytes.toString('base64').replace(/=+$/, '');
	const canonicalUrl = bytes.toString('base64url');
	return unpadded === canonical || unpadded === canonicalUrl ? bytes : undefined;
}

/** The text after the format's label, or undefined when the label is required and absent. */
function rawKeyText(trimmed: string, format: Readonly<Ed25519KeyFormat>): string | undefined {
	if (format.prefix !== '' && trimmed.startsWith(format.prefix)) return trimmed.slice(format.prefix.length);
	return format.prefixRequired ? undefined : trimmed;
}

/** Via JWK: on Node 20 a DER or PEM import goes through OpenSSL's decoders (~130 µs here), a JWK import ~10 µs. */
export function ed25519PublicKeyFromBytes(raw: Buffer): KeyObject {
	return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function ed25519PrivateKeyFromSeed(seed: Buffer): KeyObject {
	return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The 32 raw bytes of the public key of an Ed25519 key (private or public), as Discord and `whpk_` show them. */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
	const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
	return Buffer.from(String(jwk.x), 'base64url');
}

/** A PEM public key, or the format's raw 32 bytes. Undefined for anything else, including non-Ed25519 PEMs. */
export function parseEd25519PublicKey(text: string | undefined, format: Readonly<Ed25519KeyFormat> = BARE_ED25519_KEY): KeyObject | undefined {
	const trimmed = text?.trim();
	if (!trimmed) return undefined;
	try {
		if (trimmed.startsWith('-----BEGIN')) {
			const key = createPublicKey(trimmed);
			return key.asymmetricKeyType === 'ed25519' ? key : undefined;
		}
		const raw = rawKeyText(trimmed, format);
		const bytes = raw === undefined ? undefined : decodeEd25519KeyBytes(raw, [ED25519_KEY_BYTES]);
		return bytes && ed25519PublicKeyFromBytes(bytes);
	} catch {
		return undefined;
	}
}

/**
 * A PEM (PKCS#8) private key, or the format's raw key: the 32-byte seed, or the 64-byte seed + public key that
 * libsodium and tweetnacl call the secret key (whose public half must then belong to the seed).
 */
export function parseEd25519PrivateKey(text: string | undefined, format: Readonly<Ed25519KeyFormat> = BARE_ED25519_KEY): KeyObject | undefined {
	const trimmed = text?.trim();
	if (!trimmed) return undefined;
	try {
		if (trimmed.startsWith('-----BEGIN')) {
			const key = createPrivateKey(trimmed);
			return key.asymmetricKeyType === 'ed25519' ? key : undefined;
		}
		const raw = rawKeyText(trimmed, format);
		const bytes = raw === undefined ? undefined : decodeEd25519KeyBytes(raw, [ED25519_KEY_BYTES, 2 * ED25519_KEY_BYTES]);
		if (!bytes) return undefined;
		const key = ed25519PrivateKeyFromSeed(bytes.subarray(0, ED25519_KEY_BYTES));
		if (bytes.length > ED25519_KEY_BYTES && !rawEd25519PublicKey(key).equals(bytes.subarray(ED25519_KEY_BYTES))) return undefined;
		return key;
	} catch {
		return undefined;
	}
}

/**
 * Parsed public keys by format and text. Parsing costs ~10-180 µs here (PEM on Node 20 the most), as much as an
 * Ed25519 verification, and the credential changes rarely. Unusable keys are remembered too (as null), so a misconfigured key is not re-parsed per request.
 * Public keys are not secret, but the map is still bounded: texts come from credentials, one or two per workflow.
 */
const MAX_CACHED_PUBLIC_KEYS = 64;
const cachedPublicKeys = new LruMap<KeyObject | null>(MAX_CACHED_PUBLIC_KEYS);

/** `parseEd25519PublicKey`, remembered per format and text. */
export function cachedEd25519PublicKey(text: string | undefined, format: Readonly<Ed25519KeyFormat> = BARE_ED25519_KEY): KeyObject | undefined {
	if (!text) return undefined;
	// By value, not by object: a caller passing a fresh format literal each time must not grow the cache.
	const formatId = `${format.prefixRequired ? 'required' : 'optional'}:${format.prefix}`;
	const id = `${formatId}\n${text}`;
	let key = cachedPublicKeys.get(id);
	if (key === undefined) {
		key = parseEd25519PublicKey(text, format) ?? null;
		cachedPublicKeys.set(id, key);
	}
	return key ?? undefined;
}
