import type { ProviderEntry } from '../types';

export const PAYMENTS_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'stripe',
		displayName: 'Stripe',
		group: 'payments',
		docsUrl: 'https://docs.stripe.com/webhooks#verify-events',
		sdkUrl: 'https://github.com/stripe/stripe-node/blob/master/src/Webhooks.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'stripe-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
			encoding: 'hex',
			// The whsec_… text itself is the key: Stripe does not base64-decode it (unlike Standard Webhooks).
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'type' }],
		eventId: [{ body: 'id' }],
		redelivery:
			'Automatic retries (up to 3 days) and a resend from the Dashboard deliver the same event object, with the same evt_… id; only the signature timestamp changes.',
		contentTypes: ['application/json'],
		secretHelp:
			'The endpoint\'s Signing secret (whsec_…): Dashboard → Developers → Webhooks → the endpoint → Signing secret. `stripe listen` prints its own.',
		vectors: { source: 'sdk', reference: 'stripe-node 23.1.0 webhooks.generateTestHeaderString (test/nodes/shared/schemes/stripe.test.ts)' },
		caveats: ['Several v1 signatures appear while a secret is being rolled; any one of them verifies. Test-mode v0 signatures are ignored.'],
	},
	{
		id: 'paddle',
		displayName: 'Paddle Billing',
		group: 'payments',
		docsUrl: 'https://developer.paddle.com/webhooks/signature-verification',
		sdkUrl: 'https://github.com/PaddleHQ/paddle-node-sdk/blob/main/src/notifications/helpers/webhooks-validator.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// During a secret rotation the header carries one h1 per active secret; any one verifies.
			signature: { header: 'paddle-signature', list: { pairSeparator: ';', keyValueSeparator: '=', signatureKeys: ['h1'] } },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}:{body}',
			// Paddle's SDKs allow five seconds; widen Replay Window under Options if clocks drift.
			timestamp: { from: { signatureKey: 'ts' }, unit: 's', windowSeconds: 5 },
		},
		eventType: [{ body: 'event_type' }],
		eventId: [{ body: 'event_id' }],
		redelivery:
			'Paddle delivers at least once and names event_id as the de-duplication key; a retry resends the same notification, and a replay creates a new notification_id "related to the same event_id" (developer.paddle.com/api-reference/notifications/replay-notification).',
		contentTypes: ['application/json'],
		secretHelp: 'The notification destination\'s secret key (pdl_ntfset_…), as shown: Paddle → Developer tools → Notifications → the destination.',
		vectors: {
			source: 'official',
			reference: 'PaddleHQ/paddle-node-sdk src/__tests__/notifications/webhooks-validator.test.ts, row "Valid signature" (secret VALID_SECRET, ts=1698796800)',
		},
		caveats: ['Paddle allows a five-second window: a clock more than five seconds off refuses every delivery (widen Replay Window under Options).'],
	},
	{
		id: 'square',
		displayName: 'Square',
		group: 'payments',
		docsUrl: 'https://developer.squareup.com/docs/webhooks/step3validate',
		sdkUrl: 'https://github.com/square/square-nodejs-sdk/blob/master/src/wrapper/WebhooksHelper.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-square-hmacsha256-signature' },
			encoding: 'base64',
			// The signature key is used as the text shown (it looks like base64url but is not decoded).
			secret: 'utf8',
			signedContent: '{url}{body}',
		},
		// Square's legacy SHA-1 signature header is redacted but never trusted.
		sensitiveHeaders: ['x-square-signature'],
		eventType: [{ body: 'type' }],
		eventId: [{ body: 'event_id' }],
		redelivery:
			'"Webhooks can be sent more than once": a retry (square-retry-number, square-retry-reason headers) and a resend from the Developer Console carry the same notification and its event_id.',
		contentTypes: ['application/json'],
		settings: ['publicUrl'],
		secretHelp: 'The subscription\'s Signature key: Developer Console → the application → Webhooks → Subscriptions → the subscription.',
		vectors: {
			source: 'official',
			reference: 'square/square-nodejs-sdk test/utilities/webhooksHelper.test.ts lines 4-10 (the same vector in the Java, Go, PHP, Python and Ruby SDK tests)',
		},
		caveats: [
			'Square signs the notification URL: set Public URL to the URL exactly as registered in the subscription.',
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'razorpay',
		displayName: 'Razorpay',
		group: 'payments',
		docsUrl: 'https://razorpay.com/docs/webhooks/validate-test/',
		sdkUrl: 'https://github.com/razorpay/razorpay-node/blob/master/lib/utils/razorpay-utils.js',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-razorpay-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'event' }],
		eventId: [{ header: 'x-razorpay-event-id' }],
		redelivery:
			'"The value for this header is unique per event" (x-razorpay-event-id); retries (exponential back-off for 24 hours) and Dashboard replays, sent "exactly as they were originally generated", keep it.',
		contentTypes: ['application/json'],
		secretHelp: 'The Secret you entered when creating the webhook (Dashboard → Account & Settings → Webhooks); not the API key secret.',
		vectors: { source: 'official', reference: 'razorpay/razorpay-node test/utils/razorpay-utils.spec.js, it("validateWebhookSignature") (secret 123456)' },
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'Retries of events created before a secret change are signed with the old secret: put it in Previous Secret until they stop.',
		],
	},
	{
		id: 'paystack',
		displayName: 'Paystack',
		group: 'payments',
		docsUrl: 'https://paystack.com/docs/payments/webhooks/#verify-event-origin',
		signature: {
			kind: 'hmac',
			algorithm: 'sha512',
			signature: { header: 'x-paystack-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'event' }],
		// No event id: the event with the id of its object (transaction, transfer, refund…) stands in.
		eventId: [{ join: [{ body: 'event' }, { body: 'data.id' }], separator: ':' }],
		redelivery:
			'Paystack sends no event id; it retries a failed delivery with the same body (every 3 minutes at first, then hourly for up to 72 hours in live mode). The id here is the event with its data.id.',
		contentTypes: ['application/json'],
		secretHelp: 'The account\'s Secret Key (sk_live_… or sk_test_…): Dashboard → Settings → API Keys & Webhooks. Paystack signs with it.',
		vectors: {
			source: 'docs',
			reference: 'https://paystack.com/docs/payments/webhooks/ (HMAC-SHA512 hex of the body with the secret key), charge.success sample, computed with Python hmac',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'Paystack sends no event id: two events of the same type for the same object (two invoice.update of one invoice) count as one within the de-duplication TTL.',
		],
	},
	{
		id: 'coinbaseCommerce',
		displayName: 'Coinbase Commerce',
		group: 'payments',
		docsUrl: 'https://docs.cdp.coinbase.com/commerce/docs/webhooks-security',
		sdkUrl: 'https://github.com/coinbase/coinbase-commerce-node/blob/master/lib/Webhook.js',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-cc-webhook-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'event.type' }],
		// The top-level id and attempt_number describe the delivery; event.id is the event.
		eventId: [{ body: 'event.id' }],
		redelivery: 'A retry resends the event with a higher attempt_number; event.id stays the same.',
		contentTypes: ['application/json'],
		secretHelp: 'The Shared Secret of the webhook subscription: Coinbase Commerce → Settings → Webhook subscriptions → Show shared secret.',
		vectors: { source: 'official', reference: 'coinbase/coinbase-commerce-node test/testWebhook.spec.js, "should successfully verify signature and return event"' },
		caveats: ['No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.'],
	},
	{
		id: 'polar',
		displayName: 'Polar',
		group: 'payments',
		docsUrl: 'https://polar.sh/docs/integrate/webhooks/delivery',
		sdkUrl: 'https://github.com/polarsource/polar-js/blob/main/src/webhooks.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// Standard Webhooks headers, but the key is the secret's text: Polar's SDK base64-encodes it before handing it
			// to the standardwebhooks library, which decodes it again.
			signature: { header: 'webhook-signature', list: { pairSeparator: ' ', keyValueSeparator: ',', signatureKeys: ['v1'] } },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{header:webhook-id}.{timestamp}.{body}',
			timestamp: { from: { header: 'webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'type' }],
		eventId: [{ header: 'webhook-id' }],
		redelivery: 'Polar follows Standard Webhooks: webhook-id is the message id, signed with the body and kept on every retry and redelivery.',
		contentTypes: ['application/json'],
		secretHelp: 'The endpoint\'s secret as shown (polar_whs_…): Polar → Settings → Webhooks → the endpoint.',
		vectors: {
			source: 'sdk',
			reference: 'standardwebhooks@1.1.1 sign with the base64 of the secret, as @polar-sh/sdk@0.49.0 validateEvent verifies; both directions in the payments tests',
		},
		caveats: ['The headers are Standard Webhooks\', but the secret is used as text: the Standard Webhooks provider would not verify Polar\'s deliveries.'],
	},
	{
		id: 'wise',
		displayName: 'Wise',
		group: 'payments',
		aliases: ['TransferWise'],
		docsUrl: 'https://docs.wise.com/features/webhooks-notifications/event-handling',
		sdkUrl: 'https://github.com/transferwise/digital-signatures-examples/tree/master/verify-webhook-signature',
		signature: {
			kind: 'publicKey',
			algorithm: 'rsaPkcs1Sha256',
			signature: { header: 'x-signature-sha256' },
			encoding: 'base64',
			signedContent: '{body}',
		},
		eventType: [{ body: 'event_type' }],
		// Wise documents no delivery id that survives a retry: the resource, its state and the time of the change stand in.
		eventId: [
			{
				join: [{ body: 'event_type' }, { body: 'data.resource.id' }, { body: 'data.current_state' }, { body: 'data.occurred_at' }],
				separator: ':',
			},
		],
		redelivery:
			'Wise redelivers a failed notification "at increasing intervals over a two week period", at most 25 times, with the same event; the id here is its type, resource id, state and occurred_at.',
		contentTypes: ['application/json'],
		secretHelp:
			'Public Key: Wise\'s webhook signing public key (PEM) for production or for the sandbox, from the event-handling page of Wise\'s docs. Secret stays empty.',
		vectors: {
			source: 'official',
			reference: 'transferwise/digital-signatures-examples verify-webhook-signature/verify-signature.php (sandbox key, body, X-Signature-SHA256)',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'Production and sandbox sign with different keys: paste the one of the environment that sends.',
		],
	},
	{
		id: 'xero',
		displayName: 'Xero',
		group: 'payments',
		aliases: ['Accounting'],
		docsUrl: 'https://developer.xero.com/documentation/guides/webhooks/configuring-your-server',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-xero-signature' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ join: [{ body: 'events[0].eventCategory' }, { body: 'events[0].eventType' }], separator: '.' }],
		// No event id: the resource, what happened to it and when.
		eventId: [
			{
				join: [{ body: 'events[0].resourceId' }, { body: 'events[0].eventCategory' }, { body: 'events[0].eventType' }, { body: 'events[0].eventDateUtc' }],
				separator: ':',
			},
		],
		redelivery: 'Xero sends no event id and retries a failed batch with the same events; the id here is the first event\'s resource, category, type and eventDateUtc.',
		contentTypes: ['application/json'],
		secretHelp: 'The Webhooks key of the app: developer.xero.com → My Apps → the app → Webhooks → Webhooks key.',
		vectors: {
			source: 'docs',
			reference:
				'https://developer.xero.com/documentation/guides/webhooks/configuring-your-server (base64 HMAC-SHA256 of the body with the webhooks key) and its payload example, computed with Python hmac',
		},
		caveats: [
			'Xero\'s "intent to receive" check sends correctly and wrongly signed requests: the wrong ones get 401, the right one (no events) starts the workflow once with an empty list.',
			'Events arrive in batches: the type and de-duplication id are the first event\'s.',
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'quickBooks',
		displayName: 'QuickBooks Online (Intuit)',
		group: 'payments',
		aliases: ['Intuit', 'Accounting'],
		docsUrl: 'https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications#validating-the-notification',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'intuit-signature' },
			encoding: 'base64',
			// The app's Verifier Token as shown.
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [
			{ join: [{ body: 'eventNotifications[0].dataChangeEvent.entities[0].name' }, { body: 'eventNotifications[0].dataChangeEvent.entities[0].operation' }], separator: '.' },
		],
		// No event id: the company, entity, operation and its lastUpdated time.
		eventId: [
			{
				join: [
					{ body: 'eventNotifications[0].realmId' },
					{ body: 'eventNotifications[0].dataChangeEvent.entities[0].name' },
					{ body: 'eventNotifications[0].dataChangeEvent.entities[0].id' },
					{ body: 'eventNotifications[0].dataChangeEvent.entities[0].operation' },
					{ body: 'eventNotifications[0].dataChangeEvent.entities[0].lastUpdated' },
				],
				separator: ':',
			},
		],
		redelivery: 'Intuit retries a failed notification with the same payload; it has no id, so the id here is the first entity\'s company, name, id, operation and lastUpdated.',
		contentTypes: ['application/json'],
		secretHelp: 'The Verifier Token: developer.intuit.com → the app → Webhooks (shown when webhooks are configured).',
		vectors: {
			source: 'docs',
			reference:
				'https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks (intuit-signature: base64 HMAC-SHA256 of the payload with the verifier token) and its notification example, computed with Python hmac',
		},
		caveats: [
			'Notifications batch several entities and companies: the type and de-duplication id are the first entity\'s.',
			'This is the classic notification format; the CloudEvents format Intuit is moving apps to has other fields and is not covered.',
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
		],
	},
];
