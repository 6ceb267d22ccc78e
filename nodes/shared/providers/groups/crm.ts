import type { ProviderEntry } from '../types';

/** CRM and customer-support platforms. Research notes per provider: /work/team/providers/<id>.md. */
export const CRM_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'hubspot',
		displayName: 'HubSpot',
		group: 'crm',
		docsUrl: 'https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests',
		sdkUrl: 'https://github.com/HubSpot/hubspot-api-nodejs/blob/master/src/utils/signature.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// Signature v3; the v1/v2 headers HubSpot still sends are redacted but never trusted.
			signature: { header: 'x-hubspot-signature-v3' },
			encoding: 'base64',
			// The app's client secret as shown.
			secret: 'utf8',
			signedContent: '{method}{url}{body}{timestamp}',
			timestamp: { from: { header: 'x-hubspot-request-timestamp' }, unit: 'ms', windowSeconds: 300 },
		},
		sensitiveHeaders: ['x-hubspot-signature'],
		// A batch of up to 100 events; the first one's subscription type.
		eventType: [{ body: '[0].subscriptionType' }],
		eventId: {
			none: 'HubSpot\'s eventId is "not guaranteed to be unique", and a retry changes the body (attemptNumber): there is no stable, unique id.',
		},
		redelivery:
			'HubSpot retries a failed batch (up to 10 times over about 24 hours) with attemptNumber raised and a new signature; eventId "is not guaranteed to be unique", so nothing identifies a retry reliably.',
		contentTypes: ['application/json'],
		settings: ['publicUrl'],
		secretHelp: 'The app\'s Client secret: HubSpot developer account → the app → Auth (for a private app: its Auth tab).',
		vectors: {
			source: 'sdk',
			reference: '@hubspot/api-client@13.5.0 Signature.getSignature("POST", "v3", …) with the secret and body of its signature.spec.js "Validates v1" test',
		},
		caveats: [
			'HubSpot signs the URL it calls: set Public URL to the target URL exactly as configured in the app. HubSpot decodes some percent-escapes (%3A, %2F, %3F, %40, %21, %24, %27, %28, %29, %2A, %2C, %3B) before signing: keep them out of the URL.',
			'No stable event id: de-duplication is off, so a retried batch runs the workflow again (the timestamp window still stops replays older than five minutes).',
			'Events arrive in batches (a JSON array of up to 100): the event type is the first event\'s.',
		],
	},
	{
		id: 'intercom',
		displayName: 'Intercom',
		group: 'crm',
		docsUrl: 'https://developers.intercom.com/docs/webhooks/webhook-notifications',
		signature: {
			kind: 'hmac',
			algorithm: 'sha1',
			signature: { header: 'x-hub-signature', prefix: 'sha1=' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'topic' }],
		eventId: [{ body: 'id' }],
		redelivery: 'A retry resends the same notification (its notif_… id) with delivery_attempts raised.',
		contentTypes: ['application/json'],
		secretHelp: 'The app\'s client_secret: Developer Hub → the app → Configure → Basic information → App credentials.',
		vectors: {
			source: 'docs',
			reference: 'https://developers.intercom.com/docs/webhooks/webhook-notifications (sha1= hex HMAC-SHA1 of the body with the client secret), the docs\' notification example, computed with Python hmac',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'When a webhook subscription is set up, Intercom sends a signed "ping" notification: it starts the workflow like any event (filter it out with Events).',
		],
	},
	{
		id: 'zendesk',
		displayName: 'Zendesk',
		group: 'crm',
		docsUrl: 'https://developer.zendesk.com/documentation/webhooks/verifying/',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-zendesk-webhook-signature' },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{timestamp}{body}',
			timestamp: { from: { header: 'x-zendesk-webhook-signature-timestamp' }, unit: 'iso8601', windowSeconds: 300 },
		},
		// Event-subscribed webhooks send the event type in the body; trigger and automation webhooks send your own JSON.
		eventType: [{ body: 'type' }],
		// The invocation id first: a trigger webhook's own JSON may carry "id": "{{ticket.id}}", which repeats per ticket.
		eventId: [{ header: 'x-zendesk-webhook-invocation-id' }, { body: 'id' }],
		redelivery:
			'Zendesk retries some failed requests (409, 429, 503 and timeouts) as further attempts of the same invocation, so x-zendesk-webhook-invocation-id stays; an event-subscribed webhook\'s body id is the event\'s.',
		contentTypes: ['application/json'],
		secretHelp:
			'The webhook\'s signing secret: Admin Center → Apps and integrations → Webhooks → the webhook → Signing secret → Reveal secret. ("Test webhook" requests are signed with Zendesk\'s fixed test secret instead.)',
		vectors: {
			source: 'docs',
			reference:
				'https://developer.zendesk.com/documentation/webhooks/verifying/ (base64(HMACSHA256(TIMESTAMP + BODY))) with the test secret that page documents, a user.created event body, computed with Python hmac',
		},
		caveats: ['Webhooks sent with GET or DELETE have no body; the trigger accepts the method it is configured for (POST, PUT or PATCH).'],
	},
];
