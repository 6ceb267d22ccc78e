import { headerValue } from '../http';
import { asString, decodeFixedBase64, fail, hmacSha256OfPrefixedBody, matchSecret, readSingleHeader, secretCandidates } from './hmacPrimitives';
import { secretKeyFor } from './secretKeys';
import type { IncomingWebhook, SignatureScheme, SigningSecrets, VerificationResult } from './types';

const SIGNATURE_HEADER = 'x-shopify-hmac-sha256';

/** Verifies `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body, keyed with the app's client secret. */
export function verifyShopifyWebhook(request: IncomingWebhook, secrets: SigningSecrets): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return fail('missing_key');
	const header = readSingleHeader(request.headers, SIGNATURE_HEADER);
	if (typeof header !== 'string') return header;
	const received = decodeFixedBase64(header, 32);
	if (!received) return fail('malformed_signature');
	return matchSecret(candidates, [received], (key) => hmacSha256OfPrefixedBody(secretKeyFor(key), '', request.rawBody));
}

/** The `X-Shopify-Hmac-Sha256` value Shopify sends for `payload`. Use it to sign test deliveries. */
export function signShopifyPayload(payload: Buffer, secret: string): string {
	return hmacSha256OfPrefixedBody(secretKeyFor(secret), '', payload).toString('base64');
}

export const shopifyScheme: SignatureScheme = {
	name: 'shopify',
	sensitiveHeaders: [SIGNATURE_HEADER],
	timestamped: false,
	verify: verifyShopifyWebhook,
	describeEvent(request) {
		return {
			type: asString(headerValue(request.headers, 'x-shopify-topic')),
			id: asString(headerValue(request.headers, 'x-shopify-webhook-id')) ?? asString(headerValue(request.headers, 'x-shopify-event-id')),
		};
	},
	sign: (input) => ({ [SIGNATURE_HEADER]: signShopifyPayload(input.payload, input.key) }),
};
