import { createHmac } from 'node:crypto';

import Stripe from 'stripe';

import { isUsableHmacRecipe, signHmacRecipe, verifyHmacRecipe, type HmacRecipe } from '../../../../nodes/shared/verify/hmacRecipe';
import type { IncomingWebhook, SigningSecrets, VerificationResult } from '../../../../nodes/shared/verify/types';
import { NON_UTF8_BODY, expectAccepted, expectGarbageNeverVerifies, expectRejected } from '../schemes/schemeTestKit';
import { providerScheme } from '../../../../nodes/shared/providers/providerScheme';

const NOW = 1_700_000_000;
const BODY = Buffer.from('{"id":"evt_1","type":"thing.happened"}');

function request(headers: Record<string, string | string[]>, body: Buffer = BODY, url = '/webhook/x', method = 'POST'): IncomingWebhook {
	return { method, url, headers, rawBody: body };
}

function verify(recipe: HmacRecipe, headers: Record<string, string | string[]>, secrets: SigningSecrets, options: { now?: number; body?: Buffer; url?: string; publicUrl?: string; method?: string } = {}): VerificationResult {
	return verifyHmacRecipe(recipe, request(headers, options.body, options.url, options.method), secrets, {
		nowSeconds: options.now ?? NOW,
		toleranceSeconds: 300,
		publicUrl: options.publicUrl,
	});
}

const hmacHex = (key: string | Buffer, text: string | Buffer, algorithm = 'sha256') => createHmac(algorithm, key).update(text).digest('hex');

describe('hmacRecipe: k=v signature headers', () => {
	const stripeLike: HmacRecipe = {
		kind: 'hmac',
		algorithm: 'sha256',
		signature: { header: 'stripe-signature', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
		encoding: 'hex',
		secret: 'utf8',
		signedContent: '{timestamp}.{body}',
		timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 300 },
	};

	it('accepts what stripe-node signs (any of several signatures) and stripe-node accepts what it signs', () => {
		const stripe = new Stripe('sk_test_unused');
		const header = stripe.webhooks.generateTestHeaderString({ payload: BODY.toString(), secret: 'whsec_x', timestamp: NOW });
		expect(expectAccepted(verify(stripeLike, { 'stripe-signature': header }, { secret: 'whsec_x' })).timestamp).toBe(NOW);
		const ours = signHmacRecipe(stripeLike, { payload: BODY, key: 'whsec_x', timestampSeconds: NOW });
		expect(stripe.webhooks.constructEvent(BODY, ours['stripe-signature'], 'whsec_x', 300, undefined, NOW).id).toBe('evt_1');
		const withOthers = `t=${NOW},v1=${'0'.repeat(64)},v1=${/v1=(\w+)/.exec(header)![1]},v0=ff`;
		expectAccepted(verify(stripeLike, { 'stripe-signature': withOthers }, { secret: 'whsec_x' }));
	});

	it('takes configurable separators and keys (Paddle: ts=…;h1=…, timestamp and body joined by ":")', () => {
		const paddleLike: HmacRecipe = {
			...stripeLike,
			signature: { header: 'paddle-signature', list: { pairSeparator: ';', keyValueSeparator: '=', signatureKeys: ['h1'] } },
			signedContent: '{timestamp}:{body}',
			timestamp: { from: { signatureKey: 'ts' }, unit: 's', windowSeconds: 5 },
		};
		const mac = hmacHex('pdl_secret', `${NOW}:${BODY}`);
		expectAccepted(verify(paddleLike, { 'paddle-signature': `ts=${NOW};h1=${mac}` }, { secret: 'pdl_secret' }));
		expect(signHmacRecipe(paddleLike, { payload: BODY, key: 'pdl_secret', timestampSeconds: NOW })).toEqual({ 'paddle-signature': `ts=${NOW};h1=${mac}` });
		// The comma list of Stripe is not this provider's list.
		expectRejected(verify(paddleLike, { 'paddle-signature': `ts=${NOW},h1=${mac}` }, { secret: 'pdl_secret' }), 'malformed_signature');
	});

	it('refuses a list without a signature, without a timestamp, with two timestamps, or too long', () => {
		const mac = hmacHex('s', `${NOW}.${BODY}`);
		for (const header of [`t=${NOW}`, `v1=${mac}`, `t=${NOW},t=${NOW},v1=${mac}`, `t=${NOW},` + Array.from({ length: 40 }, () => `v1=${mac}`).join(',')]) {
			expectRejected(verify(stripeLike, { 'stripe-signature': header }, { secret: 's' }), 'malformed_signature');
		}
	});
});

describe('hmacRecipe: timestamps', () => {
	const base: HmacRecipe = {
		kind: 'hmac',
		algorithm: 'sha256',
		signature: { header: 'x-sig' },
		encoding: 'hex',
		secret: 'utf8',
		signedContent: '{timestamp}.{body}',
		timestamp: { from: { header: 'x-ts' }, unit: 'ms', windowSeconds: 300 },
	};

	it('milliseconds: the window applies in seconds; the signed text is the header as sent', () => {
		const ms = String(NOW * 1000 - 5000);
		const headers = { 'x-sig': hmacHex('k', `${ms}.${BODY}`), 'x-ts': ms };
		expect(expectAccepted(verify(base, headers, { secret: 'k' })).timestamp).toBe(NOW - 5);
		expectRejected(verify(base, headers, { secret: 'k' }, { now: NOW + 296 }), 'timestamp_out_of_tolerance');
		// Seconds where milliseconds are expected: 1970, far outside the window.
		expectRejected(verify(base, { 'x-sig': hmacHex('k', `${NOW}.${BODY}`), 'x-ts': String(NOW) }, { secret: 'k' }), 'timestamp_out_of_tolerance');
		expect(signHmacRecipe(base, { payload: BODY, key: 'k', timestampSeconds: NOW })['x-ts']).toBe(String(NOW * 1000));
	});

	it('ISO 8601', () => {
		const iso: HmacRecipe = { ...base, timestamp: { from: { header: 'x-ts' }, unit: 'iso8601', windowSeconds: 300 } };
		const text = '2023-11-14T22:13:20Z';
		expect(expectAccepted(verify(iso, { 'x-sig': hmacHex('k', `${text}.${BODY}`), 'x-ts': text }, { secret: 'k' })).timestamp).toBe(NOW);
		expectRejected(verify(iso, { 'x-sig': hmacHex('k', `x.${BODY}`), 'x-ts': 'yesterday' }, { secret: 'k' }), 'malformed_signature');
	});

	it('from a body field, checked only once the signature holds', () => {
		const fromBody: HmacRecipe = { ...base, signedContent: '{body}', timestamp: { from: { body: 'created_at' }, unit: 's', windowSeconds: 300 } };
		const body = Buffer.from(JSON.stringify({ id: 'e1', created_at: NOW - 10 }));
		const headers = { 'x-sig': hmacHex('k', body) };
		expect(expectAccepted(verify(fromBody, headers, { secret: 'k' }, { body })).timestamp).toBe(NOW - 10);
		expectRejected(verify(fromBody, headers, { secret: 'k' }, { body, now: NOW + 400 }), 'timestamp_out_of_tolerance');
		const noTime = Buffer.from('{"id":"e1"}');
		expectRejected(verify(fromBody, { 'x-sig': hmacHex('k', noTime) }, { secret: 'k' }, { body: noTime }), 'malformed_signature');
		expectRejected(verify(fromBody, { 'x-sig': hmacHex('other', body) }, { secret: 'k' }, { body }), 'invalid_signature');
	});

	it('is refused as a configuration when {timestamp} has no source, or a body timestamp is signed as {timestamp}', () => {
		expect(isUsableHmacRecipe({ ...base, timestamp: undefined })).toBe(false);
		expect(isUsableHmacRecipe({ ...base, timestamp: { from: { body: 'ts' }, unit: 's', windowSeconds: 1 } })).toBe(false);
		expect(isUsableHmacRecipe({ ...base, timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 1 } })).toBe(false);
		expectRejected(verify({ ...base, timestamp: undefined }, { 'x-sig': 'a' }, { secret: 'k' }), 'missing_key');
		expect(() => signHmacRecipe({ ...base, timestamp: undefined }, { payload: BODY, key: 'k' })).toThrow();
	});
});

describe('hmacRecipe: secret formats', () => {
	const recipe = (secret: HmacRecipe['secret']): HmacRecipe => ({ kind: 'hmac', algorithm: 'sha256', signature: { header: 'x-sig' }, encoding: 'base64', secret, signedContent: '{body}' });
	const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
	const signed = { 'x-sig': createHmac('sha256', key).update(BODY).digest('base64') };

	it('hex, base64 and whsec_ secrets are decoded before use; the text itself is another key', () => {
		expectAccepted(verify(recipe('hex'), signed, { secret: key.toString('hex') }));
		expectAccepted(verify(recipe('base64'), signed, { secret: key.toString('base64') }));
		expectAccepted(verify(recipe('whsec'), signed, { secret: `whsec_${key.toString('base64')}` }));
		expectAccepted(verify(recipe({ stripPrefix: 'sk_', decode: 'hex' }), signed, { secret: `sk_${key.toString('hex')}` }));
		expectRejected(verify(recipe('utf8'), signed, { secret: key.toString('hex') }), 'invalid_signature');
	});

	it('a secret that is not in the format never matches; rotation still tries the previous one', () => {
		expectRejected(verify(recipe('hex'), signed, { secret: 'not hex' }), 'invalid_signature');
		expect(expectAccepted(verify(recipe('hex'), signed, { secret: 'not hex', previousSecret: key.toString('hex') })).matched).toBe('previous');
	});
});

describe('hmacRecipe: {url}, {method} and {header:…} in the signed content', () => {
	const hubspotLike: HmacRecipe = {
		kind: 'hmac',
		algorithm: 'sha256',
		signature: { header: 'x-signature-v3' },
		encoding: 'base64',
		secret: 'utf8',
		signedContent: '{method}{url}{body}{timestamp}',
		timestamp: { from: { header: 'x-request-timestamp' }, unit: 'ms', windowSeconds: 300 },
	};
	const ts = String(NOW * 1000);
	const publicUrl = 'https://n8n.example.com/webhook/hubspot';
	const signedFor = (url: string) => createHmac('sha256', 'app-secret').update(`POST${url}${BODY}${ts}`).digest('base64');

	it('signs the configured public URL with the query as received, not the URL n8n sees', () => {
		const headers = { 'x-signature-v3': signedFor(`${publicUrl}?portal=1`), 'x-request-timestamp': ts, host: 'internal:5678' };
		expectAccepted(verify(hubspotLike, headers, { secret: 'app-secret' }, { url: '/webhook/hubspot?portal=1', publicUrl }));
		expectRejected(verify(hubspotLike, headers, { secret: 'app-secret' }, { url: '/webhook/hubspot?portal=2', publicUrl }), 'invalid_signature');
		// Without a public URL, the URL is rebuilt from the Host header: not what the provider signed here.
		expectRejected(verify(hubspotLike, headers, { secret: 'app-secret' }, { url: '/webhook/hubspot?portal=1' }), 'invalid_signature');
		expect(signHmacRecipe(hubspotLike, { payload: BODY, key: 'app-secret', timestampSeconds: NOW, url: `${publicUrl}?portal=1` })).toEqual({
			'x-signature-v3': headers['x-signature-v3'],
			'x-request-timestamp': ts,
		});
	});

	it('signs the method as received', () => {
		const headers = { 'x-signature-v3': signedFor(publicUrl), 'x-request-timestamp': ts };
		expectRejected(verify(hubspotLike, headers, { secret: 'app-secret' }, { url: '/webhook/hubspot', publicUrl, method: 'PUT' }), 'invalid_signature');
	});

	it('signs a header as received; a missing one is a missing signature part', () => {
		const recipe: HmacRecipe = { kind: 'hmac', algorithm: 'sha256', signature: { header: 'x-sig' }, encoding: 'hex', secret: 'utf8', signedContent: '{header:x-delivery}.{body}' };
		expectAccepted(verify(recipe, { 'x-sig': hmacHex('k', `d-1.${BODY}`), 'x-delivery': 'd-1' }, { secret: 'k' }));
		expectRejected(verify(recipe, { 'x-sig': hmacHex('k', `d-1.${BODY}`), 'x-delivery': 'd-2' }, { secret: 'k' }), 'invalid_signature');
		expectRejected(verify(recipe, { 'x-sig': hmacHex('k', `d-1.${BODY}`) }, { secret: 'k' }), 'missing_signature');
		expect(signHmacRecipe(recipe, { payload: BODY, key: 'k', headers: { 'X-Delivery': 'd-1' } })).toEqual({ 'x-sig': hmacHex('k', `d-1.${BODY}`) });
		expect(() => signHmacRecipe(recipe, { payload: BODY, key: 'k' })).toThrow(/x-delivery/);
	});
});

describe('hmacRecipe: decoding and robustness', () => {
	const recipe: HmacRecipe = { kind: 'hmac', algorithm: 'sha512', signature: { header: 'x-sig', prefix: 'sha512=' }, encoding: 'base64url', secret: 'utf8', signedContent: '{body}' };
	const mac = createHmac('sha512', 'k').update(BODY).digest('base64url');

	it('decodes the configured encoding after a case-insensitive prefix, over raw bytes', () => {
		expectAccepted(verify(recipe, { 'x-sig': `SHA512=${mac}` }, { secret: 'k' }));
		expectRejected(verify(recipe, { 'x-sig': `sha512=${Buffer.from(mac, 'base64url').toString('hex')}` }, { secret: 'k' }), 'malformed_signature');
		const raw = createHmac('sha512', 'k').update(NON_UTF8_BODY).digest('base64url');
		expectAccepted(verify(recipe, { 'x-sig': `sha512=${raw}` }, { secret: 'k' }, { body: NON_UTF8_BODY }));
	});

	it('never throws on and never accepts garbage', () => {
		const scheme = providerScheme({
			id: 'test',
			displayName: 'test',
			group: 'custom',
			docsUrl: 'https://example.test',
			signature: { ...recipe, timestamp: { from: { header: 'x-ts' }, unit: 'iso8601', windowSeconds: 300 }, signedContent: '{timestamp}{url}{body}' },
			eventType: [],
			eventId: { none: 'test' },
			redelivery: 'test',
			contentTypes: ['application/json'],
			secretHelp: 'test',
			vectors: { source: 'none', reference: 'test' },
		});
		expectGarbageNeverVerifies(scheme, ['x-sig', 'x-ts', 'host'], { secret: 'k', previousSecret: 'p' });
	});
});
