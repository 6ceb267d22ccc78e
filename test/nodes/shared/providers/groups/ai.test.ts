import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';

import { verify as verifyToken } from 'jsonwebtoken';

import { providerById, providerSchemeById } from '../../../../../nodes/shared/providers/catalogue';
import { providerScheme } from '../../../../../nodes/shared/providers/providerScheme';
import type { JwtRecipe } from '../../../../../nodes/shared/providers/types';
import { verifyPublicKeySignature } from '../../../../../nodes/shared/verify/publicKeySignature';
import { incoming, testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { 'content-type': 'application/json' };
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One fixture per entry of the AI group, each with its vector's source beside it. Provider notes (recipe, retries,
 * vector, confidence): /work/team/providers/<id>.md.
 */
const FIXTURES: ProviderFixture[] = [
	{
		provider: 'openai',
		vector: {
			source: 'official',
			// openai-node tests/api-resources/webhooks.test.ts lines 11-22 ("all this data is taken from a real webhook event").
			reference: 'openai-node tests/api-resources/webhooks.test.ts lines 11-22',
			secrets: { secret: 'whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c=' },
			request: {
				body: '{"id": "evt_685c059ae3a481909bdc86819b066fb6", "object": "event", "created_at": 1750861210, "type": "response.completed", "data": {"id": "resp_123"}}',
				headers: {
					...JSON_TYPE,
					'webhook-signature': 'v1,gUAg4R2hWouRZqRQG4uJypNS8YK885G838+EHb4nKBY=',
					'webhook-timestamp': '1750861210',
					'webhook-id': 'wh_685c059ae39c8190af8c71ed1022a24d',
				},
			},
			nowSeconds: 1750861210,
			expected: { type: 'response.completed', id: 'wh_685c059ae39c8190af8c71ed1022a24d' },
		},
		// The kit signs with `id: key`: the webhook-id a retry keeps.
		event: (key) => ({
			body: json({ id: `evt_${key}`, object: 'event', created_at: 1750861210, type: 'response.completed', data: { id: `resp_${key}` } }),
			headers: JSON_TYPE,
		}),
		eventType: 'response.completed',
	},
	{
		provider: 'anthropic',
		vector: {
			source: 'sdk',
			// Payload and key: anthropic-sdk-typescript tests/api-resources/beta/webhooks.test.ts ("unwrap"), which signs at
			// run time; signed here with standardwebhooks@1.1.1 sign('1', 2026-03-15T10:00:00Z, payload), the library
			// @anthropic-ai/sdk's beta.webhooks.unwrap verifies with (both directions: aiSdkCrossChecks.test.ts).
			reference: 'standardwebhooks@1.1.1 sign, payload and key of anthropic-sdk-typescript tests/api-resources/beta/webhooks.test.ts',
			secrets: { secret: 'whsec_c2VjcmV0Cg==' },
			request: {
				body: '{"id":"whe_0f1e2d3c4b5a69788796a5b4c3d2e1f0","created_at":"2026-03-15T10:00:00Z","data":{"id":"sesn_011CZkZAtmR3yMPDzynEDxu7","organization_id":"org_011CZkZZAe0sMna4vkBdtrfx","type":"session.status_idled","workspace_id":"wrkspc_011CZkZaBF1tNoB5wlCeusgy"},"type":"event"}',
				headers: {
					...JSON_TYPE,
					'webhook-id': '1',
					'webhook-timestamp': '1773568800',
					'webhook-signature': 'v1,wTnohUOy8o3ym0dAIWsf9rZnOQWHHBif7o5uADBMSeo=',
				},
			},
			nowSeconds: 1773568800 + 30,
			expected: { type: 'session.status_idled', id: 'whe_0f1e2d3c4b5a69788796a5b4c3d2e1f0' },
		},
		event: (key) => ({
			body: json({ id: `whe_${key}`, created_at: '2026-03-15T10:00:00Z', data: { id: `sesn_${key}`, type: 'session.status_idled' }, type: 'event' }),
			headers: JSON_TYPE,
		}),
		eventType: 'session.status_idled',
	},
	{
		provider: 'replicate',
		vector: {
			source: 'official',
			// replicate-javascript index.test.ts lines 1850-1877: Replicate's own test reuses the Svix reference vector.
			reference: 'replicate-javascript index.test.ts lines 1850-1877 ("Can be used to validate webhook")',
			secrets: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
			request: {
				body: '{"test": 2432232314}',
				headers: {
					...JSON_TYPE,
					'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
					'webhook-timestamp': '1614265330',
					'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
				},
			},
			nowSeconds: 1614265330 + 10,
			expected: { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' },
		},
		// A prediction's completed webhook; the kit's `id: key` is its webhook-id.
		event: (key) => ({
			body: json({ id: `ufawqhfynnddngldkgtslldrkq_${key}`, version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa', status: 'succeeded', output: ['https://replicate.delivery/out.png'] }),
			headers: JSON_TYPE,
		}),
		eventType: 'succeeded',
	},
	{
		provider: 'elevenlabs',
		vector: {
			source: 'docs',
			// Computed from https://elevenlabs.io/docs/eleven-api/resources/webhooks (t=timestamp,v0=hex HMAC of
			// "timestamp.body"), body shaped like its post_call_transcription example, made-up secret; accepted by
			// @elevenlabs/elevenlabs-js@2.73.0 webhooks.constructEvent (checked once; the SDK only verifies).
			reference: 'elevenlabs.io/docs/eleven-api/resources/webhooks (HMAC), checked with @elevenlabs/elevenlabs-js@2.73.0 constructEvent',
			secrets: { secret: 'wsec_5f0d3a1c9e7b24f86a0c3e5d7b9f1a2c4e6d8b0a2c4e6f8a1b3d5c7e9f0a2b4c' },
			request: {
				body: '{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"xyz","conversation_id":"abc","status":"done","transcript":[{"role":"agent","message":"Hey there angelo. How are you?","time_in_call_secs":0}],"metadata":{"start_time_unix_secs":1739537297,"call_duration_secs":22}}}',
				headers: { ...JSON_TYPE, 'elevenlabs-signature': 't=1739537301,v0=75a1aee80c23b3bbef255d0a11ada7a469adb7606b59dbaaa10eefc00d5b7229' },
			},
			nowSeconds: 1739537301 + 60,
			expected: { type: 'post_call_transcription', id: 'post_call_transcription:abc' },
		},
		event: (key) => ({
			body: json({ type: 'post_call_transcription', event_timestamp: 1739537297, data: { agent_id: 'xyz', conversation_id: `conv_${key}`, status: 'done' } }),
			headers: JSON_TYPE,
		}),
		eventType: 'post_call_transcription',
	},
	{
		provider: 'vapi',
		vector: {
			source: 'docs',
			// Vapi OpenAPI HMACAuthenticationPlan defaults: x-signature = hex HMAC-SHA256 of "{timestamp}.{body}", timestamp
			// in x-timestamp (here in milliseconds, as Vapi writes its message timestamps); made-up secret.
			reference: 'Vapi OpenAPI schema HMACAuthenticationPlan defaults (fern/apis/api/openapi.json)',
			secrets: { secret: 'vapi_hmac_test_secret_4f8e2a9c1b7d3e5f' },
			request: {
				body: '{"message":{"type":"end-of-call-report","timestamp":1767225600000,"endedReason":"customer-ended-call","call":{"id":"0d9c5d5e-7a7f-4c1e-9e3a-2b1f8c6a4d10"},"summary":"The caller booked an appointment."}}',
				headers: {
					...JSON_TYPE,
					'x-timestamp': '1767225601234',
					'x-signature': '376bb2eecdbb19687d8b062a1defca58354bb15513801336882f9e008db0452f',
				},
			},
			nowSeconds: 1767225601 + 5,
			expected: { type: 'end-of-call-report' },
		},
		event: (key) => ({ body: json({ message: { type: 'status-update', status: 'in-progress', call: { id: `call_${key}` } } }), headers: JSON_TYPE }),
		eventType: 'status-update',
	},
	{
		provider: 'vapiSecret',
		vector: {
			source: 'docs',
			reference: 'docs.vapi.ai/server-url/server-authentication "Legacy X-Vapi-Secret Support" (the token as sent)',
			secrets: { secret: 'vapi-server-secret-2b7f9c4e1a' },
			request: {
				body: '{"message":{"type":"status-update","status":"ended","call":{"id":"0d9c5d5e-7a7f-4c1e-9e3a-2b1f8c6a4d10"}}}',
				headers: { ...JSON_TYPE, 'x-vapi-secret': 'vapi-server-secret-2b7f9c4e1a' },
			},
			nowSeconds: 1767225601,
			expected: { type: 'status-update' },
		},
		event: (key) => ({ body: json({ message: { type: 'status-update', status: 'ended', call: { id: `call_${key}` } } }), headers: JSON_TYPE }),
		eventType: 'status-update',
	},
	{
		provider: 'retellAi',
		vector: {
			source: 'sdk',
			// Signed with retell-sdk@5.66.1 sign(body, apiKey) at Date.now() = 1714608476123 (made-up API key, body shaped like
			// the docs' call_started example). Both directions with retell-sdk: aiSdkCrossChecks.test.ts.
			reference: 'retell-sdk@5.66.1 sign() at 1714608476123 ms',
			secrets: { secret: 'key_8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d' },
			request: {
				body: '{"event":"call_started","call":{"call_type":"phone_call","from_number":"+12137771234","to_number":"+12137771235","direction":"inbound","call_id":"Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6","agent_id":"oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD","call_status":"registered","start_timestamp":1714608475945}}',
				headers: { ...JSON_TYPE, 'x-retell-signature': 'v=1714608476123,d=8deda573a98f3212c96fac36193f6eafa9c910a93289598d92ea20c29b20659c' },
			},
			nowSeconds: 1714608476 + 10,
			// The id is the body's SHA-256 (sha256sum of the body above).
			expected: { type: 'call_started', id: 'f604875eabf1e120e247f7219db930cb5ad4ea5009d0cbdcd8a9c80902a998be' },
		},
		// A retry resends the same body; another update of the same call differs in its content.
		event: (key) => ({ body: json({ event: 'transcript_updated', call: { call_id: 'Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6', transcript: `Agent: ${key}` } }), headers: JSON_TYPE }),
		eventType: 'transcript_updated',
	},
	{
		provider: 'assemblyAi',
		vector: {
			source: 'docs',
			// The docs' delivery payload; the header name the entry asks users to set, a made-up value.
			reference: 'assemblyai.com/docs/deployment/webhooks-for-pre-recorded-audio (delivery payload)',
			secrets: { secret: 'aai-webhook-9d4f2b7e1c' },
			request: {
				body: '{"transcript_id": "5552493-16d8-42d8-8feb-c2a16b56f6e8", "status": "completed"}',
				headers: { ...JSON_TYPE, 'x-webhook-secret': 'aai-webhook-9d4f2b7e1c' },
			},
			nowSeconds: 1736935200,
			expected: { type: 'completed', id: '5552493-16d8-42d8-8feb-c2a16b56f6e8:completed' },
		},
		event: (key) => ({ body: json({ transcript_id: `tr_${key}`, status: 'completed' }), headers: JSON_TYPE }),
		eventType: 'completed',
	},
	{
		provider: 'deepgram',
		vector: {
			source: 'docs',
			// Basic credentials from the callback URL https://dg-callback:7Jk2mQ9xLp4Rt8Vw@host/… (made up).
			reference: 'developers.deepgram.com/docs/callback "Authenticating Callback Requests" (Basic Auth)',
			secrets: { secret: 'dg-callback:7Jk2mQ9xLp4Rt8Vw' },
			request: {
				body: '{"metadata":{"request_id":"a847f427-4ad5-4d67-9b95-db801e58251c","created":"2026-01-15T10:00:00.000Z","duration":25.9,"channels":1},"results":{"channels":[{"alternatives":[{"transcript":"Yeah. As much as it\'s worth celebrating.","confidence":0.99}]}]}}',
				headers: { ...JSON_TYPE, authorization: 'Basic ZGctY2FsbGJhY2s6N0prMm1ROXhMcDRSdDhWdw==' },
			},
			nowSeconds: 1768471200,
			expected: { id: 'a847f427-4ad5-4d67-9b95-db801e58251c' },
		},
		event: (key) => ({ body: json({ metadata: { request_id: `req_${key}` }, results: { channels: [] } }), headers: JSON_TYPE }),
	},
	{
		provider: 'huggingFace',
		vector: {
			source: 'docs',
			// The docs' "Pull Request opened" payload (huggingface/hub-docs docs/hub/webhooks.md), made-up secret.
			reference: 'huggingface.co/docs/hub/webhooks (Pull Request opened payload, X-Webhook-Secret)',
			secrets: { secret: 'hf-webhook-secret-3c8e1a' },
			request: {
				body: json({
					event: { action: 'create', scope: 'discussion' },
					repo: { type: 'model', name: 'openai-community/gpt2', id: '621ffdc036468d709f17434d', private: false },
					discussion: { id: '6399f58518721fdd27fc9ca9', title: 'Update co2 emissions', status: 'open', num: 19, isPullRequest: true },
					webhook: { id: '6390e855e30d9209411de93b', version: 3 },
				}),
				headers: { ...JSON_TYPE, 'x-webhook-secret': 'hf-webhook-secret-3c8e1a' },
			},
			nowSeconds: 1736935200,
			expected: { type: 'discussion.create' },
		},
		event: (key) => ({ body: json({ event: { action: 'update', scope: 'repo.content' }, repo: { name: `user/${key}` } }), headers: JSON_TYPE }),
		eventType: 'repo.content.update',
	},
	{
		provider: 'recallAi',
		vector: {
			source: 'sdk',
			// svix@1.99.1 new Webhook(secret).sign(id, 2026-01-20T15:04:05Z, body): the library Recall's docs verify with.
			reference: 'svix@1.99.1 Webhook.sign (docs.recall.ai/docs/testing-webhooks-locally verifies with svix)',
			secrets: { secret: 'whsec_cmVjYWxsLXRlc3Qtc2VjcmV0LWtleS0wMTIzNDU2Nzg5' },
			request: {
				body: '{"event":"bot.status_change","data":{"bot":{"id":"8b6f4d0e-2a3c-4e5f-9a1b-7c8d9e0f1a2b","metadata":{}},"data":{"code":"in_call_recording","sub_code":null,"updated_at":"2026-01-20T15:04:05.000000+00:00"}}}',
				headers: {
					...JSON_TYPE,
					'webhook-id': 'msg_2bH8wQ1s7Vn3Kc9Lp0Xr',
					'webhook-timestamp': '1768921445',
					'webhook-signature': 'v1,4icvsMh+4fsvLvL+wy81cIf1JyJcGlXgyhUo/vVgb/s=',
				},
			},
			nowSeconds: 1768921445 + 20,
			expected: { type: 'bot.status_change', id: 'msg_2bH8wQ1s7Vn3Kc9Lp0Xr' },
		},
		event: (key) => ({ body: json({ event: 'bot.status_change', data: { bot: { id: `bot_${key}` }, data: { code: 'done' } } }), headers: JSON_TYPE }),
		eventType: 'bot.status_change',
	},
	{
		provider: 'langfuse',
		vector: {
			source: 'docs',
			// The docs' example payload, signed as langfuse packages/shared/src/encryption/signature.ts does:
			// t=<s>,v1=hex HMAC-SHA256 of "t.body" keyed by the whole lf-whsec_ secret (made up).
			reference: 'langfuse docs webhooks-slack-integrations payload, signed per packages/shared/src/encryption/signature.ts',
			secrets: { secret: 'lf-whsec_3c9a1f7e5b2d8046a1c3e5f7092b4d6f8a0c2e4f6b8d0a2c4e6f8091b3d5f7a9' },
			request: {
				body: '{"id":"550e8400-e29b-41d4-a716-446655440000","timestamp":"2024-07-10T10:30:00Z","type":"prompt-version","apiVersion":"v1","action":"created","prompt":{"id":"prompt_abc123","name":"movie-critic","version":3,"projectId":"xyz789","labels":["production","latest"],"prompt":"As a {{criticLevel}} movie critic, rate {{movie}} out of 10.","type":"text","config":{"key":"value"},"commitMessage":"Improved critic persona","tags":["entertainment"],"createdAt":"2024-07-10T10:30:00Z","updatedAt":"2024-07-10T10:30:00Z"}}',
				headers: { ...JSON_TYPE, 'x-langfuse-signature': 't=1720607401,v1=fd4d5f0663aabfbf314cc52576ee83fd63e359eb7b9866319533d87f7039b078' },
			},
			nowSeconds: 1720607401 + 3,
			expected: { type: 'prompt-version.created', id: '550e8400-e29b-41d4-a716-446655440000' },
		},
		event: (key) => ({ body: json({ id: `evt-${key}`, type: 'prompt-version', apiVersion: 'v1', action: 'updated', prompt: { name: 'movie-critic', version: 4 } }), headers: JSON_TYPE }),
		eventType: 'prompt-version.updated',
	},
	{
		provider: 'langSmith',
		vector: {
			source: 'docs',
			// The docs' automation payload (runs shortened), with a made-up token in the configured Authorization header.
			reference: 'docs.langchain.com/langsmith/webhooks (webhook payload example)',
			secrets: { secret: 'ls-hook-token-8e2d5a1f' },
			request: {
				body: '{"rule_id":"d75d7417-0c57-4655-88fe-1db3cda3a47a","start_time":"2024-04-05T01:28:54.734491+00:00","end_time":"2024-04-05T01:28:56.492563+00:00","runs":[{"status":"success","is_root":true,"trace_id":"6ab80f10-d79c-4fa2-b441-922ed6feb630","run_type":"tool","name":"Search","id":"6ab80f10-d79c-4fa2-b441-922ed6feb630"}]}',
				headers: { ...JSON_TYPE, authorization: 'Bearer ls-hook-token-8e2d5a1f' },
			},
			nowSeconds: 1712280536,
			expected: { id: 'd75d7417-0c57-4655-88fe-1db3cda3a47a:2024-04-05T01:28:54.734491+00:00:2024-04-05T01:28:56.492563+00:00' },
		},
		event: (key) => ({
			body: json({ rule_id: 'd75d7417-0c57-4655-88fe-1db3cda3a47a', start_time: `2024-04-05T01:28:54.${key}`, end_time: '2024-04-05T01:28:56.492563+00:00', runs: [] }),
			headers: JSON_TYPE,
		}),
	},
	{
		provider: 'fireflies',
		vector: {
			source: 'docs',
			// A Webhooks V2 payload (fields per the docs), x-hub-signature = "sha256=" + hex HMAC-SHA256 of the body, made-up secret.
			reference: 'docs.fireflies.ai/graphql-api/webhooks-v2 (payload fields, X-Hub-Signature)',
			secrets: { secret: 'ff_signing_secret_7d2c9e4a1b6f' },
			request: {
				body: '{"event":"meeting.transcribed","timestamp":1736935200000,"meeting_id":"ASxwZxCstx","client_reference_id":"be582c46-4ac9-4565-9ba6-6ab4264496a8"}',
				headers: { ...JSON_TYPE, 'x-hub-signature': 'sha256=b26cc2cda88b7a582146b0966cd07fbf780152561674b3f49c1ece32f7f831e2' },
			},
			nowSeconds: 1736935200,
			expected: { type: 'meeting.transcribed', id: 'meeting.transcribed:ASxwZxCstx' },
		},
		event: (key) => ({ body: json({ event: 'meeting.summarized', timestamp: 1736935200000, meeting_id: `mtg_${key}` }), headers: JSON_TYPE }),
		eventType: 'meeting.summarized',
	},
	{
		provider: 'composio',
		vector: {
			source: 'docs',
			// Computed per @composio/core@0.17.0 verifyWebhookSignature: base64 HMAC-SHA256 of "id.timestamp.body" keyed by
			// the secret's text (made up); a V3 trigger payload; accepted by its triggers.verifyWebhook (checked once).
			reference: '@composio/core@0.17.0 src/models/Triggers.ts verifyWebhookSignature, checked with triggers.verifyWebhook',
			secrets: { secret: 'cmp_test_secret_9c1e4b7a2d5f8e0b3c6a9d2f5e8b1c4a' },
			request: {
				body: '{"id":"msg_2f8a6c1e-4b7d-4e9a-8c3f-5d1b7e9a2c4f","timestamp":"2026-01-15T10:30:00.000Z","type":"composio.trigger.message","metadata":{"log_id":"log_7Hq2mZ","trigger_slug":"GITHUB_COMMIT_EVENT","trigger_id":"ti_4kLp9x","connected_account_id":"ca_8nRt3w","auth_config_id":"ac_2vBn6y","user_id":"user_123"},"data":{"commit":{"id":"a1b2c3d","message":"Fix typo"}}}',
				headers: {
					...JSON_TYPE,
					'webhook-id': 'msg_2f8a6c1e-4b7d-4e9a-8c3f-5d1b7e9a2c4f',
					'webhook-timestamp': '1768473000',
					'webhook-signature': 'v1,cGs3Km3xZCSwDX398VfK6Ic/31e8wS1TKG/vOPq88Hw=',
				},
			},
			nowSeconds: 1768473000 + 30,
			expected: { type: 'GITHUB_COMMIT_EVENT', id: 'msg_2f8a6c1e-4b7d-4e9a-8c3f-5d1b7e9a2c4f' },
		},
		// The message id is signed ({header:webhook-id}), so the delivery carries it for the kit's signer.
		event: (key) => ({
			body: json({ id: `msg_${key}`, type: 'composio.trigger.message', metadata: { trigger_slug: 'SLACK_RECEIVE_MESSAGE', trigger_id: 'ti_1' }, data: {} }),
			headers: { ...JSON_TYPE, 'webhook-id': `msg_${key}` },
		}),
		eventType: 'SLACK_RECEIVE_MESSAGE',
	},
];

/** fal.ai's Ed25519 key of the vector below, generated for it (fal publishes its keys as a JWKS of OKP keys). */
const FAL_PRIVATE_KEY = createPrivateKey({ key: Buffer.from('MC4CAQAwBQYDK2VwBCIEIIhhn3GYq5Saf2GSyWM2dxZ0ltwLKm1v9im3R/BQMEXk', 'base64'), format: 'der', type: 'pkcs8' });
const FAL_PUBLIC_JWK = '{"crv":"Ed25519","x":"n8hmCB1nUu-XK6iU9Mlib5urUzmijeWsQ0CLBYuk2mk","kty":"OKP"}';
/** fal's set as the kit serves it: a rotated-out key first (no kid, as fal's keys), then the vector's. */
const FAL_OLD_JWK = { ...generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) };
const FAL_JWKS = json({ keys: [FAL_OLD_JWK, JSON.parse(FAL_PUBLIC_JWK) as unknown] });
const OTHER_ED25519_PRIVATE_KEY = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/** fal.ai: publicKey with a body hash in the message and its keys from a JWKS (no kid: every key is tried). */
const FAL: ProviderFixture = {
	provider: 'falAi',
	vector: {
		source: 'docs',
		// Message per docs.fal.ai (request id, user id, timestamp, hex SHA-256 of the body, one per line), Ed25519,
		// hex; the key pair generated for this vector; the body is the docs' successful result example.
		reference: 'docs.fal.ai/model-apis/model-endpoints/webhooks (verifying webhook signatures), key generated locally',
		secrets: { secret: '' },
		request: {
			body: '{"request_id":"024ca5b1-45d3-4afd-883e-ad3abe2a1c4d","gateway_request_id":"024ca5b1-45d3-4afd-883e-ad3abe2a1c4d","status":"OK","payload":{"images":[{"url":"https://url.to/image.png","content_type":"image/png","file_name":"image.png","file_size":1824075,"width":1024,"height":1024}],"seed":196619188014358660}}',
			headers: {
				...JSON_TYPE,
				'x-fal-webhook-request-id': '024ca5b1-45d3-4afd-883e-ad3abe2a1c4d',
				'x-fal-webhook-user-id': 'user_2hGqf7Tt9LmNbVc',
				'x-fal-webhook-timestamp': '1736935200',
				'x-fal-webhook-signature':
					'739f808277ce4278a51a90b0efe73d1d3b74da31f017a48c0c6d9932c9ab732ca48f5c38662940a886d66a390b3f3adb1fe11c0757cd651f496e14683bbdd208',
			},
		},
		nowSeconds: 1736935200 + 30,
		expected: { type: 'OK', id: '024ca5b1-45d3-4afd-883e-ad3abe2a1c4d' },
	},
	keys: { signingKey: FAL_PRIVATE_KEY.export({ format: 'pem', type: 'pkcs8' }).toString(), secrets: { secret: '' }, wrongSigningKey: OTHER_ED25519_PRIVATE_KEY },
	keyServer: { files: { '/.well-known/jwks.json': { body: FAL_JWKS } } },
	event: (key) => ({
		body: json({ request_id: `req_${key}`, status: 'OK', payload: {} }),
		headers: { ...JSON_TYPE, 'x-fal-webhook-request-id': `req_${key}`, 'x-fal-webhook-user-id': 'user_1' },
	}),
	eventType: 'OK',
};

/** LiveKit: a bare HS256 token in Authorization whose sha256 claim is the base64 SHA-256 of the body. */
const LIVEKIT: ProviderFixture = {
	provider: 'liveKit',
	vector: {
		source: 'sdk',
		// Body and its sha256 from livekit-server-sdk src/WebhookReceiver.test.ts (API key abcdefg, secret abababa);
		// token made with livekit-server-sdk@2.19.2 new AccessToken('abcdefg','abababa',{ttl:'5m'}), sha256 set, at
		// 1796414702 (the SDK test makes its token at run time); accepted by its WebhookReceiver.receive.
		reference: 'livekit-server-sdk@2.19.2 AccessToken + src/WebhookReceiver.test.ts body and sha256',
		secrets: { secret: 'abababa' },
		request: {
			body: '{"event":"room_started", "room":{"sid":"RM_TkVjUvAqgzKz", "name":"mytestroom", "emptyTimeout":300, "creationTime":"1628545903", "turnPassword":"ICkSr2rEeslkN6e9bXL4Ji5zzMD5Z7zzr6ulOaxMj6N", "enabledCodecs":[{"mime":"audio/opus"}, {"mime":"video/VP8"}]}}',
			headers: {
				'content-type': 'application/webhook+json',
				authorization:
					'eyJhbGciOiJIUzI1NiJ9.eyJzaGEyNTYiOiJDb0VRejFjaHFKOWJuWlJjT1JkZGpwbGt2cGptUHVqbUxUUjQyRGJlZllJPSIsImlzcyI6ImFiY2RlZmciLCJleHAiOjE3OTY0MTUwMDIsIm5iZiI6MTc5NjQxNDcwMn0.b5jOI3XBmR6bGXU67EO5s89etvcTbFFW1guuMkUrjao',
			},
		},
		nowSeconds: 1796414702 + 10,
		expected: { type: 'room_started' },
	},
	event: (key) => ({ body: json({ event: 'participant_joined', id: `EV_${key}`, room: { name: 'mytestroom' } }), headers: { 'content-type': 'application/webhook+json' } }),
	eventType: 'participant_joined',
};

testProviderGroup('ai', [...FIXTURES, FAL, LIVEKIT]);

describe('fal.ai: the template, a key pinned in the credential, rotation', () => {
	const scheme = providerSchemeById('falAi');
	const { headers, body } = FAL.vector.request;
	const at = FAL.vector.nowSeconds;
	const verify = async (requestHeaders: Record<string, string>, publicKey: string, requestBody = String(body)) =>
		await scheme.verify(incoming({ body: requestBody, headers: requestHeaders }), { secret: '', publicKey }, { nowSeconds: at, toleranceSeconds: 300 });

	it('signs the request id, user id, timestamp and hex SHA-256 of the body, one per line ({bodySha256Hex})', () => {
		const recipe = providerById('falAi')!.signature;
		expect(recipe.kind === 'publicKey' && recipe.signedContent).toBe('{header:x-fal-webhook-request-id}\n{header:x-fal-webhook-user-id}\n{timestamp}\n{bodySha256Hex}');
		const message = [headers['x-fal-webhook-request-id'], headers['x-fal-webhook-user-id'], headers['x-fal-webhook-timestamp'], sha256Hex(String(body))].join('\n');
		expect(verifyPublicKeySignature({ algorithm: 'ed25519', publicKey: FAL_PUBLIC_JWK, message: Buffer.from(message), signature: headers['x-fal-webhook-signature'], encoding: 'hex' })).toEqual({ ok: true });
	});

	it('a key pasted into Public Key (one JWK, or fal\'s whole key set) is used without fetching anything', async () => {
		expect(await verify(headers, FAL_PUBLIC_JWK)).toEqual({ ok: true, matched: 'publicKey', timestamp: 1736935200 });
		expect((await verify(headers, FAL_JWKS)).ok).toBe(true);
		expect(await verify(headers, json({ keys: [FAL_OLD_JWK] }))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify(headers, FAL_PUBLIC_JWK, String(body).replace('"OK"', '"OJ"'))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify({ ...headers, 'x-fal-webhook-user-id': 'user_other' }, FAL_PUBLIC_JWK)).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('what the catalogue signs is what fal sends (hex Ed25519 over the same message)', () => {
		const signed = scheme.sign!({ payload: Buffer.from(String(body)), key: FAL_PRIVATE_KEY.export({ format: 'pem', type: 'pkcs8' }).toString(), timestampSeconds: 1736935200, headers });
		expect(signed).toEqual({ 'x-fal-webhook-timestamp': '1736935200', 'x-fal-webhook-signature': headers['x-fal-webhook-signature'] });
	});
});

describe('LiveKit: what the entry reads', () => {
	const { headers, body } = LIVEKIT.vector.request;

	it('the vector is a token of the API secret whose sha256 claim is the base64 SHA-256 of the body', () => {
		const claims = verifyToken(headers.authorization, LIVEKIT.vector.secrets.secret, { algorithms: ['HS256'], clockTimestamp: LIVEKIT.vector.nowSeconds }) as Record<string, unknown>;
		expect(claims.iss).toBe('abcdefg');
		expect(claims.sha256).toBe(createHash('sha256').update(String(body)).digest('base64'));
		expect(claims.sha256).toBe('CoEQz1chqJ9bnZRcORddjplkvpjmPujmLTR42DbefYI=');
	});

	it('accepts the token with Bearer too, and refuses the hex form of the hash', async () => {
		const scheme = providerSchemeById('liveKit');
		const options = { nowSeconds: LIVEKIT.vector.nowSeconds, toleranceSeconds: 300 };
		const withBearer = incoming({ body: String(body), headers: { ...headers, authorization: `Bearer ${headers.authorization}` } });
		expect((await scheme.verify(withBearer, { secret: 'abababa' }, options)).ok).toBe(true);
		const hexEntry = providerScheme({ ...providerById('liveKit')!, signature: { ...(providerById('liveKit')!.signature as JwtRecipe), bodyHashEncoding: 'hex' } });
		expect(await hexEntry.verify(incoming({ body: String(body), headers }), { secret: 'abababa' }, options)).toEqual({ ok: false, reason: 'invalid_signature' });
	});
});
