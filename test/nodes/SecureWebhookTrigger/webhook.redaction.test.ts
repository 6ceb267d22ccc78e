import { githubDelivery } from '../../helpers/signedRequests';
import { TriggerHarness } from '../../helpers/webhookHarness';

/** The item's headers are redacted with the one list both nodes share (nodes/shared/redaction.ts). */
describe('Secure Webhook Trigger: redacted headers in the item', () => {
	const harness = new TriggerHarness({
		parameters: { path: 'redaction', scheme: 'github' },
		credentials: { webhookSigningApi: { secret: 'redaction-secret' } },
	});
	beforeAll(async () => harness.start());
	afterAll(async () => harness.stop());

	it('credentials-like headers of any kind are redacted, as the Signed Webhook node redacts them', async () => {
		const delivery = githubDelivery('redaction-secret');
		const result = await harness.send({
			...delivery,
			headers: { ...delivery.headers, 'x-api-key': 'key-1234567890', 'x-gitlab-token': 'token-1234567890', cookie: 'session=1', 'x-other': 'kept' },
		});
		const headers = result.workflowData![0][0].json.headers as Record<string, string>;
		expect(headers['x-api-key']).toBe('[redacted]');
		expect(headers['x-gitlab-token']).toBe('[redacted]');
		expect(headers.cookie).toBe('[redacted]');
		expect(headers['x-hub-signature-256']).toBe('[redacted]');
		expect(headers['x-other']).toBe('kept');
	});
});
