import type { ProviderEntry } from '../types';

/** AI services that push webhooks. Research notes per provider: /work/team/providers/<id>.md. */
export const AI_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'openai',
		displayName: 'OpenAI',
		group: 'ai',
		docsUrl: 'https://platform.openai.com/docs/guides/webhooks',
		sdkUrl: 'https://github.com/openai/openai-node/blob/HEAD/src/resources/webhooks/webhooks.ts',
		signature: {
			kind: 'special',
			verifier: 'standardWebhooks',
			timestamp: { from: { header: 'webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		// response.completed, batch.completed, fine_tuning.job.succeeded, eval.run.succeeded, realtime.call.incoming…
		eventType: [{ body: 'type' }],
		eventId: [{ verified: 'id' }, { header: 'webhook-id' }],
		redelivery:
			'OpenAI follows Standard Webhooks: webhook-id is the message id, the same on every retry (exponential back-off for up to 72 hours).',
		contentTypes: ['application/json'],
		secretHelp: 'The endpoint\'s signing secret, starting with whsec_: platform.openai.com → Settings → Project → Webhooks (shown once when the endpoint is created).',
		vectors: {
			source: 'official',
			reference: 'openai-node tests/api-resources/webhooks.test.ts lines 11-22 (data "taken from a real webhook event")',
		},
	},
	{
		id: 'anthropic',
		displayName: 'Anthropic (Claude Managed Agents)',
		group: 'ai',
		aliases: ['Claude'],
		docsUrl: 'https://platform.claude.com/docs/en/managed-agents/webhooks',
		sdkUrl: 'https://github.com/anthropics/anthropic-sdk-typescript/blob/HEAD/src/resources/beta/webhooks.ts',
		signature: {
			kind: 'special',
			verifier: 'standardWebhooks',
			timestamp: { from: { header: 'webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		// The envelope's `type` is always "event"; what happened is data.type (session.status_idled, agent.created…).
		eventType: [{ body: 'data.type' }],
		eventId: [{ body: 'id' }, { verified: 'id' }],
		redelivery:
			'The body id is the event\'s "unique event identifier for idempotency" (SDK type BetaWebhookEvent); retries resend the same event and webhook-id.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook signing key, starting with whsec_: Claude Console → Manage → Webhooks (shown once when the endpoint is created).',
		vectors: {
			source: 'sdk',
			reference:
				'standardwebhooks@1.1.1 sign (what @anthropic-ai/sdk beta.webhooks.unwrap verifies with), payload and key from anthropic-sdk-typescript tests/api-resources/beta/webhooks.test.ts "unwrap"',
		},
		caveats: ['Anthropic\'s webhooks are a beta API of Claude Managed Agents.'],
	},
	{
		id: 'replicate',
		displayName: 'Replicate',
		group: 'ai',
		docsUrl: 'https://replicate.com/docs/topics/webhooks/verify-webhook',
		sdkUrl: 'https://github.com/replicate/replicate-javascript/blob/HEAD/lib/util.js',
		signature: {
			kind: 'special',
			verifier: 'standardWebhooks',
			timestamp: { from: { header: 'webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		// The body is the prediction: its status (starting, processing, succeeded, failed, canceled).
		eventType: [{ body: 'status' }],
		eventId: [{ verified: 'id' }, { header: 'webhook-id' }],
		redelivery:
			'Replicate\'s docs: webhook-id "is unique across all messages but will be the same when a webhook is being resent (e.g. retried)". Each prediction update is its own message.',
		contentTypes: ['application/json'],
		secretHelp: 'The account\'s webhook signing secret (whsec_…), returned by GET https://api.replicate.com/v1/webhooks/default/secret.',
		vectors: {
			source: 'official',
			reference: 'replicate-javascript index.test.ts lines 1850-1877 ("Can be used to validate webhook", the Svix reference vector)',
		},
		caveats: ['A prediction sends several webhooks (start, output, logs, completed): filter on its status.'],
	},
	{
		id: 'elevenlabs',
		displayName: 'ElevenLabs',
		group: 'ai',
		docsUrl: 'https://elevenlabs.io/docs/eleven-api/resources/webhooks',
		sdkUrl: 'https://github.com/elevenlabs/elevenlabs-js/blob/HEAD/src/wrapper/webhooks.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'elevenlabs-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v0'] } },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			// The SDK's constructEvent refuses timestamps older than 30 minutes.
			timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 1800 },
		},
		eventType: [{ body: 'type' }],
		// No delivery id: a post-call event is one per conversation and type, a voice notice one per voice and type.
		eventId: [
			{ join: [{ body: 'type' }, { body: 'data.conversation_id' }], separator: ':' },
			{ join: [{ body: 'type' }, { body: 'data.voice_id' }], separator: ':' },
		],
		redelivery:
			'ElevenLabs sends no delivery id. Retries (opt-in per webhook, off by default) resend the event; the id here is its type with its conversation_id (post-call webhooks) or voice_id (voice notices).',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s HMAC secret (wsec_…) as shown when the webhook was created: ElevenLabs → Settings → Webhooks.',
		vectors: {
			source: 'docs',
			reference:
				'https://elevenlabs.io/docs/eleven-api/resources/webhooks (HMAC: t=timestamp,v0=hash over timestamp.body), post_call_transcription body; accepted by @elevenlabs/elevenlabs-js@2.73.0 webhooks.constructEvent',
		},
		caveats: ['ElevenLabs sends no delivery id: the id is derived from the event type and conversation (or voice), so a second notice of the same type for the same voice within the de-duplication TTL counts as a duplicate.'],
	},
	{
		id: 'vapi',
		displayName: 'Vapi (HMAC credential)',
		group: 'ai',
		docsUrl: 'https://docs.vapi.ai/server-url/server-authentication',
		sdkUrl: 'https://github.com/VapiAI/docs/blob/HEAD/fern/apis/api/openapi.json',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// Vapi's HMACAuthenticationPlan defaults: x-signature, x-timestamp, "{timestamp}.{body}", hex, secret as text.
			signature: { header: 'x-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			// Vapi does not document the unit: seconds or milliseconds are told apart by magnitude.
			timestamp: { from: { header: 'x-timestamp' }, unit: 'auto', windowSeconds: 300 },
		},
		eventType: [{ body: 'message.type' }],
		eventId: { none: 'Vapi server messages carry no delivery id, and a call sends many status-update messages.' },
		redelivery: 'Vapi documents no retries of server messages and sends no id to recognise one by.',
		contentTypes: ['application/json'],
		secretHelp:
			'The Secret Key of a Custom Credential of type HMAC (Vapi dashboard → Integrations → Server Configuration → Add Custom Credential): Algorithm SHA256, Signature Header, Timestamp Header and Payload Format left at their defaults (x-signature, x-timestamp, {timestamp}.{body}), hex encoding.',
		vectors: { source: 'docs', reference: 'Vapi OpenAPI schema HMACAuthenticationPlan (fern/apis/api/openapi.json): default headers, payload format and encoding' },
		caveats: [
			'assistant-request and tool-calls messages wait for an answer: use Respond "When Last Node Finishes" or a Respond to Webhook node.',
			'No delivery id: replays inside the timestamp window are not de-duplicated.',
		],
	},
	{
		id: 'vapiSecret',
		displayName: 'Vapi (X-Vapi-Secret)',
		group: 'ai',
		docsUrl: 'https://docs.vapi.ai/server-url/server-authentication#legacy-x-vapi-secret-support',
		signature: { kind: 'token', location: { header: 'x-vapi-secret' } },
		eventType: [{ body: 'message.type' }],
		eventId: { none: 'Vapi server messages carry no delivery id, and a call sends many status-update messages.' },
		redelivery: 'Vapi documents no retries of server messages and sends no id to recognise one by.',
		contentTypes: ['application/json'],
		secretHelp:
			'The token of a Bearer Token credential whose Header Name is X-Vapi-Secret with the Bearer prefix off (or the server\'s legacy "secret" field).',
		vectors: { source: 'docs', reference: 'https://docs.vapi.ai/server-url/server-authentication "Legacy X-Vapi-Secret Support"' },
		caveats: [
			'A shared token, not a signature: the body is not authenticated, so use HTTPS; prefer the HMAC credential (provider "Vapi (HMAC credential)").',
			'No signed timestamp and no delivery id: a captured request can be replayed.',
		],
	},
	{
		id: 'retellAi',
		displayName: 'Retell AI',
		group: 'ai',
		docsUrl: 'https://docs.retellai.com/features/secure-webhook',
		sdkUrl: 'https://github.com/RetellAI/retell-typescript-sdk/blob/HEAD/src/lib/webhook_auth.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-retell-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['d'] } },
			encoding: 'hex',
			secret: 'utf8',
			// retell-sdk: HMAC(apiKey, body + timestamp), the timestamp in milliseconds, at most five minutes off.
			signedContent: '{body}{timestamp}',
			timestamp: { from: { signatureKey: 'v' }, unit: 'ms', windowSeconds: 300 },
		},
		eventType: [{ body: 'event' }],
		// transcript_updated fires many times per call with the same event and call_id: only the whole body is unique.
		eventId: [{ bodyHash: 'sha256' }],
		redelivery:
			'Retell sends no delivery id, and transcript_updated repeats per call; a retry resends the same body, so the id is the SHA-256 of the raw body.',
		contentTypes: ['application/json'],
		secretHelp: 'The Retell API key that has the webhook badge (Retell dashboard → API Keys): Retell signs webhooks with it.',
		vectors: { source: 'sdk', reference: 'retell-sdk@5.66.1 sign() (src/lib/webhook_auth.ts), both directions in test/nodes/shared/providers/aiSdkCrossChecks.test.ts' },
		caveats: ['De-duplication works on a hash of the body: a retry that re-serialised the body differently would run again.'],
	},
	{
		id: 'assemblyAi',
		displayName: 'AssemblyAI',
		group: 'ai',
		docsUrl: 'https://assemblyai.com/docs/deployment/webhooks-for-pre-recorded-audio',
		signature: { kind: 'token', location: { header: 'x-webhook-secret' } },
		eventType: [{ body: 'status' }],
		eventId: [{ join: [{ body: 'transcript_id' }, { body: 'status' }], separator: ':' }],
		redelivery:
			'"If a 2xx status is not received within 10 seconds, AssemblyAI will retry the webhook call up to a total of 10 attempts", with the same transcript_id and status.',
		contentTypes: ['application/json'],
		secretHelp:
			'A secret you choose, sent by AssemblyAI as a header: create the transcript with webhook_auth_header_name "X-Webhook-Secret" and webhook_auth_header_value set to this secret.',
		vectors: { source: 'docs', reference: 'https://assemblyai.com/docs/deployment/webhooks-for-pre-recorded-audio (delivery payload example, webhook_auth_header_name/value)' },
		caveats: [
			'A shared header value, not a signature: the body is not authenticated, so use HTTPS (AssemblyAI also sends from fixed IPs: 44.238.19.20 US, 54.220.25.36 EU).',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
			'Streaming-session webhooks carry no transcript_id and are not de-duplicated.',
		],
	},
	{
		id: 'deepgram',
		displayName: 'Deepgram',
		group: 'ai',
		docsUrl: 'https://developers.deepgram.com/docs/callback#authenticating-callback-requests',
		signature: { kind: 'token', location: { basicAuth: true } },
		eventType: [],
		eventId: [{ body: 'metadata.request_id' }],
		redelivery: 'A callback carries the request_id Deepgram returned when the audio was submitted; a retried callback carries the same one.',
		contentTypes: ['application/json'],
		secretHelp:
			'The user:password you embed in the callback URL (https://user:password@your-n8n/webhook/…): Deepgram sends them as HTTP Basic credentials. Deepgram no longer supports the dg-token header for this.',
		vectors: { source: 'docs', reference: 'https://developers.deepgram.com/docs/callback "Authenticating Callback Requests" (Basic Auth)' },
		caveats: [
			'HTTP Basic credentials, not a signature: the body is not authenticated, so use HTTPS.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'falAi',
		displayName: 'fal.ai',
		group: 'ai',
		docsUrl: 'https://docs.fal.ai/model-apis/model-endpoints/webhooks',
		signature: {
			kind: 'publicKey',
			algorithm: 'ed25519',
			signature: { header: 'x-fal-webhook-signature' },
			encoding: 'hex',
			// request id, user id, timestamp and the hex SHA-256 of the body, one per line.
			signedContent: '{header:x-fal-webhook-request-id}\n{header:x-fal-webhook-user-id}\n{timestamp}\n{bodySha256Hex}',
			timestamp: { from: { header: 'x-fal-webhook-timestamp' }, unit: 's', windowSeconds: 300 },
			// fal's Ed25519 keys, rotated; the request names none (no kid): each key of the set is tried.
			jwksUrl: 'https://rest.alpha.fal.ai/.well-known/jwks.json',
		},
		eventType: [{ body: 'status' }],
		eventId: [{ body: 'request_id' }, { header: 'x-fal-webhook-request-id' }],
		redelivery: 'Every delivery of a queue request\'s result carries its request_id (gateway_request_id changes when fal retried the request itself).',
		contentTypes: ['application/json'],
		secretHelp:
			'Nothing to paste: the node fetches fal\'s public keys (https://rest.alpha.fal.ai/.well-known/jwks.json) and caches them. To pin keys instead, paste one key (JWK JSON) or the whole key set into Public Key.',
		vectors: { source: 'docs', reference: 'https://docs.fal.ai/model-apis/model-endpoints/webhooks (verifying webhook signatures): message format, Ed25519, hex; key generated locally' },
		caveats: [
			'fal signs every customer\'s webhooks with the same keys: a result fal sent to another account verifies here too if someone forwards it (the signed X-Fal-Webhook-User-Id names the account, but is not checked against yours).',
			'fal rotates its keys: a key pasted into Public Key stops verifying after a rotation; leave it empty to follow the key set.',
		],
	},
	{
		id: 'huggingFace',
		displayName: 'Hugging Face',
		group: 'ai',
		docsUrl: 'https://huggingface.co/docs/hub/webhooks#webhook-secret',
		signature: { kind: 'token', location: { header: 'x-webhook-secret' } },
		eventType: [{ join: [{ body: 'event.scope' }, { body: 'event.action' }], separator: '.' }],
		eventId: { none: 'Hugging Face sends no delivery id, and a Replay from the webhook\'s activity tab deliberately resends a past payload.' },
		redelivery: 'Hugging Face sends no delivery id; the activity tab can replay a past payload as it was.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Secret (huggingface.co/settings/webhooks → the webhook); ASCII only.',
		vectors: { source: 'docs', reference: 'https://huggingface.co/docs/hub/webhooks (the "Pull Request opened" payload; X-Webhook-Secret)' },
		caveats: [
			'A shared header value, not a signature: the body is not authenticated, so use HTTPS.',
			'No signed timestamp and no delivery id: a captured request can be replayed.',
		],
	},
	{
		id: 'recallAi',
		displayName: 'Recall.ai',
		group: 'ai',
		docsUrl: 'https://docs.recall.ai/docs/authenticating-requests-from-recallai',
		signature: {
			kind: 'special',
			verifier: 'standardWebhooks',
			timestamp: { from: { header: 'webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'event' }],
		eventId: [{ verified: 'id' }, { header: 'webhook-id' }, { header: 'svix-id' }],
		redelivery: 'Recall delivers through Svix: the message id (webhook-id, svix-id on older workspaces) is the same on every retry and resend.',
		contentTypes: ['application/json'],
		secretHelp:
			'The workspace verification secret (whsec_…): Recall dashboard → Developers → API Keys & Secrets → Create Workspace Secret. Workspaces created before 15 December 2025: the endpoint\'s signing secret from the Webhooks dashboard.',
		vectors: { source: 'sdk', reference: 'svix@1.99.1 Webhook.sign (the library Recall\'s docs verify with: https://docs.recall.ai/docs/testing-webhooks-locally)' },
		caveats: ['Recall sends no signature until a workspace verification secret exists: requests are refused until then.'],
	},
	{
		id: 'langfuse',
		displayName: 'Langfuse',
		group: 'ai',
		docsUrl: 'https://langfuse.com/docs/prompt-management/features/webhooks-slack-integrations',
		sdkUrl: 'https://github.com/langfuse/langfuse/blob/HEAD/packages/shared/src/encryption/signature.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-langfuse-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
			encoding: 'hex',
			// The whole secret, lf-whsec_ included, is the key (createHmac("sha256", secret)).
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ join: [{ body: 'type' }, { body: 'action' }], separator: '.' }],
		eventId: [{ body: 'id' }],
		redelivery: 'Langfuse "may retry (exponential back-off) until it receives a success response" with the same payload and its event id.',
		contentTypes: ['application/json'],
		secretHelp: 'The automation\'s signing secret (lf-whsec_…), shown when the webhook is created: Langfuse → Prompts → Automations.',
		vectors: { source: 'docs', reference: 'Langfuse docs example payload, signed as langfuse packages/shared/src/encryption/signature.ts does (t=…,v1=…)' },
		caveats: ['Moving a label between prompt versions fires two "updated" events, one per version.'],
	},
	{
		id: 'langSmith',
		displayName: 'LangSmith',
		group: 'ai',
		docsUrl: 'https://docs.langchain.com/langsmith/webhooks',
		signature: { kind: 'token', location: { header: 'authorization', bearer: 'optional' } },
		eventType: [],
		// Automation rules send one batch of runs per rule and time window; prompt webhooks one commit.
		eventId: [{ join: [{ body: 'rule_id' }, { body: 'start_time' }, { body: 'end_time' }], separator: ':' }, { body: 'commit_hash' }],
		redelivery: 'LangSmith documents no retries; a resent automation batch keeps its rule_id and time window, a prompt webhook its commit_hash.',
		contentTypes: ['application/json'],
		secretHelp: 'A token you choose, added as the webhook\'s Authorization header ("Bearer <token>" or the bare token) in the automation\'s or prompt webhook\'s headers.',
		vectors: { source: 'docs', reference: 'https://docs.langchain.com/langsmith/webhooks (webhook payload: rule_id, start_time, end_time, runs)' },
		caveats: [
			'LangSmith does not sign webhooks: the header you configure is a shared token, the body is not authenticated, so use HTTPS.',
			'No signed timestamp: a captured request can be replayed; only de-duplication stops it.',
		],
	},
	{
		id: 'liveKit',
		displayName: 'LiveKit',
		group: 'ai',
		docsUrl: 'https://docs.livekit.io/home/server/webhooks/',
		sdkUrl: 'https://github.com/livekit/node-sdks/blob/HEAD/packages/livekit-server-sdk/src/WebhookReceiver.ts',
		signature: {
			kind: 'jwt',
			// LiveKit sends the bare token in Authorization (no Bearer).
			token: { header: 'authorization', bearer: 'optional' },
			algorithms: ['HS256'],
			// Its claim sha256 holds the base64 SHA-256 of the body.
			bodyHashClaim: 'sha256',
			bodyHashEncoding: 'base64',
		},
		eventType: [{ body: 'event' }],
		eventId: [{ body: 'id' }],
		redelivery: 'Each WebhookEvent has a unique id (a UUID), the same when LiveKit retries its delivery.',
		contentTypes: ['application/webhook+json', 'application/json'],
		secretHelp: 'The API secret of the API key LiveKit signs webhooks with (LiveKit Cloud → Settings → Keys, or the server\'s keys config).',
		vectors: {
			source: 'sdk',
			reference:
				'livekit-server-sdk@2.19.2 AccessToken (ttl 5m) with the body and sha256 of src/WebhookReceiver.test.ts; accepted by its WebhookReceiver.receive',
		},
		caveats: [
			'The token expires (minutes) but binds only the body: a captured request can be replayed until then; de-duplication stops it.',
			'The token\'s issuer (your API key) is not checked: any token made with the same API secret verifies.',
		],
	},
	{
		id: 'fireflies',
		displayName: 'Fireflies.ai',
		group: 'ai',
		docsUrl: 'https://docs.fireflies.ai/graphql-api/webhooks-v2',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-hub-signature', prefix: 'sha256=' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		eventType: [{ body: 'event' }, { body: 'eventType' }],
		// Each event fires once per meeting (V2 field names first, then the legacy V1 ones).
		eventId: [
			{ join: [{ body: 'event' }, { body: 'meeting_id' }], separator: ':' },
			{ join: [{ body: 'eventType' }, { body: 'meetingId' }], separator: ':' },
		],
		redelivery: 'Fireflies sends no delivery id; each event (meeting.transcribed, meeting.summarized…) fires once per meeting, so the id is the event with its meeting_id.',
		contentTypes: ['application/json'],
		secretHelp: 'The Signing Secret entered on the Webhooks V2 configuration page (app.fireflies.ai → Developer settings → Webhooks V2).',
		vectors: { source: 'docs', reference: 'https://docs.fireflies.ai/graphql-api/webhooks-v2 (payload fields, X-Hub-Signature sha256= HMAC of the body)' },
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'Webhooks V1 send the signature without the sha256= label and are not covered: use Webhooks V2.',
		],
	},
	{
		id: 'composio',
		displayName: 'Composio',
		group: 'ai',
		docsUrl: 'https://docs.composio.dev/docs/triggers',
		sdkUrl: 'https://github.com/ComposioHQ/composio/blob/HEAD/ts/packages/core/src/models/Triggers.ts',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			// Standard-Webhooks-shaped headers, but the key is the secret's text, not base64-decoded.
			signature: { header: 'webhook-signature', list: { pairSeparator: ' ', keyValueSeparator: ',', signatureKeys: ['v1'] } },
			encoding: 'base64',
			secret: 'utf8',
			signedContent: '{header:webhook-id}.{timestamp}.{body}',
			timestamp: { from: { header: 'webhook-timestamp' }, unit: 's', windowSeconds: 300 },
		},
		eventType: [{ body: 'metadata.trigger_slug' }, { body: 'type' }],
		eventId: [{ header: 'webhook-id' }, { body: 'id' }],
		redelivery: 'webhook-id is the message id the signature covers; a retry resends the message with it.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook secret of the project\'s webhook subscription (Composio dashboard → Settings → Webhooks, or the secret returned when the subscription is created).',
		vectors: {
			source: 'docs',
			reference: '@composio/core@0.17.0 src/models/Triggers.ts verifyWebhookSignature (algorithm); accepted by its triggers.verifyWebhook',
		},
		caveats: ['The headers look like Standard Webhooks, but Composio uses the secret text itself as the key: the Standard Webhooks provider would not verify these.'],
	},
];
