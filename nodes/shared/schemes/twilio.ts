import { createHash, createHmac } from 'node:crypto';

import { headerValue } from '../http';
import { safeEqual } from '../safeCompare';
import type {
	IncomingWebhook,
	SecretMatch,
	SignInput,
	SignatureScheme,
	SigningSecrets,
	VerificationResult,
	VerifyOptions,
} from './types';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';
const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';
const BODY_HASH_PARAMETER = 'bodySHA256';

/** Base64 of a 20-byte HMAC-SHA1. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{27}=$/;
const SHA256_HEX_PATTERN = /^[0-9a-fA-F]{64}$/;

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
 * What Twilio signs: the URL, then each POST parameter sorted by name as name + value. A name with several
 * values contributes each distinct value once, sorted, as twilio-node's `toFormUrlEncodedParam` and
 * twilio-python's `compute_signature` do.
 */
function signedText(url: string, params: ReadonlyMap<string, readonly string[]>): string {
	let text = url;
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

function hmacSha1(key: string, text: string): Buffer {
	return createHmac('sha1', key).update(text, 'utf8').digest();
}

/**
 * The base64 `X-Twilio-Signature` for `url` (exactly as given: the URL Twilio is configured with, query included)
 * and the POST parameters. For JSON bodies pass the URL that carries `bodySHA256` and no parameters.
 */
export function twilioSignature(authToken: string, url: string, params?: TwilioParams): string {
	return hmacSha1(authToken, signedText(url, paramsMap(params))).toString('base64');
}

/** The URL Twilio calls for a JSON body: the configured URL plus `bodySHA256=<SHA-256 hex of the body>`. */
export function twilioUrlWithBodyHash(url: string, body: Buffer): string {
	const hash = createHash('sha256').update(body).digest('hex');
	return `${url}${url.includes('?') ? '&' : '?'}${BODY_HASH_PARAMETER}=${hash}`;
}

/** `url` with the scheme's default port written out, as twilio-node's `addPort` builds it. */
function withDefaultPort(parsed: URL): string {
	if (parsed.port !== '') return parsed.toString();
	const port = parsed.protocol === 'https:' ? ':443' : ':80';
	const credentials = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
	return `${parsed.protocol}//${credentials}${parsed.host}${port}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/**
 * The URLs Twilio may have signed for one request. Twilio sometimes signs with an explicit port and sometimes
 * without (twilio-node's `validateRequest` tries both for that reason), and twilio-node normalises the URL with
 * WHATWG `URL` first; the exact configured text comes first.
 */
function candidateUrls(exact: string): string[] {
	const candidates = [exact];
	let parsed: URL;
	try {
		parsed = new URL(exact);
	} catch {
		return candidates;
	}
	const normalised = withDefaultPort(parsed);
	parsed.port = '';
	for (const url of [normalised, parsed.toString()]) if (!candidates.includes(url)) candidates.push(url);
	return candidates;
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

function isFormEncoded(request: IncomingWebhook): boolean {
	const contentType = headerValue(request.headers, 'content-type') ?? '';
	return contentType.trim().toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function verifyTwilioRequest(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const keys: Array<[SecretMatch, string]> = [];
	if (secrets.secret) keys.push(['current', secrets.secret]);
	if (secrets.previousSecret) keys.push(['previous', secrets.previousSecret]);
	if (keys.length === 0) return { ok: false, reason: 'missing_key' };

	const signatureText = headerValue(request.headers, TWILIO_SIGNATURE_HEADER)?.trim();
	if (!signatureText) return { ok: false, reason: 'missing_signature' };
	if (!SIGNATURE_PATTERN.test(signatureText)) return { ok: false, reason: 'malformed_signature' };
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

	const urls = requestUrls(request, (options.twilio?.publicUrl ?? '').trim());
	for (const [matched, key] of keys) {
		for (const url of urls) {
			if (safeEqual(hmacSha1(key, signedText(url, params)), received)) return { ok: true, matched };
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
	return { [TWILIO_SIGNATURE_HEADER]: hmacSha1(input.key, signedText(input.url, params)).toString('base64') };
}

function firstString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	return undefined;
}

/** Twilio (Messaging, Voice, ...): HMAC-SHA1 of the public URL and sorted POST parameters, keyed by the auth token. */
export const twilioScheme: SignatureScheme = {
	name: 'twilio',
	sensitiveHeaders: [TWILIO_SIGNATURE_HEADER],
	timestamped: false,
	verify: verifyTwilioRequest,
	describeEvent(request, body) {
		const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
		return {
			id: firstString(fields.MessageSid) ?? firstString(fields.CallSid) ?? headerValue(request.headers, IDEMPOTENCY_HEADER),
			type: firstString(fields.MessageStatus) ?? firstString(fields.SmsStatus) ?? firstString(fields.CallStatus),
		};
	},
	sign: signTwilioRequest,
};
