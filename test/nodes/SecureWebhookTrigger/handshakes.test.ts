import { createHmac } from 'node:crypto';

import { answerHandshake, hasHandshakeOn, type HandshakeRequest } from '../../../nodes/SecureWebhookTrigger/handshakes';
import { providerById } from '../../../nodes/shared/providers/catalogue';
import type { HandshakeRule } from '../../../nodes/shared/providers/types';

// The module object itself (an `import * as` namespace is a copy whose properties a spy would not reach).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof import('node:crypto');

const VERIFY_TOKEN = 'meta-verify-token-of-some-length';
const META = providerById('meta')!.handshakes;

function request(init: Partial<HandshakeRequest>): HandshakeRequest {
	return { method: 'POST', url: '/webhook/h', headers: {}, rawBody: Buffer.alloc(0), body: undefined, ...init };
}

function subscribe(token: string, verifyToken = VERIFY_TOKEN) {
	const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' });
	return answerHandshake(META, 'unsigned', request({ method: 'GET', url: `/webhook/h?${query}` }), { verifyToken });
}

describe('handshakes: Meta subscription check (GET, unsigned, verify token)', () => {
	it('echoes the challenge as text for the right verify token', () => {
		expect(subscribe(VERIFY_TOKEN)).toEqual({ status: 200, body: '1158201444', headers: { 'content-type': 'text/plain; charset=utf-8' } });
		expect(hasHandshakeOn(META, 'GET')).toBe(true);
	});

	it.each([
		['another token of the same length', VERIFY_TOKEN.replace(/.$/, 'X')],
		['a shorter token', 'meta'],
		['a longer token', `${VERIFY_TOKEN}-and-more`],
	])('answers 403 for %s', (_case, token) => {
		expect(subscribe(token)).toMatchObject({ status: 403, rejection: 'invalid_verify_token' });
	});

	// Issue 14: the token was compared with a function that returns at once when the lengths differ, so response
	// times told a prober the verify token's length. Every comparison must now reach the constant-time compare.
	it('compares tokens of any length in constant time (the length is not revealed by an early return)', () => {
		const compare = jest.spyOn(crypto, 'timingSafeEqual');
		try {
			expect(subscribe('short')?.status).toBe(403);
			expect(compare).toHaveBeenCalledTimes(1);
			expect(subscribe(`${VERIFY_TOKEN}-longer`)?.status).toBe(403);
			expect(compare).toHaveBeenCalledTimes(2);
		} finally {
			compare.mockRestore();
		}
	});

	it('refuses a subscription check without a configured token, and ignores other requests', () => {
		expect(subscribe('', '')?.status).toBe(403);
		expect(subscribe(VERIFY_TOKEN, '')?.status).toBe(403);
		const noChallenge = request({ method: 'GET', url: `/webhook/h?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}` });
		expect(answerHandshake(META, 'unsigned', noChallenge, { verifyToken: VERIFY_TOKEN })?.status).toBe(403);
		// Not a subscription check: no rule applies (the method check answers it).
		expect(answerHandshake(META, 'unsigned', request({ method: 'GET', url: '/webhook/h?hub.mode=unsubscribe' }), { verifyToken: VERIFY_TOKEN })).toBeUndefined();
		expect(answerHandshake(META, 'signed', request({ method: 'GET', url: '/webhook/h?hub.mode=subscribe' }), { verifyToken: VERIFY_TOKEN })).toBeUndefined();
	});
});

describe('handshakes: the catalogue\'s signed handshakes', () => {
	const settings = { verifyToken: '' };

	it('Slack url_verification: echoes the challenge as JSON', () => {
		const body = { type: 'url_verification', challenge: 'chal-123', token: 'x' };
		expect(answerHandshake(providerById('slack')!.handshakes, 'signed', request({ body }), settings)).toEqual({ status: 200, body: { challenge: 'chal-123' } });
		expect(answerHandshake(providerById('slack')!.handshakes, 'signed', request({ body: { type: 'event_callback' } }), settings)).toBeUndefined();
	});

	it('Discord PING: answers {type: 1}', () => {
		const rules = providerById('discord')!.handshakes;
		expect(answerHandshake(rules, 'signed', request({ body: { id: 'p1', type: 1 } }), settings)).toEqual({ status: 200, body: { type: 1 } });
		expect(answerHandshake(rules, 'signed', request({ body: { id: 'c1', type: 2 } }), settings)).toBeUndefined();
	});

	it('Zoom endpoint.url_validation: HMAC-SHA256 (hex) of the plain token with the secret that verified the request', () => {
		const rules = providerById('zoom')!.handshakes;
		const body = { event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' } };
		const secrets = { secret: 'new-token', previousSecret: 'old-token' };
		const expected = (key: string) => createHmac('sha256', key).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex');
		expect(answerHandshake(rules, 'signed', request({ body }), settings, { secrets, matched: 'current' })?.body).toEqual({
			plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
			encryptedToken: expected('new-token'),
		});
		expect(answerHandshake(rules, 'signed', request({ body }), settings, { secrets, matched: 'previous' })?.body).toMatchObject({ encryptedToken: expected('old-token') });
		// Without a key the answer cannot be made: refused, never answered with a MAC of nothing.
		expect(answerHandshake(rules, 'signed', request({ body }), settings, {})?.status).toBe(403);
	});
});

describe('handshakes: response kinds', () => {
	const settings = { verifyToken: '' };

	it('text with extra headers, from the query (a GET echo)', () => {
		const rules: HandshakeRule[] = [
			{
				phase: 'unsigned',
				method: 'GET',
				when: [{ source: { query: 'challenge' }, present: true }],
				respond: { text: { query: 'challenge' }, headers: { 'x-content-type-options': 'nosniff' } },
				docsUrl: 'https://example.test',
			},
		];
		expect(answerHandshake(rules, 'unsigned', request({ method: 'GET', url: '/h?challenge=abc%20d' }), settings)).toEqual({
			status: 200,
			body: 'abc d',
			headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
		});
		// Wrong method: not this handshake.
		expect(answerHandshake(rules, 'unsigned', request({ method: 'POST', url: '/h?challenge=abc' }), settings)).toBeUndefined();
	});

	it('headers echoed on an empty 200 (a header echo)', () => {
		const rules: HandshakeRule[] = [
			{
				phase: 'unsigned',
				when: [{ source: { header: 'x-hook-secret' }, present: true }],
				respond: { headers: { 'X-Hook-Secret': { header: 'x-hook-secret' } } },
				docsUrl: 'https://example.test',
			},
		];
		expect(answerHandshake(rules, 'unsigned', request({ headers: { 'x-hook-secret': 's3cr3t' } }), settings)).toEqual({
			status: 200,
			body: '',
			headers: { 'content-type': 'text/plain; charset=utf-8', 'x-hook-secret': 's3cr3t' },
		});
	});

	it('an HMAC answer only for inputs its pattern allows (an unsigned oracle must not sign forged events)', () => {
		const rules: HandshakeRule[] = [
			{
				phase: 'unsigned',
				method: 'GET',
				when: [{ source: { query: 'crc_token' }, present: true }],
				respond: { json: { response_token: { hmacOf: { query: 'crc_token' }, algorithm: 'sha256', encoding: 'base64', prefix: 'sha256=', pattern: /^[A-Za-z0-9_-]{1,64}$/ } } },
				docsUrl: 'https://example.test',
			},
		];
		const keys = { secrets: { secret: 'consumer-secret' } };
		const ok = answerHandshake(rules, 'unsigned', request({ method: 'GET', url: '/h?crc_token=abc_123' }), settings, keys);
		expect(ok?.body).toEqual({ response_token: 'sha256=' + createHmac('sha256', 'consumer-secret').update('abc_123').digest('base64') });
		const forged = encodeURIComponent('{"event":"forged"}');
		expect(answerHandshake(rules, 'unsigned', request({ method: 'GET', url: `/h?crc_token=${forged}` }), settings, keys)?.status).toBe(403);
	});
});
