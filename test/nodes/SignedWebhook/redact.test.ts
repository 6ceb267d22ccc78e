import { redactUrl } from '../../../nodes/SignedWebhook/redact';

describe('redactUrl', () => {
	it('removes a password and keeps the rest', () => {
		expect(redactUrl('https://user:hunter2@example.com/hook?x=1')).toBe('https://user:redacted@example.com/hook?x=1');
		expect(redactUrl('https://example.com/hook')).toBe('https://example.com/hook');
		expect(redactUrl('not a url')).toBe('not a url');
	});
});
