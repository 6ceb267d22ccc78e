/** Compatibility facade: Shopify is a catalogue entry (nodes/shared/providers/groups/commerce.ts). */
import { SCHEMES } from './registry';

export const shopifyScheme = SCHEMES.shopify;

/** Verifies `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body, keyed with the app's client secret. */
export const verifyShopifyWebhook = shopifyScheme.verify;

/** The `X-Shopify-Hmac-Sha256` value Shopify sends for `payload`. Use it to sign test deliveries. */
export function signShopifyPayload(payload: Buffer, secret: string): string {
	return shopifyScheme.sign!({ payload, key: secret })['x-shopify-hmac-sha256'];
}
