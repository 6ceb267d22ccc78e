import { REDACTED } from '../../../nodes/shared/redaction';
import { redactHeaders, redactUrl } from '../../../nodes/SignedWebhook/redact';

describe('redactHeaders', () => {
	it('replaces the named headers, case-insensitively, and credentials-like headers always', () => {
		const headers = {
			'webhook-signature': 'v1,abc',
			'X-Signature': 'deadbeef',
			authorization: 'Bearer token',
			'content-type': 'application/json',
			'webhook-id': 'msg_1',
		};
		expect(redactHeaders(headers, ['webhook-signature', 'x-signature'])).toEqual({
			'webhook-signature': REDACTED,
			'X-Signature': REDACTED,
			authorization: REDACTED,
			'content-type': 'application/json',
			'webhook-id': 'msg_1',
		});
	});
});

describe('redactUrl', () => {
	it('removes a password and keeps the rest', () => {
		expect(redactUrl('https://user:hunter2@example.com/hook?x=1')).toBe('https://user:redacted@example.com/hook?x=1');
		expect(redactUrl('https://example.com/hook')).toBe('https://example.com/hook');
		expect(redactUrl('not a url')).toBe('not a url');
	});
});
