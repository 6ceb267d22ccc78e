import type { ProviderEntry } from '../types';

/** Cloud platforms' push deliveries. Research notes per provider: /work/team/providers/<id>.md. */
export const CLOUD_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'googlePubSub',
		displayName: 'Google Cloud Pub/Sub (Push)',
		group: 'cloud',
		aliases: ['GCP', 'Google Cloud'],
		docsUrl: 'https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions',
		signature: {
			kind: 'jwt',
			token: { header: 'authorization', bearer: 'required' },
			algorithms: ['RS256'],
			jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
			issuer: ['https://accounts.google.com', 'accounts.google.com'],
			// The audience set on the push subscription (by default its endpoint URL): the node's Audience setting.
			audience: 'configured',
			requiredClaims: { email_verified: true },
			// Anyone can have Google sign a token for any audience with their own service account: the email pins yours.
			claimsFromSettings: { email: 'serviceAccountEmail' },
		},
		// Publishers choose their attributes; Cloud Storage notifications, for one, set eventType.
		eventType: [{ body: 'message.attributes.eventType' }],
		eventId: [{ body: 'message.messageId' }, { body: 'message.message_id' }],
		redelivery: 'Pub/Sub assigns messageId when the message is published; every redelivery of an unacknowledged message carries it again.',
		contentTypes: ['application/json'],
		settings: ['audience', 'serviceAccountEmail'],
		secretHelp:
			'Nothing to paste: Google signs the token and the node fetches Google\'s keys. Turn on authentication on the push subscription, then set Audience to its audience (by default the push endpoint URL) and Service Account Email to the service account it pushes as; nothing verifies until both are set.',
		vectors: {
			source: 'docs',
			reference:
				'https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions (token claims); RS256 token signed with a key generated in the test and served from a loopback JWKS',
		},
		caveats: [
			'The body is not authenticated: the token proves the push comes from your subscription\'s service account for your audience, but binds no hash of the message.',
			'No signed timestamp beyond the token\'s expiry (one hour): a captured push can be replayed until then; de-duplication on the messageId stops it.',
			'Unwrapped pushes (no message envelope) carry no messageId in the body and are not de-duplicated.',
		],
	},
	{
		id: 'awsSns',
		displayName: 'Amazon SNS',
		group: 'cloud',
		aliases: ['AWS', 'Amazon Web Services'],
		docsUrl: 'https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html',
		signature: { kind: 'awsSns', topicArn: 'configured' },
		eventType: [{ header: 'x-amz-sns-message-type' }],
		// The verifier reports the signed MessageId (the body is text/plain: its fields are not parsed).
		eventId: [{ verified: 'id' }],
		redelivery: 'SNS retries a failed HTTP/S delivery (per the topic\'s delivery policy) with the same message and MessageId.',
		contentTypes: ['text/plain'],
		handshakes: [
			{
				phase: 'signed',
				when: [{ source: { header: 'x-amz-sns-message-type' }, equals: 'SubscriptionConfirmation' }],
				respond: { confirmSubscription: 'awsSns' },
				docsUrl: 'https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html',
			},
		],
		settings: ['topicArn'],
		secretHelp:
			'Nothing to paste: SNS signs with its certificate, fetched from sns.<region>.amazonaws.com. Set Topic ARN to the topic\'s ARN: nothing verifies until it is set, and messages of other topics are refused. The subscription is confirmed by the node when SNS sends its SubscriptionConfirmation.',
		vectors: {
			source: 'official',
			reference:
				'aws/aws-sdk-java-v2 services/sns/src/test/resources/software/amazon/awssdk/services/sns/sample-message.json and unit-test-public-cert.pem (test/nodes/shared/verify/awsSnsVectors.ts)',
		},
		caveats: [
			'Raw message delivery must be off: raw messages carry no signature.',
			'SNS signs a Timestamp, but a captured message stays valid while its certificate is: replays are only stopped by de-duplication.',
		],
	},
	{
		id: 'azureEventGrid',
		displayName: 'Azure Event Grid',
		group: 'cloud',
		aliases: ['Microsoft Azure'],
		docsUrl: 'https://learn.microsoft.com/azure/event-grid/webhook-event-delivery',
		// Event Grid signs nothing: its docs suggest a secret query parameter in the endpoint URL (or Entra ID tokens).
		signature: { kind: 'token', location: { query: 'code' } },
		// Event Grid schema batches events in an array; CloudEvents may be a batch too, or one event.
		eventType: [{ body: '[0].eventType' }, { body: '[0].type' }, { body: 'type' }],
		eventId: [{ body: '[0].id' }, { body: 'id' }],
		redelivery: 'Event Grid retries a failed delivery with the same events and ids (aeg-delivery-count counts the attempts).',
		contentTypes: ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'],
		handshakes: [
			{
				phase: 'signed',
				when: [
					{ source: { body: '[0].eventType' }, equals: 'Microsoft.EventGrid.SubscriptionValidationEvent' },
					{ source: { body: '[0].data.validationCode' }, present: true },
				],
				respond: { json: { validationResponse: { body: '[0].data.validationCode' } } },
				docsUrl: 'https://learn.microsoft.com/azure/event-grid/end-point-validation-event-grid-events-schema',
			},
			{
				// CloudEvents v1.0 abuse protection: consent for the origin Event Grid names, echoed back.
				phase: 'unsigned',
				method: 'OPTIONS',
				when: [{ source: { header: 'webhook-request-origin' }, equals: 'eventgrid.azure.net' }],
				respond: { headers: { 'webhook-allowed-origin': { header: 'webhook-request-origin' }, 'webhook-allowed-rate': { literal: '*' }, allow: { literal: 'POST' } } },
				docsUrl: 'https://learn.microsoft.com/azure/event-grid/end-point-validation-cloud-events-schema',
			},
		],
		secretHelp: 'A secret you choose, put in the subscription\'s endpoint URL as ?code=<secret> (the validation event is sent to that URL too).',
		vectors: {
			source: 'docs',
			reference: 'https://learn.microsoft.com/azure/event-grid/end-point-validation-event-grid-events-schema (validation event) and the BlobCreated example of event-schema-blob-storage (shortened), made-up code',
		},
		caveats: [
			'A secret in the URL, not a signature: the body is not authenticated, so use HTTPS, and the secret may end up in proxy logs.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
			'With more than one event per batch, de-duplication uses the first event\'s id: keep Max Events Per Batch at 1 (the default).',
			'CloudEvents subscriptions validate with an HTTP OPTIONS request (WebHook-Request-Origin): n8n 2.x answers OPTIONS itself (204, CORS) before any node runs, so the node\'s answer never reaches Event Grid. Use the Event Grid schema, or have your reverse proxy answer that OPTIONS with WebHook-Allowed-Origin: eventgrid.azure.net.',
		],
	},
];
