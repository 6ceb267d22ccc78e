import type { ProviderEntry } from '../types';

export const COMMERCE_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'shopify',
		displayName: 'Shopify',
		group: 'commerce',
		docsUrl: 'https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-shopify-hmac-sha256' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ header: 'x-shopify-topic' }],
		eventId: [{ header: 'x-shopify-webhook-id' }, { header: 'x-shopify-event-id' }],
		redelivery:
			'Retries (8 over 4 hours) deliver the original payload with the same X-Shopify-Webhook-Id; X-Shopify-Event-Id is the same for every webhook one event triggers (https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates).',
		contentTypes: ['application/json'],
		secretHelp:
			'The app\'s client secret (Partner Dashboard or Dev Dashboard → the app → Client credentials); for a webhook made in the store admin, the key shown under Settings → Notifications → Webhooks.',
		vectors: { source: 'docs', reference: 'https://shopify.dev/docs/apps/build/webhooks/subscribe/https (algorithm), computed with node:crypto' },
		caveats: ['No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.'],
	},
	{
		id: 'wooCommerce',
		displayName: 'WooCommerce',
		group: 'commerce',
		docsUrl: 'https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks',
		sdkUrl: 'https://github.com/woocommerce/woocommerce/blob/trunk/plugins/woocommerce/includes/class-wc-webhook.php',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-wc-webhook-signature' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ header: 'x-wc-webhook-topic' }],
		// X-WC-Webhook-Delivery-ID is wp_hash(webhook id + the current second): two deliveries of one webhook in the same
		// second share it, so the body's hash is added.
		eventId: [{ join: [{ header: 'x-wc-webhook-delivery-id' }, { bodyHash: 'sha256' }], separator: ':' }],
		redelivery:
			'WooCommerce does not retry a failed delivery (it counts failures and disables the webhook after five in a row); X-WC-Webhook-Delivery-ID is a hash of the webhook id and the second of sending, so the id here adds the body\'s hash.',
		contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
		handshakes: [
			{
				// The ping sent when a webhook is created: an unsigned form post "webhook_id=<id>" that must get a 200.
				phase: 'unsigned',
				method: 'POST',
				when: [{ source: { body: 'webhook_id' }, present: true }],
				respond: { headers: {} },
				docsUrl: 'https://github.com/woocommerce/woocommerce/blob/trunk/plugins/woocommerce/includes/class-wc-webhook.php',
			},
		],
		secretHelp: 'The webhook\'s Secret (WooCommerce → Settings → Advanced → Webhooks → the webhook); WooCommerce generates one when left empty.',
		vectors: {
			source: 'docs',
			reference:
				'class-wc-webhook.php generate_signature (base64 HMAC-SHA256 of the payload with the secret) and the REST API docs\' order.created payload (shortened), computed with Python hmac',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'The creation ping (form field webhook_id, unsigned) is answered 200 without starting a workflow once the trigger reads bodies for unsigned handshakes (requested); until then it gets 401 and WooCommerce shows "Delivery URL returned response code: 401" when the webhook is saved, but still delivers events.',
		],
	},
	{
		id: 'lemonSqueezy',
		displayName: 'Lemon Squeezy',
		group: 'commerce',
		docsUrl: 'https://docs.lemonsqueezy.com/help/webhooks/signing-requests',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'meta.event_name' }, { header: 'x-event-name' }],
		// No event id: each event's body (the object as it was, with its updated_at) is its identity.
		eventId: [{ bodyHash: 'sha256' }],
		redelivery:
			'Lemon Squeezy sends no event id; a failed delivery is retried (three more times, exponential back-off) and can be resent from the dashboard with the same body, so the id is the SHA-256 of the raw body.',
		contentTypes: ['application/json'],
		secretHelp: 'The Signing secret you entered for the webhook (Lemon Squeezy → Settings → Webhooks → the webhook).',
		vectors: {
			source: 'docs',
			reference: 'https://docs.lemonsqueezy.com/help/webhooks/signing-requests (hex HMAC-SHA256 of the body in X-Signature), order_created payload (shortened), computed with Python hmac',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'De-duplication works on a hash of the body: two deliveries with byte-identical bodies count as one.',
		],
	},
];
