'use strict';

const { randomUUID } = require('node:crypto');

const { waitFor } = require('../../scripts/lib');
const { CREDENTIAL_TYPE } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { FIXTURES, signedRequest } = require('./helpers/schemeFixtures');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

const WAIT_SECONDS = 5;

/**
 * "Respond: When Last Node Finishes": n8n answers only once the workflow has run, so the event id stays claimed for
 * that whole time. A provider's retry meanwhile must be told 409 "retry later" (not run again, not "duplicate" of an
 * event whose workflow might still fail), and the event is a duplicate once n8n has answered.
 */
describe('Respond: When Last Node Finishes, with a workflow that takes a while', () => {
	const client = restClient();
	const key = FIXTURES.stripe.newKey();
	let path;
	let active;

	beforeAll(async () => {
		const credential = await client.createCredential({ name: 'e2e last node', type: CREDENTIAL_TYPE, data: FIXTURES.stripe.credential(key) });
		path = uniquePath('last-node');
		const trigger = triggerNode({ path, scheme: 'stripe', credential, parameters: { ...FIXTURES.stripe.parameters, responseMode: 'lastNode' } });
		const wait = {
			id: randomUUID(),
			name: 'Wait',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [300, 0],
			webhookId: randomUUID(),
			parameters: { amount: WAIT_SECONDS, unit: 'seconds' },
		};
		active = await client.createActiveWorkflow(workflow('e2e last node', [trigger, wait], [[trigger.name, wait.name]]));
	});

	afterAll(() => active && client.deactivateWorkflow(active.id).catch(() => {}));

	test('a retry while the workflow runs gets 409; the answer carries the last node\'s output; a retry after it is a duplicate', async () => {
		const id = `evt_${randomUUID()}`;
		const request = signedRequest('stripe', { key, id });
		const sentAt = Date.now();
		const first = send(productionUrl(path), request);
		// The id is claimed before n8n starts the execution: once it runs (in the Wait), the retry must meet the claim.
		await waitFor(async () => (await client.listExecutions(active.id)).some((execution) => execution.status === 'running'), {
			timeoutMs: 10000,
			intervalMs: 50,
			description: 'the execution to be running',
		});
		const retryWhileRunning = await send(productionUrl(path), request);
		expect(retryWhileRunning.status).toBe(409);
		expect(retryWhileRunning.body).toEqual({ error: 'event is being processed, retry later' });
		expect(retryWhileRunning.headers.get('retry-after')).toBe('5');

		const answer = await first;
		expect(Date.now() - sentAt).toBeGreaterThanOrEqual(WAIT_SECONDS * 1000);
		expect(answer.status).toBe(200);
		// As with n8n's Webhook node: the first item the last node produced, here the trigger's item after the Wait.
		expect(answer.body).toEqual(expect.objectContaining({ event: FIXTURES.stripe.acceptedType, id }));
		expect(answer.text).not.toContain(key);

		const retryAfter = await send(productionUrl(path), request);
		expect(retryAfter.status).toBe(200);
		expect(retryAfter.body).toEqual({ status: 'duplicate' });

		const executions = await client.waitForExecutions(active.id, { count: 1 });
		expect(executions).toHaveLength(1);
		expect(executions[0].status).toBe('success');
	});
});
