import {
	asRecord,
	asString,
	decodeFixedHex,
	fail,
	findMatchingSecret,
	hmacSha256OfPrefixedBody,
	isWithinTolerance,
	nowInSeconds,
	parseUnixTimestamp,
	readSingleHeader,
	secretCandidates,
	verifiedAt,
} from './hmacPrimitives';
import { secretKeyFor } from './secretKeys';
import type { IncomingWebhook, SignatureScheme, SigningSecrets, VerificationResult, VerifyOptions } from './types';

const SIGNATURE_HEADER = 'stripe-signature';
const MAX_SIGNATURES = 16;
/** One `t`, the signatures, and as many `v0` entries: anything longer is not a Stripe header. */
const MAX_ITEMS = 2 + MAX_SIGNATURES * 2;

/** Stripe signs `<t>.` followed by the body bytes exactly as sent. */
function signedPrefix(timestamp: string): string {
	return `${timestamp}.`;
}

/**
 * The key is the `whsec_…` string itself, as UTF-8 bytes. Unlike Standard Webhooks, Stripe does not base64-decode
 * what follows the prefix; doing so is the classic mistake that makes every delivery fail.
 */
function stripeMac(secret: string, prefix: string, payload: Buffer): Buffer {
	return hmacSha256OfPrefixedBody(secretKeyFor(secret), prefix, payload);
}

/** What String.prototype.trim removes among the characters an HTTP header can hold (Node reads headers as Latin-1). */
function isLatin1Whitespace(code: number): boolean {
	return code === 32 || (code >= 9 && code <= 13) || code === 160;
}

interface ParsedSignatureHeader {
	timestampText: string;
	received: Buffer[];
}

/**
 * `t=…,v1=…[,v1=…][,v0=…]`, scanned in place (no split: header parsing is most of a small delivery's overhead).
 * Undefined unless there is exactly one `t` and at least one well-formed `v1`. Whitespace around keys and values is
 * tolerated. v0 is Stripe's test-mode-only legacy scheme and is ignored, as Stripe's own libraries do.
 */
function parseSignatureHeader(header: string): ParsedSignatureHeader | undefined {
	let timestampText: string | undefined;
	const received: Buffer[] = [];
	let items = 0;
	for (let start = 0; start <= header.length; ) {
		if (++items > MAX_ITEMS) return undefined;
		let end = header.indexOf(',', start);
		if (end < 0) end = header.length;
		const equals = header.indexOf('=', start);
		if (equals >= 0 && equals < end) {
			const key = header.slice(start, equals).trim();
			// The value's bounds without surrounding whitespace, so that a signature is decoded in place.
			let valueStart = equals + 1;
			let valueEnd = end;
			while (valueStart < valueEnd && isLatin1Whitespace(header.charCodeAt(valueStart))) valueStart++;
			while (valueEnd > valueStart && isLatin1Whitespace(header.charCodeAt(valueEnd - 1))) valueEnd--;
			if (key === 't') {
				if (timestampText !== undefined) return undefined;
				timestampText = header.slice(valueStart, valueEnd);
			} else if (key === 'v1') {
				const mac = decodeFixedHex(header, 32, valueStart, valueEnd);
				if (mac) received.push(mac);
			}
		}
		start = end + 1;
	}
	return timestampText !== undefined && received.length > 0 ? { timestampText, received } : undefined;
}

/** Verifies `Stripe-Signature: t=…,v1=…[,v1=…][,v0=…]`. Several v1 entries appear while Stripe rolls a secret. */
export function verifyStripeSignature(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return fail('missing_key');
	const header = readSingleHeader(request.headers, SIGNATURE_HEADER);
	if (typeof header !== 'string') return header;

	const parsed = parseSignatureHeader(header);
	if (!parsed) return fail('malformed_signature');
	const { timestampText, received } = parsed;
	const timestamp = parseUnixTimestamp(timestampText);
	if (timestamp === undefined) return fail('malformed_signature');
	const prefix = signedPrefix(timestampText);

	const matched = findMatchingSecret(candidates, received, (key) => stripeMac(key, prefix, request.rawBody));
	if (!matched) return fail('invalid_signature');
	if (!isWithinTolerance(timestamp, options)) return fail('timestamp_out_of_tolerance');
	return verifiedAt(matched, timestamp);
}

export interface StripeSignatureInput {
	payload: Buffer;
	/** The endpoint's signing secret, `whsec_…`. */
	secret: string;
	/** Unix seconds; now when omitted. */
	timestampSeconds?: number;
}

/**
 * The `Stripe-Signature` header value (`t=…,v1=…`) for `payload`, like stripe-node's
 * `stripe.webhooks.generateTestHeaderString` but over the exact bytes. Use it to sign test deliveries.
 */
export function generateStripeSignatureHeader(input: StripeSignatureInput): string {
	const timestamp = String(Math.floor(input.timestampSeconds ?? nowInSeconds()));
	return `t=${timestamp},v1=${stripeMac(input.secret, signedPrefix(timestamp), input.payload).toString('hex')}`;
}

export const stripeScheme: SignatureScheme = {
	name: 'stripe',
	sensitiveHeaders: [SIGNATURE_HEADER],
	timestamped: true,
	verify: verifyStripeSignature,
	describeEvent(_request, body) {
		const event = asRecord(body);
		return { type: asString(event?.type), id: asString(event?.id) };
	},
	sign: (input) => ({
		[SIGNATURE_HEADER]: generateStripeSignatureHeader({
			payload: input.payload,
			secret: input.key,
			timestampSeconds: input.timestampSeconds,
		}),
	}),
};
