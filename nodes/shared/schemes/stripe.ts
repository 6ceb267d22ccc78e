import {
	asRecord,
	asString,
	decodeFixedHex,
	fail,
	hmacSha256,
	isWithinTolerance,
	matchSecret,
	nowInSeconds,
	parseUnixTimestamp,
	readSingleHeader,
	secretCandidates,
} from './hmacPrimitives';
import type { IncomingWebhook, SignatureScheme, SigningSecrets, VerificationResult, VerifyOptions } from './types';

const SIGNATURE_HEADER = 'stripe-signature';
const MAX_SIGNATURES = 16;

/** `<t>.` followed by the body bytes exactly as sent. */
function signedContent(timestamp: string, payload: Buffer): Buffer {
	return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), payload]);
}

/**
 * The key is the `whsec_…` string itself, as UTF-8 bytes. Unlike Standard Webhooks, Stripe does not
 * base64-decode what follows the prefix; doing so is the classic mistake that makes every delivery fail.
 */
function stripeMac(secret: string, timestamp: string, payload: Buffer): Buffer {
	return hmacSha256(Buffer.from(secret, 'utf8'), signedContent(timestamp, payload));
}

/** Verifies `Stripe-Signature: t=…,v1=…[,v1=…][,v0=…]`. Several v1 entries appear while Stripe rolls a secret. */
export function verifyStripeSignature(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return fail('missing_key');
	const header = readSingleHeader(request.headers, SIGNATURE_HEADER);
	if (typeof header !== 'string') return header;

	const timestamps: string[] = [];
	const received: Buffer[] = [];
	const items = header.split(',');
	if (items.length > 2 + MAX_SIGNATURES * 2) return fail('malformed_signature');
	for (const item of items) {
		const equals = item.indexOf('=');
		if (equals < 0) continue;
		const key = item.slice(0, equals).trim();
		const value = item.slice(equals + 1).trim();
		if (key === 't') timestamps.push(value);
		if (key === 'v1') {
			const mac = decodeFixedHex(value, 32);
			if (mac) received.push(mac);
		}
		// v0 is Stripe's test-mode-only legacy scheme and is ignored, as Stripe's own libraries do.
	}
	if (timestamps.length !== 1 || received.length === 0) return fail('malformed_signature');
	const timestampText = timestamps[0];
	const timestamp = parseUnixTimestamp(timestampText);
	if (timestamp === undefined) return fail('malformed_signature');

	const result = matchSecret(candidates, received, (key) => stripeMac(key, timestampText, request.rawBody));
	if (!result.ok) return result;
	if (!isWithinTolerance(timestamp, options)) return fail('timestamp_out_of_tolerance');
	return { ...result, timestamp };
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
	return `t=${timestamp},v1=${stripeMac(input.secret, timestamp, input.payload).toString('hex')}`;
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
