import { constants, createPrivateKey, createPublicKey, createSign, createVerify, sign as signOneShot, verify as verifyOneShot } from 'node:crypto';
import type { KeyObject, SignKeyObjectInput, VerifyKeyObjectInput } from 'node:crypto';

import { ED25519_KEY_BYTES, decodeEd25519KeyBytes, ed25519PublicKeyFromBytes, parseEd25519PrivateKey } from './ed25519Keys';
import type { SignatureEncoding } from './types';
import { publicKeyFromJwk } from './jwks';
import { LruMap } from '../stores/lruMap';

/**
 * A signature made with the sender's private key over a message the provider defines (the signed-content template,
 * built by the caller), checked with a public key given in any of the forms providers publish: PEM (SPKI, PKCS#1,
 * or a certificate), bare base64 DER, JWK JSON, or the raw 32 bytes of an Ed25519 key (hex or base64). Malformed
 * input of any kind gives a failure reason, never an exception.
 */

export type PublicKeySignatureAlgorithm = 'ed25519' | 'ecdsaP256Sha256' | 'rsaPkcs1Sha256' | 'rsaPssSha256';

/** ECDSA signatures: ASN.1 DER (most providers), or raw r‖s, 64 bytes for P-256 (IEEE P1363, as JOSE uses). */
export type EcdsaSignatureFormat = 'der' | 'ieee-p1363';

/** The signed bytes: one Buffer, or parts in order (strings as UTF-8), as the template module yields them. */
export type SignedMessage = Buffer | ReadonlyArray<Buffer | string>;

export interface PublicKeySignatureCheck {
	algorithm: PublicKeySignatureAlgorithm;
	/** A key text (see `parsePublicKey`) or a KeyObject. */
	publicKey: string | KeyObject;
	message: SignedMessage;
	/** The signature as received (header value without any label). */
	signature: string;
	encoding: SignatureEncoding;
	/** ECDSA only; default `der`. */
	ecdsaFormat?: EcdsaSignatureFormat;
}

export type PublicKeySignatureResult = { ok: true } | { ok: false; reason: 'missing_key' | 'malformed_signature' | 'invalid_signature' };

const MIN_RSA_BITS = 2048;
/** RSA-4096 signatures are 512 bytes; nothing accepted here is longer. */
const MAX_SIGNATURE_BYTES = 512;
const ED25519_SIGNATURE_BYTES = 64;
const P256_P1363_BYTES = 64;
/** SEQUENCE { INTEGER r, INTEGER s } for P-256: r and s up to 33 bytes each, so at most 72 bytes. */
const P256_DER_MAX_BYTES = 72;

const HEX_TEXT = /^[0-9a-fA-F]*$/;
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL_TEXT = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * The bytes of a signature of any length up to `maxBytes` in `encoding`, or undefined. Only the canonical text of
 * the bytes passes (hex in either case; base64 and base64url padded or not, with zero unused bits): Buffer.from
 * alone skips bad characters and stray bits, so many texts would decode to one signature.
 */
export function decodeSignatureText(text: string, encoding: SignatureEncoding, maxBytes = MAX_SIGNATURE_BYTES): Buffer | undefined {
	const trimmed = text.trim();
	const maxChars = encoding === 'hex' ? maxBytes * 2 : Math.ceil(maxBytes / 3) * 4;
	if (trimmed === '' || trimmed.length > maxChars) return undefined;
	if (encoding === 'hex') {
		if (trimmed.length % 2 !== 0 || !HEX_TEXT.test(trimmed)) return undefined;
		const bytes = Buffer.from(trimmed, 'hex');
		return bytes.length <= maxBytes ? bytes : undefined;
	}
	if (!(encoding === 'base64' ? BASE64_TEXT : BASE64URL_TEXT).test(trimmed)) return undefined;
	const bytes = Buffer.from(trimmed, encoding);
	if (bytes.length === 0 || bytes.length > maxBytes) return undefined;
	const canonical = bytes.toString(encoding === 'base64' ? 'base64' : 'base64url');
	const unpadded = canonical.replace(/=+$/, '');
	const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
	return trimmed === unpadded || trimmed === padded ? bytes : undefined;
}

/** Whether a parsed key is the kind `algorithm` needs (and RSA keys are at least 2048 bits). */
export function keyFits(key: KeyObject, algorithm: PublicKeySignatureAlgorithm): boolean {
	switch (algorithm) {
		case 'ed25519':
			return key.asymmetricKeyType === 'ed25519';
		case 'ecdsaP256Sha256':
			return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
		case 'rsaPkcs1Sha256':
			return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
		case 'rsaPssSha256':
			return (
				(key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS
			);
	}
}

/** Bare base64 of a DER key, as SendGrid shows it; whitespace (a PEM body pasted without its lines) is ignored. */
function derFromBase64(text: string): Buffer | undefined {
	const compact = text.replace(/\s+/g, '');
	if (compact.length < 16 || !BASE64_TEXT.test(compact)) return undefined;
	return Buffer.from(compact, 'base64');
}

function keyFromText(text: string, algorithm: PublicKeySignatureAlgorithm): KeyObject | undefined {
	if (text.startsWith('-----BEGIN')) return createPublicKey(text);
	if (text.startsWith('{')) return publicKeyFromJwk(JSON.parse(text))?.key;
	if (algorithm === 'ed25519') {
		const raw = decodeEd25519KeyBytes(text, [ED25519_KEY_BYTES]);
		if (raw) return ed25519PublicKeyFromBytes(raw);
	}
	const der = derFromBase64(text);
	if (!der) return undefined;
	try {
		return createPublicKey({ key: der, format: 'der', type: 'spki' });
	} catch {
		// An RSA key is sometimes given as PKCS#1 RSAPublicKey rather than SubjectPublicKeyInfo.
		return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
	}
}

/**
 * The public key in `text` if it is usable for `algorithm`, else undefined. Accepted: PEM (`PUBLIC KEY`,
 * `RSA PUBLIC KEY`, `CERTIFICATE`), base64 DER (SubjectPublicKeyInfo, or PKCS#1 for RSA), a JWK as JSON, and for
 * Ed25519 also the raw 32 bytes as hex, base64 or base64url.
 */
export function parsePublicKey(text: string, algorithm: PublicKeySignatureAlgorithm): KeyObject | undefined {
	const trimmed = text.trim();
	if (trimmed === '') return undefined;
	try {
		const key = keyFromText(trimmed, algorithm);
		return key && keyFits(key, algorithm) ? key : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Parsed keys by algorithm and text, unusable ones as null so a misconfigured key is not parsed per request. Parsing
 * costs as much as a verification or more (a PEM ~100 µs); keys come from credentials and provider constants.
 */
const MAX_CACHED_KEYS = 64;
const cachedKeys = new LruMap<KeyObject | null>(MAX_CACHED_KEYS);

/** `parsePublicKey`, remembered. */
export function cachedPublicKey(text: string, algorithm: PublicKeySignatureAlgorithm): KeyObject | undefined {
	const id = `${algorithm}\n${text}`;
	let key = cachedKeys.get(id);
	if (key === undefined) {
		key = parsePublicKey(text, algorithm) ?? null;
		cachedKeys.set(id, key);
	}
	return key ?? undefined;
}

function expectedSignatureLength(key: KeyObject, check: PublicKeySignatureCheck): { min: number; max: number } {
	switch (check.algorithm) {
		case 'ed25519':
			return { min: ED25519_SIGNATURE_BYTES, max: ED25519_SIGNATURE_BYTES };
		case 'ecdsaP256Sha256':
			return check.ecdsaFormat === 'ieee-p1363' ? { min: P256_P1363_BYTES, max: P256_P1363_BYTES } : { min: 8, max: P256_DER_MAX_BYTES };
		default: {
			const bytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
			return { min: bytes, max: bytes };
		}
	}
}

function verifyOptions(key: KeyObject, check: PublicKeySignatureCheck): VerifyKeyObjectInput | KeyObject {
	if (check.algorithm === 'ecdsaP256Sha256') return { key, dsaEncoding: check.ecdsaFormat === 'ieee-p1363' ? 'ieee-p1363' : 'der' };
	// AUTO: the salt length is read from the signature; senders use 32 (the digest length) or the maximum.
	if (check.algorithm === 'rsaPssSha256') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO };
	return key;
}

/** Verifies `check.signature` over `check.message`. Never throws. */
export function verifyPublicKeySignature(check: PublicKeySignatureCheck): PublicKeySignatureResult {
	const key = typeof check.publicKey === 'string' ? cachedPublicKey(check.publicKey, check.algorithm) : check.publicKey;
	if (!key || !keyFits(key, check.algorithm)) return { ok: false, reason: 'missing_key' };
	if (typeof check.signature !== 'string') return { ok: false, reason: 'malformed_signature' };
	const signature = decodeSignatureText(check.signature, check.encoding);
	const length = signature && expectedSignatureLength(key, check);
	if (!signature || !length || signature.length < length.min || signature.length > length.max) return { ok: false, reason: 'malformed_signature' };
	try {
		return verifyMessage(key, check, signature) ? { ok: true } : { ok: false, reason: 'invalid_signature' };
	} catch {
		// OpenSSL refuses some malformed signatures (a DER that does not parse) by throwing rather than returning false.
		return { ok: false, reason: 'invalid_signature' };
	}
}

function verifyMessage(key: KeyObject, check: PublicKeySignatureCheck, signature: Buffer): boolean {
	const options = verifyOptions(key, check);
	if (Buffer.isBuffer(check.message)) return verifyOneShot(check.algorithm === 'ed25519' ? null : 'sha256', check.message, options, signature);
	const parts = check.message as ReadonlyArray<Buffer | string>;
	// Ed25519 hashes the message twice internally and cannot be streamed; RSA and ECDSA hash the parts as they come.
	if (check.algorithm === 'ed25519') return verifyOneShot(null, concatParts(parts), options, signature);
	const verifier = createVerify('sha256');
	for (const part of parts) verifier.update(part);
	return verifier.verify(options, signature);
}

function concatParts(parts: ReadonlyArray<Buffer | string>): Buffer {
	return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

/**
 * The signature a sender puts in its header, in `encoding`. `privateKey`: a KeyObject, a PEM private key, or for
 * Ed25519 also a raw 32-byte seed (hex or base64). For tests and for the Signed Webhook node; throws on a bad key.
 */
export function signPublicKeySignature(
	privateKey: string | KeyObject,
	algorithm: PublicKeySignatureAlgorithm,
	message: SignedMessage,
	encoding: SignatureEncoding,
	ecdsaFormat: EcdsaSignatureFormat = 'der',
): string {
	const key =
		typeof privateKey !== 'string'
			? privateKey
			: ((algorithm === 'ed25519' ? parseEd25519PrivateKey(privateKey) : undefined) ?? createPrivateKey(privateKey));
	const bytes = Buffer.isBuffer(message) ? message : concatParts(message as ReadonlyArray<Buffer | string>);
	let signature: Buffer;
	if (algorithm === 'ed25519') {
		signature = signOneShot(null, bytes, key);
	} else {
		const options: SignKeyObjectInput | KeyObject =
			algorithm === 'ecdsaP256Sha256'
				? { key, dsaEncoding: ecdsaFormat }
				: algorithm === 'rsaPssSha256'
					? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
					: key;
		signature = createSign('sha256').update(bytes).sign(options);
	}
	return signature.toString(encoding === 'hex' ? 'hex' : encoding === 'base64' ? 'base64' : 'base64url');
}
