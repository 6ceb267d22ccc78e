import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { 'content-type': 'application/json' };

/** One fixture per entry of the content group; research notes: /work/team/providers/<id>.md. */
const FIXTURES: ProviderFixture[] = [
	{
		provider: 'sanity',
		vector: {
			source: 'official',
			// sanity-io/webhook-toolkit test/signature.test.ts, isValidSignature "returns true on valid signatures":
			// payload JSON.stringify({_id: 'resume'}), secret "test" (the timestamp is in milliseconds).
			reference: 'sanity-io/webhook-toolkit test/signature.test.ts "returns true on valid signatures"',
			secrets: { secret: 'test' },
			request: {
				body: '{"_id":"resume"}',
				headers: {
					...JSON_TYPE,
					'sanity-webhook-signature': 't=1633519811129,v1=tLa470fx7qkLLEcMOcEUFuBbRSkGujyskxrNXcoh0N0',
					'sanity-operation': 'update',
					'idempotency-key': 'idem_0f1e2d3c',
				},
			},
			nowSeconds: 1633519811 + 30,
			expected: { type: 'update', id: 'idem_0f1e2d3c' },
		},
		event: (key) => ({
			body: json({ _id: `post-${key}`, _type: 'post', title: 'Hello' }),
			headers: { ...JSON_TYPE, 'sanity-operation': 'create', 'sanity-transaction-id': `tx-${key}`, 'sanity-document-id': `post-${key}` },
		}),
		eventType: 'create',
	},
	{
		provider: 'mux',
		vector: {
			source: 'official',
			// muxinc/mux-node-sdk tests/api-resources/webhooks.test.ts lines 6-11 (the test fixes Date.now at the timestamp).
			reference: 'mux-node-sdk tests/api-resources/webhooks.test.ts lines 6-11',
			secrets: { secret: 'SuperSecret123' },
			request: {
				body: '{"test":"body"}',
				headers: { ...JSON_TYPE, 'mux-signature': 't=1565125718,v1=854ece4c22acef7c66b57d4e504153bc512595e8e9c772ece2a68150548c19a7' },
			},
			nowSeconds: 1565125718 + 5,
		},
		event: (key) => ({ body: json({ type: 'video.asset.ready', id: `event-${key}`, object: { type: 'asset', id: 'asset-1' } }), headers: JSON_TYPE }),
		eventType: 'video.asset.ready',
	},
	{
		provider: 'box',
		vector: {
			source: 'official',
			// box/box-node-sdk src/test/webhooks.test.ts testWebhookValidation: body, headers and the primary key (that test
			// validates with a max age it widens; the timestamp is 2020-01-01T00:00:00-07:00).
			reference: 'box-node-sdk src/test/webhooks.test.ts testWebhookValidation',
			secrets: { secret: 'SamplePrimaryKey' },
			request: {
				body: '{"type":"webhook_event","webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"Test.txt"}}',
				headers: {
					...JSON_TYPE,
					'box-delivery-id': 'f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f',
					'box-delivery-timestamp': '2020-01-01T00:00:00-07:00',
					'box-signature-algorithm': 'HmacSHA256',
					'box-signature-primary': '6TfeAW3A1PASkgboxxA5yqHNKOwFyMWuEXny/FPD5hI=',
					'box-signature-secondary': 'v+1CD1Jdo3muIcbpv5lxxgPglOqMfsNHPV899xWYydo=',
					'box-signature-version': '1',
				},
			},
			nowSeconds: Date.parse('2020-01-01T00:00:00-07:00') / 1000 + 60,
			expected: { type: 'FILE.UPLOADED' },
		},
		// A retry gets a new BOX-DELIVERY-ID; the body id stays.
		event: (key, attempt) => ({
			body: json({ type: 'webhook_event', id: `event-${key}`, trigger: 'FILE.UPLOADED', source: { id: '1', type: 'file' } }),
			headers: { ...JSON_TYPE, 'box-delivery-id': `delivery-${key}-${attempt}`, 'box-signature-version': '1', 'box-signature-algorithm': 'HmacSHA256' },
		}),
		eventType: 'FILE.UPLOADED',
	},
	{
		provider: 'dropbox',
		vector: {
			source: 'docs',
			// https://www.dropbox.com/developers/reference/webhooks: X-Dropbox-Signature is the hex HMAC-SHA256 of the body
			// with the app secret; the docs' notification body, computed with Python's hmac and a made-up app secret.
			reference: 'https://www.dropbox.com/developers/reference/webhooks, notification example, computed with Python hmac',
			secrets: { secret: 'dbx_app_secret_q8w7e6r5' },
			request: {
				body: '{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},"delta":{"users":[12345678]}}',
				headers: { ...JSON_TYPE, 'x-dropbox-signature': '654d5e355680e72a8fa4e04ba2e1180671076edb5a6e6b132b220c214e24b48a' },
			},
			nowSeconds: 1_700_000_000,
		},
		event: (key) => ({ body: json({ list_folder: { accounts: [`dbid:${key}`] }, delta: { users: [1] } }), headers: JSON_TYPE }),
		handshakes: [
			{
				name: 'GET ?challenge= is echoed as plain text, not sniffable',
				phase: 'unsigned',
				request: { method: 'GET', body: '', url: '/webhook/test?challenge=Zx6Jn3mAh5oX2cGZ9e7dQ' },
				expect: { status: 200, body: 'Zx6Jn3mAh5oX2cGZ9e7dQ', headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } },
			},
		],
	},
	{
		provider: 'webflow',
		vector: {
			source: 'docs',
			// https://developers.webflow.com/data/docs/working-with-webhooks: hex HMAC-SHA256 of "<x-webflow-timestamp>:<body>";
			// the docs' form_submission payload, computed with Python's hmac (webflow-api@3.3.4 verifySignature accepts it).
			reference: 'https://developers.webflow.com/data/docs/working-with-webhooks, form_submission example, computed with Python hmac',
			secrets: { secret: 'webflow_webhook_secret_77c1' },
			request: {
				body: '{"triggerType":"form_submission","payload":{"name":"Contact Form","siteId":"65427cf400e02b306eaa049c","data":{"First Name":"Zaphod","Email":"zaphod@heartofgold.ai"},"submittedAt":"2022-09-14T12:35:16.117Z","id":"6321ca84df3949bfc6752327","formId":"65429eadebe8a9f3a30f62d0"}}',
				headers: {
					...JSON_TYPE,
					'x-webflow-timestamp': '1663159200000',
					'x-webflow-signature': 'eda205b08f90944b72127f256c562d72c7fe744f3520052a9ebdeaa1066b9d4f',
				},
			},
			nowSeconds: 1663159200 + 30,
			expected: { type: 'form_submission' },
		},
		// A retry resends the same body with a new timestamp.
		event: (key) => ({ body: json({ triggerType: 'collection_item_changed', payload: { id: 'item-1', fieldData: { name: key } } }), headers: JSON_TYPE }),
		eventType: 'collection_item_changed',
	},
	{
		provider: 'docuSign',
		vector: {
			source: 'docs',
			// https://developers.docusign.com/platform/webhooks/connect/validate/: base64 HMAC-SHA256 of the whole body, the key
			// as UTF-8; an envelope-completed JSON SIM message (shortened), computed with Python's hmac and a made-up key.
			reference: 'https://developers.docusign.com/platform/webhooks/connect/validate/, envelope-completed message, computed with Python hmac',
			secrets: { secret: 'Wr7kQ2pZ9xV4mN8bT1cF6hJ3sL0dG5yA=' },
			request: {
				body: '{"event":"envelope-completed","apiVersion":"v2.1","uri":"/restapi/v2.1/accounts/f9d7e5b2-0000-0000-0000-8f3c6d4a1b2e/envelopes/93be49ab-0000-0000-0000-c1d2e3f4a5b6","retryCount":0,"configurationId":10418201,"generatedDateTime":"2023-06-01T12:00:00.0000000Z","data":{"accountId":"f9d7e5b2-0000-0000-0000-8f3c6d4a1b2e","userId":"0b5a1c2d-0000-0000-0000-3e4f5a6b7c8d","envelopeId":"93be49ab-0000-0000-0000-c1d2e3f4a5b6"}}',
				headers: { ...JSON_TYPE, 'x-docusign-signature-1': 'dlLzkiPVYuCg3uA7+sNQLjtUBwTU6NMp1OpFePtF41o=', 'x-authorization-digest': 'HMACSHA256' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'envelope-completed', id: 'envelope-completed:93be49ab-0000-0000-0000-c1d2e3f4a5b6:2023-06-01T12:00:00.0000000Z' },
		},
		// A retry raises retryCount.
		event: (key, attempt) => ({
			body: json({ event: 'recipient-completed', retryCount: attempt - 1, generatedDateTime: '2023-06-01T12:00:00Z', data: { envelopeId: `env-${key}`, recipientId: '1' } }),
			headers: JSON_TYPE,
		}),
		eventType: 'recipient-completed',
	},
	{
		provider: 'notion',
		vector: {
			source: 'docs',
			// https://developers.notion.com/reference/webhooks: X-Notion-Signature is "sha256=" + hex HMAC-SHA256 of the body
			// with the verification_token; the docs' page.created example, computed with Python's hmac and a made-up token.
			reference: 'https://developers.notion.com/reference/webhooks, page.created example, computed with Python hmac',
			secrets: { secret: 'secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl' },
			request: {
				body: '{"id":"367cba44-b6f3-4c92-81e7-6a2e9659efd4","timestamp":"2024-12-05T23:55:34.285Z","workspace_id":"13950b26-c203-4f3b-b97d-93ec06319565","workspace_name":"Quantify Labs","subscription_id":"29d75c0d-5546-4414-8459-7b7a92f1fc4b","integration_id":"0ef2e755-4912-8096-91c1-00376a88a5ca","type":"page.created","authors":[{"id":"c7c11cca-1d73-471d-9b6e-bdef51470190","type":"person"}],"accessible_by":[{"id":"556a1abf-4f08-40c6-878a-75890d2a88ba","type":"person"}],"attempt_number":1,"entity":{"id":"153104cd-477e-809d-8dc4-ff2d96ae3090","type":"page"},"data":{"parent":{"id":"13950b26-c203-4f3b-b97d-93ec06319565","type":"space"}}}',
				headers: { ...JSON_TYPE, 'x-notion-signature': 'sha256=26d64bd60dc6b23ba0a05ce48fd1e72f6bdd014e5f3e46f6a934a798b7acb62b' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'page.created', id: '367cba44-b6f3-4c92-81e7-6a2e9659efd4' },
		},
		// A retry raises attempt_number; the event id stays.
		event: (key, attempt) => ({ body: json({ id: `event-${key}`, type: 'page.content_updated', attempt_number: attempt, entity: { id: 'p1', type: 'page' } }), headers: JSON_TYPE }),
		eventType: 'page.content_updated',
	},
	{
		provider: 'airtable',
		vector: {
			source: 'docs',
			// https://airtable.com/developers/web/api/webhooks-overview: X-Airtable-Content-MAC is "hmac-sha256=" + hex HMAC-SHA256
			// of the body with the base64-decoded macSecretBase64; the docs' notification, a made-up MAC secret, Python hmac.
			reference: 'https://airtable.com/developers/web/api/webhooks-overview, notification example, computed with Python hmac',
			secrets: { secret: 'p7S0cUUcFz2LfdvVVsHFvbE3YTtuaZ+PtAf8GzbJR+2wBBdjZU6rAOoE45F/AWuvvl6qACbL/o2eO7w3iYfz0Q==' },
			request: {
				body: '{"base":{"id":"appNsBnMCOMyD7Wc5"},"webhook":{"id":"achFRfKTdekt5fsel"},"timestamp":"2022-02-01T21:25:05.663Z"}',
				headers: { ...JSON_TYPE, 'x-airtable-content-mac': 'hmac-sha256=c8814ee9a8f239574004b015b9f5782e0a924d66f13ea31feb24687bd3dde310' },
			},
			nowSeconds: 1_700_000_000,
			expected: { id: 'achFRfKTdekt5fsel:2022-02-01T21:25:05.663Z' },
		},
		event: (key) => ({ body: json({ base: { id: 'appNsBnMCOMyD7Wc5' }, webhook: { id: 'achFRfKTdekt5fsel' }, timestamp: key === 'event-a' ? '2024-01-01T00:00:01.000Z' : '2024-01-01T00:00:02.000Z' }), headers: JSON_TYPE }),
	},
];

testProviderGroup('content', FIXTURES);
