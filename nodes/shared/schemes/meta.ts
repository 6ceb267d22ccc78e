/** Compatibility facade: Meta is a catalogue entry (nodes/shared/providers/groups/messaging.ts). */
import { SCHEMES } from './registry';

export const metaScheme = SCHEMES.meta;

/**
 * The `X-Hub-Signature-256` value (`sha256=<hex>`) Meta (Facebook, Instagram, WhatsApp Cloud API) sends:
 * HMAC-SHA256 of the body bytes with the app secret. Meta signs the body as it sends it, with non-ASCII
 * characters escaped (`\u00e9`), so pass the exact bytes you will send, not a re-serialised object.
 */
export function signMetaPayload(payload: Buffer, appSecret: string): string {
	return metaScheme.sign!({ payload, key: appSecret })['x-hub-signature-256'];
}
