import { signTokenRecipe, tokenQueryUrl, verifyTokenRecipe, type TokenRecipe } from '../../../../nodes/shared/verify/staticToken';
import type { IncomingWebhook } from '../../../../nodes/shared/verify/types';
import { expectAccepted, expectRejected } from '../schemes/schemeTestKit';

// The module object itself, so that the spy sees every call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof import('node:crypto');

function request(headers: Record<string, string | string[]>, url = '/webhook/x'): IncomingWebhook {
	return { method: 'POST', url, headers, rawBody: Buffer.from('{}') };
}

const secrets = { secret: 'tok-123', previousSecret: 'tok-old' };

describe('staticToken: a header', () => {
	const plain: TokenRecipe = { kind: 'token', location: { header: 'X-Webhook-Token' } };
	const bearer: TokenRecipe = { kind: 'token', location: { header: 'authorization', bearer: 'required' } };
	const optional: TokenRecipe = { kind: 'token', location: { header: 'x-auth', bearer: 'optional' } };

	it('compares the value as received with the current, then the previous secret', () => {
		expect(expectAccepted(verifyTokenRecipe(plain, request({ 'x-webhook-token': 'tok-123' }), secrets)).matched).toBe('current');
		expect(expectAccepted(verifyTokenRecipe(plain, request({ 'x-webhook-token': 'tok-old' }), secrets)).matched).toBe('previous');
		expectRejected(verifyTokenRecipe(plain, request({ 'x-webhook-token': 'tok-12' }), secrets), 'invalid_signature');
		expectRejected(verifyTokenRecipe(plain, request({ 'x-webhook-token': 'Bearer tok-123' }), secrets), 'invalid_signature');
		expectRejected(verifyTokenRecipe(plain, request({}), secrets), 'missing_signature');
		expectRejected(verifyTokenRecipe(plain, request({ 'x-webhook-token': ['tok-123', 'tok-123'] }), secrets), 'malformed_signature');
		expectRejected(verifyTokenRecipe(plain, request({ 'x-webhook-token': 'tok-123' }), { secret: '' }), 'missing_key');
	});

	it('Bearer required, or optional', () => {
		expectAccepted(verifyTokenRecipe(bearer, request({ authorization: 'bearer  tok-123' }), secrets));
		expectRejected(verifyTokenRecipe(bearer, request({ authorization: 'tok-123' }), secrets), 'malformed_signature');
		expectAccepted(verifyTokenRecipe(optional, request({ 'x-auth': 'Bearer tok-123' }), secrets));
		expectAccepted(verifyTokenRecipe(optional, request({ 'x-auth': 'tok-123' }), secrets));
	});

	it('compares in constant time whatever the length', () => {
		const compare = jest.spyOn(crypto, 'timingSafeEqual');
		try {
			verifyTokenRecipe(plain, request({ 'x-webhook-token': 'x' }), { secret: 'tok-123' });
			expect(compare).toHaveBeenCalledTimes(1);
		} finally {
			compare.mockRestore();
		}
	});

	it('signs what it verifies', () => {
		expect(signTokenRecipe(bearer, { key: 'tok-123' })).toEqual({ authorization: 'Bearer tok-123' });
		expect(signTokenRecipe(plain, { key: 'tok-123' })).toEqual({ 'x-webhook-token': 'tok-123' });
	});
});

describe('staticToken: HTTP Basic', () => {
	const basic: TokenRecipe = { kind: 'token', location: { basicAuth: true } };
	const header = (text: string) => ({ authorization: `Basic ${Buffer.from(text).toString('base64')}` });

	it('compares the decoded user:password with the secret', () => {
		const credentials = { secret: 'hook-user:s3cr3t pass' };
		expectAccepted(verifyTokenRecipe(basic, request(header('hook-user:s3cr3t pass')), credentials));
		expectRejected(verifyTokenRecipe(basic, request(header('hook-user:wrong')), credentials), 'invalid_signature');
		expectRejected(verifyTokenRecipe(basic, request(header('other:s3cr3t pass')), credentials), 'invalid_signature');
		expectRejected(verifyTokenRecipe(basic, request({ authorization: 'Bearer x' }), credentials), 'malformed_signature');
		expectRejected(verifyTokenRecipe(basic, request({ authorization: 'Basic %%%' }), credentials), 'malformed_signature');
		expect(signTokenRecipe(basic, { key: 'hook-user:s3cr3t pass' })).toEqual(header('hook-user:s3cr3t pass'));
	});
});

describe('staticToken: a query-string parameter', () => {
	const query: TokenRecipe = { kind: 'token', location: { query: 'token' } };

	it('reads one decoded value', () => {
		expectAccepted(verifyTokenRecipe(query, request({}, '/webhook/x?a=1&token=tok-123'), secrets));
		expectAccepted(verifyTokenRecipe(query, request({}, `/webhook/x?token=${encodeURIComponent('tok-123')}`), secrets));
		expectRejected(verifyTokenRecipe(query, request({}, '/webhook/x?token=nope'), secrets), 'invalid_signature');
		expectRejected(verifyTokenRecipe(query, request({}, '/webhook/x'), secrets), 'missing_signature');
		expectRejected(verifyTokenRecipe(query, request({}, '/webhook/x?token='), secrets), 'missing_signature');
		expectRejected(verifyTokenRecipe(query, request({}, '/webhook/x?token=tok-123&token=tok-123'), secrets), 'malformed_signature');
		expect(signTokenRecipe(query, { key: 'tok-123' })).toEqual({});
		expect(tokenQueryUrl(query, 'https://h/w?a=1', 'a b')).toBe('https://h/w?a=1&token=a%20b');
	});
});
