import { createHmac } from 'node:crypto';

import { safeEqual } from '../safeCompare';
import { isWithinTolerance, readSingleHeader, secretCandidates } from './hmacPrimitives';
import type {
	GenericHmacOptions,
	HmacAlgorithm,
	IncomingWebhook,
	SignInput,
	SignatureEncoding,
	SignatureScheme,
	SigningSecrets,
	VerificationResult,
	VerifyOptions,
} from './types';

/** The trigger's parameter defaults (`hmacAlgorithm`, `hmacSignatureHeader`, ...), used when no options are passed. */
export const DEFAULT_GENERIC_HMAC_OPTIONS: Readonly<GenericHmacOptions> = {
	algorithm: 'sha256',
	signatureHeader: 'x-signature',
	encoding: 'hex',
	prefix: '',
	timestampHeader: '',
	signedContent: '{body}',
};

const DIGEST_BYTES: Readonly<Record<HmacAlgorithm, number>> = { sha1: 20, sha256: 32, sha512: 64 };

const ENCODED_SIGNATURE_PATTERN: Readonly<Record<SignatureEncoding, RegExp>> = {
	hex: /^[0-9a-fA-F]+$/,
	base64: /^[A-Za-z0-9+/]+={0,2}$/,
	base64url: /^[A-Za-z0-9_-]+={0,2}$/,
};

/**
 * Values at or above this are read as Unix milliseconds: as seconds they would be after the year 5000,
 * as milliseconds they are after March 1973, so no real timestamp is ambiguous.
 */
const MILLISECONDS_THRESHOLD = 100_000_000_000;

const TIMESTAMP_PATTERN = /^\d{1,16}(\.\d{1,9})?$/;

/** `signedContent` split once into literal UTF-8 parts and the two placeholders. */
type TemplatePart = { literal: Buffer } | { placeholder: 'body' | 'timestamp' };

const parsedTemplates = new Map<string, readonly TemplatePart[]>();

function parseTemplate(template: string): readonly TemplatePart[] {
	const cached = parsedTemplates.get(template);
	if (cached) return cached;
	const parts: TemplatePart[] = [];
	for (const piece of template.split(/(\{body\}|\{timestamp\})/)) {
		if (piece === '{body}') parts.push({ placeholder: 'body' });
		else if (piece === '{timestamp}') parts.push({ placeholder: 'timestamp' });
		else if (piece !== '') parts.push({ literal: Buffer.from(piece, 'utf8') });
	}
	// Templates come from node parameters, so there are few of them; the bound only guards against misuse.
	if (parsedTemplates.size >= 100) parsedTemplates.clear();
	parsedTemplates.set(template, parts);
	return parts;
}

function usesTimestamp(parts: readonly TemplatePart[]): boolean {
	return parts.some((part) => 'placeholder' in part && part.placeholder === 'timestamp');
}

/** Streams the template into the HMAC part by part: the body is never copied or decoded. */
function computeGenericHmac(
	key: string,
	algorithm: HmacAlgorithm,
	parts: readonly TemplatePart[],
	rawBody: Buffer,
	timestamp: string,
): Buffer {
	const hmac = createHmac(algorithm, key);
	for (const part of parts) {
		if ('literal' in part) hmac.update(part.literal);
		else if (part.placeholder === 'body') hmac.update(rawBody);
		else hmac.update(timestamp, 'utf8');
	}
	return hmac.digest();
}

/** Unix seconds from a timestamp header value; milliseconds are recognised by magnitude. */
export function parseGenericTimestamp(value: string): number | undefined {
	if (!TIMESTAMP_PATTERN.test(value)) return undefined;
	const parsed = Number(value);
	if (!Number.isFinite(parsed)) return undefined;
	return parsed >= MILLISECONDS_THRESHOLD ? parsed / 1000 : parsed;
}

function resolveOptions(options: GenericHmacOptions | undefined): GenericHmacOptions {
	if (!options) return DEFAULT_GENERIC_HMAC_OPTIONS;
	return {
		algorithm: options.algorithm || DEFAULT_GENERIC_HMAC_OPTIONS.algorithm,
		signatureHeader: (options.signatureHeader || DEFAULT_GENERIC_HMAC_OPTIONS.signatureHeader).trim().toLowerCase(),
		encoding: options.encoding || DEFAULT_GENERIC_HMAC_OPTIONS.encoding,
		prefix: options.prefix ?? '',
		timestampHeader: (options.timestampHeader ?? '').trim().toLowerCase(),
		signedContent: options.signedContent || DEFAULT_GENERIC_HMAC_OPTIONS.signedContent,
	};
}

/** Header names the generic scheme reads its signature from: redact these besides `sensitiveHeaders`. */
export function genericHmacSensitiveHeaders(options: GenericHmacOptions | undefined): string[] {
	return [resolveOptions(options).signatureHeader];
}

/** The decoded signature bytes, or undefined when the header is not `prefix` + a well-formed encoded digest. */
function decodeSignature(headerText: string, settings: GenericHmacOptions): Buffer | undefined {
	let encoded = headerText.trim();
	if (settings.prefix !== '') {
		// The prefix is a public label such as "sha256=", so its case carries no security meaning.
		if (encoded.slice(0, settings.prefix.length).toLowerCase() !== settings.prefix.toLowerCase()) return undefined;
		encoded = encoded.slice(settings.prefix.length);
	}
	if (!ENCODED_SIGNATURE_PATTERN[settings.encoding].test(encoded)) return undefined;
	const decoded = Buffer.from(encoded, settings.encoding);
	if (decoded.length !== DIGEST_BYTES[settings.algorithm]) return undefined;
	// Buffer.from drops a trailing odd hex digit or stray base64 bits; only the canonical encoding is a signature.
	const canonical = decoded.toString(settings.encoding).replace(/=+$/, '');
	const unpadded = encoded.replace(/=+$/, '');
	return (settings.encoding === 'hex' ? unpadded.toLowerCase() : unpadded) === canonical ? decoded : undefined;
}

function verifyGenericHmac(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const settings = resolveOptions(options.hmac);
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return { ok: false, reason: 'missing_key' };
	if (!(settings.algorithm in DIGEST_BYTES) || !(settings.encoding in ENCODED_SIGNATURE_PATTERN)) {
		return { ok: false, reason: 'missing_key' };
	}

	const parts = parseTemplate(settings.signedContent);
	// A template that signs "{timestamp}" with no header to read it from can never verify: a configuration error.
	if (usesTimestamp(parts) && settings.timestampHeader === '') return { ok: false, reason: 'missing_key' };

	const headerText = readSingleHeader(request.headers, settings.signatureHeader);
	if (typeof headerText !== 'string') return headerText;

	let timestampText = '';
	let timestampSeconds: number | undefined;
	if (settings.timestampHeader !== '') {
		const timestampHeader = readSingleHeader(request.headers, settings.timestampHeader);
		if (typeof timestampHeader !== 'string') return timestampHeader;
		timestampText = timestampHeader.trim();
		timestampSeconds = parseGenericTimestamp(timestampText);
		if (timestampSeconds === undefined) return { ok: false, reason: 'malformed_signature' };
	}

	const received = decodeSignature(headerText, settings);
	if (!received) return { ok: false, reason: 'malformed_signature' };

	for (const { key, matched } of candidates) {
		const expected = computeGenericHmac(key, settings.algorithm, parts, request.rawBody, timestampText);
		if (!safeEqual(expected, received)) continue;
		// Checked after the MAC so that only genuinely signed but stale or early deliveries report this reason.
		if (timestampSeconds === undefined) return { ok: true, matched };
		if (!isWithinTolerance(timestampSeconds, options)) return { ok: false, reason: 'timestamp_out_of_tolerance' };
		return { ok: true, matched, timestamp: Math.floor(timestampSeconds) };
	}
	return { ok: false, reason: 'invalid_signature' };
}

/**
 * Headers for a request signed with the generic HMAC scheme: the signature header (prefix + encoded digest) and,
 * when `timestampHeader` is set, the timestamp header (Unix seconds).
 */
export function signGenericHmac(input: SignInput): Record<string, string> {
	const settings = resolveOptions(input.hmac);
	if (!input.key) throw new Error('A signing secret is required');
	const parts = parseTemplate(settings.signedContent);
	if (usesTimestamp(parts) && settings.timestampHeader === '') {
		throw new Error('signedContent uses {timestamp} but no timestampHeader is set');
	}
	const headers: Record<string, string> = {};
	let timestampText = '';
	if (settings.timestampHeader !== '') {
		timestampText = String(input.timestampSeconds ?? Math.floor(Date.now() / 1000));
		headers[settings.timestampHeader] = timestampText;
	}
	const digest = computeGenericHmac(input.key, settings.algorithm, parts, input.payload, timestampText);
	headers[settings.signatureHeader] = settings.prefix + digest.toString(settings.encoding);
	return headers;
}

/**
 * Any provider that signs with an HMAC: algorithm, header, encoding, prefix and signed content are options
 * (`VerifyOptions.hmac`). The signature header is configurable, so `sensitiveHeaders` only lists the default;
 * use `genericHmacSensitiveHeaders(options)` for the configured one.
 */
export const hmacScheme: SignatureScheme = {
	name: 'hmac',
	sensitiveHeaders: [DEFAULT_GENERIC_HMAC_OPTIONS.signatureHeader],
	// Only when `timestampHeader` is set; the static flag cannot depend on options.
	timestamped: false,
	verify: verifyGenericHmac,
	describeEvent() {
		return {};
	},
	sign: signGenericHmac,
};
