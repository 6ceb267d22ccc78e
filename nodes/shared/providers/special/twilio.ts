import { createHash, createHmac } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';

import { headerValue } from '../../http';
import { safeEqual } from '../../safeCompare';
import { readSingleHeader } from '../../verify/headers';
import { secretCandidates } from '../../verify/secretCandidates';
import { secretKeyFor } from '../../verify/secretFormats';
import type { IncomingWebhook, SignInput, SigningSecrets, VerificationResult, VerifyOptions } from '../../verify/types';
import type { SpecialVerifier } from '../types';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';
const BODY_HASH_PARAMETER = 'bodySHA256';

/** Sent with webhooks signed by a SharedKey instead of the auth token: `key=<id>,algorithm=HMAC_SHA256`. */
export const TWILIO_SIGNATURE_SETTINGS_HEADER = 'x-twilio-webhooks-signature-settings';

/** Base64 of a 20-byte HMAC-SHA1 / 32-byte HMAC-SHA256. */
const SIGNATURE_PATTERN: Readonly<Record<TwilioHash, RegExp>> = {
	sha1: /^[A-Za-z0-9+/]{27}=$/,
	sha256: /^[A-Za-z0-9+/]{43}=$/,
};
const SHA256_HEX_PATTERN = /^[0-9a-fA-F]{64}$/;

type TwilioHash = 'sha1' | 'sha256';

export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/** Form fields in arrival order, repeated names (several `MediaUrl`) kept as several values. */
export function parseTwilioForm(rawBody: Buffer): Map<string, string[]> {
	const fields = new Map<string, string[]>();
	for (const [name, value] of new URLSearchParams(rawBody.toString('utf8'))) {
		const values = fields.get(name);
		if (values) values.push(value);
		else fields.set(name, [value]);
	}
	return fields;
}

/**
 * What Twilio appends to the URL: each POST parameter sorted by name as name + value. A name with several values
 * contributes each distinct value once, sorted, as twilio-node's `toFormUrlEncodedParam` and twilio-python's
 * `compute_signature` do.
 */
function paramsText(params: ReadonlyMap<string, readonly string[]>): string {
	let text = '';
	for (const name of [...params.keys()].sort()) {
		for (const value of [...new Set(params.get(name))].sort()) text += name + value;
	}
	return text;
}

function paramsMap(params: TwilioParams | undefined): Map<string, string[]> {
	const map = new Map<string, string[]>();
	for (const [name, value] of Object.entries(params ?? {})) map.set(name, typeof value === 'string' ? [value] : [...value]);
	return map;
}

function twilioHmac(hash: TwilioHash, key: string, url: string, params: string): Buffer {
	return createHmac(hash, secretKeyFor(key)).update(url + params, 'utf8').digest();
}

/**
 * The base64 `X-Twilio-Signature` for `url` (exactly as given: the URL Twilio is configured with, query included)
 * and the POST parameters. For JSON bodies pass the URL that carries `bodySHA256` and no parameters.
 * `HMAC_SHA256` is what Twilio uses with a SharedKey (sent with the signature-settings header).
 */
export function twilioSignature(
	authToken: string,
	url: string,
	params?: TwilioParams,
	algorithm: 'HMAC_SHA1' | 'HMAC_SHA256' = 'HMAC_SHA1',
): string {
	const hash: TwilioHash = algorithm === 'HMAC_SHA256' ? 'sha256' : 'sha1';
	return twilioHmac(hash, authToken, url, paramsText(paramsMap(params))).toString('base64');
}

/** The URL Twilio calls for a JSON body: the configured URL plus `bodySHA256=<SHA-256 hex of the body>`. */
export function twilioUrlWithBodyHash(url: string, body: Buffer): string {
	const hash = createHash('sha256').update(body).digest('hex');
	return `${url}${url.includes('?') ? '&' : '?'}${BODY_HASH_PARAMETER}=${hash}`;
}

/** A URL split at its port without normalising anything, so the path and query keep the characters Twilio signed. */
function splitAtPort(url: string): { beforePort: string; port: string; rest: string } | undefined {
	const authority = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
	if (!authority) return undefined;
	const [whole, scheme, hostPart] = authority;
	// A colon after the user info and after an IPv6 literal's closing bracket starts the port.
	const hostStart = hostPart.lastIndexOf('@') + 1;
	const portStart = hostPart.indexOf(':', Math.max(hostStart, hostPart.lastIndexOf(']') + 1));
	if (portStart === -1) return { beforePort: scheme + hostPart, port: '', rest: url.slice(whole.length) };
	return { beforePort: scheme + hostPart.slice(0, portStart), port: hostPart.slice(portStart), rest: url.slice(whole.length) };
}

function withoutPort(url: string): string {
	const parts = splitAtPort(url);
	return parts ? parts.beforePort + parts.rest : url;
}

function withDefaultPort(url: string): string {
	const parts = splitAtPort(url);
	if (!parts || parts.port !== '') return url;
	const port = parts.beforePort.toLowerCase().startsWith('https://') ? ':443' : ':80';
	return parts.beforePort + port + parts.rest;
}

/** The query re-encoded by Node's legacy `querystring` (`'` becomes `%27`), which some Twilio back ends signed. */
function withLegacyQuery(url: string): string {
	const queryStart = url.indexOf('?');
	if (queryStart === -1 || queryStart === url.length - 1) return url;
	return `${url.slice(0, queryStart)}?${stringifyQuery(parseQuery(url.slice(queryStart + 1)))}`;
}

/**
 * The URLs Twilio may have signed for one request, in twilio-node's `validateRequest` order: the URL as given,
 * without and with an explicit default port (Twilio's back ends are inconsistent about the port), then the WHATWG
 * `URL` normalisation of it, without and with the port, each also with a legacy-encoded query.
 */
function candidateUrls(exact: string): string[] {
	const candidates = new Set([withoutPort(exact), withDefaultPort(exact)]);
	let normalised: string;
	try {
		normalised = new URL(exact).toString();
	} catch {
		return [...candidates];
	}
	for (const url of [withoutPort(normalised), withDefaultPort(normalised)]) {
		candidates.add(url);
		candidates.add(withLegacyQuery(url));
	}
	return [...candidates];
}

function stripQueryAndFragment(url: string): string {
	const end = url.search(/[?#]/);
	return end === -1 ? url : url.slice(0, end);
}

/** The public URLs the request may have been sent to: `publicUrl` + received query, else rebuilt from headers. */
function requestUrls(request: IncomingWebhook, publicUrl: string): string[] {
	const queryStart = request.url.indexOf('?');
	const query = queryStart === -1 ? '' : request.url.slice(queryStart);
	if (publicUrl !== '') return candidateUrls(stripQueryAndFragment(publicUrl) + query);

	const host = headerValue(request.headers, 'host')?.trim();
	if (!host) return [];
	const forwardedProto = headerValue(request.headers, 'x-forwarded-proto')?.split(',')[0].trim().toLowerCase();
	// Without a proxy header the request may have reached n8n over TLS or not; both are the same endpoint.
	const protocols = forwardedProto === 'http' || forwardedProto === 'https' ? [forwardedProto] : ['https', 'http'];
	return protocols.flatMap((protocol) => candidateUrls(`${protocol}://${host}${request.url}`));
}

/**
 * The HMAC named by the signature-settings header, as twilio-node's `getSignatureAlgorithm` reads it: no header or
 * no `algorithm=` means the auth-token signature, HMAC-SHA1. Undefined for an algorithm we do not know.
 */
function signatureHash(settings: string | undefined): TwilioHash | undefined {
	for (const part of (settings ?? '').split(',')) {
		const separator = part.indexOf('=');
		if (separator === -1 || part.slice(0, separator).trim() !== 'algorithm') continue;
		const algorithm = part.slice(separator + 1).trim().toUpperCase();
		if (algorithm === '' || algorithm === 'HMAC_SHA1') return 'sha1';
		return algorithm === 'HMAC_SHA256' ? 'sha256' : undefined;
	}
	return 'sha1';
}

function isFormEncoded(request: IncomingWebhook): boolean {
	const contentType = headerValue(request.headers, 'content-type') ?? '';
	return contentType.trim().toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function verifyTwilioRequest(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return { ok: false, reason: 'missing_key' };

	const signatureHeader = readSingleHeader(request.headers, TWILIO_SIGNATURE_HEADER);
	if (typeof signatureHeader !== 'string') return signatureHeader;
	const signatureText = signatureHeader.trim();
	const hash = signatureHash(headerValue(request.headers, TWILIO_SIGNATURE_SETTINGS_HEADER));
	if (hash === undefined) return { ok: false, reason: 'invalid_signature' };
	if (!SIGNATURE_PATTERN[hash].test(signatureText)) return { ok: false, reason: 'malformed_signature' };
	const received = Buffer.from(signatureText, 'base64');

	const queryStart = request.url.indexOf('?');
	const query = new URLSearchParams(queryStart === -1 ? '' : request.url.slice(queryStart + 1));
	const bodyHash = query.get(BODY_HASH_PARAMETER);
	let params: Map<string, string[]>;
	if (bodyHash !== null) {
		// JSON bodies: the signature covers the URL, whose bodySHA256 covers the body.
		if (!SHA256_HEX_PATTERN.test(bodyHash)) return { ok: false, reason: 'invalid_signature' };
		const actualHash = createHash('sha256').update(request.rawBody).digest('hex');
		if (!safeEqual(bodyHash.toLowerCase(), actualHash)) return { ok: false, reason: 'invalid_signature' };
		params = new Map();
	} else if (isFormEncoded(request)) {
		params = parseTwilioForm(request.rawBody);
	} else if (request.rawBody.length === 0) {
		params = new Map();
	} else {
		// A body that is neither form fields nor hashed into the URL would not be covered by the signature.
		return { ok: false, reason: 'invalid_signature' };
	}

	const signedParams = paramsText(params);
	const urls = requestUrls(request, (options.publicUrl ?? options.twilio?.publicUrl ?? '').trim());
	for (const { key, matched } of candidates) {
		for (const url of urls) {
			if (safeEqual(twilioHmac(hash, key, url, signedParams), received)) return { ok: true, matched };
		}
	}
	return { ok: false, reason: 'invalid_signature' };
}

/**
 * The `X-Twilio-Signature` header for a request to `input.url` (required). The payload is read as the
 * form-encoded POST body; when `input.url` carries `bodySHA256` (see `twilioUrlWithBodyHash`) only the URL is signed.
 */
export function signTwilioRequest(input: SignInput): Record<string, string> {
	if (!input.key) throw new Error('A Twilio auth token is required');
	if (!input.url) throw new Error('Twilio signs the request URL: input.url is required');
	const queryStart = input.url.indexOf('?');
	const query = new URLSearchParams(queryStart === -1 ? '' : input.url.slice(queryStart + 1));
	const params = query.has(BODY_HASH_PARAMETER) ? new Map<string, string[]>() : parseTwilioForm(input.payload);
	return { [TWILIO_SIGNATURE_HEADER]: twilioHmac('sha1', input.key, input.url, paramsText(params)).toString('base64') };
}

/** Twilio (Messaging, Voice, ...): HMAC-SHA1 of the public URL and sorted POST parameters, keyed by the auth token. */
export const twilioVerifier: SpecialVerifier = {
	sensitiveHeaders: [TWILIO_SIGNATURE_HEADER],
	timestamped: false,
	verify: verifyTwilioRequest,
	sign: signTwilioRequest,
};
