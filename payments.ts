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
		redelivery: 'Automatic retries (up to 3 days) and a resend from the Dashboard deliver the same event object, with the same evt_… id; only the signature timestamp changes.',
		contentTypes: ['application/json'],
		secretHelp: 'The endpoint\'s Signing secret (whsec_…): Dashboard → Developers → Webhooks → the endpoint → Signing secret. `stripe listen` prints its own.',
		vectors: { source: 'sdk', reference: 'stripe-node 23.1.0 webhooks.generateTestHeaderString (test/nodes/shared/schemes/stripe.test.ts)' },
		caveats: ['Several v1 signatures appear while a secret is being rolled; any one of them verifies. Test-mode v0 signatures are ignored.'],
	},
];
