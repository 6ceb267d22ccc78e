import { createHmac } from 'node:crypto';

import { describeSlackEvent, signSlackRequest, slackScheme } from '../../../../nodes/shared/schemes/slack';
import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import {
	NON_UTF8_BODY,
	expectAccepted,
	expectGarbageNeverVerifies,
	expectRejected,
	verifyOptions,
	webhookRequest,
} from './schemeTestKit';

// Official vector: https://api.slack.com/authentication/verifying-requests-from-slack (example signing secret,
// timestamp, slash-command body and signature), also used by slackapi/bolt-js
// test/unit/receivers/ExpressReceiver.spec.ts ("These values are example data in the official doc").
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
	'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
	'&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
	'%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const OPTIONS = verifyOptions(TIMESTAMP + 30);

function headers(signature: string | string[] = SIGNATURE, timestamp: string | string[] = String(TIMESTAMP)): Record<string, string | string[]> {
	return { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp, 'content-type': 'application/x-www-form-urlencoded' };
}

function verify(requestHeaders: Record<string, string | string[]>, body: Buffer | string, secrets: SigningSecrets, options = OPTIONS) {
	return slackScheme.verify(webhookRequest(requestHeaders, body), secrets, options);
}

describe('slack: official vector', () => {
	it('signs it byte for byte', () => {
		expect(signSlackRequest({ payload: Buffer.from(BODY), signingSecret: SIGNING_SECRET, timestampSeconds: TIMESTAMP })).toEqual({
			'x-slack-signature': SIGNATURE,
			'x-slack-request-timestamp': String(TIMESTAMP),
		});
	});

	it('verifies it and reports the timestamp', () => {
		expect(verify(headers(), BODY, { secret: SIGNING_SECRET })).toEqual({ ok: true, matched: 'current', timestamp: TIMESTAMP });
	});

	it('describes it as the slash command, from the parsed form', () => {
		const form = Object.fromEntries(new URLSearchParams(BODY));
		expect(describeSlackEvent(form)).toEqual({ type: '/webhook-collect' });
	});
});

describe('slack: rejections', () => {
	const secrets = { secret: SIGNING_SECRET };

	it('rejects a tampered body, a tampered timestamp and the wrong secret', () => {
		expectRejected(verify(headers(), BODY.replace('roadrunner', 'coyote'), secrets), 'invalid_signature');
		expectRejected(verify(headers(SIGNATURE, String(TIMESTAMP + 1)), BODY, secrets, verifyOptions(TIMESTAMP)), 'invalid_signature');
		expectRejected(verify(headers(), BODY, { secret: '8f742231b10e8888abcd99yyyzzz85a6' }), 'invalid_signature');
	});

	it('rejects a missing signature or timestamp header', () => {
		expectRejected(verify({ 'x-slack-request-timestamp': String(TIMESTAMP) }, BODY, secrets), 'missing_signature');
		expectRejected(verify({ 'x-slack-signature': SIGNATURE }, BODY, secrets), 'missing_signature');
	});

	it.each([
		['v1 prefix', headers('v1=' + SIGNATURE.slice(3))],
		['no prefix', headers(SIGNATURE.slice(3))],
		['non-hex', headers('v0=' + 'q'.repeat(64))],
		['short', headers(SIGNATURE.slice(0, -1))],
		['timestamp not a number', headers(SIGNATURE, 'yesterday')],
		['timestamp with fraction', headers(SIGNATURE, `${TIMESTAMP}.0`)],
		['timestamp negative', headers(SIGNATURE, `-${TIMESTAMP}`)],
		['timestamp huge', headers(SIGNATURE, '9'.repeat(400))],
		['duplicated signature', headers([SIGNATURE, SIGNATURE])],
		['duplicated timestamp', headers(SIGNATURE, [String(TIMESTAMP), String(TIMESTAMP)])],
	])('rejects malformed headers (%s)', (_case, requestHeaders) => {
		expectRejected(verify(requestHeaders, BODY, secrets), 'malformed_signature');
	});

	it('rejects an expired and a future timestamp (Slack recommends five minutes)', () => {
		expectRejected(verify(headers(), BODY, secrets, verifyOptions(TIMESTAMP + 301)), 'timestamp_out_of_tolerance');
		expectRejected(verify(headers(), BODY, secrets, verifyOptions(TIMESTAMP - 301)), 'timestamp_out_of_tolerance');
		expectAccepted(verify(headers(), BODY, secrets, verifyOptions(TIMESTAMP - 300)));
	});

	it('returns missing_key for an empty secret', () => {
		expectRejected(verify(headers(), BODY, { secret: '' }), 'missing_key');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(slackScheme, ['x-slack-signature', 'x-slack-request-timestamp'], secrets);
	});
});

describe('slack: rotation and raw bytes', () => {
	it('accepts the previous signing secret and reports it', () => {
		expect(expectAccepted(verify(headers(), BODY, { secret: 'new-secret', previousSecret: SIGNING_SECRET })).matched).toBe('previous');
	});

	it('verifies a non-UTF-8 body over its bytes', () => {
		const signed = signSlackRequest({ payload: NON_UTF8_BODY, signingSecret: SIGNING_SECRET, timestampSeconds: TIMESTAMP });
		const expected = createHmac('sha256', SIGNING_SECRET).update(Buffer.concat([Buffer.from(`v0:${TIMESTAMP}:`), NON_UTF8_BODY])).digest('hex');
		expect(signed['x-slack-signature']).toBe(`v0=${expected}`);
		expectAccepted(verify(signed, NON_UTF8_BODY, { secret: SIGNING_SECRET }));
		expectRejected(verify(signed, Buffer.from(NON_UTF8_BODY.toString('utf8')), { secret: SIGNING_SECRET }), 'invalid_signature');
	});
});

describe('slack: describeEvent', () => {
	const verification = { ok: true as const, matched: 'current' as const, timestamp: TIMESTAMP };
	const describe_ = (body: unknown) => slackScheme.describeEvent(webhookRequest({}, ''), body, verification);

	it('Events API event_callback: the inner event type and the event_id', () => {
		// Shape from https://api.slack.com/apis/events-api#callback-field
		const body = { token: 'x', team_id: 'T1', type: 'event_callback', event_id: 'Ev08MFMKH6', event_time: 1234567890, event: { type: 'app_mention', text: 'hi' } };
		expect(describe_(body)).toEqual({ type: 'app_mention', id: 'Ev08MFMKH6' });
	});

	it('other JSON deliveries: the top-level type', () => {
		expect(describe_({ token: 'x', challenge: 'abc', type: 'url_verification' })).toEqual({ type: 'url_verification' });
		expect(describe_({ token: 'x', type: 'app_rate_limited', minute_rate_limited: 1518467820 })).toEqual({ type: 'app_rate_limited' });
	});

	it('interactivity form: the type of the JSON in payload', () => {
		const form = Object.fromEntries(new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', trigger_id: '1.2.3', actions: [] }) }));
		expect(describe_(form)).toEqual({ type: 'block_actions' });
		expect(describe_({ payload: JSON.stringify({ type: 'view_submission' }) })).toEqual({ type: 'view_submission' });
	});

	it('tolerates garbage', () => {
		expect(describe_({ payload: '{not json' })).toEqual({ type: undefined });
		expect(describe_({ payload: '[1,2]' })).toEqual({ type: undefined });
		// The catalogue reads the first source that yields a value, numbers as text: an event_callback without an inner
		// event type (Slack always sends one) falls back to the top-level type.
		expect(describe_({ type: 'event_callback' })).toEqual({ type: 'event_callback', id: undefined });
		expect(describe_({ type: 'event_callback', event: 'message', event_id: 5 })).toEqual({ type: 'event_callback', id: '5' });
		expect(describe_(undefined)).toEqual({});
		expect(describe_('text')).toEqual({});
	});

	it('declares its sensitive header and that it is timestamped', () => {
		expect(slackScheme.sensitiveHeaders).toEqual(['x-slack-signature']);
		expect(slackScheme.timestamped).toBe(true);
		const now = Math.floor(Date.now() / 1000);
		const signed = slackScheme.sign!({ payload: Buffer.from(BODY), key: SIGNING_SECRET });
		expectAccepted(verify(signed, BODY, { secret: SIGNING_SECRET }, verifyOptions(now)));
	});
});
