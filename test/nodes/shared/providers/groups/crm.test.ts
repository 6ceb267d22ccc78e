import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { 'content-type': 'application/json' };

/** One fixture per entry of the CRM group; research notes: /work/team/providers/<id>.md. */
const FIXTURES: ProviderFixture[] = [
	{
		provider: 'hubspot',
		vector: {
			source: 'sdk',
			// Secret and body of @hubspot/api-client lib/test/unit/signature.spec.js ("Validates v1"); HubSpot publishes v3 vectors
			// for no SDK (their tests sign with Date.now()), so this signature is @hubspot/api-client@13.5.0
			// Signature.getSignature('POST', 'v3', { clientSecret, requestBody, url, timestamp: 1564113600000 }).
			reference: '@hubspot/api-client@13.5.0 Signature.getSignature v3, secret and body of lib/test/unit/signature.spec.js',
			secrets: { secret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy' },
			request: {
				body: '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]',
				headers: {
					...JSON_TYPE,
					'x-hubspot-signature-v3': 'DxmVAjFNa2xfF3YgQjdZP6TNcok9k1oaH7UXombPtvw=',
					'x-hubspot-request-timestamp': '1564113600000',
					'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
					'x-hubspot-signature-version': 'v1',
				},
			},
			nowSeconds: 1564113600 + 30,
			options: { publicUrl: 'https://www.example.com/webhook_uri' },
			expected: { type: 'contact.creation', id: undefined },
		},
		publicUrl: 'https://hooks.example.com/webhook/hubspot',
		event: (key, attempt) => ({
			body: json([{ eventId: 7, subscriptionId: 12345, portalId: 62515, occurredAt: 1564113600000, subscriptionType: 'deal.creation', attemptNumber: attempt - 1, objectId: key }]),
			headers: JSON_TYPE,
		}),
		eventType: 'deal.creation',
	},
	{
		provider: 'intercom',
		vector: {
			source: 'docs',
			// https://developers.intercom.com/docs/webhooks/webhook-notifications: "sha1=" + hex HMAC-SHA1 of the body with the
			// app's client secret; the docs' conversation.user.created notification (shortened), computed with Python's hmac.
			reference: 'https://developers.intercom.com/docs/webhooks/webhook-notifications, notification example, computed with Python hmac',
			secrets: { secret: 'intercom-client-secret-5f2d9e' },
			request: {
				body: '{"type":"notification_event","app_id":"ja43hiec","data":{"type":"notification_event_data","item":{"type":"conversation","id":"147","state":"open"}},"links":{},"id":"notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3","topic":"conversation.user.created","delivery_status":"pending","delivery_attempts":1,"delivered_at":0,"first_sent_at":1403102584,"created_at":1403102584,"self":null}',
				headers: { ...JSON_TYPE, 'x-hub-signature': 'sha1=1863cba050857b08562b78ce01010825a86c7b18' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'conversation.user.created', id: 'notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3' },
		},
		// A retry raises delivery_attempts; the notification id stays.
		event: (key, attempt) => ({
			body: json({ type: 'notification_event', id: `notif_${key}`, topic: 'contact.user.created', delivery_attempts: attempt, data: { item: { type: 'contact' } } }),
			headers: JSON_TYPE,
		}),
		eventType: 'contact.user.created',
	},
	{
		provider: 'zendesk',
		vector: {
			source: 'docs',
			// https://developer.zendesk.com/documentation/webhooks/verifying/: base64(HMACSHA256(TIMESTAMP + BODY)); the key is
			// the test signing secret that page documents for "Test webhook" requests, the body a user.created event (shortened)
			// as in the event types reference, computed with Python's hmac.
			reference: 'https://developer.zendesk.com/documentation/webhooks/verifying/ (test signing secret), computed with Python hmac',
			secrets: { secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==' },
			request: {
				body: '{"type":"zen:event-type:user.created","account_id":12514403,"id":"2b2a3d56-6a43-4b1a-9b2d-9f3e4f5a6b7c","time":"2023-06-01T12:00:00Z","zendesk_event_version":"2022-11-06","subject":"zen:user:8193592318236","detail":{"id":"8193592318236","email":"user@example.com"},"event":{}}',
				headers: {
					...JSON_TYPE,
					'x-zendesk-webhook-signature': 'OMkSXThDhUhBCO3R7UBWtUpKs8T7nj6jtNYVupnNDEo=',
					'x-zendesk-webhook-signature-timestamp': '2023-06-01T12:00:01Z',
				},
			},
			nowSeconds: Date.parse('2023-06-01T12:00:01Z') / 1000 + 20,
			expected: { type: 'zen:event-type:user.created', id: '2b2a3d56-6a43-4b1a-9b2d-9f3e4f5a6b7c' },
		},
		// A retry is another attempt of the same invocation.
		event: (key) => ({
			body: json({ type: 'zen:event-type:organization.created', id: `event-${key}`, detail: { id: '1' } }),
			headers: { ...JSON_TYPE, 'x-zendesk-webhook-id': '01GPV0XJ5Y', 'x-zendesk-webhook-invocation-id': `inv-${key}` },
		}),
		eventType: 'zen:event-type:organization.created',
	},
];

testProviderGroup('crm', FIXTURES);
