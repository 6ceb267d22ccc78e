import { generateKeyPairSync } from 'node:crypto';

import type { PublicKeyRecipe } from '../../../../nodes/shared/providers/types';
import { signPublicKeyRecipe, verifyPublicKeyRecipe } from '../../../../nodes/shared/verify/publicKeyRecipe';
import type { IncomingWebhook, SigningSecrets } from '../../../../nodes/shared/verify/types';
import { expectAccepted, expectRejected } from '../schemes/schemeTestKit';
import { SENDGRID, WISE_SANDBOX } from './publishedSignatureVectors';

function request(headers: Record<string, string | string[]>, body: string | Buffer, url = '/webhook/x'): IncomingWebhook {
	return { method: 'POST', url, headers, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

const options = (nowSeconds: number, toleranceSeconds = 300) => ({ nowSeconds, toleranceSeconds });

// SendGrid Event Webhook: ECDSA P-256, base64 DER, over <timestamp><payload>; the official SDK's vector
// (sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js, see publishedSignatureVectors.ts).
const SENDGRID_RECIPE: PublicKeyRecipe = {
	kind: 'publicKey',
	algorithm: 'ecdsaP256Sha256',
	signature: { header: 'x-twilio-email-event-webhook-signature' },
	encoding: 'base64',
	signedContent: '{timestamp}{body}',
	timestamp: { from: { header: 'x-twilio-email-event-webhook-timestamp' }, unit: 's', windowSeconds: 300 },
};
const sendgridHeaders = (signature = SENDGRID.signature, timestamp = SENDGRID.timestamp) => ({
	'x-twilio-email-event-webhook-signature': signature,
	'x-twilio-email-event-webhook-timestamp': timestamp,
});

describe('publicKeyRecipe: SendGrid Event Webhook (official SDK vector)', () => {
	const secrets: SigningSecrets = { secret: '', publicKey: SENDGRID.publicKey };
	const now = Number(SENDGRID.timestamp) + 10;

	it('verifies the vector with the key from the credential, and reports its timestamp', () => {
		const result = expectAccepted(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(), SENDGRID.payload), secrets, options(now)));
		expect(result).toEqual({ ok: true, matched: 'publicKey', timestamp: Number(SENDGRID.timestamp) });
	});

	it('rejects a tampered payload, a tampered timestamp, another key, a bad signature, and a stale delivery', () => {
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(), `${SENDGRID.payload} `), secrets, options(now)), 'invalid_signature');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(SENDGRID.signature, String(now)), SENDGRID.payload), secrets, options(now)), 'invalid_signature');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(), SENDGRID.payload), { secret: '', publicKey: SENDGRID.otherPublicKey }, options(now)), 'invalid_signature');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(SENDGRID.badSignature), SENDGRID.payload), secrets, options(now)), 'invalid_signature');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(), SENDGRID.payload), secrets, options(now + 400)), 'timestamp_out_of_tolerance');
	});

	it('reports missing and malformed parts like every verifier', () => {
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(), SENDGRID.payload), { secret: '' }, options(now)), 'missing_key');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request({}, SENDGRID.payload), secrets, options(now)), 'missing_signature');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders('%%%'), SENDGRID.payload), secrets, options(now)), 'malformed_signature');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request(sendgridHeaders(SENDGRID.signature, 'yesterday'), SENDGRID.payload), secrets, options(now)), 'malformed_signature');
		expectRejected(verifyPublicKeyRecipe(SENDGRID_RECIPE, request({ ...sendgridHeaders(), 'x-twilio-email-event-webhook-signature': [SENDGRID.signature, SENDGRID.signature] }, SENDGRID.payload), secrets, options(now)), 'malformed_signature');
	});
});

describe('publicKeyRecipe: Wise (official sandbox vector, RSA PKCS#1 v1.5) with a key the provider publishes', () => {
	const recipe: PublicKeyRecipe = {
		kind: 'publicKey',
		algorithm: 'rsaPkcs1Sha256',
		signature: { header: 'x-signature-sha256' },
		encoding: 'base64',
		signedContent: '{body}',
		publishedKey: WISE_SANDBOX.publicKeyPem,
	};

	it('verifies without any key in the credential, and rejects a tampered body', () => {
		expect(verifyPublicKeyRecipe(recipe, request({ 'x-signature-sha256': WISE_SANDBOX.signature }, WISE_SANDBOX.body), { secret: '' }, options(0))).toEqual({ ok: true, matched: 'publicKey' });
		expectRejected(verifyPublicKeyRecipe(recipe, request({ 'x-signature-sha256': WISE_SANDBOX.signature }, WISE_SANDBOX.body.replace('transfer', 'Transfer')), { secret: '' }, options(0)), 'invalid_signature');
	});
});

describe('publicKeyRecipe: signs what it verifies (Ed25519 and ECDSA P1363 in a k=v list, {method}{url})', () => {
	it('Ed25519 over {timestamp}|{body} (Telnyx-style), hex', () => {
		const { privateKey, publicKey } = generateKeyPairSync('ed25519');
		const recipe: PublicKeyRecipe = {
			kind: 'publicKey',
			algorithm: 'ed25519',
			signature: { header: 'telnyx-signature-ed25519' },
			encoding: 'base64',
			signedContent: '{timestamp}|{body}',
			timestamp: { from: { header: 'telnyx-timestamp' }, unit: 's', windowSeconds: 300 },
		};
		const body = Buffer.from('{"data":{"id":"e1"}}');
		const headers = signPublicKeyRecipe(recipe, { payload: body, key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), timestampSeconds: 1_700_000_000 });
		const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
		expectAccepted(verifyPublicKeyRecipe(recipe, request(headers, body), { secret: '', publicKey: pem }, options(1_700_000_000)));
		expectRejected(verifyPublicKeyRecipe(recipe, request(headers, Buffer.from('{"data":{"id":"e2"}}')), { secret: '', publicKey: pem }, options(1_700_000_000)), 'invalid_signature');
	});

	it('ECDSA P-256 raw r‖s in a t=…,v1=… list over {method}{url}{body}, with a rolled key beside it', () => {
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
		const recipe: PublicKeyRecipe = {
			kind: 'publicKey',
			algorithm: 'ecdsaP256Sha256',
			ecdsaFormat: 'ieee-p1363',
			signature: { header: 'x-sig', list: { pairSeparator: ',', keyValueSeparator: '=', signatureKeys: ['v1'] } },
			encoding: 'base64url',
			signedContent: '{timestamp}.{method}{url}{body}',
			timestamp: { from: { signatureKey: 't' }, unit: 's', windowSeconds: 300 },
		};
		const body = Buffer.from('{"id":1}');
		const url = 'https://n8n.example.com/webhook/x?a=1';
		const headers = signPublicKeyRecipe(recipe, { payload: body, key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), timestampSeconds: 1_700_000_000, url });
		const secrets = { secret: '', publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
		const withOld = { 'x-sig': `${headers['x-sig']},v1=${'A'.repeat(86)}` };
		expectAccepted(verifyPublicKeyRecipe(recipe, request(withOld, body, '/webhook/x?a=1'), secrets, { ...options(1_700_000_000), publicUrl: 'https://n8n.example.com/webhook/x' }));
		expectRejected(verifyPublicKeyRecipe(recipe, request(headers, body, '/webhook/x?a=2'), secrets, { ...options(1_700_000_000), publicUrl: 'https://n8n.example.com/webhook/x' }), 'invalid_signature');
	});
});
