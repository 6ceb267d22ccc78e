import { ALWAYS_SENSITIVE_HEADERS, REDACTED, redactHeaders, scrubSecrets } from '../../../nodes/shared/redaction';

describe('redactHeaders (the trigger\'s items and the sender\'s outputs)', () => {
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

	it('one always-sensitive list for both nodes: credentials-like headers whatever the scheme', () => {
		const headers = Object.fromEntries(ALWAYS_SENSITIVE_HEADERS.map((name) => [name.toUpperCase(), 'secret-value']));
		expect(Object.values(redactHeaders(headers, []))).toEqual(ALWAYS_SENSITIVE_HEADERS.map(() => REDACTED));
		expect(ALWAYS_SENSITIVE_HEADERS).toEqual(expect.arrayContaining(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-gitlab-token']));
	});

	it('keeps repeated headers (arrays) and drops absent ones', () => {
		expect(redactHeaders({ 'x-forwarded-for': ['1.2.3.4', '5.6.7.8'], 'x-none': undefined, 'x-signature': ['a', 'b'] }, ['x-signature'])).toEqual({
			'x-forwarded-for': ['1.2.3.4', '5.6.7.8'],
			'x-signature': REDACTED,
		});
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
