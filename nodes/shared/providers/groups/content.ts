import type { ProviderEntry } from '../types';

/** Content, media and document platforms. Research notes per provider: /work/team/providers/<id>.md. */
export const CONTENT_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'sanity',
		displayName: 'Sanity',
		group: 'content',
		docsUrl: 'https://www.sanity.io/docs/webhooks',
		sdkUrl: 'https://github.com/sanity-io/webhook-toolkit/blob/main/src/signature.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'sanity-webhook-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
			// base64url without padding.
			encoding: 'base64url',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			// Milliseconds. @sanity/webhook checks no age; 300 s is this catalogue's default for signed timestamps.
			timestamp: { from: { signatureKey: 't' }, unit: 'ms', windowSeconds: 300 },
		},
		eventType: [{ header: 'sanity-operation' }],
		// One webhook per document per transaction.
		eventId: [{ header: 'idempotency-key' }, { join: [{ header: 'sanity-transaction-id' }, { header: 'sanity-document-id' }], separator: ':' }],
		redelivery:
			'A retry of a failed webhook carries the same idempotency-key header; without it, the transaction id and document id (a document webhook fires once per document of a transaction) stand in.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Secret as you set it: sanity.io/manage → the project → API → Webhooks → the webhook.',
		vectors: {
			source: 'official',
			reference: 'sanity-io/webhook-toolkit test/signature.test.ts, isValidSignature "returns true on valid signatures" (secret "test")',
		},
		caveats: [
			'The body is your GROQ projection: Sanity defines no event type, so the type here is the sanity-operation header (create, update, delete).',
			'@sanity/webhook checks no timestamp age; here the signed timestamp must be within the replay window (widen it under Options if retries arrive late).',
		],
	},
	{
		id: 'mux',
		displayName: 'Mux',
		group: 'content',
		docsUrl: 'https://www.mux.com/docs/core/verify-webhook-signatures',
		sdkUrl: 'https://github.com/muxinc/mux-node-sdk/blob/master/src/resources/webhooks/webhooks.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'mux-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'type' }],
		eventId: [{ body: 'id' }],
		redelivery: 'Mux retries a failed delivery with the same event (its id); the signature header is made again for each attempt.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Signing Secret: Mux dashboard → Settings → Webhooks → the webhook → Show Signing Secret.',
		vectors: { source: 'official', reference: 'muxinc/mux-node-sdk tests/api-resources/webhooks.test.ts lines 6-11 (secret SuperSecret123, t=1565125718)' },
	},
	{
		id: 'box',
		displayName: 'Box',
		group: 'content',
		docsUrl: 'https://developer.box.com/guides/webhooks/v2/signatures-v2/',
		sdkUrl: 'https://github.com/box/box-node-sdk/blob/main/src/managers/webhooks.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// The primary key's signature; Box also sends box-signature-secondary, made with the secondary key.
			signature: { header: 'box-signature-primary' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{body}{timestamp}',
			// The SDK's validateMessage accepts deliveries up to ten minutes old.
			timestamp: { from: { header: 'box-delivery-timestamp' }, unit: 'iso8601', windowSeconds: 600 },
		},
		sensitiveHeaders: ['box-signature-secondary'],
		eventType: [{ body: 'trigger' }],
		eventId: [{ body: 'id' }],
		redelivery:
			'"When Box retries a webhook this ID [BOX-DELIVERY-ID] will change, while the ID in the payload body remains the same" (developer.box.com/guides/webhooks/v2): the body id is the event\'s.',
		contentTypes: ['application/json'],
		secretHelp: 'The Primary signature key: Developer Console → the app → Webhooks → Manage signature keys.',
		vectors: {
			source: 'official',
			reference: 'box/box-node-sdk src/test/webhooks.test.ts testWebhookValidation (SamplePrimaryKey, 2020-01-01T00:00:00-07:00)',
		},
		caveats: ['Only the primary signature is checked: when you rotate the primary key in Box, update Secret at the same time (the old key can stay in Previous Secret).'],
	},
	{
		id: 'dropbox',
		displayName: 'Dropbox',
		group: 'content',
		docsUrl: 'https://www.dropbox.com/developers/reference/webhooks',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-dropbox-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [],
		eventId: { none: 'A Dropbox notification only says that some accounts changed (list_folder.accounts); it carries no id, and the same notification repeats for every change.' },
		redelivery: 'Dropbox retries a failed notification; notifications carry no id, only the accounts to re-read with /files/list_folder/continue.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				// The verification request: GET ?challenge=…, answered with the challenge as plain text that must not be sniffed.
				phase: 'unsigned',
				method: 'GET',
				when: [{ source: { query: 'challenge' }, present: true }],
				respond: { text: { query: 'challenge' }, headers: { 'x-content-type-options': 'nosniff' } },
				docsUrl: 'https://www.dropbox.com/developers/reference/webhooks#documentation',
			},
		],
		secretHelp: 'The app secret: App Console → the app → Settings → App secret.',
		vectors: {
			source: 'docs',
			reference: 'https://www.dropbox.com/developers/reference/webhooks (hex HMAC-SHA256 of the body with the app secret) and its notification example, computed with Python hmac',
		},
		caveats: [
			'No signed timestamp and no id: a captured notification can be replayed (it only asks you to re-read the accounts\' changes).',
			'Dropbox sends the same body for every change of an account: turn "De-Duplicate on Body Hash Too" off under Options, or later changes within the de-duplication TTL are answered as duplicates.',
			'Dropbox waits at most ten seconds for an answer: keep Respond at Immediately.',
		],
	},
	{
		id: 'webflow',
		displayName: 'Webflow',
		group: 'content',
		docsUrl: 'https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures',
		sdkUrl: 'https://github.com/webflow/js-webflow-api/blob/main/src/wrapper/WebhooksClient.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-webflow-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}:{body}',
			// Milliseconds in Webflow's examples; read by magnitude. Webflow asks to refuse requests older than five minutes.
			timestamp: { from: { header: 'x-webflow-timestamp' }, unit: 'auto', windowSeconds: 300 },
		},
		eventType: [{ body: 'triggerType' }],
		// No event id: payload.id is the object's, which repeats across changes of one CMS item.
		eventId: [{ bodyHash: 'sha256' }],
		redelivery:
			'Webflow sends no event id; a failed delivery is retried with the same body (and a new timestamp), so the id is the SHA-256 of the raw body.',
		contentTypes: ['application/json'],
		secretHelp:
			'For webhooks created in the site settings: the webhook\'s signing secret; for webhooks created through the API by an app: the app\'s client secret.',
		vectors: {
			source: 'docs',
			reference:
				'https://developers.webflow.com/data/docs/working-with-webhooks (HMAC-SHA256 of timestamp:body) with the docs\' form_submission payload, computed with Python hmac; accepted by webflow-api@3.3.4 webhooks.verifySignature',
		},
		caveats: [
			'Only signed webhooks verify: those created through the API by an OAuth app, and site webhooks that show a signing secret; a webhook without one sends no signature and is refused.',
			'De-duplication works on a hash of the body: two deliveries with byte-identical bodies count as one.',
		],
	},
	{
		id: 'docuSign',
		displayName: 'DocuSign Connect',
		group: 'content',
		aliases: ['DocuSign'],
		docsUrl: 'https://developers.docusign.com/platform/webhooks/connect/hmac/',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// One header per active Connect key (-1, -2, …); the first key's.
			signature: { header: 'x-docusign-signature-1' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{body}',
		},
		sensitiveHeaders: ['x-docusign-signature-2', 'x-docusign-signature-3'],
		eventType: [{ body: 'event' }],
		// No event id; retryCount changes on a retry, generatedDateTime does not.
		eventId: [
			{ join: [{ body: 'event' }, { body: 'data.envelopeId' }, { body: 'data.recipientId' }, { body: 'generatedDateTime' }], separator: ':' },
		],
		redelivery:
			'Connect retries a failed message (retryCount rises) with the same event, envelope and generatedDateTime; the id here joins them.',
		contentTypes: ['application/json'],
		secretHelp: 'The Connect HMAC key: eSignature Admin → Connect → Connect Keys (shown in full once); the Connect configuration must have "Include HMAC Signature" on.',
		vectors: {
			source: 'docs',
			reference:
				'https://developers.docusign.com/platform/webhooks/connect/validate/ (base64 HMAC-SHA256 of the body, key as UTF-8), a JSON SIM envelope-completed message (shortened), computed with Python hmac',
		},
		caveats: [
			'Only X-DocuSign-Signature-1 is checked: paste the Connect key DocuSign lists first.',
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'Choose the JSON (SIM) data format; the legacy XML format is not covered.',
		],
	},
	{
		id: 'notion',
		displayName: 'Notion',
		group: 'content',
		docsUrl: 'https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-notion-signature', prefix: 'sha256=' },
			encoding: 'hex',
			// The verification_token Notion posted when the subscription was created.
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'type' }],
		eventId: [{ body: 'id' }],
		redelivery: 'Notion retries a failed delivery with the same event id (attempt_number rises).',
		contentTypes: ['application/json'],
		secretHelp:
			'The verification_token Notion posts to the URL once when you create the subscription (integration settings → Webhooks). You also paste it back into Notion to verify the subscription.',
		vectors: {
			source: 'docs',
			reference: 'https://developers.notion.com/reference/webhooks (sha256= hex HMAC-SHA256 of the body with the verification_token), page.created example, computed with Python hmac',
		},
		caveats: [
			'The verification_token arrives once, unsigned, before you have a secret to verify with: receive it with the provider set to None (or a plain Webhook node), copy it into the credential and into Notion, then switch to Notion.',
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'airtable',
		displayName: 'Airtable',
		group: 'content',
		docsUrl: 'https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-airtable-content-mac', prefix: 'hmac-sha256=' },
			encoding: 'hex',
			// macSecretBase64, as returned when the webhook was created, is decoded to the key.
			secret: 'base64',
			signedContent: '{body}',
		},
		eventType: [],
		// A notification is a ping to fetch the webhook's payloads: the webhook with the ping's timestamp.
		eventId: [{ join: [{ body: 'webhook.id' }, { body: 'timestamp' }], separator: ':' }],
		redelivery: 'A notification only tells you to list the webhook\'s payloads; a resent one keeps its webhook id and timestamp.',
		contentTypes: ['application/json'],
		secretHelp: 'The macSecretBase64 returned by the create-webhook API call (shown only then), as returned.',
		vectors: {
			source: 'docs',
			reference:
				'https://airtable.com/developers/web/api/webhooks-overview (hex HMAC-SHA256 of the body with the base64-decoded MAC secret) and its notification example, computed with Python hmac',
		},
		caveats: [
			'The notification carries no changes: fetch them with the list-payloads API call.',
			'No signed timestamp: a captured notification can be replayed; only de-duplication stops it.',
		],
	},
];
