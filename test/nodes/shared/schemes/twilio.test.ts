import { createHmac } from 'node:crypto';

import twilio from 'twilio';

import {
	TWILIO_SIGNATURE_SETTINGS_HEADER,
	parseTwilioForm,
	signTwilioRequest,
	twilioScheme,
	twilioSignature,
	twilioUrlWithBodyHash,
} from '../../../../nodes/shared/schemes/twilio';
import type { IncomingWebhook, SigningSecrets, VerifyOptions } from '../../../../nodes/shared/schemes/types';
import { NON_UTF8_BODY, expectAccepted, expectGarbageNeverVerifies, expectRejected } from './schemeTestKit';

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

// Twilio's documented example: https://www.twilio.com/docs/usage/security#validating-requests
// (same values in TwilioDevEd/api-snippets security/signature_validation/signature_validation.3.x.js).
const DOCS_VECTOR = {
	authToken: '12345',
	url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
	params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' },
	signature: 'GvWf1cFY/Q7PnoempGyD5oXAezc=',
};
// The earlier revision of the same page (api-snippets signature_validation.2.x.js): other caller number, other MAC.
const DOCS_VECTOR_PREVIOUS = {
	...DOCS_VECTOR,
	params: { ...DOCS_VECTOR.params, Caller: '+14158675309', From: '+14158675309' },
	signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};

function formBody(params: Record<string, string | string[]>): Buffer {
	const search = new URLSearchParams();
	for (const [name, value] of Object.entries(params)) for (const item of [value].flat()) search.append(name, item);
	return Buffer.from(search.toString());
}

function request(url: string, headers: Record<string, string | string[]>, body: Buffer | string = '', contentType = FORM): IncomingWebhook {
	const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body);
	return { method: 'POST', url, rawBody, headers: { 'content-type': contentType, ...headers } };
}

function options(publicUrl: string): VerifyOptions {
	return { nowSeconds: 1_700_000_000, toleranceSeconds: 300, twilio: { publicUrl } };
}

function verify(incoming: IncomingWebhook, secrets: SigningSecrets, publicUrl = 'https://mycompany.com/myapp.php') {
	return twilioScheme.verify(incoming, secrets, options(publicUrl));
}

describe('twilio: documented example', () => {
	it.each([
		['current docs', DOCS_VECTOR],
		['previous docs revision', DOCS_VECTOR_PREVIOUS],
	])('verifies the %s signature received at n8n through a proxy', (_label, vector) => {
		const incoming = request('/webhook/sms?foo=1&bar=2', { 'x-twilio-signature': vector.signature }, formBody(vector.params));
		expect(expectAccepted(verify(incoming, { secret: vector.authToken })).matched).toBe('current');
	});

	it('computes the documented signature', () => {
		expect(twilioSignature(DOCS_VECTOR.authToken, DOCS_VECTOR.url, DOCS_VECTOR.params)).toBe(DOCS_VECTOR.signature);
		expect(
			signTwilioRequest({ payload: formBody(DOCS_VECTOR.params), key: DOCS_VECTOR.authToken, url: DOCS_VECTOR.url }),
		).toEqual({ 'x-twilio-signature': DOCS_VECTOR.signature });
	});

	it('does not depend on the order of the fields in the body', () => {
		const reversed = Object.fromEntries(Object.entries(DOCS_VECTOR.params).reverse());
		const incoming = request('/webhook/sms?foo=1&bar=2', { 'x-twilio-signature': DOCS_VECTOR.signature }, formBody(reversed));
		expectAccepted(verify(incoming, { secret: DOCS_VECTOR.authToken }));
	});

	it('rejects the documented signature when the query string differs', () => {
		const incoming = request('/webhook/sms?foo=1&bar=3', { 'x-twilio-signature': DOCS_VECTOR.signature }, formBody(DOCS_VECTOR.params));
		expectRejected(verify(incoming, { secret: DOCS_VECTOR.authToken }), 'invalid_signature');
	});
});

describe('twilio: cross-checks with the twilio SDK', () => {
	const authToken = 'f00dbabe' + 'c0ffee'.repeat(4);
	const publicUrl = 'https://hooks.example.com/webhook/twilio';
	const params = {
		MessageSid: 'SM0123456789abcdef0123456789abcdef',
		Body: 'Grüße aus Köln 🚀 + 1 = 2 & more',
		From: '+4915112345678',
		NumMedia: '3',
		MediaUrl: ['https://api.twilio.com/media/b', 'https://api.twilio.com/media/a', 'https://api.twilio.com/media/b'],
		Empty: '',
	};

	it('produces signatures twilio.validateRequest accepts, repeated MediaUrl included', () => {
		const url = `${publicUrl}?tenant=acme`;
		const headers = signTwilioRequest({ payload: formBody(params), key: authToken, url });
		expect(twilio.validateRequest(authToken, headers['x-twilio-signature'], url, params)).toBe(true);
	});

	it('accepts what twilio.getExpectedTwilioSignature computes, repeated MediaUrl included', () => {
		const url = `${publicUrl}?tenant=acme`;
		const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
		const incoming = request('/webhook/twilio?tenant=acme', { 'x-twilio-signature': signature }, formBody(params));
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options(publicUrl)));
	});

	it('treats a repeated value like the SDK: each distinct value once, sorted', () => {
		const once = { ...params, MediaUrl: ['https://api.twilio.com/media/a', 'https://api.twilio.com/media/b'] };
		expect(twilioSignature(authToken, publicUrl, params)).toBe(twilioSignature(authToken, publicUrl, once));
		expect(twilioSignature(authToken, publicUrl, params)).toBe(twilio.getExpectedTwilioSignature(authToken, publicUrl, params));
	});

	it('agrees with twilio.validateRequestWithBody for JSON bodies (bodySHA256)', () => {
		const body = Buffer.from('{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030","note":"é"}');
		const url = twilioUrlWithBodyHash(publicUrl, body);
		const ours = signTwilioRequest({ payload: body, key: authToken, url })['x-twilio-signature'];
		expect(twilio.validateRequestWithBody(authToken, ours, url, body.toString('utf8'))).toBe(true);

		const theirs = twilio.getExpectedTwilioSignature(authToken, url, {});
		const query = url.slice(url.indexOf('?'));
		const incoming = request(`/webhook/twilio${query}`, { 'x-twilio-signature': theirs }, body, 'application/json');
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options(publicUrl)));
	});

	it('accepts a signature over the URL with an explicit default port, as the SDK does', () => {
		const signedWithPort = twilio.getExpectedTwilioSignature(authToken, 'https://hooks.example.com:443/webhook/twilio', params);
		expect(twilio.validateRequest(authToken, signedWithPort, publicUrl, params)).toBe(true);
		const incoming = request('/webhook/twilio', { 'x-twilio-signature': signedWithPort }, formBody(params));
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options(publicUrl)));
	});

	it('accepts a signature without the port when the public URL has one, as the SDK does', () => {
		const signedWithoutPort = twilio.getExpectedTwilioSignature(authToken, publicUrl, params);
		expect(twilio.validateRequest(authToken, signedWithoutPort, 'https://hooks.example.com:443/webhook/twilio', params)).toBe(true);
		const incoming = request('/webhook/twilio', { 'x-twilio-signature': signedWithoutPort }, formBody(params));
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options('https://hooks.example.com:443/webhook/twilio')));
	});

	it('accepts a signature over the normalised query (apostrophe as %27), as the SDK does', () => {
		const received = `${publicUrl}?name=O'Brien`;
		const signedNormalised = twilio.getExpectedTwilioSignature(authToken, `${publicUrl}?name=O%27Brien`, params);
		expect(twilio.validateRequest(authToken, signedNormalised, received, params)).toBe(true);
		const incoming = request("/webhook/twilio?name=O'Brien", { 'x-twilio-signature': signedNormalised }, formBody(params));
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options(publicUrl)));
	});

	it('verifies SharedKey (HMAC_SHA256) signatures named by the signature-settings header', () => {
		const sharedKey = 'shared-key-secret';
		const signature = twilio.getExpectedTwilioSignature(sharedKey, publicUrl, params, 'HMAC_SHA256');
		expect(twilioSignature(sharedKey, publicUrl, params, 'HMAC_SHA256')).toBe(signature);
		const settings = { [TWILIO_SIGNATURE_SETTINGS_HEADER]: 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256' };
		const incoming = request('/webhook/twilio', { 'x-twilio-signature': signature, ...settings }, formBody(params));
		expectAccepted(twilioScheme.verify(incoming, { secret: sharedKey }, options(publicUrl)));

		const sha1 = twilioSignature(sharedKey, publicUrl, params);
		const mismatched = request('/webhook/twilio', { 'x-twilio-signature': sha1, ...settings }, formBody(params));
		expectRejected(twilioScheme.verify(mismatched, { secret: sharedKey }, options(publicUrl)), 'malformed_signature');

		const unknown = request(
			'/webhook/twilio',
			{ 'x-twilio-signature': signature, [TWILIO_SIGNATURE_SETTINGS_HEADER]: 'algorithm=HMAC_SHA3' },
			formBody(params),
		);
		expectRejected(twilioScheme.verify(unknown, { secret: sharedKey }, options(publicUrl)), 'invalid_signature');
	});
});

describe('twilio: JSON bodies (bodySHA256)', () => {
	const authToken = 'json-token';
	const publicUrl = 'https://hooks.example.com/webhook/studio';
	const body = Buffer.from('{"CallSid":"CA1","CallStatus":"completed"}');

	function jsonRequest(payload: Buffer, signedBody = payload) {
		const url = twilioUrlWithBodyHash(publicUrl, signedBody);
		const signature = signTwilioRequest({ payload: signedBody, key: authToken, url })['x-twilio-signature'];
		return request(`/webhook/studio${url.slice(url.indexOf('?'))}`, { 'x-twilio-signature': signature }, payload, 'application/json');
	}

	it('accepts the body whose hash the signed URL carries', () => {
		expectAccepted(twilioScheme.verify(jsonRequest(body), { secret: authToken }, options(publicUrl)));
	});

	it('rejects a tampered body', () => {
		const tampered = Buffer.from('{"CallSid":"CA1","CallStatus":"failed"}');
		expectRejected(twilioScheme.verify(jsonRequest(tampered, body), { secret: authToken }, options(publicUrl)), 'invalid_signature');
	});

	it('rejects a replaced bodySHA256 (the URL is signed)', () => {
		const other = Buffer.from('{"forged":true}');
		const original = jsonRequest(body);
		const hash = /bodySHA256=([0-9a-f]+)/.exec(twilioUrlWithBodyHash('x', other))?.[1] ?? '';
		const forged = { ...original, url: `/webhook/studio?bodySHA256=${hash}`, rawBody: other };
		expectRejected(twilioScheme.verify(forged, { secret: authToken }, options(publicUrl)), 'invalid_signature');
	});

	it('hashes the raw bytes of a non-UTF-8 body', () => {
		expectAccepted(twilioScheme.verify(jsonRequest(NON_UTF8_BODY), { secret: authToken }, options(publicUrl)));
		expectRejected(
			twilioScheme.verify(jsonRequest(Buffer.from(NON_UTF8_BODY.toString('utf8')), NON_UTF8_BODY), { secret: authToken }, options(publicUrl)),
			'invalid_signature',
		);
	});

	it('rejects a JSON body sent without bodySHA256: the signature would not cover it', () => {
		const signature = twilioSignature(authToken, publicUrl);
		const incoming = request('/webhook/studio', { 'x-twilio-signature': signature }, body, 'application/json');
		expectRejected(twilioScheme.verify(incoming, { secret: authToken }, options(publicUrl)), 'invalid_signature');
	});

	it('accepts an empty-bodied request signed over the URL alone', () => {
		const signature = twilioSignature(authToken, `${publicUrl}?CallSid=CA1`);
		const incoming = { ...request('/webhook/studio?CallSid=CA1', { 'x-twilio-signature': signature }), method: 'GET' };
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options(publicUrl)));
	});
});

describe('twilio: URL reconstruction without a public URL', () => {
	const authToken = 'proxy-token';
	const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
	const signed = (url: string) => twilioSignature(authToken, url, params);

	it('rebuilds the URL from x-forwarded-proto and host', () => {
		const incoming = request(
			'/webhook/t?x=1',
			{ host: 'abc.ngrok.app', 'x-forwarded-proto': 'https', 'x-twilio-signature': signed('https://abc.ngrok.app/webhook/t?x=1') },
			formBody(params),
		);
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options('')));
	});

	it('tries https and http when no proxy header says which', () => {
		for (const scheme of ['https', 'http']) {
			const incoming = request('/webhook/t', { host: 'n8n.local:5678', 'x-twilio-signature': signed(`${scheme}://n8n.local:5678/webhook/t`) }, formBody(params));
			expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options('')));
		}
	});

	it('honours x-forwarded-proto when it is present', () => {
		const incoming = request(
			'/webhook/t',
			{ host: 'abc.ngrok.app', 'x-forwarded-proto': 'http', 'x-twilio-signature': signed('https://abc.ngrok.app/webhook/t') },
			formBody(params),
		);
		expectRejected(twilioScheme.verify(incoming, { secret: authToken }, options('')), 'invalid_signature');
	});

	it('rejects when neither a public URL nor a host is known', () => {
		const incoming = request('/webhook/t', { 'x-twilio-signature': signed('https://abc.ngrok.app/webhook/t') }, formBody(params));
		expectRejected(twilioScheme.verify(incoming, { secret: authToken }, options('')), 'invalid_signature');
	});

	it('uses the public URL rather than the Host header when both are there', () => {
		const incoming = request(
			'/webhook/t',
			{ host: 'internal:5678', 'x-twilio-signature': signed('https://public.example.com/hooks/t') },
			formBody(params),
		);
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options('https://public.example.com/hooks/t')));
		expectRejected(twilioScheme.verify(incoming, { secret: authToken }, options('https://public.example.com/hooks/other')), 'invalid_signature');
	});

	it('ignores a query string pasted into the public URL and uses the received one', () => {
		const incoming = request('/webhook/t?a=2', { 'x-twilio-signature': signed('https://public.example.com/t?a=2') }, formBody(params));
		expectAccepted(twilioScheme.verify(incoming, { secret: authToken }, options('https://public.example.com/t?a=1')));
	});
});

describe('twilio: rejections and rotation', () => {
	const params = { CallSid: 'CA9', CallStatus: 'ringing', From: '+15550001111' };
	const body = formBody(params);
	const signature = twilioSignature('token-now', DOCS_VECTOR.url, params);
	const incoming = (headers: Record<string, string | string[]>, payload: Buffer = body) => request('/webhook/sms?foo=1&bar=2', headers, payload);

	it('rejects a tampered field', () => {
		const tampered = formBody({ ...params, CallStatus: 'completed' });
		expectRejected(verify(incoming({ 'x-twilio-signature': signature }, tampered), { secret: 'token-now' }), 'invalid_signature');
	});

	it('rejects an added field', () => {
		const added = formBody({ ...params, Extra: '1' });
		expectRejected(verify(incoming({ 'x-twilio-signature': signature }, added), { secret: 'token-now' }), 'invalid_signature');
	});

	it('rejects a signature made with another auth token', () => {
		expectRejected(verify(incoming({ 'x-twilio-signature': signature }), { secret: 'other-token' }), 'invalid_signature');
	});

	it('reports a missing signature', () => {
		expectRejected(verify(incoming({}), { secret: 'token-now' }), 'missing_signature');
		expectRejected(verify(incoming({ 'x-twilio-signature': '' }), { secret: 'token-now' }), 'missing_signature');
	});

	it.each([
		['not base64', '!'.repeat(27) + '='],
		['too short', signature.slice(0, 20)],
		['SHA-256 length without the settings header', Buffer.alloc(32).toString('base64')],
		['no padding', signature.slice(0, 27)],
	])('reports a malformed signature (%s)', (_label, value) => {
		expectRejected(verify(incoming({ 'x-twilio-signature': value }), { secret: 'token-now' }), 'malformed_signature');
	});

	it('reports a repeated signature header as malformed', () => {
		expectRejected(verify(incoming({ 'x-twilio-signature': [signature, signature] }), { secret: 'token-now' }), 'malformed_signature');
	});

	it('reports missing_key without an auth token', () => {
		expectRejected(verify(incoming({ 'x-twilio-signature': signature }), { secret: '' }), 'missing_key');
	});

	it('reports which auth token matched during rotation', () => {
		const byOld = twilioSignature('token-before', DOCS_VECTOR.url, params);
		const secrets = { secret: 'token-now', previousSecret: 'token-before' };
		expect(expectAccepted(verify(incoming({ 'x-twilio-signature': signature }), secrets)).matched).toBe('current');
		expect(expectAccepted(verify(incoming({ 'x-twilio-signature': byOld }), secrets)).matched).toBe('previous');
		expectRejected(verify(incoming({ 'x-twilio-signature': byOld }), { secret: 'token-now' }), 'invalid_signature');
	});

	it('verifies non-ASCII and non-UTF-8 form bodies from the raw bytes the sender signed', () => {
		for (const payload of [
			formBody({ Body: 'Zoë says 你好 👋', From: '+15550001111' }),
			Buffer.concat([Buffer.from('Body='), NON_UTF8_BODY, Buffer.from('&From=%FF%FE')]),
		]) {
			const headers = signTwilioRequest({ payload, key: 'token-now', url: DOCS_VECTOR.url });
			expectAccepted(verify(incoming(headers, payload), { secret: 'token-now' }));
			const tampered = Buffer.concat([payload, Buffer.from('x')]);
			expectRejected(verify(incoming(headers, tampered), { secret: 'token-now' }), 'invalid_signature');
		}
	});

	it('needs the URL to sign', () => {
		expect(() => signTwilioRequest({ payload: body, key: 'token-now' })).toThrow(/url/);
	});

	it('never throws on and never accepts arbitrary header values', () => {
		expectGarbageNeverVerifies(twilioScheme, ['x-twilio-signature', TWILIO_SIGNATURE_SETTINGS_HEADER, 'host', 'x-forwarded-proto', 'content-type'], {
			secret: 'token-now',
			previousSecret: 'token-before',
		});
	});
});

describe('twilio: form parsing and event description', () => {
	it('keeps repeated fields and decodes + and percent escapes', () => {
		const fields = parseTwilioForm(Buffer.from('MediaUrl0=a&MediaUrl0=b&Body=Hello+World%21&Empty='));
		expect(Object.fromEntries(fields)).toEqual({ MediaUrl0: ['a', 'b'], Body: ['Hello World!'], Empty: [''] });
	});

	it('signs what the SDK signs for + and %20 in values', () => {
		const expected = createHmac('sha1', 't').update('https://x.test/pBodya b+c').digest('base64');
		expect(signTwilioRequest({ payload: Buffer.from('Body=a+b%2Bc'), key: 't', url: 'https://x.test/p' })).toEqual({ 'x-twilio-signature': expected });
		expect(twilio.getExpectedTwilioSignature('t', 'https://x.test/p', { Body: 'a b+c' })).toBe(expected);
	});

	const verified = { ok: true, matched: 'current' } as const;
	const bare = request('/webhook/t', {});

	it('takes the id from I-Twilio-Idempotency-Token: retries keep it, and each status callback of a message has its own', () => {
		const sent = request('/webhook/t', { 'i-twilio-idempotency-token': 'idem-sent' });
		const delivered = request('/webhook/t', { 'i-twilio-idempotency-token': 'idem-delivered' });
		expect(twilioScheme.describeEvent(sent, { MessageSid: 'SM1', MessageStatus: 'sent' }, verified)).toEqual({ id: 'idem-sent', type: 'sent' });
		expect(twilioScheme.describeEvent(delivered, { MessageSid: 'SM1', MessageStatus: 'delivered' }, verified)).toEqual({ id: 'idem-delivered', type: 'delivered' });
		expect(twilioScheme.describeEvent(sent, undefined, verified).id).toBe('idem-sent');
	});

	it('without the header, the Sid plus the status: never the MessageSid alone, which every callback of a message shares', () => {
		expect(twilioScheme.describeEvent(bare, { MessageSid: 'SM1', MessageStatus: 'delivered', SmsStatus: 'sent' }, verified)).toEqual({
			id: 'SM1:delivered',
			type: 'delivered',
		});
		expect(twilioScheme.describeEvent(bare, { MessageSid: 'SM1', MessageStatus: 'sent' }, verified).id).toBe('SM1:sent');
		expect(twilioScheme.describeEvent(bare, { CallSid: 'CA1', CallStatus: 'completed' }, verified)).toEqual({ id: 'CA1:completed', type: 'completed' });
		expect(twilioScheme.describeEvent(bare, { SmsSid: 'SM2', SmsStatus: 'received' }, verified)).toEqual({ id: 'SM2:received', type: 'received' });
	});

	it('redacts the signature header', () => {
		expect(twilioScheme.sensitiveHeaders).toEqual(['x-twilio-signature']);
		expect(twilioScheme.timestamped).toBe(false);
	});
});
