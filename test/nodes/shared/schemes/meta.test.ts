import { metaScheme, signMetaPayload } from '../../../../nodes/shared/schemes/meta';
import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import {
	NON_UTF8_BODY,
	expectAccepted,
	expectGarbageNeverVerifies,
	expectRejected,
	verifyOptions,
	webhookRequest,
} from './schemeTestKit';

// Meta publishes no secret/payload/signature triple. Its docs define the scheme and the escaping:
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
// ("X-Hub-Signature-256 … SHA256 signature of the payload using your app secret … we generate the signature
// using an escaped unicode version of the payload, with lowercase hex digits … äöå should be escaped to
// \u00e4\u00f6\u00e5"). Meta has no webhook SDK among our devDependencies, so this vector (a WhatsApp Cloud API
// message notification shaped like the one in https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples)
// was computed with Python's hmac module, independently of Node.
const APP_SECRET = 'meta-app-secret';
const BODY =
	'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",' +
	'"messages":[{"from":"16315551181","id":"wamid.ABGGFlA5Fpa","timestamp":"1504902988","text":{"body":"Caf\\u00e9 \\u00e4\\u00f6\\u00e5"},' +
	'"type":"text"}]},"field":"messages"}]}]}';
const SIGNATURE = 'sha256=325c1ed76ed50a3edbdd2746c971a9607dec8df320c88d573249afe3d66bef82';

const OPTIONS = verifyOptions(1_700_000_000);

function verify(signature: string | string[] | undefined, body: Buffer | string, secrets: SigningSecrets) {
	const headers = signature === undefined ? {} : { 'x-hub-signature-256': signature };
	return metaScheme.verify(webhookRequest(headers, body), secrets, OPTIONS);
}

describe('meta: vector and escaped unicode', () => {
	it('the body carries Meta-style escapes, not the characters themselves', () => {
		expect(BODY).toContain('Caf\\u00e9 \\u00e4\\u00f6\\u00e5');
		expect(JSON.parse(BODY).entry[0].changes[0].value.messages[0].text.body).toBe('Café äöå');
	});

	it('signs and verifies the bytes as sent', () => {
		expect(signMetaPayload(Buffer.from(BODY), APP_SECRET)).toBe(SIGNATURE);
		expect(verify(SIGNATURE, BODY, { secret: APP_SECRET })).toEqual({ ok: true, matched: 'current' });
	});

	it('does NOT verify a re-serialised body: JSON.stringify(JSON.parse(body)) unescapes the characters', () => {
		const reserialised = JSON.stringify(JSON.parse(BODY));
		expect(reserialised).toContain('Café äöå');
		expect(Buffer.from(reserialised).equals(Buffer.from(BODY))).toBe(false);
		expectRejected(verify(SIGNATURE, reserialised, { secret: APP_SECRET }), 'invalid_signature');
	});
});

describe('meta: rejections', () => {
	const secrets = { secret: APP_SECRET };

	it('rejects a tampered body and the wrong secret', () => {
		expectRejected(verify(SIGNATURE, BODY.replace('16315551181', '16315551182'), secrets), 'invalid_signature');
		expectRejected(verify(SIGNATURE, BODY, { secret: 'other-app-secret' }), 'invalid_signature');
	});

	it('rejects a missing header (the legacy SHA-1 X-Hub-Signature is not accepted)', () => {
		expectRejected(verify(undefined, BODY, secrets), 'missing_signature');
		const sha1Only = webhookRequest({ 'x-hub-signature': 'sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709' }, BODY);
		expectRejected(metaScheme.verify(sha1Only, secrets, OPTIONS), 'missing_signature');
	});

	it.each([
		['no prefix', SIGNATURE.slice(7)],
		['non-hex', 'sha256=' + 'x'.repeat(64)],
		['short', SIGNATURE.slice(0, 40)],
		['whitespace inside', SIGNATURE.slice(0, 20) + ' ' + SIGNATURE.slice(21)],
	])('rejects a malformed header (%s)', (_case, signature) => {
		expectRejected(verify(signature, BODY, secrets), 'malformed_signature');
	});

	it('rejects duplicated headers and an empty secret', () => {
		expectRejected(verify([SIGNATURE, SIGNATURE], BODY, secrets), 'malformed_signature');
		expectRejected(verify(SIGNATURE, BODY, { secret: '' }), 'missing_key');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(metaScheme, ['x-hub-signature-256'], secrets);
	});
});

describe('meta: rotation and raw bytes', () => {
	it('accepts the previous app secret and reports it', () => {
		expect(expectAccepted(verify(SIGNATURE, BODY, { secret: 'rotated', previousSecret: APP_SECRET })).matched).toBe('previous');
	});

	it('verifies a non-UTF-8 body over its bytes', () => {
		const signature = signMetaPayload(NON_UTF8_BODY, APP_SECRET);
		expectAccepted(verify(signature, NON_UTF8_BODY, { secret: APP_SECRET }));
		expectRejected(verify(signature, Buffer.from(NON_UTF8_BODY.toString('latin1'), 'utf8'), { secret: APP_SECRET }), 'invalid_signature');
	});
});

describe('meta: describeEvent and sign', () => {
	const verification = { ok: true as const, matched: 'current' as const };
	const describe_ = (body: unknown) => metaScheme.describeEvent(webhookRequest({}, ''), body, verification);

	it('names the object and the changed field', () => {
		expect(describe_(JSON.parse(BODY))).toEqual({ type: 'whatsapp_business_account.messages' });
		expect(describe_({ object: 'instagram', entry: [{ changes: [{ field: 'comments' }] }] })).toEqual({ type: 'instagram.comments' });
	});

	it('falls back to the object alone (Messenger has no changes[])', () => {
		expect(describe_({ object: 'page', entry: [{ messaging: [{}] }] })).toEqual({ type: 'page' });
		expect(describe_({ object: 'page', entry: [] })).toEqual({ type: 'page' });
		expect(describe_({ object: 'page', entry: [{ changes: [{ field: {} }] }] })).toEqual({ type: 'page' });
		// Numbers are read as text, as everywhere in the catalogue (Discord's interaction types are numbers).
		expect(describe_({ object: 'page', entry: [{ changes: [{ field: 7 }] }] })).toEqual({ type: 'page.7' });
		expect(describe_(undefined)).toEqual({ type: undefined });
		expect(describe_({ entry: [{ changes: [{ field: 'feed' }] }] })).toEqual({ type: undefined });
	});

	it('sign() returns the X-Hub-Signature-256 header; not timestamped; both signature headers are sensitive', () => {
		expect(metaScheme.sign!({ payload: Buffer.from(BODY), key: APP_SECRET })).toEqual({ 'x-hub-signature-256': SIGNATURE });
		expect(metaScheme.timestamped).toBe(false);
		expect(metaScheme.sensitiveHeaders).toEqual(['x-hub-signature-256', 'x-hub-signature']);
	});
});
