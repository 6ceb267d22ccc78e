import type { ProviderEntry } from '../types';

/** Forms, scheduling and work-management tools. Research notes per provider: /work/team/providers/<id>.md. */
export const PRODUCTIVITY_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'typeform',
		displayName: 'Typeform',
		group: 'productivity',
		docsUrl: 'https://www.typeform.com/developers/webhooks/secure-your-webhooks/',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'typeform-signature', prefix: 'sha256=' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'event_type' }],
		eventId: [{ body: 'event_id' }],
		redelivery:
			'Typeform retries a failed delivery (every 2-3 minutes for 10 hours on 429/408/503/423, otherwise after 5, 10, 20, 60 and 120 minutes) with the same payload and its event_id.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Secret: Typeform → the form → Connect → Webhooks → Edit (or "secret" in the Webhooks API).',
		vectors: {
			source: 'docs',
			reference:
				'https://www.typeform.com/developers/webhooks/secure-your-webhooks/ ("sha256=" + base64 HMAC-SHA256 of the payload) and the docs\' example payload (shortened), computed with Python hmac',
		},
		caveats: ['No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.'],
	},
	{
		id: 'calendly',
		displayName: 'Calendly',
		group: 'productivity',
		docsUrl: 'https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'calendly-webhook-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			// Calendly's sample code allows three minutes.
			timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 180 },
		},
		eventType: [{ body: 'event' }],
		// No event id: the event, when it was created and the resource it concerns.
		eventId: [{ join: [{ body: 'event' }, { body: 'created_at' }, { body: 'payload.uri' }], separator: ':' }],
		redelivery:
			'Calendly sends no event id; it keeps retrying a failing webhook for 24 hours with exponential back-off, resending the same event (its event, created_at and payload.uri).',
		contentTypes: ['application/json'],
		secretHelp: 'The signing_key you set when creating the webhook subscription (or the one Calendly generated for your OAuth app).',
		vectors: {
			source: 'docs',
			reference:
				'https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures (t=…,v1= hex HMAC-SHA256 of "t.body") and an invitee.created payload, computed with Python hmac',
		},
		caveats: ['Calendly only signs when the subscription has a signing key: create it with one.'],
	},
	{
		id: 'calCom',
		displayName: 'Cal.com',
		group: 'productivity',
		docsUrl: 'https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-cal-signature-256' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'triggerEvent' }],
		// No event id: the trigger, the booking uid and when the event was created.
		eventId: [{ join: [{ body: 'triggerEvent' }, { body: 'payload.uid' }, { body: 'createdAt' }], separator: ':' }],
		redelivery: 'Cal.com sends no event id; the id here joins the trigger, the booking\'s uid and the event\'s createdAt, which a resend keeps.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Secret: Cal.com → Settings → Developer → Webhooks → the webhook.',
		vectors: {
			source: 'docs',
			reference: 'https://cal.com/docs (X-Cal-Signature-256: hex HMAC-SHA256 of the body) and a BOOKING_CREATED payload (shortened), computed with Python hmac',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'A custom payload template changes the body: the event type and id are read from the default payload.',
		],
	},
	{
		id: 'asana',
		displayName: 'Asana',
		group: 'productivity',
		docsUrl: 'https://developers.asana.com/docs/webhooks-guide#security',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-hook-signature' },
			encoding: 'hex',
			// The X-Hook-Secret Asana sent in the handshake.
			secret: 'utf8',
			signedContent: '{body}',
		},
		sensitiveHeaders: ['x-hook-secret'],
		eventType: [{ join: [{ body: 'events[0].resource.resource_type' }, { body: 'events[0].action' }], separator: '.' }],
		// No event id: a batch of events; retries resend the same body, and heartbeats are identical empty batches.
		eventId: [{ bodyHash: 'sha256' }],
		redelivery:
			'Asana sends no event id; it retries a failed delivery with exponential back-off for up to 24 hours with the same batch, so the id is the SHA-256 of the raw body.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				// Creating a webhook: a POST with X-Hook-Secret and no body, to be answered 200 with the same header.
				phase: 'unsigned',
				method: 'POST',
				when: [{ source: { header: 'x-hook-secret' }, present: true }],
				respond: { headers: { 'x-hook-secret': { header: 'x-hook-secret' } } },
				docsUrl: 'https://developers.asana.com/docs/webhooks-guide#the-webhook-handshake',
			},
		],
		secretHelp:
			'The X-Hook-Secret from the webhook handshake. Asana shows it nowhere else: capture it when you create the webhook (see caveats) and paste it here.',
		vectors: {
			source: 'docs',
			reference: 'https://developers.asana.com/docs/webhooks-guide (X-Hook-Signature: hex HMAC-SHA256 of the body with the handshake secret), its event example, computed with Python hmac',
		},
		caveats: [
			'The trigger answers the handshake but cannot store its X-Hook-Secret: create the webhook against a workflow that records the header (or answer the handshake yourself), then paste the secret into the credential.',
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'Events arrive in batches: the event type is the first event\'s resource type and action; heartbeats (empty batches) carry none.',
		],
	},
	{
		id: 'monday',
		displayName: 'monday.com (app webhooks)',
		group: 'productivity',
		docsUrl: 'https://developer.monday.com/apps/docs/integration-authorization#authorization-header',
		signature: {
			kind: 'jwt',
			// A bare token (no Bearer), signed with the app's Signing Secret; aud is the webhook URL.
			token: { header: 'authorization', bearer: 'optional' },
			algorithms: ['HS256'],
			audience: 'configured',
		},
		eventType: [{ body: 'event.type' }],
		eventId: [{ body: 'event.triggerUuid' }],
		redelivery: 'monday.com retries a failed webhook once a minute for 30 minutes with the same event (its triggerUuid).',
		contentTypes: ['application/json'],
		handshakes: [
			{
				// Creating a webhook: {"challenge": "…"} is to be echoed as JSON.
				phase: 'unsigned',
				method: 'POST',
				when: [{ source: { body: 'challenge' }, present: true }],
				respond: { json: { challenge: { body: 'challenge' } } },
				docsUrl: 'https://developer.monday.com/api-reference/reference/webhooks#webhook-challenge',
			},
		],
		settings: ['audience'],
		secretHelp:
			'The app\'s Signing Secret (monday.com Developers → the app → Basic Information); set Audience to this webhook\'s URL. Webhooks created in a board\'s Integrate menu are not signed.',
		vectors: {
			source: 'docs',
			reference:
				'https://developer.monday.com/apps/docs/integration-authorization (HS256 JWT in Authorization, aud = the webhook URL), token made with jsonwebtoken, event payload from the webhooks reference',
		},
		caveats: [
			'Only app (OAuth) webhooks carry a token; webhooks created from a board\'s Integrate menu are unsigned and are refused.',
			'The token authenticates the sender and the URL, not the body: use HTTPS.',
		],
	},
	{
		id: 'clickUp',
		displayName: 'ClickUp',
		group: 'productivity',
		docsUrl: 'https://developer.clickup.com/docs/webhooksignature',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'event' }],
		// Each change is a history item with its own id.
		eventId: [{ join: [{ body: 'event' }, { body: 'history_items[0].id' }], separator: ':' }],
		redelivery: 'ClickUp sends no delivery id; a retry resends the same change, whose history item id identifies it.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s secret, returned when the webhook is created through the API (POST /team/{team_id}/webhook).',
		vectors: {
			source: 'docs',
			reference: 'https://developer.clickup.com/docs/webhooksignature (X-Signature: hex HMAC-SHA256 of the body with the webhook secret), a taskCreated payload, computed with Python hmac',
		},
		caveats: ['No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.'],
	},
];
