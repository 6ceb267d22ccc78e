import { isRetryable, isSuccessStatus } from '../../../nodes/SignedWebhook/retryPolicy';

describe('retry policy', () => {
	it.each([408, 429, 500, 502, 503, 504, 599])('retries HTTP %i', (status) => {
		expect(isRetryable({ kind: 'response', status })).toBe(true);
	});

	it.each([200, 301, 400, 401, 403, 404, 409, 410, 413, 422, 600])('does not retry HTTP %i', (status) => {
		expect(isRetryable({ kind: 'response', status })).toBe(false);
	});

	it('retries network errors and timeouts, never fatal errors', () => {
		expect(isRetryable({ kind: 'networkError' })).toBe(true);
		expect(isRetryable({ kind: 'timeout' })).toBe(true);
		expect(isRetryable({ kind: 'fatalError' })).toBe(false);
	});

	it('counts only 2xx as delivered', () => {
		expect([199, 200, 204, 299, 300].map(isSuccessStatus)).toEqual([false, true, true, true, false]);
	});
});
