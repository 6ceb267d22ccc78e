import * as requestChecks from '../../../nodes/SecureWebhookTrigger/requestChecks';
import { MemoryReplayStore } from '../../../nodes/shared/stores/replayStore';
import { githubDelivery } from '../../helpers/signedRequests';
import { TriggerHarness } from '../../helpers/webhookHarness';

const SECRET = 'log-scrub-secret-value-0123456789';
const PREVIOUS = 'log-scrub-previous-secret-9876543210';

/**
 * An unexpected error is answered 500 and logged. A library may quote its input in an error message: the log line
 * goes through the same scrubbing as the Signed Webhook node's errors (nodes/shared/redaction.ts).
 */
describe('Secure Webhook Trigger: error messages in the log carry no secret', () => {
	const harness = new TriggerHarness({
		parameters: { path: 'log-scrub', scheme: 'github' },
		credentials: { webhookSigningApi: { secret: SECRET, previousSecret: PREVIOUS } },
	});
	let checks: jest.SpyInstance | undefined;

	beforeAll(async () => harness.start());
	afterAll(async () => harness.stop());
	afterEach(() => {
		checks?.mockRestore();
		checks = undefined;
	});

	it('the catch-all error log replaces the secrets the request read', async () => {
		checks = jest.spyOn(requestChecks, 'runRequestChecks').mockImplementation(async (_config, _request, env) => {
			const secrets = await env.loadSecrets();
			throw new Error(`key material rejected: "${secrets.secret}" (previous "${secrets.previousSecret}")`);
		});
		const result = await harness.send(githubDelivery(SECRET));
		expect(result.status).toBe(500);
		expect(result.json).toEqual({ error: 'internal error' });
		const errors = harness.logs.filter((line) => line.startsWith('error: '));
		expect(errors).toHaveLength(1);
		expect(errors[0]).toContain('key material rejected: "[redacted]" (previous "[redacted]")');
		for (const line of harness.logs) {
			expect(line).not.toContain(SECRET);
			expect(line).not.toContain(PREVIOUS);
		}
		expect(result.text).not.toContain(SECRET);
	});

	it('one line of a PEM key quoted on its own is replaced too', async () => {
		const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\nAwEHBG0wawIBAQQgPemLineTwo\n-----END PRIVATE KEY-----';
		harness.configure({ credentials: { webhookSigningApi: { secret: pem } } });
		checks = jest.spyOn(requestChecks, 'runRequestChecks').mockImplementation(async (_config, _request, env) => {
			await env.loadSecrets();
			throw new Error('unsupported key near MIGHAgEAMBMGByqGSM49AgEGCCqGSM49');
		});
		const before = harness.logs.length;
		await harness.send(githubDelivery(SECRET));
		const lines = harness.logs.slice(before);
		expect(lines.join('\n')).toContain('unsupported key near [redacted]');
		expect(lines.join('\n')).not.toContain('MIGHAgEAMBMGByqGSM49AgEGCCqGSM49');
	});

	it('the warning when an accepted event id cannot be recorded replaces the secrets too', async () => {
		harness.configure({ credentials: { webhookSigningApi: { secret: SECRET, previousSecret: PREVIOUS } } });
		checks = jest.spyOn(MemoryReplayStore.prototype, 'confirm').mockRejectedValue(new Error(`store refused "${SECRET}"`));
		const before = harness.logs.length;
		const result = await harness.send(githubDelivery(SECRET));
		expect(result.status).toBe(200);
		const lines = harness.logs.slice(before);
		expect(lines).toEqual([expect.stringMatching(/^warn: .*could not record an accepted event id.*store refused "\[redacted\]"$/)]);
	});
});
