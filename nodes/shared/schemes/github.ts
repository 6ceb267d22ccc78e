import { headerValue } from '../http';
import { asRecord, asString, prefixedHexHmac, verifyPrefixedHexHmac } from './hmacPrimitives';
import type { SignatureScheme } from './types';

const SIGNATURE_HEADER = 'x-hub-signature-256';
const PREFIX = 'sha256=';

/**
 * The `X-Hub-Signature-256` value (`sha256=<hex>`) GitHub sends for `payload`: HMAC-SHA256 of the raw bytes
 * with the webhook secret. Use it to sign test deliveries.
 */
export function signGithubPayload(payload: Buffer, secret: string): string {
	return prefixedHexHmac(payload, secret, PREFIX);
}

export const githubScheme: SignatureScheme = {
	name: 'github',
	// GitHub still sends the legacy SHA-1 `X-Hub-Signature` too; it is redacted but never trusted.
	sensitiveHeaders: [SIGNATURE_HEADER, 'x-hub-signature'],
	timestamped: false,
	verify: (request, secrets) => verifyPrefixedHexHmac(request, secrets, SIGNATURE_HEADER, PREFIX),
	describeEvent(request, body) {
		const event = asString(headerValue(request.headers, 'x-github-event'));
		const action = asString(asRecord(body)?.action);
		return {
			type: event && action ? `${event}.${action}` : event,
			id: asString(headerValue(request.headers, 'x-github-delivery')),
		};
	},
	sign: (input) => ({ [SIGNATURE_HEADER]: signGithubPayload(input.payload, input.key) }),
};
