import type { ProviderEntry } from '../types';

/** Identity and authentication platforms. Research notes per provider: /work/team/providers/<id>.md. */
export const IDENTITY_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'clerk',
		displayName: 'Clerk',
		group: 'identity',
		docsUrl: 'https://clerk.com/docs/webhooks/sync-data',
		signature: {
			kind: 'special',
			verifier: 'standardWebhooks',
			timestamp: { from: { header: 'svix-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'type' }],
		eventId: [{ verified: 'id' }, { header: 'svix-id' }],
		redelivery: 'Clerk delivers through Svix: svix-id is the message id, the same on every retry and on a replay from the dashboard.',
		contentTypes: ['application/json'],
		secretHelp: 'The endpoint\'s Signing Secret (whsec_…): Clerk Dashboard → Configure → Webhooks → the endpoint.',
		vectors: { source: 'sdk', reference: 'svix@1.99.1 Webhook.sign (what @clerk/backend verifyWebhook uses), the docs\' user.created payload (shortened)' },
	},
	{
		id: 'workOs',
		displayName: 'WorkOS',
		group: 'identity',
		docsUrl: 'https://workos.com/docs/events/data-syncing/webhooks',
		sdkUrl: 'https://github.com/workos/workos-node/blob/main/src/common/crypto/signature-provider.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// "t=<ms>, v1=<hex>".
			signature: { header: 'workos-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			// Milliseconds; @workos-inc/node allows three minutes.
			timestamp: { from: { signatureKey: 't' }, unit: 'ms', windowSeconds: 180 },
		},
		eventType: [{ body: 'event' }],
		eventId: [{ body: 'id' }],
		redelivery: 'WorkOS retries a failed delivery (with back-off, for up to three days) with the same event and its id (event_…).',
		contentTypes: ['application/json'],
		secretHelp: 'The endpoint\'s secret: WorkOS Dashboard → Webhooks → the endpoint → Secret.',
		vectors: {
			source: 'docs',
			reference:
				'https://workos.com/docs/events/data-syncing/webhooks (t=…, v1= hex HMAC-SHA256 of "t.body"), as @workos-inc/node@8.13.0 SignatureProvider computes it, a user.created event, computed with Python hmac',
		},
	},
	{
		id: 'okta',
		displayName: 'Okta (Event Hooks)',
		group: 'identity',
		docsUrl: 'https://developer.okta.com/docs/concepts/event-hooks/',
		// Okta sends the header value you configure; "Authorization" is the name its docs use.
		signature: { kind: 'token', location: { header: 'authorization' } },
		eventType: [{ body: 'data.events[0].eventType' }],
		eventId: [{ body: 'eventId' }],
		redelivery: 'Okta retries a delivery that timed out (once) with the same eventId.',
		contentTypes: ['application/json'],
		handshakes: [
			{
				// The one-time verification: GET with X-Okta-Verification-Challenge, answered {"verification": <its value>}.
				phase: 'unsigned',
				method: 'GET',
				when: [{ source: { header: 'x-okta-verification-challenge' }, present: true }],
				respond: { json: { verification: { header: 'x-okta-verification-challenge' } } },
				docsUrl: 'https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request',
			},
		],
		secretHelp: 'The value of the authentication header you set on the event hook (Authentication field = Authorization), exactly as entered.',
		vectors: { source: 'docs', reference: 'https://developer.okta.com/docs/concepts/event-hooks/ (authentication header, verification request, event payload example)' },
		caveats: [
			'A shared header value, not a signature: the body is not authenticated, so use HTTPS.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
			'Set the event hook\'s authentication field to Authorization; another header name is not read.',
		],
	},
];
