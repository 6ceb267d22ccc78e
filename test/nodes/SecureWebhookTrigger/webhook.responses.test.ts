import { githubDelivery } from '../../helpers/signedRequests';
import { TriggerHarness } from '../../helpers/webhookHarness';

/**
 * The answer to an accepted event is n8n's, built from the trigger's webhook description (responseCode,
 * responseData) the way n8n builds it: these tests fail if the harness made the answer up.
 */
describe('Secure Webhook Trigger: the answer to an accepted event comes from its webhook description', () => {
	const harness = new TriggerHarness({ parameters: { path: 'answers' } });
	let node = 0;
	const configure = (parameters: Record<string, unknown>) =>
		harness.configure({
			parameters: { path: 'answers', scheme: 'github', ...parameters },
			credentials: { webhookSigningApi: { secret: 'answers-secret' } },
			nodeId: `answers-${++node}`,
		});

	beforeAll(async () => harness.start());
	afterAll(async () => harness.stop());

	it('by default: 200 {"status":"accepted"}', async () => {
		configure({});
		const result = await harness.send(githubDelivery('answers-secret'));
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ status: 'accepted' });
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('the configured response code and JSON body', async () => {
		configure({ settings: { responseCode: 202, responseBody: '{"ok":true,"queued":1}' } });
		const result = await harness.send(githubDelivery('answers-secret'));
		expect(result.status).toBe(202);
		expect(result.json).toEqual({ ok: true, queued: 1 });
	});

	it('a body that is not JSON is sent as text', async () => {
		configure({ settings: { responseBody: 'thanks' } });
		const result = await harness.send(githubDelivery('answers-secret'));
		expect(result.status).toBe(200);
		expect(result.text).toBe('thanks');
		expect(result.headers['content-type']).toMatch(/^text\//);
	});

	it('a response code outside 2xx is not used (n8n would answer it for an accepted event)', async () => {
		configure({ settings: { responseCode: 500 } });
		const result = await harness.send(githubDelivery('answers-secret'));
		expect(result.status).toBe(200);
	});

	it('When Last Node Finishes: the last node\'s first item, here the trigger\'s own item', async () => {
		configure({ responseMode: 'lastNode' });
		const delivery = githubDelivery('answers-secret', 'delivery-last-node');
		const result = await harness.send(delivery);
		expect(result.status).toBe(200);
		expect(result.json).toMatchObject({ event: 'issues.opened', id: 'delivery-last-node', verification: { scheme: 'github' } });
	});
});
