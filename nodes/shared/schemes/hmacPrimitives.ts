import { createHash, createHmac } from 'node:crypto';

import { headerValues, type HeaderMap } from '../http';
import { safeEqual } from '../safeCompare';
import type { IncomingWebhook, SigningSecrets, VerificationResult, VerifyOptions } from './types';

export type VerificationFailure = Extract<VerificationResult, { ok: false }>;

export interface SecretCandidate {
	key: string;
	matched: 'current' | 'previous';
}

/** Real signature headers are short; anything longer is garbage we refuse to parse. */
const MAX_HEADER_CHARS = 8192;

const SHA256_BYTES = 32;

export function fail(reason: VerificationFailure['reason']): VerificationFailure {
	return { ok: false, reason };
}

/**
 * The secrets to try, in order: the current one, then the previous one while a rotation is under way.
 * None without a current secret: a previous secret alone is a half-finished configuration, not a key.
 */
export function secretCandidates(secrets: SigningSecrets): SecretCandidate[] {
	if (typeof secrets.secret !== 'string' || secrets.secret === '') return [];
	const candidates: SecretCandidate[] = [{ key: secrets.secret, matched: 'current' }];
	if (typeof secrets.previousSecret === 'string' && secrets.previousSecret !== '') {
		candidates.push({ key: secrets.previousSecret, matched: 'previous' });
	}
	return candidates;
}

export function hmacSha256(key: string | Buffer, ...parts: Buffer[]): Buffer {
	const hmac = createHmac('sha256', key);
	for (const part of parts) hmac.update(part);
	return hmac.digest();
}

/**
 * The one value of a header. A missing header is `missing_signature`; a repeated or oversized one is
 * `malformed_signature`, because two competing values leave no honest way to pick one.
 */
export function readSingleHeader(headers: HeaderMap, name: string): string | VerificationFailure {
	const values = headerValues(headers, name);
	if (values.length === 0) return fail('missing_signature');
	if (values.length > 1) return fail('malformed_signature');
	const value = values[0];
	if (typeof value !== 'string' || value === '') return fail('missing_signature');
	if (value.length > MAX_HEADER_CHARS) return fail('malformed_signature');
	return value;
}

/** Hex of exactly `byteLength` bytes, or undefined. Buffer.from(…, 'hex') alone silently stops at the first bad digit. */
export function decodeFixedHex(text: string, byteLength: number): Buffer | undefined {
	if (text.length !== byteLength * 2 || !/^[0-9a-fA-F]+$/.test(text)) return undefined;
	return Buffer.from(text, 'hex');
}

/** Standard (padded) base64 of exactly `byteLength` bytes, or undefined. */
export function decodeFixedBase64(text: string, byteLength: number): Buffer | undefined {
	if (text.length !== Math.ceil(byteLength / 3) * 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
	const bytes = Buffer.from(text, 'base64');
	if (bytes.length !== byteLength || bytes.toString('base64') !== text) return undefined;
	return bytes;
}

/** A Unix timestamp written as plain digits (no sign, no exponent, no fraction), or undefined. */
export function parseUnixTimestamp(text: string): number | undefined {
	if (!/^\d{1,15}$/.test(text)) return undefined;
	return Number(text);
}

/** Rejects stale deliveries (replays) and ones dated in the future (skewed or forged clocks) alike. */
export function isWithinTolerance(timestampSeconds: number, options: VerifyOptions): boolean {
	return Math.abs(options.nowSeconds - timestampSeconds) <= options.toleranceSeconds;
}

/**
 * Tries each secret against each received MAC, in constant time per comparison.
 * `computeMac` gets the key exactly as stored; schemes that decode their keys do so inside it.
 */
export function matchSecret(
	candidates: readonly SecretCandidate[],
	received: readonly Buffer[],
	computeMac: (key: string) => Buffer | undefined,
): VerificationResult {
	for (const candidate of candidates) {
		const expected = computeMac(candidate.key);
		if (!expected) continue;
		for (const mac of received) {
			if (safeEqual(expected, mac)) return { ok: true, matched: candidate.matched };
		}
	}
	return fail('invalid_signature');
}

/** Equality of two tokens of any length without revealing where, or whether only the length, differs. */
export function safeEqualText(received: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return safeEqual(digest(received), digest(expected));
}

/** `<prefix><hex HMAC-SHA256 of the raw body>`, as GitHub and Meta put in `X-Hub-Signature-256`. */
export function prefixedHexHmac(payload: Buffer, secret: string, prefix: string): string {
	return prefix + hmacSha256(secret, payload).toString('hex');
}

/** Verifies a `<prefix><hex HMAC-SHA256 of the raw body>` header (GitHub, Meta). No timestamp. */
export function verifyPrefixedHexHmac(
	request: IncomingWebhook,
	secrets: SigningSecrets,
	headerName: string,
	prefix: string,
): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return fail('missing_key');
	const header = readSingleHeader(request.headers, headerName);
	if (typeof header !== 'string') return header;
	if (!header.startsWith(prefix)) return fail('malformed_signature');
	const received = decodeFixedHex(header.slice(prefix.length), SHA256_BYTES);
	if (!received) return fail('malformed_signature');
	return matchSecret(candidates, [received], (key) => hmacSha256(key, request.rawBody));
}

export interface VersionedTimestampHeaders {
	signatureHeader: string;
	timestampHeader: string;
	/** Turns the timestamp header into Unix seconds; undefined when it is not a timestamp. */
	toSeconds?: (timestampText: string) => number | undefined;
}

/** The bytes Slack and Zoom sign: `v0:<timestamp header as sent>:` followed by the raw body. */
export function versionedTimestampContent(timestampText: string, payload: Buffer): Buffer {
	return Buffer.concat([Buffer.from(`v0:${timestampText}:`, 'utf8'), payload]);
}

/** `v0=<hex HMAC-SHA256 of v0:<timestamp>:<raw body>>`, the Slack and Zoom signature header value. */
export function versionedTimestampSignature(payload: Buffer, secret: string, timestampText: string): string {
	return 'v0=' + hmacSha256(secret, versionedTimestampContent(timestampText, payload)).toString('hex');
}

/** Verifies `v0=<hex>` over `v0:<timestamp>:<raw body>` (Slack, Zoom), then the timestamp's tolerance. */
export function verifyVersionedTimestampHmac(
	request: IncomingWebhook,
	secrets: SigningSecrets,
	options: VerifyOptions,
	headers: VersionedTimestampHeaders,
): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return fail('missing_key');
	const signature = readSingleHeader(request.headers, headers.signatureHeader);
	if (typeof signature !== 'string') return signature;
	const timestampText = readSingleHeader(request.headers, headers.timestampHeader);
	if (typeof timestampText !== 'string') return timestampText;

	if (!signature.startsWith('v0=')) return fail('malformed_signature');
	const received = decodeFixedHex(signature.slice(3), SHA256_BYTES);
	const timestamp = (headers.toSeconds ?? parseUnixTimestamp)(timestampText);
	if (!received || timestamp === undefined) return fail('malformed_signature');

	const content = versionedTimestampContent(timestampText, request.rawBody);
	const result = matchSecret(candidates, [received], (key) => hmacSha256(key, content));
	if (!result.ok) return result;
	// Checked after the MAC so that only genuinely signed but stale or early deliveries report this reason.
	if (!isWithinTolerance(timestamp, options)) return fail('timestamp_out_of_tolerance');
	return { ...result, timestamp };
}

export function nowInSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

/** A plain object (parsed JSON object or parsed form), or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
