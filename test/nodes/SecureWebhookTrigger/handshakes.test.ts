import { answerMetaSubscription } from '../../../nodes/SecureWebhookTrigger/handshakes';

// The module object itself (an `import * as` namespace is a copy whose properties a spy would not reach).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof import('node:crypto');

const VERIFY_TOKEN = 'meta-verify-token-of-some-length';

function subscribe(token: string) {
	return answerMetaSubscription({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' }, VERIFY_TOKEN);
}

describe('handshakes: Meta subscription check', () => {
	it('echoes the challenge as text for the right verify token', () => {
		expect(subscribe(VERIFY_TOKEN)).toEqual({ status: 200, body: '1158201444', headers: { 'content-type': 'text/plain; charset=utf-8' } });
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
			expect(subscribe('short').status).toBe(403);
			expect(compare).toHaveBeenCalledTimes(1);
			expect(subscribe(`${VERIFY_TOKEN}-longer`).status).toBe(403);
			expect(compare).toHaveBeenCalledTimes(2);
		} finally {
			compare.mockRestore();
		}
	});

	it('refuses requests that are not a subscription check, and an unconfigured token', () => {
		expect(answerMetaSubscription({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }, VERIFY_TOKEN).status).toBe(403);
		expect(answerMetaSubscription({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' }, '').status).toBe(403);
		expect(answerMetaSubscription({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }, VERIFY_TOKEN).status).toBe(403);
	});
});
