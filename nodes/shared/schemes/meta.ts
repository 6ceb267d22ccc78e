import { asRecord, asString, prefixedHexHmac, verifyPrefixedHexHmac } from './hmacPrimitives';
import type { SignatureScheme } from './types';

const SIGNATURE_HEADER = 'x-hub-signature-256';
const PREFIX = 'sha256=';

/**
 * The `X-Hub-Signature-256` value (`sha256=<hex>`) Meta (Facebook, Instagram, WhatsApp Cloud API) sends:
 * HMAC-SHA256 of the body bytes with the app secret. Meta signs the body as it sends it, with non-ASCII
 * characters escaped (`\u00e9`), so pass the exact bytes you will send, not a re-serialised object.
 */
export function signMetaPayload(payload: Buffer, appSecret: string): string {
	return prefixedHexHmac(payload, appSecret, PREFIX);
}

function firstElement(value: unknown): Record<string, unknown> | undefined {
	return Array.isArray(value) ? asRecord(value[0]) : undefined;
}

export const metaScheme: SignatureScheme = {
	name: 'meta',
	// Meta also sends the legacy SHA-1 `X-Hub-Signature`; it is redacted but never trusted.
	sensitiveHeaders: [SIGNATURE_HEADER, 'x-hub-signature'],
	timestamped: false,
	verify: (request, secrets) => verifyPrefixedHexHmac(request, secrets, SIGNATURE_HEADER, PREFIX),
	describeEvent(_request, body) {
		const notification = asRecord(body);
		const object = asString(notification?.object);
		// Graph API change notifications (WhatsApp, Instagram, Page feed) name the changed field; Messenger does not.
		const field = asString(firstElement(firstElement(notification?.entry)?.changes)?.field);
		return { type: object && field ? `${object}.${field}` : object };
	},
	sign: (input) => ({ [SIGNATURE_HEADER]: signMetaPayload(input.payload, input.key) }),
};
