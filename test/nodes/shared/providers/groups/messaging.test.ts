import { createHmac } from 'node:crypto';

import { verifyKey } from 'discord-interactions';

import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const FORM = 'application/x-www-form-urlencoded';

// RFC 8032 §7.1 TEST 1 key pair (Discord publishes no request vector).
const ED25519_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const ED25519_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const DISCORD_VECTOR = {
	body: '{"id":"1122334455","type":2,"application_id":"99","data":{"name":"ping"}}',
	timestamp: '1700000000',
	// tweetnacl 1.0.3 nacl.sign.detached over timestamp + body with the seed above (an implementation independent of ours).
	signature:
		'90ce830c9ae8cb631fa2b83a907879a1fcf9dc150d9d592247a918c8887563312da6da278ad311fc62b9f72c5c875f474a8172fc5e31064e7c5150dd86895106',
};

// Twilio's documented example: https://www.twilio.com/docs/usage/security#validating-requests.
const TWILIO_PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };

const FIXTURES: ProviderFixture[] = [
	{
		provider: 'slack',
		vector: {
			source: 'official',
			reference: 'https://api.slack.com/authentication/verifying-requests-from-slack#validating-a-request (worked example)',
			secrets: { secret: '8f742231b10e8888abcd99yyyzzz85a5' },
			request: {
				body:
					'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
					'&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
					'%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
				headers: {
					'content-type': FORM,
					'x-slack-request-timestamp': '1531420618',
					'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
				},
			},
			nowSeconds: 1531420618 + 30,
			expected: { type: '/webhook-collect' },
		},
		// Events API retries keep event_id and add X-Slack-Retry-Num / X-Slack-Retry-Reason.
		event: (key, attempt) => ({
			body: json({ type: 'event_callback', event_id: `Ev${key}`, event: { type: 'app_mention', text: 'hi' } }),
			headers: { 'content-type': 'application/json', ...(attempt > 1 ? { 'x-slack-retry-num': String(attempt - 1), 'x-slack-retry-reason': 'http_timeout' } : {}) },
		}),
		eventType: 'app_mention',
		handshakes: [
			{
				name: 'url_verification echoes the challenge',
				phase: 'signed',
				request: { body: json({ token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' }), headers: { 'content-type': 'application/json' } },
				expect: { status: 200, body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' } },
			},
		],
	},
	{
		provider: 'discord',
		vector: {
			source: 'sdk',
			reference: 'tweetnacl 1.0.3 sign.detached with the RFC 8032 TEST 1 key; discord-interactions 4.4.0 verifyKey accepts it (below)',
			secrets: { secret: '', publicKey: ED25519_PUBLIC },
			request: {
				body: DISCORD_VECTOR.body,
				headers: { 'content-type': 'application/json', 'x-signature-ed25519': DISCORD_VECTOR.signature, 'x-signature-timestamp': DISCORD_VECTOR.timestamp },
			},
			nowSeconds: 1700000000 + 5,
			expected: { type: '2', id: '1122334455' },
		},
		keys: { signingKey: ED25519_SEED, secrets: { secret: '', publicKey: ED25519_PUBLIC } },
		event: (key) => ({ body: json({ id: `interaction-${key}`, type: 2, data: { name: 'ping' } }), headers: { 'content-type': 'application/json' } }),
		eventType: '2',
		handshakes: [
			{
				name: 'PING is answered with type 1',
				phase: 'signed',
				request: { body: json({ id: 'p1', type: 1, application_id: '99' }), headers: { 'content-type': 'application/json' } },
				expect: { status: 200, body: { type: 1 } },
			},
		],
	},
	{
		provider: 'meta',
		vector: {
			source: 'docs',
			// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads: HMAC-SHA256 of the body as
			// sent (non-ASCII escaped as \u00e9) with the app secret; a WhatsApp message notification shaped like
			// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples, computed with Python's hmac.
			reference: 'https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads, computed with Python hmac',
			secrets: { secret: 'meta-app-secret' },
			request: {
				body:
					'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",' +
					'"messages":[{"from":"16315551181","id":"wamid.ABGGFlA5Fpa","timestamp":"1504902988","text":{"body":"Caf\\u00e9 \\u00e4\\u00f6\\u00e5"},' +
					'"type":"text"}]},"field":"messages"}]}]}',
				headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=325c1ed76ed50a3edbdd2746c971a9607dec8df320c88d573249afe3d66bef82' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'whatsapp_business_account.messages' },
		},
		event: (key) => ({
			body: json({ object: 'whatsapp_business_account', entry: [{ id: key, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp' } }] }] }),
			headers: { 'content-type': 'application/json' },
		}),
		eventType: 'whatsapp_business_account.messages',
		handshakes: [
			{
				name: 'GET subscription check echoes hub.challenge for the right verify token',
				phase: 'unsigned',
				request: { method: 'GET', body: '', url: '/webhook/test?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444' },
				settings: { verifyToken: 'my-verify-token' },
				expect: { status: 200, body: '1158201444', headers: { 'content-type': 'text/plain; charset=utf-8' } },
			},
			{
				name: 'GET subscription check with the wrong verify token is refused',
				phase: 'unsigned',
				request: { method: 'GET', body: '', url: '/webhook/test?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444' },
				settings: { verifyToken: 'my-verify-token' },
				expect: { status: 403 },
			},
		],
	},
	{
		provider: 'twilio',
		vector: {
			source: 'official',
			reference: 'https://www.twilio.com/docs/usage/security#validating-requests (documented example)',
			secrets: { secret: '12345' },
			request: {
				body: new URLSearchParams(TWILIO_PARAMS).toString(),
				url: '/webhook/test?foo=1&bar=2',
				headers: { 'content-type': FORM, 'x-twilio-signature': 'GvWf1cFY/Q7PnoempGyD5oXAezc=' },
			},
			nowSeconds: 1_700_000_000,
			// Received at n8n through a proxy: Twilio signed the URL as configured in its console.
			options: { publicUrl: 'https://mycompany.com/myapp.php' },
			expected: { type: undefined },
		},
		publicUrl: 'https://hooks.example.com/webhook/twilio',
		event: (key) => ({
			body: new URLSearchParams({ MessageSid: `SM${key}`, MessageStatus: 'delivered', AccountSid: 'AC1' }).toString(),
			headers: { 'content-type': FORM, 'i-twilio-idempotency-token': `idem-${key}` },
		}),
		eventType: 'delivered',
	},
	{
		provider: 'zoom',
		vector: {
			source: 'docs',
			// https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events (v0= hex HMAC-SHA256 over v0:{ts}:{body}); Zoom
			// publishes no triple, so this was computed with Python's hmac.
			reference: 'https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events, computed with Python hmac',
			secrets: { secret: 'zoom_secret_token' },
			request: {
				body: '{"event":"meeting.started","payload":{"account_id":"AAAAAABBBB","object":{"id":"1234567890","topic":"My Meeting"}},"event_ts":1688752773282}',
				headers: {
					'content-type': 'application/json',
					'x-zm-request-timestamp': '1688752773',
					'x-zm-signature': 'v0=4b9a53eadaf0d70a79daeaa5b4d17b23a14503907f539ba2afcc83f4529cb8af',
				},
			},
			nowSeconds: 1688752773 + 5,
			expected: { type: 'meeting.started' },
		},
		event: (key) => ({ body: json({ event: 'meeting.started', payload: { object: { uuid: key } }, event_ts: 1 }), headers: { 'content-type': 'application/json' } }),
		eventType: 'meeting.started',
		handshakes: [
			{
				name: 'endpoint.url_validation returns the plain token and its HMAC',
				phase: 'signed',
				request: { body: json({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1 }), headers: { 'content-type': 'application/json' } },
				expect: {
					status: 200,
					// https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint: hex HMAC-SHA256 of plainToken.
					body: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', 'zoom_secret_token').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') },
				},
			},
		],
	},
];

testProviderGroup('messaging', FIXTURES);

describe('messaging: SDK cross-checks of the vectors above', () => {
	it("discord-interactions verifyKey accepts the Discord vector (Discord's own SDK)", async () => {
		await expect(verifyKey(Buffer.from(DISCORD_VECTOR.body), DISCORD_VECTOR.signature, DISCORD_VECTOR.timestamp, ED25519_PUBLIC)).resolves.toBe(true);
	});
});
