import { REDACTED, scrubSecrets } from '../../../nodes/shared/redaction';

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
