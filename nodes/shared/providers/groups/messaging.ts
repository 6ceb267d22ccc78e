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
];
