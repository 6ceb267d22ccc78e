import { REDACTED, redactHeaders, redactUrl, scrubSecrets } from '../../../nodes/SignedWebhook/redact';

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

describe('scrubSecrets', () => {
	it('removes every occurrence of each secret', () => {
		expect(scrubSecrets('key whsec_abc123 and again whsec_abc123', ['whsec_abc123', undefined, ''])).toBe(
			`key ${REDACTED} and again ${REDACTED}`,
		);
	});

	it('removes single lines of a PEM key quoted on their own', () => {
		const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\nAwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
		const message = 'bad key near MIGHAgEAMBMGByqGSM49AgEGCCqGSM49 in input';
		expect(scrubSecrets(message, [pem])).toBe(`bad key near ${REDACTED} in input`);
		expect(scrubSecrets(`whole: ${pem}`, [pem])).toBe(`whole: ${REDACTED}`);
	});

	it('leaves text without secrets alone', () => {
		expect(scrubSecrets('ECONNREFUSED', ['s3cret-value'])).toBe('ECONNREFUSED');
	});
});
