import { randomBytes, sign as signBytes, verify as verifyBytes, type KeyObject } from 'node:crypto';

import type { HeaderMap } from '../../http';
import {
	cachedEd25519PublicKey,
	parseEd25519PrivateKey as parsePrivateKeyIn,
	parseEd25519PublicKey as parsePublicKeyIn,
	type Ed25519KeyFormat,
} from '../../verify/ed25519Keys';
import { readSingleHeader } from '../../verify/headers';
import { hmacSha256OfPrefixedBody } from '../../verify/hmacSha256';
import { fail } from '../../verify/results';
import { findMatchingSecret, secretCandidates } from '../../verify/secretCandidates';
import { whsecSecretKeyFor } from '../../verify/secretFormats';
import { decodeFixedBase64 } from '../../verify/signatureEncoding';
import { isWithinTolerance, nowInSeconds, parseUnixTimestamp } from '../../verify/timestamps';
import type { IncomingWebhook, SecretMatch, SigningSecrets, VerificationFailure, VerificationResult, VerifyOptions } from '../../verify/types';
import type { SpecialVerifier } from '../types';

/** Svix (and so Clerk, Resend…) sends the same three headers under its own names. */
const HEADER_SETS = [
	{ id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
	{ id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' },
] as const;

/** Svix's names when the request carries Svix's signature header and not the standard one. */
function headerNamesOf(headers: HeaderMap): (typeof HEADER_SETS)[number] {
	const [standard, svix] = HEADER_SETS;
	return headers[standard.signature] === undefined && headers[svix.signature] !== undefined ? svix : standard;
}

/** A legitimate sender lists one signature per active key; a long list only costs us Ed25519 verifications. */
const MAX_SIGNATURES = 16;
const MAX_ID_CHARS = 256;
const HMAC_SHA256_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

/** `v1a` verifying keys: `whpk_<base64>`, or the bare raw key (hex/base64), or a PEM. */
export const STANDARD_WEBHOOKS_PUBLIC_KEY: Readonly<Ed25519KeyFormat> = { prefix: 'whpk_', prefixRequired: false };

/**
 * `v1a` signing keys: `whsk_<base64>` (32-byte seed, or libsodium's 64-byte seed + public key) or a PEM. Bare text is
 * a `whsec_` HMAC secret, never a seed: the two cannot be told apart.
 */
export const STANDARD_WEBHOOKS_SIGNING_KEY: Readonly<Ed25519KeyFormat> = { prefix: 'whsk_', prefixRequired: true };

/** The `v1a` public key of a credential's `publicKey` field; undefined when empty or unusable. */
export function parseStandardWebhooksPublicKey(text: string | undefined): KeyObject | undefined {
	return parsePublicKeyIn(text, STANDARD_WEBHOOKS_PUBLIC_KEY);
}

/** The `v1a` private key of a signing key; undefined for anything else (e.g. a `whsec_` HMAC secret). */
export function parseStandardWebhooksSigningKey(text: string): KeyObject | undefined {
	return parsePrivateKeyIn(text, STANDARD_WEBHOOKS_SIGNING_KEY);
}

/**
 * @deprecated The old name of `parseStandardWebhooksPublicKey` (the key parsing moved to `ed25519Keys.ts`, whose
 * `parseEd25519PublicKey` takes the format as a parameter and reads no `whpk_` label by default).
 */
export const parseEd25519PublicKey = parseStandardWebhooksPublicKey;

/** @deprecated The old name of `parseStandardWebhooksSigningKey`. */
export const parseEd25519PrivateKey = parseStandardWebhooksSigningKey;

/** What Standard Webhooks signs: `<id>.<timestamp>.` followed by the body bytes exactly as sent. */
function signedPrefix(id: string, timestamp: string): string {
	return `${id}.${timestamp}.`;
}

/** The signed bytes in one buffer, for Ed25519 (which takes the message whole); HMACs stream prefix and body instead. */
function signedContent(prefix: string, payload: Buffer): Buffer {
	return Buffer.concat([Buffer.from(prefix, 'utf8'), payload]);
}

interface ParsedSignatures {
	hmac: Buffer[];
	ed25519: Buffer[];
}

/** `v1,<base64> v1a,<base64> …`; unknown versions are skipped so that senders can add new ones. */
function parseSignatureList(header: string): ParsedSignatures | VerificationFailure {
	// One entry (one active key) is the common case: no split, no filter.
	const entries = header.includes(' ') ? header.split(' ').filter((entry) => entry !== '') : [header];
	if (entries.length > MAX_SIGNATURES) return fail('malformed_signature');
	const parsed: ParsedSignatures = { hmac: [], ed25519: [] };
	for (const entry of entries) {
		if (entry.startsWith('v1,')) {
			const mac = decodeFixedBase64(entry.slice('v1,'.length), HMAC_SHA256_BYTES);
			if (mac) parsed.hmac.push(mac);
		} else if (entry.startsWith('v1a,')) {
			const signature = decodeFixedBase64(entry.slice('v1a,'.length), ED25519_SIGNATURE_BYTES);
			if (signature) parsed.ed25519.push(signature);
		}
	}
	if (parsed.hmac.length === 0 && parsed.ed25519.length === 0) return fail('malformed_signature');
	return parsed;
}

function verifyEd25519(publicKey: KeyObject, content: Buffer, signatures: Buffer[]): boolean {
	return signatures.some((signature) => {
		try {
			return verifyBytes(null, content, publicKey, signature);
		} catch {
			return false;
		}
	});
}

/** Verifies a Standard Webhooks (or Svix) delivery: any one valid `v1` or `v1a` signature passes. */
export function verifyStandardWebhook(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const candidates = secretCandidates(secrets);
	const publicKey = cachedEd25519PublicKey(secrets.publicKey, STANDARD_WEBHOOKS_PUBLIC_KEY);
	if (candidates.length === 0 && !publicKey) return fail('missing_key');

	const names = headerNamesOf(request.headers);
	const signatureHeader = readSingleHeader(request.headers, names.signature);
	if (typeof signatureHeader !== 'string') return signatureHeader;
	const id = readSingleHeader(request.headers, names.id);
	if (typeof id !== 'string') return id;
	const timestampText = readSingleHeader(request.headers, names.timestamp);
	if (typeof timestampText !== 'string') return timestampText;

	const timestamp = parseUnixTimestamp(timestampText);
	if (timestamp === undefined || id.length > MAX_ID_CHARS) return fail('malformed_signature');
	const signatures = parseSignatureList(signatureHeader);
	if ('ok' in signatures) return signatures;

	const prefix = signedPrefix(id, timestampText);
	let matched: SecretMatch | undefined =
		signatures.hmac.length === 0
			? undefined
			: findMatchingSecret(candidates, signatures.hmac, (key) => {
					const hmacKey = whsecSecretKeyFor(key);
					return hmacKey && hmacSha256OfPrefixedBody(hmacKey, prefix, request.rawBody);
				});
	if (!matched && publicKey && signatures.ed25519.length > 0 && verifyEd25519(publicKey, signedContent(prefix, request.rawBody), signatures.ed25519)) {
		matched = 'publicKey';
	}
	if (!matched) return fail('invalid_signature');
	if (!isWithinTolerance(timestamp, options)) return fail('timestamp_out_of_tolerance');
	return { ok: true, matched, id, timestamp };
}

export interface StandardWebhookSignInput {
	payload: Buffer;
	/** A `whsec_…` secret (v1, HMAC-SHA256), or a `whsk_…`/PEM Ed25519 private key (v1a). */
	key: string;
	/** Message id; a random `msg_…` id when omitted. */
	id?: string;
	/** Unix seconds; now when omitted. */
	timestampSeconds?: number;
}

/**
 * The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers for `payload`, as a Standard Webhooks
 * sender (OpenAI, Svix, Resend, Clerk…) would send them. Use it to sign test deliveries.
 */
export function signStandardWebhook(input: StandardWebhookSignInput): Record<string, string> {
	const id = input.id ?? `msg_${randomBytes(16).toString('hex')}`;
	const timestamp = String(Math.floor(input.timestampSeconds ?? nowInSeconds()));
	const prefix = signedPrefix(id, timestamp);
	const privateKey = parseStandardWebhooksSigningKey(input.key);
	let signature: string;
	if (privateKey) {
		signature = `v1a,${signBytes(null, signedContent(prefix, input.payload), privateKey).toString('base64')}`;
	} else {
		const hmacKey = whsecSecretKeyFor(input.key);
		if (!hmacKey) throw new Error('The Standard Webhooks signing secret is empty');
		signature = `v1,${hmacSha256OfPrefixedBody(hmacKey, prefix, input.payload).toString('base64')}`;
	}
	return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

/**
 * Standard Webhooks (OpenAI, Svix and the senders built on it): `v1` HMAC-SHA256 with the `whsec_` secret
 * base64-decoded, `v1a` Ed25519 with the public key, any one of several signatures, Svix's header names too.
 */
export const standardWebhooksVerifier: SpecialVerifier = {
	sensitiveHeaders: ['webhook-signature', 'svix-signature'],
	timestamped: true,
	verify: verifyStandardWebhook,
	sign: (input) =>
		signStandardWebhook({ payload: input.payload, key: input.key, id: input.id, timestampSeconds: input.timestampSeconds }),
};
