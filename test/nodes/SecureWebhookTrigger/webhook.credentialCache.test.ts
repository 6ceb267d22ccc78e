import { githubDelivery } from '../../helpers/signedRequests';
import { TriggerHarness, type HarnessResult } from '../../helpers/webhookHarness';

const accepted = (result: HarnessResult) => result.status === 200 && result.workflowData !== undefined;

/**
 * The trigger remembers the decrypted credential for `credentialCacheSeconds` (default 10) per workflow, node
 * and credential, so an accepted event costs no credential lookup; a failed verification reads it again.
 */
describe('Secure Webhook Trigger: the remembered credential', () => {
	const harness = new TriggerHarness({ parameters: { path: 'credential-cache' } });
	let node = 0;
	let clock: jest.SpyInstance<number, []>;
	let now: number;

	const configure = (secret: string, settings: Record<string, unknown> = {}, mode: 'webhook' | 'manual' = 'webhook') =>
		harness.configure({
			parameters: { path: 'credential-cache', scheme: 'github', settings },
			credentials: { webhookSigningApi: { secret } },
			nodeId: `credential-cache-${++node}`,
			mode,
		});
	const reads = () => harness.credentialReads.webhookSigningApi ?? 0;

	beforeAll(async () => harness.start());
	afterAll(async () => harness.stop());
	beforeEach(() => {
		now = Date.now();
		clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => clock.mockRestore());

	it('reads the credential once for many accepted events', async () => {
		configure('secret-a');
		const before = reads();
		for (let index = 0; index < 5; index++) expect(accepted(await harness.send(githubDelivery('secret-a')))).toBe(true);
		expect(reads() - before).toBe(1);
	});

	it('reads it again once the cache time has passed', async () => {
		configure('secret-a', { credentialCacheSeconds: 2 });
		const before = reads();
		await harness.send(githubDelivery('secret-a'));
		now += 1999;
		await harness.send(githubDelivery('secret-a'));
		expect(reads() - before).toBe(1);
		now += 1;
		await harness.send(githubDelivery('secret-a'));
		expect(reads() - before).toBe(2);
	});

	it('credentialCacheSeconds 0 reads it for every request', async () => {
		configure('secret-a', { credentialCacheSeconds: 0 });
		const before = reads();
		for (let index = 0; index < 3; index++) expect(accepted(await harness.send(githubDelivery('secret-a')))).toBe(true);
		expect(reads() - before).toBe(3);
	});

	it('test URLs (manual mode) read it for every request', async () => {
		configure('secret-a', {}, 'manual');
		const before = reads();
		for (let index = 0; index < 3; index++) await harness.send(githubDelivery('secret-a'));
		expect(reads() - before).toBe(3);
	});

	it('a new secret saved into the credential applies with the first event signed with it', async () => {
		configure('secret-a');
		expect(accepted(await harness.send(githubDelivery('secret-a')))).toBe(true);
		harness.editCredential('webhookSigningApi', { secret: 'secret-b' });
		now += 1000;
		const result = await harness.send(githubDelivery('secret-b'));
		expect(result.status).toBe(200);
		expect(result.workflowData).toBeDefined();
	});

	it('a flood of bad signatures reads the credential at most once a second', async () => {
		configure('secret-a');
		await harness.send(githubDelivery('secret-a'));
		const before = reads();
		for (let index = 0; index < 20; index++) {
			const result = await harness.send(githubDelivery('wrong-secret'));
			expect(result.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			now += 100;
		}
		// 2 s of bad requests: reads at +1.0 s and +2.0 s after the first load at most.
		expect(reads() - before).toBeLessThanOrEqual(2);
		expect(reads() - before).toBeGreaterThanOrEqual(1);
	});

	it('a removed secret still verifies until the cache time has passed, then not (the documented trade-off)', async () => {
		configure('secret-a', { credentialCacheSeconds: 5 });
		expect(accepted(await harness.send(githubDelivery('secret-a')))).toBe(true);
		harness.editCredential('webhookSigningApi', { secret: 'secret-b' });
		now += 4000;
		expect(accepted(await harness.send(githubDelivery('secret-a')))).toBe(true);
		now += 1000;
		expect((await harness.send(githubDelivery('secret-a'))).status).toBe(401);
	});

	it('two triggers on one credential id in different workflows never share what they remember', async () => {
		configure('secret-a');
		expect(accepted(await harness.send(githubDelivery('secret-a')))).toBe(true);
		// Same node id and credential id, another workflow, and that workflow's view of the credential differs.
		harness.configure({ workflowId: 'another-workflow' });
		harness.editCredential('webhookSigningApi', { secret: 'secret-b' });
		const before = reads();
		expect(accepted(await harness.send(githubDelivery('secret-b')))).toBe(true);
		expect(reads() - before).toBe(1);
	});
});
