import { SecureWebhookTrigger } from '../../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';
import { MAX_REPLAY_MAX_ENTRIES } from '../../../nodes/shared/stores/replayStore';
import { githubDelivery } from '../../helpers/signedRequests';
import { TriggerHarness } from '../../helpers/webhookHarness';

const SECRET = 'dedupe-limit-secret';

/** De-Duplication Max Entries: bounded in the editor and in code, and changing it keeps what the store remembers. */
describe('Secure Webhook Trigger: the de-duplication limit', () => {
	const harness = new TriggerHarness({ parameters: { path: 'dedupe-limit' } });
	const configure = (dedupeMaxEntries: number) =>
		harness.configure({
			parameters: { path: 'dedupe-limit', scheme: 'github', settings: { dedupeMaxEntries } },
			credentials: { webhookSigningApi: { secret: SECRET } },
			nodeId: 'dedupe-limit-node',
		});

	beforeAll(async () => harness.start());
	afterAll(async () => harness.stop());

	it('an event accepted before the limit was changed is still a duplicate after', async () => {
		configure(100);
		const delivery = githubDelivery(SECRET, 'delivery-before-change');
		expect((await harness.send(delivery)).json).toEqual({ status: 'accepted' });
		configure(5000);
		const retried = await harness.send(delivery);
		expect(retried.json).toEqual({ status: 'duplicate' });
		expect(retried.workflowData).toBeUndefined();
	});

	it('a limit above the maximum (a workflow saved through the API) still works, at the maximum', async () => {
		configure(10 ** 12);
		expect((await harness.send(githubDelivery(SECRET))).json).toEqual({ status: 'accepted' });
	});

	it('the editor refuses a limit above the maximum', () => {
		const settings = new SecureWebhookTrigger().description.properties.find((property) => property.name === 'settings');
		const option = (settings?.options as Array<{ name: string; typeOptions?: Record<string, unknown> }>).find(
			(entry) => entry.name === 'dedupeMaxEntries',
		);
		expect(option?.typeOptions).toMatchObject({ minValue: 1, maxValue: MAX_REPLAY_MAX_ENTRIES });
	});
});
