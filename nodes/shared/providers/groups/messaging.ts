import type { ProviderEntry } from '../types';

export const MESSAGING_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'slack',
		displayName: 'Slack',
		group: 'messaging',
		docsUrl: 'https://api.slack.com/authentication/verifying-requests-from-slack',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-slack-signature', prefix: 'v0=' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: 'v0:{timestamp}:{body}',
			timestamp: { from: { header: 'x-slack-request-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		// Events API: the inner event's type; slash commands: the command; interactivity: the type of the JSON in `payload`.
		eventType: [{ body: 'event.type' }, { body: 'command' }, { jsonIn: 'payload', path: 'type' }, { body: 'type' }],
		eventId: [{ body: 'event_id' }],
		redelivery:
			'Events API retries (up to 3, with X-Slack-Retry-Num and X-Slack-Retry-Reason) keep the event_id. Slash commands and interactivity are not retried and carry no event id.',
		contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
		handshakes: [
			{
				phase: 'signed',
				when: [
					{ source: { body: 'type' }, equals: 'url_verification' },
					{ source: { body: 'challenge' }, present: true },
				],
				respond: { json: { challenge: { body: 'challenge' } } },
				docsUrl: 'https://api.slack.com/events/url_verification',
			},
		],
		secretHelp: 'The app\'s Signing Secret: api.slack.com/apps → the app → Basic Information → App Credentials (not the verification token).',
		vectors: { source: 'official', reference: 'https://api.slack.com/authentication/verifying-requests-from-slack#validating-a-request (worked example)' },
	},
	{
		id: 'discord',
		displayName: 'Discord Interactions',
		group: 'messaging',
		docsUrl: 'https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers',
		sdkUrl: 'https://github.com/discord/discord-interactions-js',
		signature: {
			kind: 'special',
			verifier: 'discord',
			timestamp: { from: { header: 'x-signature-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		// Interaction types are numbers (1 = PING, 2 = APPLICATION_COMMAND); the event filter works on their text.
		eventType: [{ body: 'type' }],
		eventId: [{ body: 'id' }],
		redelivery: 'Discord does not retry interactions; every interaction has its own id.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				phase: 'signed',
				when: [{ source: { body: 'type' }, equals: 1 }],
				respond: { json: { type: { literal: 1 } } },
				docsUrl: 'https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction',
			},
		],
		secretHelp: 'The application\'s Public Key (Developer Portal → the application → General Information), pasted into Public Key; Secret stays empty.',
		vectors: { source: 'sdk', reference: 'discord-interactions 4.4.0 verifyKey and RFC 8032 Ed25519 vectors (test/nodes/shared/schemes/discord.test.ts)' },
		caveats: ['Discord itself only asks for the signature check; the signed timestamp is also held to the window here, which stops replays.'],
	},
	{
		id: 'meta',
		displayName: 'Meta (Facebook, Instagram, WhatsApp)',
		group: 'messaging',
		aliases: ['Facebook', 'Instagram', 'WhatsApp', 'Messenger'],
		docsUrl: 'https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-hub-signature-256', prefix: 'sha256=' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		// Meta also sends the legacy SHA-1 X-Hub-Signature; it is redacted but never trusted.
		sensitiveHeaders: ['x-hub-signature'],
		// Graph API change notifications (WhatsApp, Instagram, Page feed) name the changed field; Messenger does not.
		eventType: [{ join: [{ body: 'object' }, { body: 'entry[0].changes[0].field' }], separator: '.' }],
		eventId: { none: 'Meta sends no delivery id, and one notification can batch several entries.' },
		redelivery: 'Meta retries failed deliveries for up to 36 hours with the same body, but sends no id to recognise them by.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				phase: 'unsigned',
				method: 'GET',
				when: [{ source: { query: 'hub.mode' }, equals: 'subscribe' }],
				require: [
					{ source: { query: 'hub.verify_token' }, equalsSetting: 'verifyToken' },
					{ source: { query: 'hub.challenge' }, present: true },
				],
				respond: { text: { query: 'hub.challenge' } },
				docsUrl: 'https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests',
			},
		],
		settings: ['verifyToken'],
		secretHelp: 'The App Secret (App Dashboard → App settings → Basic → App secret); the Verify Token you chose goes into the node\'s Verify Token.',
		vectors: { source: 'docs', reference: 'https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads (algorithm; body with \\u escapes as Meta sends it)' },
		caveats: [
			'Meta signs the body as it sends it, with non-ASCII characters escaped (\\u00e9): a proxy that re-serialises JSON breaks the signature.',
			'No signed timestamp and no delivery id: a captured delivery can be replayed.',
		],
	},
	{
		id: 'twilio',
		displayName: 'Twilio',
		group: 'messaging',
		docsUrl: 'https://www.twilio.com/docs/usage/webhooks/webhooks-security',
		sdkUrl: 'https://github.com/twilio/twilio-node/blob/main/src/webhooks/webhooks.ts',
		signature: { kind: 'special', verifier: 'twilio' },
		eventType: [{ body: 'MessageStatus' }, { body: 'SmsStatus' }, { body: 'CallStatus' }],
		// Not MessageSid: every status callback of one message (queued, sent, delivered, read) carries it.
		eventId: [
			{ header: 'i-twilio-idempotency-token' },
			{ join: [{ body: 'MessageSid' }, { body: 'MessageStatus' }], separator: ':' },
			{ join: [{ body: 'SmsSid' }, { body: 'SmsStatus' }], separator: ':' },
			{ join: [{ body: 'CallSid' }, { body: 'CallStatus' }], separator: ':' },
		],
		redelivery:
			'Each webhook request carries an I-Twilio-Idempotency-Token that its retries keep (connection overrides rc/rp); each status callback of a message is a new request with its own token, all sharing the MessageSid. Without the header, the Sid plus the status stands in.',
		contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
		settings: ['publicUrl'],
		secretHelp: 'The account\'s Auth Token (Console → Account Info); during a rotation the secondary token goes into Previous Secret.',
		vectors: { source: 'official', reference: 'https://www.twilio.com/docs/usage/security#validating-requests (documented example); twilio-node validateRequest' },
		caveats: [
			'Twilio signs the URL it calls: behind a proxy, set Public URL to the URL exactly as configured in Twilio.',
			'Twilio\'s pages we could check do not define I-Twilio-Idempotency-Token beyond sending it; its use as the retry id follows the SDKs\' integrations (Pipedream\'s Twilio source de-duplicates on it).',
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'zoom',
		displayName: 'Zoom',
		group: 'messaging',
		docsUrl: 'https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-zm-signature', prefix: 'v0=' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: 'v0:{timestamp}:{body}',
			// Seconds; some write-ups show 13-digit milliseconds, which are read as such rather than as the far future.
			timestamp: { from: { header: 'x-zm-request-timestamp' }, unit: 'auto', windowSeconds: 300 },
		},
		eventType: [{ body: 'event' }],
		eventId: { none: 'Zoom documents no delivery id, and event_ts is not unique per event.' },
		redelivery: 'Zoom retries failed deliveries (up to 3 times) with the same body, but sends no id to recognise them by.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				phase: 'signed',
				when: [
					{ source: { body: 'event' }, equals: 'endpoint.url_validation' },
					{ source: { body: 'payload.plainToken' }, present: true },
				],
				respond: {
					json: {
						plainToken: { body: 'payload.plainToken' },
						encryptedToken: { hmacOf: { body: 'payload.plainToken' }, algorithm: 'sha256', encoding: 'hex' },
					},
				},
				docsUrl: 'https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint',
			},
		],
		secretHelp: 'The app\'s Secret Token (Zoom App Marketplace → the app → Features → Access → Secret Token).',
		vectors: { source: 'docs', reference: 'https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events (algorithm), vector computed with Python hmac' },
	},
	{
		id: 'line',
		displayName: 'LINE Messaging API',
		group: 'messaging',
		docsUrl: 'https://developers.line.biz/en/docs/messaging-api/receiving-messages/#verify-signature',
		sdkUrl: 'https://github.com/line/line-bot-sdk-nodejs/blob/master/lib/validate-signature.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-line-signature' },
			encoding: 'base64',
			// The channel secret as shown.
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'events[0].type' }],
		eventId: [{ body: 'events[0].webhookEventId' }],
		redelivery:
			'A redelivered webhook (webhook redelivery turned on in the console) carries the same webhookEventId, with deliveryContext.isRedelivery true.',
		contentTypes: ['application/json'],
		secretHelp: 'The channel secret: LINE Developers Console → the provider → the Messaging API channel → Basic settings → Channel secret.',
		vectors: { source: 'official', reference: 'line/line-bot-sdk-nodejs test/validate-signature.spec.ts "success" (body {"hello":"world"}, secret test_secret)' },
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'A webhook can carry several events; the type and id are the first one\'s. The console\'s "Verify" request has no events and starts the workflow with an empty list.',
		],
	},
	{
		id: 'telegram',
		displayName: 'Telegram Bot API',
		group: 'messaging',
		docsUrl: 'https://core.telegram.org/bots/api#setwebhook',
		signature: { kind: 'token', location: { header: 'x-telegram-bot-api-secret-token' } },
		// An Update names its kind by which field it carries (message, callback_query…), not by a value.
		eventType: [],
		eventId: [{ body: 'update_id' }],
		redelivery:
			'Telegram repeats an update until the webhook answers 2xx; update_id "allows you to ignore repeated updates" (Bot API, Update).',
		contentTypes: ['application/json'],
		secretHelp: 'The secret_token you passed to setWebhook (1-256 characters: A-Z, a-z, 0-9, _ and -).',
		vectors: { source: 'docs', reference: 'https://core.telegram.org/bots/api#setwebhook (X-Telegram-Bot-Api-Secret-Token) and an Update with a message' },
		caveats: [
			'A shared token, not a signature: the body is not authenticated, so use HTTPS.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
			'No event type: filter updates in the workflow by the field they carry (message, callback_query…).',
		],
	},
	{
		id: 'sendgrid',
		displayName: 'SendGrid (Event Webhook)',
		group: 'messaging',
		aliases: ['Twilio SendGrid'],
		docsUrl: 'https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features',
		sdkUrl: 'https://github.com/sendgrid/sendgrid-nodejs/blob/main/packages/eventwebhook/src/eventwebhook.js',
		signature: {
			kind: 'publicKey',
			algorithm: 'ecdsaP256Sha256',
			signature: { header: 'x-twilio-email-event-webhook-signature' },
			encoding: 'base64',
			ecdsaFormat: 'der',
			signedContent: '{timestamp}{body}',
			// SendGrid documents no window: this catalogue's default.
			timestamp: { from: { header: 'x-twilio-email-event-webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		// A batch of events; the first one's.
		eventType: [{ body: '[0].event' }],
		eventId: [{ body: '[0].sg_event_id' }],
		redelivery: 'SendGrid retries a failed POST for up to 24 hours; sg_event_id is the id SendGrid gives each event for de-duplication.',
		contentTypes: ['application/json'],
		secretHelp:
			'Public Key: the Verification Key shown when Signed Event Webhook is enabled (Settings → Mail Settings → Event Webhook), as shown (base64). Secret stays empty.',
		vectors: { source: 'official', reference: 'sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js (PUBLIC_KEY, SIGNATURE, TIMESTAMP, PAYLOAD)' },
		caveats: ['Events arrive in batches (a JSON array): the type and the de-duplication id are the first event\'s.'],
	},
	{
		id: 'postmark',
		displayName: 'Postmark',
		group: 'messaging',
		docsUrl: 'https://postmarkapp.com/developer/webhooks/webhooks-overview#protecting-your-webhook',
		signature: { kind: 'token', location: { basicAuth: true } },
		eventType: [{ body: 'RecordType' }],
		// No event id: bounces and spam complaints have an ID; other records are identified by their message, recipient and time.
		eventId: [
			{ join: [{ body: 'ID' }, { body: 'RecordType' }], separator: ':' },
			{
				join: [{ body: 'MessageID' }, { body: 'RecordType' }, { body: 'Recipient' }, { body: 'DeliveredAt' }, { body: 'ReceivedAt' }, { body: 'ChangedAt' }, { body: 'OriginalLink' }],
				separator: ':',
			},
		],
		redelivery:
			'Postmark sends no delivery id and retries a failed webhook with the same JSON; the id here is the record\'s ID (bounces, spam complaints) or its MessageID, type, recipient and time.',
		contentTypes: ['application/json'],
		secretHelp: 'The user:password you put in the webhook URL (https://user:password@your-n8n/webhook/…), written as user:password.',
		vectors: { source: 'docs', reference: 'https://postmarkapp.com/developer/webhooks/bounce-webhook (example) with HTTP Basic credentials as the overview describes' },
		caveats: [
			'Postmark does not sign webhooks: HTTP Basic credentials only authenticate the sender, the body is not authenticated, so use HTTPS.',
			'Record IDs above 2^53 (JavaScript\'s exact integers) are rounded when the body is parsed, so two such IDs that round alike count as one.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'telnyx',
		displayName: 'Telnyx',
		group: 'messaging',
		docsUrl: 'https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks#webhook-signing',
		signature: {
			kind: 'publicKey',
			algorithm: 'ed25519',
			signature: { header: 'telnyx-signature-ed25519' },
			encoding: 'base64',
			signedContent: '{timestamp}|{body}',
			timestamp: { from: { header: 'telnyx-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'data.event_type' }],
		eventId: [{ body: 'data.id' }],
		redelivery: 'Telnyx retries a failed webhook (meta.attempt rises) with the same event and its data.id.',
		contentTypes: ['application/json'],
		secretHelp: 'Public Key: the account\'s public key (Mission Control → Keys & Credentials → Public Key), base64 as shown. Secret stays empty.',
		vectors: {
			source: 'docs',
			reference: 'https://developers.telnyx.com/docs (Ed25519 over "timestamp|body", base64), signed with tweetnacl 1.0.3 from a fixed seed',
		},
	},
	{
		id: 'messageBird',
		displayName: 'MessageBird (Bird)',
		group: 'messaging',
		aliases: ['Bird'],
		docsUrl: 'https://developers.messagebird.com/api/#verifying-http-requests',
		sdkUrl: 'https://github.com/messagebird/messagebird-nodejs/blob/master/lib/webhook-signature-jwt.js',
		signature: {
			kind: 'jwt',
			token: { header: 'messagebird-signature-jwt' },
			algorithms: ['HS256'],
			issuer: 'MessageBird',
			// The hex SHA-256 of the body (url_hash, the SHA-256 of the URL, is not checked yet).
			bodyHashClaim: 'payload_hash',
		},
		eventType: [{ body: 'type' }],
		eventId: { none: 'MessageBird documents no delivery id; the token\'s jti is made for each request.' },
		redelivery: 'MessageBird documents no id that identifies a retried request; the signed token expires after about a minute.',
		contentTypes: ['application/json'],
		secretHelp: 'The signing key: MessageBird Dashboard → Developers → API settings → Signing key.',
		vectors: {
			source: 'official',
			reference: 'messagebird-nodejs lib/testdata/webhook-signature-jwt-reference.json, "Valid JWT with URL parameters and payload - POST"',
		},
		caveats: [
			'The token also signs the URL (url_hash), which is not checked yet: only the body and the sender are authenticated.',
			'No delivery id: de-duplication is off; the token\'s one-minute expiry limits replays.',
			'This is MessageBird\'s MessageBird-Signature-JWT; Bird\'s newer platform signs differently and is not covered.',
		],
	},
	{
		id: 'microsoftTeams',
		displayName: 'Microsoft Teams (Outgoing Webhook)',
		group: 'messaging',
		docsUrl: 'https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook#2-create-a-method-to-verify-the-outgoing-webhook-hmac-token',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// Authorization: HMAC <base64>.
			signature: { header: 'authorization', prefix: 'HMAC ' },
			encoding: 'base64',
			// The security token Teams shows is base64: its bytes are the key.
			secret: 'base64',
			signedContent: '{body}',
		},
		eventType: [{ body: 'type' }],
		eventId: [{ body: 'id' }],
		redelivery: 'Teams does not retry an outgoing webhook: each @mention is one request, its activity id unique.',
		contentTypes: ['application/json'],
		secretHelp: 'The security token Teams shows once when the outgoing webhook is created (Team → Manage team → Apps → Create an outgoing webhook).',
		vectors: {
			source: 'docs',
			reference:
				'learn.microsoft.com outgoing webhook docs (HMAC-SHA256 of the body with the base64-decoded token, "HMAC " + base64), the docs\' message activity (shortened), computed with Python hmac',
		},
		caveats: [
			'Teams waits five seconds for a reply message ({"type":"message","text":…}): answer with a Respond to Webhook node.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'twitch',
		displayName: 'Twitch EventSub',
		group: 'messaging',
		docsUrl: 'https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'twitch-eventsub-message-signature', prefix: 'sha256=' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{header:twitch-eventsub-message-id}{timestamp}{body}',
			// RFC 3339 with nanoseconds; Twitch asks to refuse messages older than ten minutes.
			timestamp: { from: { header: 'twitch-eventsub-message-timestamp' }, unit: 'iso8601', windowSeconds: 600 },
		},
		eventType: [{ header: 'twitch-eventsub-subscription-type' }],
		eventId: [{ header: 'twitch-eventsub-message-id' }],
		redelivery: 'Twitch resends a notification with the same Twitch-Eventsub-Message-Id: "If you receive the same message ID more than once, ignore it".',
		contentTypes: ['application/json'],
		handshakes: [
			{
				// The subscription's verification: signed like any message, answered with the challenge as plain text.
				phase: 'signed',
				when: [
					{ source: { header: 'twitch-eventsub-message-type' }, equals: 'webhook_callback_verification' },
					{ source: { body: 'challenge' }, present: true },
				],
				respond: { text: { body: 'challenge' } },
				docsUrl: 'https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#responding-to-a-challenge-request',
			},
		],
		secretHelp: 'The transport secret (10-100 ASCII characters) you chose when creating the EventSub subscription.',
		vectors: {
			source: 'docs',
			reference:
				'https://dev.twitch.tv/docs/eventsub/handling-webhook-events/ (HMAC-SHA256 of message id + timestamp + body, "sha256=" hex) and its channel.follow example, computed with Python hmac',
		},
		caveats: ['Revocation messages (Twitch-Eventsub-Message-Type: revocation) start the workflow like notifications: filter them with the message type header.'],
	},
	{
		id: 'xAccountActivity',
		displayName: 'X (Twitter) Account Activity',
		group: 'messaging',
		aliases: ['Twitter'],
		docsUrl: 'https://docs.x.com/x-api/webhooks/introduction',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-twitter-webhooks-signature', prefix: 'sha256=' },
			encoding: 'base64',
			// The app's consumer secret (API secret key).
			secret: 'utf8',
			signedContent: '{body}',
		},
		// Events are named by the key that carries them (tweet_create_events, direct_message_events…), not by a value.
		eventType: [],
		eventId: [{ bodyHash: 'sha256' }],
		redelivery: 'X sends no event id; a retried delivery carries the same body, so the id is the SHA-256 of the raw body.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				// The CRC check (on registration and hourly): GET ?crc_token=…, answered with "sha256=" + base64 HMAC of the token.
				// The key also signs events: only a token starting with a letter is signed, so the answer can never be the
				// signature of a JSON body (a JSON text starting with a letter is true, false or null, shorter than 8 characters).
				phase: 'unsigned',
				method: 'GET',
				when: [{ source: { query: 'crc_token' }, present: true }],
				respond: {
					json: {
						response_token: {
							hmacOf: { query: 'crc_token' },
							algorithm: 'sha256',
							encoding: 'base64',
							prefix: 'sha256=',
							pattern: /^[A-Za-z][A-Za-z0-9_=/-]{7,255}$/,
						},
					},
				},
				docsUrl: 'https://docs.x.com/x-api/webhooks/introduction#challenge-response-checks',
			},
		],
		secretHelp: 'The app\'s consumer secret (API Key Secret): developer portal → the project → the app → Keys and tokens.',
		vectors: {
			source: 'docs',
			reference: 'https://docs.x.com/x-api/webhooks/introduction ("sha256=" + base64 HMAC-SHA256 of the body and of the CRC token with the consumer secret), computed with Python hmac',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'No event type: the kind of event is the name of the array it arrives in (tweet_create_events…).',
			'Keep Allowed Content Types at application/json: the CRC answer is an HMAC of the token with the same key, and only a JSON body can never equal a token.',
		],
	},
	{
		id: 'microsoftGraph',
		displayName: 'Microsoft Graph (change notifications)',
		group: 'messaging',
		aliases: ['Outlook', 'Microsoft 365', 'SharePoint'],
		docsUrl: 'https://learn.microsoft.com/graph/change-notifications-delivery-webhooks',
		// Graph signs nothing: a secret query parameter in the notification URL authenticates the sender.
		signature: { kind: 'token', location: { query: 'code' } },
		eventType: [{ body: 'value[0].changeType' }, { body: 'value[0].lifecycleEvent' }],
		// No notification id: a batch's body is the same on a retry.
		eventId: [{ bodyHash: 'sha256' }],
		redelivery: 'Graph retries a failed notification batch (for up to four hours) with the same content; it carries no id, so the id is the SHA-256 of the raw body.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				// Creating a subscription: a POST with ?validationToken=…, answered within 10 s with the token as plain text.
				phase: 'unsigned',
				method: 'POST',
				when: [{ source: { query: 'validationToken' }, present: true }],
				respond: { text: { query: 'validationToken' }, headers: { 'x-content-type-options': 'nosniff' } },
				docsUrl: 'https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation',
			},
		],
		secretHelp: 'A secret you choose, put in the subscription\'s notificationUrl as ?code=<secret> (use it as the clientState too).',
		vectors: {
			source: 'docs',
			reference: 'https://learn.microsoft.com/graph/change-notifications-delivery-webhooks (validation request and notification example), made-up code',
		},
		caveats: [
			'Graph signs nothing: the ?code= secret in the URL only authenticates the sender (clientState in the body is not checked yet), the body is not authenticated, and the secret may end up in proxy logs.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
			'Notifications arrive in batches (value[]): the type is the first one\'s.',
		],
	},
	{
		id: 'resend',
		displayName: 'Resend',
		group: 'messaging',
		docsUrl: 'https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests',
		signature: {
			kind: 'special',
			verifier: 'standardWebhooks',
			timestamp: { from: { header: 'svix-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'type' }],
		eventId: [{ verified: 'id' }, { header: 'svix-id' }],
		redelivery: 'Resend delivers through Svix: svix-id is the message id, the same on every retry and on a replay from the dashboard.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Signing Secret (whsec_…): Resend → Webhooks → the endpoint.',
		vectors: { source: 'sdk', reference: 'svix@1.99.1 Webhook.sign (the library Resend\'s docs and SDK verify with), the docs\' email.delivered payload' },
	},
];
