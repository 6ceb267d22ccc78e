import { createHmac, generateKeyPairSync } from 'node:crypto';

import { verifyKey } from 'discord-interactions';
import { Webhook as SvixWebhook } from 'svix';
import nacl from 'tweetnacl';

import { PROVIDERS, providerById, providerSchemeById } from '../../../../../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../../../../../nodes/shared/providers/providerScheme';
import { SENDGRID } from '../../verify/publishedSignatureVectors';
import { incoming, testProvider, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = { 'content-type': 'application/json' };

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

/** Resend's vector: svix@1.99.1 sign (Resend delivers through Svix). */
const RESEND = {
	secret: 'whsec_cmVzZW5kLXRlc3Qtc2lnbmluZy1zZWNyZXQtMDI=',
	id: 'msg_2cYxJ3p5Uv7Kq8Wn1Rz4Tb6Ld9Fh',
	timestamp: '1708645273',
	body: '{"type":"email.delivered","created_at":"2024-02-22T23:41:12.126Z","data":{"created_at":"2024-02-22T23:41:11.894719+00:00","email_id":"56761188-7520-42d8-8898-ff6fc54ce618","from":"Acme <onboarding@resend.dev>","to":["delivered@resend.dev"],"subject":"Sending this example"}}',
	signature: 'v1,hU3UxyKZlRwqNx2BmKwcRBzBEPNMk0ov6pPQe2jFd9o=',
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

	{
		provider: 'line',
		vector: {
			source: 'official',
			// line/line-bot-sdk-nodejs test/validate-signature.spec.ts "success": JSON.stringify({hello: 'world'}) with
			// secret test_secret (the SDK test has no events: type and id come from the events below).
			reference: 'line-bot-sdk-nodejs test/validate-signature.spec.ts "success"',
			secrets: { secret: 'test_secret' },
			request: { body: '{"hello":"world"}', headers: { 'content-type': 'application/json; charset=utf-8', 'x-line-signature': 't7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=' } },
			nowSeconds: 1_700_000_000,
		},
		// A redelivery keeps webhookEventId and sets deliveryContext.isRedelivery.
		event: (key, attempt) => ({
			body: json({ destination: 'U0123', events: [{ type: 'message', webhookEventId: `01FZ${key}`, deliveryContext: { isRedelivery: attempt > 1 }, message: { type: 'text', text: 'hi' } }] }),
			headers: { 'content-type': 'application/json; charset=utf-8' },
		}),
		eventType: 'message',
	},
	{
		provider: 'telegram',
		vector: {
			source: 'docs',
			// https://core.telegram.org/bots/api#setwebhook: secret_token is sent in X-Telegram-Bot-Api-Secret-Token; an Update
			// with a message as in https://core.telegram.org/bots/api#update.
			reference: 'https://core.telegram.org/bots/api#setwebhook (X-Telegram-Bot-Api-Secret-Token)',
			secrets: { secret: 'tg_secret-Token_4f2a9c' },
			request: {
				body: '{"update_id":10000,"message":{"message_id":1365,"date":1441645532,"chat":{"id":1111111,"type":"private","first_name":"Test"},"from":{"id":1111111,"is_bot":false,"first_name":"Test"},"text":"/start"}}',
				headers: { ...JSON_TYPE, 'x-telegram-bot-api-secret-token': 'tg_secret-Token_4f2a9c' },
			},
			nowSeconds: 1_700_000_000,
			expected: { id: '10000' },
		},
		event: (key) => ({ body: json({ update_id: key === 'event-a' ? 20001 : 20002, callback_query: { id: '4382', data: 'ok' } }), headers: JSON_TYPE }),
	},
	{
		provider: 'postmark',
		vector: {
			source: 'docs',
			// https://postmarkapp.com/developer/webhooks/webhooks-overview (Basic auth credentials in the webhook URL) and the
			// Bounce example of https://postmarkapp.com/developer/webhooks/bounce-webhook (shortened).
			reference: 'Postmark webhooks overview (HTTP Basic in the URL) and the bounce webhook example',
			secrets: { secret: 'postmark:hook-pass-8b2d' },
			request: {
				body: '{"RecordType":"Bounce","MessageStream":"outbound","ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,"Name":"Hard bounce","Tag":"Invitation","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","ServerID":23,"Email":"john@example.com","From":"sender@example.com","BouncedAt":"2019-11-05T16:33:54.9070259Z","Inactive":true,"CanActivate":true,"Subject":"Test subject"}',
				headers: { ...JSON_TYPE, authorization: 'Basic cG9zdG1hcms6aG9vay1wYXNzLThiMmQ=' },
			},
			nowSeconds: 1_700_000_000,
			// The docs' ID is above 2^53: JSON parsing rounds it (the entry's caveat says so).
			expected: { type: 'Bounce', id: '4323372036854776000:Bounce' },
		},
		event: (key) => ({
			body: json({ RecordType: 'Delivery', MessageID: `msg-${key}`, Recipient: 'john@example.com', DeliveredAt: '2024-01-01T00:00:00Z', Details: 'Test delivery' }),
			headers: JSON_TYPE,
		}),
		eventType: 'Delivery',
	},
	{
		provider: 'microsoftTeams',
		vector: {
			source: 'docs',
			// learn.microsoft.com "Create an outgoing webhook": HMAC-SHA256 of the request body with the base64-decoded security
			// token, sent as "Authorization: HMAC <base64>"; the docs' message activity (shortened), computed with Python's hmac.
			reference: 'learn.microsoft.com add-outgoing-webhook (verify the HMAC token), message example, computed with Python hmac',
			secrets: { secret: 'ORNCUYz9JVfHZUAPk3BZf9pPtcJlqE3T6aOu2YpGeF8=' },
			request: {
				body: '{"type":"message","id":"1485983408511","timestamp":"2017-02-01T21:10:07.437Z","localTimestamp":"2017-02-01T14:10:07.437-07:00","serviceUrl":"https://smba.trafficmanager.net/amer-client-ss.msg/","channelId":"msteams","from":{"id":"29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw","name":"Tim Jones"},"conversation":{"isGroup":true,"id":"19:253b1f341670408fb6fcd6a3d6a2ccfb@thread.skype;messageid=1485983194839","name":null},"text":"<at>SimpleReflector</at> Hello"}',
				headers: { ...JSON_TYPE, authorization: 'HMAC 3i4bKtrLml0kC/IXzec3WSs6Sj+IRF7re1bcu5VqBxg=' },
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'message', id: '1485983408511' },
		},
		keys: { signingKey: 'ORNCUYz9JVfHZUAPk3BZf9pPtcJlqE3T6aOu2YpGeF8=', secrets: { secret: 'ORNCUYz9JVfHZUAPk3BZf9pPtcJlqE3T6aOu2YpGeF8=' } },
		event: (key) => ({ body: json({ type: 'message', id: `activity-${key}`, text: '<at>Bot</at> hi' }), headers: JSON_TYPE }),
		eventType: 'message',
	},
	{
		provider: 'twitch',
		vector: {
			source: 'docs',
			// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/: "sha256=" + hex HMAC-SHA256 of message id + timestamp +
			// body with the subscription's secret; the docs' channel.follow notification, computed with Python's hmac.
			reference: 'https://dev.twitch.tv/docs/eventsub/handling-webhook-events/, channel.follow example, computed with Python hmac',
			secrets: { secret: 'twitch-eventsub-secret-9d1f' },
			request: {
				body: '{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","type":"channel.follow","version":"2","status":"enabled","cost":0,"condition":{"broadcaster_user_id":"1337","moderator_user_id":"1337"},"transport":{"method":"webhook","callback":"https://example.com/webhooks/callback"},"created_at":"2019-11-16T10:11:12.634234626Z"},"event":{"user_id":"1234","user_login":"cool_user","user_name":"Cool_User","broadcaster_user_id":"1337","broadcaster_user_login":"cooler_user","broadcaster_user_name":"Cooler_User","followed_at":"2020-07-15T18:16:11.17106713Z"}}',
				headers: {
					...JSON_TYPE,
					'twitch-eventsub-message-id': 'e76c6bd4-55c9-4987-8304-da1588d8988b',
					'twitch-eventsub-message-retry': '0',
					'twitch-eventsub-message-type': 'notification',
					'twitch-eventsub-message-signature': 'sha256=e838d7892055620e73a9cc4c20e5d2a56582a1dd1ce7a642e850c13982fcd33a',
					'twitch-eventsub-message-timestamp': '2019-11-16T10:11:12.634234626Z',
					'twitch-eventsub-subscription-type': 'channel.follow',
					'twitch-eventsub-subscription-version': '2',
				},
			},
			nowSeconds: Date.parse('2019-11-16T10:11:12.634Z') / 1000 + 60,
			expected: { type: 'channel.follow', id: 'e76c6bd4-55c9-4987-8304-da1588d8988b' },
		},
		// A resend keeps the message id (Twitch-Eventsub-Message-Retry counts).
		event: (key, attempt) => ({
			body: json({ subscription: { type: 'stream.online' }, event: { broadcaster_user_id: '1337', id: key } }),
			headers: {
				...JSON_TYPE,
				'twitch-eventsub-message-id': `msg-${key}`,
				'twitch-eventsub-message-retry': String(attempt - 1),
				'twitch-eventsub-message-type': 'notification',
				'twitch-eventsub-subscription-type': 'stream.online',
			},
		}),
		eventType: 'stream.online',
		handshakes: [
			{
				name: 'webhook_callback_verification is answered with the challenge as plain text',
				phase: 'signed',
				request: {
					body: json({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { type: 'channel.follow' } }),
					headers: { ...JSON_TYPE, 'twitch-eventsub-message-type': 'webhook_callback_verification' },
				},
				expect: { status: 200, body: 'pogchamp-kappa-360noscope-vohiyo', headers: { 'content-type': 'text/plain; charset=utf-8' } },
			},
		],
	},
	{
		provider: 'xAccountActivity',
		vector: {
			source: 'docs',
			// https://docs.x.com/x-api/webhooks/introduction: x-twitter-webhooks-signature is "sha256=" + base64 HMAC-SHA256 of the
			// body with the consumer secret; a tweet_create_events payload (shortened), computed with Python's hmac.
			reference: 'https://docs.x.com/x-api/webhooks/introduction, tweet_create_events payload, computed with Python hmac',
			secrets: { secret: 'x-consumer-secret-7f3e1d2c' },
			request: {
				body: '{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1700000000000000001","text":"Hello","user":{"id_str":"6253282"}}]}',
				headers: { ...JSON_TYPE, 'x-twitter-webhooks-signature': 'sha256=+HGu9iHR6B+e4LVqMqLVOMe1RjwB19eiRDNq4bhnG+Q=' },
			},
			nowSeconds: 1_700_000_000,
		},
		event: (key) => ({ body: json({ for_user_id: '2244994945', favorite_events: [{ id: key }] }), headers: JSON_TYPE }),
		handshakes: [
			{
				name: 'GET ?crc_token= is answered with sha256= + base64 HMAC of the token',
				phase: 'unsigned',
				request: { method: 'GET', body: '', url: '/webhook/test?crc_token=iodjfgoidjgeroijgeroijgerioj' },
				// Computed with Python's hmac (see /work/team/providers/xAccountActivity.md).
				expect: { status: 200, body: { response_token: 'sha256=8F2mW6b6Q0cl+7vzRnsVcBX5zi/Q8pJTtSfsozW2iHw=' } },
			},
			{
				name: 'a crc_token that could be a JSON body (digits) is refused, not signed',
				phase: 'unsigned',
				request: { method: 'GET', body: '', url: '/webhook/test?crc_token=12345678' },
				expect: { status: 403 },
			},
		],
	},
	{
		provider: 'microsoftGraph',
		vector: {
			source: 'docs',
			// https://learn.microsoft.com/graph/change-notifications-delivery-webhooks: a notification batch (shortened) sent to
			// a notificationUrl that carries the made-up secret as ?code=.
			reference: 'https://learn.microsoft.com/graph/change-notifications-delivery-webhooks (notification example)',
			secrets: { secret: 'graph-url-secret-5c8e1f' },
			request: {
				body: '{"value":[{"subscriptionId":"76222963-cc7b-42d2-882d-8aaa69cb2ba3","subscriptionExpirationDateTime":"2016-11-20T18:23:45.9356913+00:00","changeType":"created","resource":"Users/ccd9c0bd-04b8-4b06-8d1e-0e4f6e4f8c9d/Messages/AAMkADk0NTA=","clientState":"secretClientValue","tenantId":"84bd8158-6d4d-4958-8b9f-9d6445542f95","resourceData":{"@odata.type":"#Microsoft.Graph.Message","id":"AAMkADk0NTA="}}]}',
				url: '/webhook/test?code=graph-url-secret-5c8e1f',
				headers: JSON_TYPE,
			},
			nowSeconds: 1_700_000_000,
			expected: { type: 'created' },
		},
		event: (key) => ({
			body: json({ value: [{ subscriptionId: 's1', changeType: 'updated', resource: `Users/u/Messages/${key}`, clientState: 'secretClientValue' }] }),
			url: '/webhook/test?code=graph-url-secret-5c8e1f',
			headers: JSON_TYPE,
		}),
		eventType: 'updated',
		handshakes: [
			{
				name: 'POST ?validationToken= is echoed as plain text',
				phase: 'unsigned',
				request: { method: 'POST', body: '', url: '/webhook/test?code=graph-url-secret-5c8e1f&validationToken=Validation%3A%20Testing%20client%20application%20reachability' },
				expect: { status: 200, body: 'Validation: Testing client application reachability', headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } },
			},
		],
	},
	{
		provider: 'resend',
		vector: {
			source: 'sdk',
			// svix@1.99.1 new Webhook(secret).sign(id, 2024-02-22T23:41:13Z, body): the library Resend's docs verify with; the
			// docs' email.delivered payload (shortened). Checked both ways below.
			reference: 'svix@1.99.1 Webhook.sign, email.delivered payload of https://resend.com/docs/dashboard/webhooks/event-types',
			secrets: { secret: RESEND.secret },
			request: { body: RESEND.body, headers: { ...JSON_TYPE, 'svix-id': RESEND.id, 'svix-timestamp': RESEND.timestamp, 'svix-signature': RESEND.signature } },
			nowSeconds: Number(RESEND.timestamp) + 5,
			expected: { type: 'email.delivered', id: RESEND.id },
		},
		event: () => ({ body: json({ type: 'email.bounced', data: { email_id: '1' } }), headers: JSON_TYPE }),
		eventType: 'email.bounced',
	},
];

/** Entries verified with a public key (SendGrid, Telnyx) or a JWT (MessageBird). */
const SENDGRID_SIGNER = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const TELNYX_PAIR = nacl.sign.keyPair.fromSeed(Buffer.alloc(32, 0x2a));
const TELNYX_PUBLIC = Buffer.from(TELNYX_PAIR.publicKey).toString('base64');

const KEY_FIXTURES: ProviderFixture[] = [
	{
		provider: 'sendgrid',
		vector: {
			source: 'official',
			// sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js, copied in publishedSignatureVectors.ts.
			reference: 'sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js',
			secrets: { secret: '', publicKey: SENDGRID.publicKey },
			request: {
				body: SENDGRID.payload,
				headers: { ...JSON_TYPE, 'x-twilio-email-event-webhook-signature': SENDGRID.signature, 'x-twilio-email-event-webhook-timestamp': SENDGRID.timestamp },
			},
			nowSeconds: Number(SENDGRID.timestamp) + 30,
		},
		keys: {
			signingKey: SENDGRID_SIGNER.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
			secrets: { secret: '', publicKey: SENDGRID_SIGNER.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') },
		},
		event: (key) => ({
			body: json([{ email: 'example@test.com', timestamp: 1513299569, event: 'delivered', sg_event_id: `sg-${key}`, sg_message_id: 'm1' }, { event: 'open', sg_event_id: 'x' }]),
			headers: JSON_TYPE,
		}),
		eventType: 'delivered',
	},
	{
		provider: 'telnyx',
		vector: {
			source: 'docs',
			// Ed25519 over "<telnyx-timestamp>|<body>" per the Telnyx docs; signed with tweetnacl 1.0.3 from the seed 32 × 0x2a.
			reference: 'Telnyx webhook signing docs, signed with tweetnacl 1.0.3 (seed 32 x 0x2a)',
			secrets: { secret: '', publicKey: 'GX9rI+FshTLGq8g4+s1ep4m+DHaykgM0A5v6iz02jWE=' },
			request: {
				body: '{"data":{"event_type":"message.received","id":"b301ed3f-1490-491f-995f-6e64e69674d4","occurred_at":"2023-11-14T22:13:20.000+00:00","payload":{"direction":"inbound","text":"Hello"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks"}}',
				headers: {
					...JSON_TYPE,
					'telnyx-timestamp': '1700000000',
					'telnyx-signature-ed25519': 'mnLAvN6mfuHqBWRAv4eZOJIkkQEzVgdATlFapw+fAGWtyV650M1SLC+gcImoaUHEHFD43g9REUuZhX32jc2zCw==',
				},
			},
			nowSeconds: 1_700_000_030,
			expected: { type: 'message.received', id: 'b301ed3f-1490-491f-995f-6e64e69674d4' },
		},
		keys: { signingKey: Buffer.alloc(32, 0x2a).toString('hex'), secrets: { secret: '', publicKey: TELNYX_PUBLIC } },
		// A retry raises meta.attempt.
		event: (key, attempt) => ({ body: json({ data: { event_type: 'message.finalized', id: `ev-${key}` }, meta: { attempt } }), headers: JSON_TYPE }),
		eventType: 'message.finalized',
	},
	{
		provider: 'messageBird',
		vector: {
			source: 'official',
			// messagebird-nodejs lib/testdata/webhook-signature-jwt-reference.json, "Valid JWT with URL parameters and payload -
			// POST" (secret, payload "Hello, World!", token; the request time is 2021-07-05T12:00:00+02:00).
			reference: 'messagebird-nodejs lib/testdata/webhook-signature-jwt-reference.json "Valid JWT with URL parameters and payload - POST"',
			secrets: { secret: '36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb' },
			request: {
				body: 'Hello, World!',
				url: '/path?bar=1&foo=2',
				headers: {
					'content-type': 'application/json',
					'messagebird-signature-jwt':
						'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI5M2U1NTAwNi1hMGU4LTQ1MjYtYTE5MC1mYTVmZjAwZWExMTYiLCJ1cmxfaGFzaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTdlZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAiLCJwYXlsb2FkX2hhc2giOiJkZmZkNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGIyODY4OGEzNjIxODI5ODZmIn0._H--TOuYFLpeEH39-rg5E3IHVkjHozBcaKVWPRC5m9I',
				},
			},
			nowSeconds: 1625479200 + 5,
		},
		event: () => ({ body: json({ type: 'message.created', message: { id: 'm1' } }), headers: JSON_TYPE }),
		eventType: 'message.created',
	},
];

describe('provider group Messaging', () => {
	it('has one fixture per catalogue entry of the group', () => {
		const entries = PROVIDERS.filter((entry) => entry.group === 'messaging').map((entry) => entry.id).sort();
		expect([...FIXTURES, ...KEY_FIXTURES].map((fixture) => fixture.provider).sort()).toEqual(entries);
	});

	it('offers every entry (none is pending)', () => {
		for (const fixture of [...FIXTURES, ...KEY_FIXTURES]) expect(isProviderAvailable(providerById(fixture.provider)!)).toBe(true);
	});

	for (const fixture of [...FIXTURES, ...KEY_FIXTURES]) testProvider(fixture);
});

const keyFixture = (id: string) => KEY_FIXTURES.find((fixture) => fixture.provider === id)!;

describe('SendGrid: another valid P-256 key refuses the published vector', () => {
	it('refuses sendgrid-nodejs\'s vector under the other key of its spec', async () => {
		const { vector } = keyFixture('sendgrid');
		const result = await providerSchemeById('sendgrid').verify(incoming(vector.request), { secret: '', publicKey: SENDGRID.otherPublicKey }, { nowSeconds: vector.nowSeconds, toleranceSeconds: 300 });
		expect(result).toEqual({ ok: false, reason: 'invalid_signature' });
	});
});

describe('Telnyx: Ed25519 over "timestamp|body"', () => {
	it('refuses the vector under another valid Ed25519 key', async () => {
		const { vector } = keyFixture('telnyx');
		const other = Buffer.from(nacl.sign.keyPair.fromSeed(Buffer.alloc(32, 0x2b)).publicKey).toString('base64');
		const result = await providerSchemeById('telnyx').verify(incoming(vector.request), { secret: '', publicKey: other }, { nowSeconds: vector.nowSeconds, toleranceSeconds: 300 });
		expect(result).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('tweetnacl accepts what the recipe signs (an Ed25519 implementation independent of node:crypto)', () => {
		const body = '{"data":{"event_type":"message.sent","id":"x"}}';
		const headers = providerSchemeById('telnyx').sign!({ payload: Buffer.from(body), key: Buffer.alloc(32, 0x2a).toString('hex'), timestampSeconds: 1_700_000_000 });
		const message = Buffer.from(`1700000000|${body}`);
		expect(headers['telnyx-timestamp']).toBe('1700000000');
		expect(nacl.sign.detached.verify(message, Buffer.from(headers['telnyx-signature-ed25519'], 'base64'), TELNYX_PAIR.publicKey)).toBe(true);
	});
});

describe('MessageBird: the reference file\'s cases through the entry', () => {
	const fixture = keyFixture('messageBird');
	const check = async (body: string, secret: string, now = fixture.vector.nowSeconds) =>
		await providerSchemeById('messageBird').verify(incoming({ ...fixture.vector.request, body }), { secret }, { nowSeconds: now, toleranceSeconds: 300 });

	it(`its ${fixture.vector.source} vector verifies (${fixture.vector.reference})`, async () => {
		expect(await check('Hello, World!', fixture.vector.secrets.secret)).toMatchObject({ ok: true, matched: 'current' });
	});

	it('rejects another body (payload_hash), another secret and an expired token, as the reference file says', async () => {
		expect(await check('Hello, World?', fixture.vector.secrets.secret)).toEqual({ ok: false, reason: 'invalid_signature' });
		expect((await check('Hello, World!', 'a-different-secret')).ok).toBe(false);
		expect(await check('Hello, World!', fixture.vector.secrets.secret, 1625479260 + 301)).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
	});
});

describe('Resend: both directions with svix@1.99.1', () => {
	it('what svix signs verifies here (the vector, re-signed)', () => {
		expect(new SvixWebhook(RESEND.secret).sign(RESEND.id, new Date(Number(RESEND.timestamp) * 1000), RESEND.body)).toBe(RESEND.signature);
	});

	it('what the catalogue signs, svix verifies', () => {
		const now = Math.floor(Date.now() / 1000);
		const signed = providerSchemeById('resend').sign!({ payload: Buffer.from(RESEND.body), key: RESEND.secret, timestampSeconds: now, id: 'msg_ours' });
		expect(new SvixWebhook(RESEND.secret).verify(RESEND.body, signed)).toEqual(JSON.parse(RESEND.body));
	});
});

describe('messaging: SDK cross-checks of the vectors above', () => {
	it("discord-interactions verifyKey accepts the Discord vector (Discord's own SDK)", async () => {
		await expect(verifyKey(Buffer.from(DISCORD_VECTOR.body), DISCORD_VECTOR.signature, DISCORD_VECTOR.timestamp, ED25519_PUBLIC)).resolves.toBe(true);
	});
});
