import { createHmac } from 'node:crypto';

import { diagnose, type DiagnosisInput } from '../../../nodes/SecureWebhookTrigger/diagnose';
import { providerById, providerSchemeById } from '../../../nodes/shared/providers/catalogue';
import { DEFAULT_GENERIC_HMAC_OPTIONS } from '../../../nodes/shared/verify/genericHmac';
import { signJwtRequest } from '../../../nodes/shared/verify/jwt';
import { signTwilioRequest } from '../../../nodes/shared/providers/special/twilio';
import type { GenericHmacOptions, IncomingWebhook, SigningSecrets, VerifyOptions } from '../../../nodes/shared/verify/types';

const NOW = 1_700_000_000;

function request(headers: Record<string, string>, body: string | Buffer, url = '/webhook-test/hook'): IncomingWebhook {
	return { method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

/** Runs the provider's verification as the trigger does, then diagnoses the failure. */
async function diagnoseFailure(providerId: string, incoming: IncomingWebhook, secrets: SigningSecrets, options: Partial<VerifyOptions> = {}) {
	const scheme = providerSchemeById(providerId);
	const verifyOptions: VerifyOptions = { nowSeconds: NOW, toleranceSeconds: 300, ...options };
	const result = await scheme.verify(incoming, secrets, verifyOptions);
	if (result.ok) throw new Error('expected the verification to fail');
	const input: DiagnosisInput = {
		check: 'signature',
		rejection: 'invalid_signature',
		provider: providerById(providerId)!,
		scheme,
		request: incoming,
		failure: { result, secrets, options: verifyOptions },
		httpMethod: 'POST',
		allowedContentTypes: ['application/json'],
		maxBodyBytes: 1024,
	};
	return { diagnosis: (await diagnose(input))!, result };
}

/** Nothing secret in what the test URL answers: not the secret, not the signature it expected. */
function expectNothingSecret(diagnosis: unknown, ...secrets: string[]) {
	const text = JSON.stringify(diagnosis);
	for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('diagnose: why a signature did not verify', () => {
	it('a secret that only matches in another format (Custom HMAC): names the format to choose', async () => {
		const key = Buffer.from('6b65792d6279746573', 'hex');
		const secretText = key.toString('base64');
		const body = '{"id":1}';
		const mac = createHmac('sha256', key).update(body).digest('hex');
		const hmac: GenericHmacOptions = { ...DEFAULT_GENERIC_HMAC_OPTIONS };
		const { diagnosis } = await diagnoseFailure('hmac', request({ 'x-signature': mac }, body), { secret: secretText }, { hmac });
		expect(diagnosis).toMatchObject({ check: 'signature', cause: 'secret_format' });
		expect(diagnosis.hint).toMatch(/base64/);
		expect(diagnosis.hint).toMatch(/Secret Format/);
		expectNothingSecret(diagnosis, secretText, mac);
	});

	it('a body a proxy re-serialised (Meta signs \\u escapes; the proxy unescaped them)', async () => {
		const sent = '{"object":"page","entry":[{"text":"Caf\\u00e9"}]}';
		const signature = `sha256=${createHmac('sha256', 'app-secret').update(sent).digest('hex')}`;
		const received = JSON.stringify(JSON.parse(sent));
		expect(received).not.toBe(sent);
		const { diagnosis } = await diagnoseFailure('meta', request({ 'x-hub-signature-256': signature }, received), { secret: 'app-secret' });
		expect(diagnosis.cause).toBe('body_rewritten');
		expectNothingSecret(diagnosis, 'app-secret', signature.slice(7));
	});

	it('a body a proxy compacted (Stripe signed the pretty-printed bytes)', async () => {
		const sent = JSON.stringify({ id: 'evt_1', type: 'charge.succeeded' }, null, 2);
		const stripe = providerSchemeById('stripe');
		const headers = stripe.sign!({ payload: Buffer.from(sent), key: 'whsec_x', timestampSeconds: NOW });
		const { diagnosis } = await diagnoseFailure('stripe', request(headers, JSON.stringify(JSON.parse(sent))), { secret: 'whsec_x' });
		expect(diagnosis.cause).toBe('body_rewritten');
	});

	it('a genuine signature an hour old: clock skew or replay, with the offset', async () => {
		const body = '{"id":"evt_2","type":"x"}';
		const headers = providerSchemeById('stripe').sign!({ payload: Buffer.from(body), key: 'whsec_x', timestampSeconds: NOW - 3600 });
		const { diagnosis, result } = await diagnoseFailure('stripe', request(headers, body), { secret: 'whsec_x' });
		expect(result.reason).toBe('timestamp_out_of_tolerance');
		expect(diagnosis.cause).toBe('clock_skew');
		expect(diagnosis.hint).toContain('3600 s in the past');
		const ahead = providerSchemeById('stripe').sign!({ payload: Buffer.from(body), key: 'whsec_x', timestampSeconds: NOW + 900 });
		expect((await diagnoseFailure('stripe', request(ahead, body), { secret: 'whsec_x' })).diagnosis.hint).toContain('900 s in the future');
	});

	it('a JWT without exp: says so', async () => {
		const token = signJwtRequest({ payload: Buffer.from('{}'), key: 'jwt-secret', timestampSeconds: NOW }).authorization;
		// Re-sign without exp by hand: header.payload.signature with HS256.
		const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iat: NOW })}`;
		const noExp = `${unsigned}.${createHmac('sha256', 'jwt-secret').update(unsigned).digest('base64url')}`;
		expect(token).toMatch(/^Bearer /);
		const jwt = { tokenHeader: 'authorization', algorithms: ['HS256' as const], issuer: '', audience: '', bodyHashClaim: '' };
		const { diagnosis } = await diagnoseFailure('jwt', request({ authorization: `Bearer ${noExp}` }, '{}'), { secret: 'jwt-secret' }, { jwt });
		expect(diagnosis.cause).toBe('token_without_expiry');
	});

	it('Twilio signed the URL it called, not the configured Public URL: names the host it used', async () => {
		const body = Buffer.from('MessageSid=SM1&MessageStatus=sent');
		const headers = signTwilioRequest({ payload: body, key: 'auth-token', url: 'https://abc.ngrok.app/webhook-test/hook' });
		const incoming = request({ ...headers, 'content-type': 'application/x-www-form-urlencoded', host: 'abc.ngrok.app', 'x-forwarded-proto': 'https' }, body);
		const { diagnosis } = await diagnoseFailure('twilio', incoming, { secret: 'auth-token' }, { publicUrl: 'https://old.example.com/webhook/hook' });
		expect(diagnosis.cause).toBe('public_url');
		expect(diagnosis.hint).toContain('abc.ngrok.app');
		expectNothingSecret(diagnosis, 'auth-token', headers['x-twilio-signature']);
		const unconfigured = request({ ...headers, 'content-type': 'application/x-www-form-urlencoded', host: 'internal:5678' }, body);
		expect((await diagnoseFailure('twilio', unconfigured, { secret: 'wrong-token' })).diagnosis.cause).toBe('public_url');
	});

	it('another provider\'s signature header: names that provider', async () => {
		const { diagnosis } = await diagnoseFailure('github', request({ 'stripe-signature': 't=1,v1=00' }, '{}'), { secret: 's' });
		expect(diagnosis.cause).toBe('other_provider');
		expect(diagnosis.hint).toContain('Stripe');
	});

	it('a missing header, an empty credential, a malformed header, and the plain wrong secret', async () => {
		expect((await diagnoseFailure('github', request({}, '{}'), { secret: 's' })).diagnosis.cause).toBe('missing_signature');
		expect((await diagnoseFailure('github', request({ 'x-hub-signature-256': 'sha256=00' }, '{}'), { secret: '' })).diagnosis.cause).toBe('missing_key');
		expect((await diagnoseFailure('discord', request({}, '{}'), { secret: '' })).diagnosis.hint).toContain('Public Key');
		expect((await diagnoseFailure('github', request({ 'x-hub-signature-256': 'md5=00' }, '{}'), { secret: 's' })).diagnosis.cause).toBe('malformed_signature');
		const body = '{"id":3}';
		const signature = `sha256=${createHmac('sha256', 'the-real-secret').update(body).digest('hex')}`;
		const { diagnosis } = await diagnoseFailure('github', request({ 'x-hub-signature-256': signature }, body), { secret: 'a-wrong-secret' });
		expect(diagnosis.cause).toBe('wrong_secret_or_body');
		expectNothingSecret(diagnosis, 'a-wrong-secret', 'the-real-secret', signature.slice(7));
	});
});

describe('diagnose: the other checks', () => {
	const base: DiagnosisInput = {
		check: 'content type',
		rejection: 'unsupported_content_type',
		provider: providerById('stripe')!,
		scheme: providerSchemeById('stripe'),
		request: request({ 'content-type': 'text/xml' }, '<a/>'),
		httpMethod: 'POST',
		allowedContentTypes: ['application/json'],
		maxBodyBytes: 1024,
		clientIp: '203.0.113.9',
	};

	it('names what was received and what is allowed', async () => {
		expect(await diagnose(base)).toEqual({
			check: 'content type',
			cause: 'unsupported_content_type',
			hint: 'The request\'s content type is text/xml; allowed: application/json. If the provider sends it, add it to Allowed Content Types.',
		});
		expect((await diagnose({ ...base, check: 'method', rejection: 'method_not_allowed', request: { ...base.request, method: 'PUT' } }))?.hint).toContain('PUT');
		expect((await diagnose({ ...base, check: 'client IP', rejection: 'ip_not_allowed' }))?.hint).toContain('203.0.113.9');
		expect((await diagnose({ ...base, check: 'declared size', rejection: 'payload_too_large' }))?.hint).toContain('1024');
		expect(await diagnose({ ...base, rejection: undefined })).toBeUndefined();
		expect(await diagnose({ ...base, rejection: 'invalid_signature' })).toBeUndefined();
	});
});
