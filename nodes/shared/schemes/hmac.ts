import { createHmac } from 'node:crypto';

import { safeEqual } from '../safeCompare';
import { isWithinTolerance, readSingleHeader, secretCandidates } from './hmacPrimitives';
import { secretKeyFor } from './secretKeys';
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

/** `signedContent` split once into literal text and the two placeholders. */
type TemplatePart = { literal: string } | { placeholder: 'body' | 'timestamp' };

function parseTemplate(template: string): TemplatePart[] {
	const parts: TemplatePart[] = [];
	for (const piece of template.split(/(\{body\}|\{timestamp\})/)) {
		if (piece === '{body}') parts.push({ placeholder: 'body' });
		else if (piece === '{timestamp}') parts.push({ placeholder: 'timestamp' });
		else if (piece !== '') parts.push({ literal: piece });
	}
	return parts;
}

/** Options resolved once per options object: defaults applied, names lower-cased, the template parsed. */
interface CompiledSettings {
	options: GenericHmacOptions;
	parts: TemplatePart[];
	usesTimestamp: boolean;
	digestBytes: number;
	/** Characters of the canonical encoded MAC without padding. */
	encodedLength: number;
}

const compiledSettings = new WeakMap<GenericHmacOptions, CompiledSettings>();
let defaultSettings: CompiledSettings | undefined;

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

/** Undefined for an algorithm or encoding this scheme does not know (a configuration error). */
function compileSettings(options: GenericHmacOptions | undefined): CompiledSettings | undefined {
	const cached = options ? compiledSettings.get(options) : defaultSettings;
	if (cached) return cached;
	const resolved = resolveOptions(options);
	if (!Object.hasOwn(DIGEST_BYTES, resolved.algorithm) || !Object.hasOwn(ENCODED_SIGNATURE_PATTERN, resolved.encoding)) return undefined;
	const parts = parseTemplate(resolved.signedContent);
	const digestBytes = DIGEST_BYTES[resolved.algorithm];
	const compiled: CompiledSettings = {
		options: resolved,
		parts,
		usesTimestamp: parts.some((part) => 'placeholder' in part && part.placeholder === 'timestamp'),
		digestBytes,
		encodedLength: resolved.encoding === 'hex' ? digestBytes * 2 : Math.ceil((digestBytes * 4) / 3),
	};
	// The trigger keeps one options object per workflow configuration, so this is computed once per configuration.
	if (options) compiledSettings.set(options, compiled);
	else defaultSettings = compiled;
	return compiled;
}

/**
 * Streams the template into the HMAC: consecutive text parts go in as one UTF-8 string, the body as the received
 * Buffer, so the body is never copied or decoded.
 */
function computeGenericHmac(key: string, settings: CompiledSettings, rawBody: Buffer, timestamp: string): Buffer {
	const hmac = createHmac(settings.options.algorithm, secretKeyFor(key));
	let text = '';
	for (const part of settings.parts) {
		if ('literal' in part) text += part.literal;
		else if (part.placeholder === 'timestamp') text += timestamp;
		else {
			if (text !== '') hmac.update(text, 'utf8');
			text = '';
			hmac.update(rawBody);
		}
	}
	if (text !== '') hmac.update(text, 'utf8');
	return hmac.digest();
}

/** Unix seconds from a timestamp header value; milliseconds are recognised by magnitude. */
export function parseGenericTimestamp(value: string): number | undefined {
	if (!TIMESTAMP_PATTERN.test(value)) return undefined;
	const parsed = Number(value);
	if (!Number.isFinite(parsed)) return undefined;
	return parsed >= MILLISECONDS_THRESHOLD ? parsed / 1000 : parsed;
}

/** Header names the generic scheme reads its signature from: redact these besides `sensitiveHeaders`. */
export function genericHmacSensitiveHeaders(options: GenericHmacOptions | undefined): string[] {
	return [resolveOptions(options).signatureHeader];
}

/** `text` without its trailing "=" padding, found by one backwards scan (a regex like /=+$/ is quadratic on "=" runs). */
function withoutPadding(text: string): string {
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
	return end === text.length ? text : text.slice(0, end);
}

/**
 * The decoded signature bytes, or undefined unless the header is `prefix` + the canonical encoding of exactly one
 * MAC (hex in either case; base64/base64url with or without padding). The header is attacker-controlled: its length
 * is checked before any other work, so a long header costs one length comparison.
 */
function decodeSignature(headerText: string, settings: CompiledSettings): Buffer | undefined {
	const { prefix, encoding } = settings.options;
	let encoded = headerText.trim();
	// At most two "=" of base64 padding follow the encoded MAC.
	if (encoded.length > prefix.length + settings.encodedLength + (encoding === 'hex' ? 0 : 2)) return undefined;
	if (prefix !== '') {
		// The prefix is a public label such as "sha256=", so its case carries no security meaning.
		if (encoded.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
		encoded = encoded.slice(prefix.length);
	}
	if (encoding !== 'hex') encoded = withoutPadding(encoded);
	if (encoded.length !== settings.encodedLength || !ENCODED_SIGNATURE_PATTERN[encoding].test(encoded)) return undefined;
	const decoded = Buffer.from(encoded, encoding);
	if (decoded.length !== settings.digestBytes) return undefined;
	// Buffer.from ignores stray bits in the last base64 character; only the canonical encoding is a signature.
	if (encoding !== 'hex' && withoutPadding(decoded.toString(encoding)) !== encoded) return undefined;
	return decoded;
}

function verifyGenericHmac(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return { ok: false, reason: 'missing_key' };
	const settings = compileSettings(options.hmac);
	// An unknown algorithm or encoding, or a template that signs "{timestamp}" with no header to read it from,
	// can never verify: configuration errors, reported like a missing key.
	if (!settings || (settings.usesTimestamp && settings.options.timestampHeader === '')) return { ok: false, reason: 'missing_key' };
	const { signatureHeader, timestampHeader } = settings.options;

	const headerText = readSingleHeader(request.headers, signatureHeader);
	if (typeof headerText !== 'string') return headerText;

	let timestampText = '';
	let timestampSeconds: number | undefined;
	if (timestampHeader !== '') {
		const timestampValue = readSingleHeader(request.headers, timestampHeader);
		if (typeof timestampValue !== 'string') return timestampValue;
		timestampText = timestampValue.trim();
		timestampSeconds = parseGenericTimestamp(timestampText);
		if (timestampSeconds === undefined) return { ok: false, reason: 'malformed_signature' };
	}

	const received = decodeSignature(headerText, settings);
	if (!received) return { ok: false, reason: 'malformed_signature' };

	for (const { key, matched } of candidates) {
		if (!safeEqual(computeGenericHmac(key, settings, request.rawBody, timestampText), received)) continue;
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
	if (!input.key) throw new Error('A signing secret is required');
	const settings = compileSettings(input.hmac);
	if (!settings) throw new Error('Unknown HMAC algorithm or signature encoding');
	const { timestampHeader, signatureHeader, prefix, encoding } = settings.options;
	if (settings.usesTimestamp && timestampHeader === '') throw new Error('signedContent uses {timestamp} but no timestampHeader is set');
	const headers: Record<string, string> = {};
	let timestampText = '';
	if (timestampHeader !== '') {
		timestampText = String(input.timestampSeconds ?? Math.floor(Date.now() / 1000));
		headers[timestampHeader] = timestampText;
	}
	headers[signatureHeader] = prefix + computeGenericHmac(input.key, settings, input.payload, timestampText).toString(encoding);
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
