import { createHmac } from 'node:crypto';

import { shopifyScheme, signShopifyPayload } from '../../../../nodes/shared/schemes/shopify';
import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import {
	NON_UTF8_BODY,
	expectAccepted,
	expectGarbageNeverVerifies,
	expectRejected,
	verifyOptions,
	webhookRequest,
} from './schemeTestKit';

// Shopify publishes no secret/payload/signature triple; its docs define the scheme
// (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook: base64 HMAC-SHA256 of the
// raw body with the app's client secret, in X-Shopify-Hmac-SHA256). No Shopify SDK is among our devDependencies,
// so this vector was computed with Python's hmac/base64 modules, independently of Node.
const SECRET = 'shpss_test_client_secret';
const BODY = '{"id":820982911946154508,"email":"jon@example.com","total_price":"403.00"}';
const HMAC = 'dmo2iZE0OxU76zyU0Fh+fxpQKMEUalQrhNSBnQahH6c=';

const OPTIONS = verifyOptions(1_700_000_000);

function verify(signature: string | string[] | undefined, body: Buffer | string, secrets: SigningSecrets) {
	const headers = signature === undefined ? {} : { 'x-shopify-hmac-sha256': signature };
	return shopifyScheme.verify(webhookRequest(headers, body), secrets, OPTIONS);
}

describe('shopify: vector', () => {
	it('signs and verifies it', () => {
		expect(signShopifyPayload(Buffer.from(BODY), SECRET)).toBe(HMAC);
		expect(verify(HMAC, BODY, { secret: SECRET })).toEqual({ ok: true, matched: 'current' });
	});

	it('rejects the hex encoding of the same MAC (Shopify sends base64)', () => {
		const hex = createHmac('sha256', SECRET).update(BODY).digest('hex');
		expectRejected(verify(hex, BODY, { secret: SECRET }), 'malformed_signature');
	});
});

describe('shopify: rejections', () => {
	const secrets = { secret: SECRET };

	it('rejects a tampered body and the wrong secret', () => {
		expectRejected(verify(HMAC, BODY.replace('403.00', '0.00'), secrets), 'invalid_signature');
		expectRejected(verify(HMAC, BODY, { secret: 'shpss_other' }), 'invalid_signature');
	});

	it('rejects a missing header', () => {
		expectRejected(verify(undefined, BODY, secrets), 'missing_signature');
	});

	it.each([
		['unpadded', HMAC.slice(0, -1)],
		['base64url alphabet', 'dmo2iZE0OxU76zyU0Fh-fxpQKMEUalQrhNSBnQahH6c='],
		['too short', HMAC.slice(0, 20)],
		['non-canonical last digit', HMAC.slice(0, 42) + 'd='],
		['junk', '%%%'],
	])('rejects a malformed header (%s)', (_case, signature) => {
		expectRejected(verify(signature, BODY, secrets), 'malformed_signature');
	});

	it('rejects duplicated headers and an empty secret', () => {
		expectRejected(verify([HMAC, HMAC], BODY, secrets), 'malformed_signature');
		expectRejected(verify(HMAC, BODY, { secret: '' }), 'missing_key');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(shopifyScheme, ['x-shopify-hmac-sha256'], secrets);
	});
});

describe('shopify: rotation and raw bytes', () => {
	it('accepts the previous secret and reports it', () => {
		expect(expectAccepted(verify(HMAC, BODY, { secret: 'shpss_new', previousSecret: SECRET })).matched).toBe('previous');
	});

	it('verifies a non-UTF-8 body over its bytes', () => {
		const signature = signShopifyPayload(NON_UTF8_BODY, SECRET);
		expect(signature).toBe(createHmac('sha256', SECRET).update(NON_UTF8_BODY).digest('base64'));
		expectAccepted(verify(signature, NON_UTF8_BODY, { secret: SECRET }));
		expectRejected(verify(signature, Buffer.from(NON_UTF8_BODY.toString('utf8')), { secret: SECRET }), 'invalid_signature');
	});
});

describe('shopify: describeEvent and sign', () => {
	const verification = { ok: true as const, matched: 'current' as const };

	it('takes the topic and the webhook id from the headers', () => {
		const headers = {
			'x-shopify-topic': 'orders/create',
			'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
			'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
		};
		expect(shopifyScheme.describeEvent(webhookRequest(headers, BODY), JSON.parse(BODY), verification)).toEqual({
			type: 'orders/create',
			id: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
		});
	});

	it('falls back to X-Shopify-Event-Id', () => {
		const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5' };
		expect(shopifyScheme.describeEvent(webhookRequest(headers, BODY), undefined, verification).id).toBe('98880550-7158-44d4-b7cd-2c97c8a091b5');
		expect(shopifyScheme.describeEvent(webhookRequest({}, BODY), undefined, verification)).toEqual({ type: undefined, id: undefined });
	});

	it('sign() returns the X-Shopify-Hmac-Sha256 header; not timestamped', () => {
		expect(shopifyScheme.sign!({ payload: Buffer.from(BODY), key: SECRET })).toEqual({ 'x-shopify-hmac-sha256': HMAC });
		expect(shopifyScheme.timestamped).toBe(false);
		expect(shopifyScheme.sensitiveHeaders).toEqual(['x-shopify-hmac-sha256']);
	});
});
