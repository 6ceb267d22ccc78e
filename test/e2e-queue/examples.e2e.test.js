'use strict';

const { randomUUID } = require('node:crypto');

const { demoRequest } = require('../../scripts/lib');
const { QUEUE_TRIGGER_SETTINGS, importQueueExamples } = require('../../scripts/lib/queue');
const { clusterState, mainClient } = require('./helpers/cluster');
const { executedEvents, waitForDrain } = require('./helpers/executions');
const { post } = require('./helpers/signedTraffic');

/** The example workflows as `npm run start:queue` imports them (Redis stores), driven through the proxy. */
describe('queue mode: example workflows with Redis stores', () => {
	const client = mainClient();
	let imported;

	beforeAll(async () => {
		imported = await importQueueExamples(client, { publicBaseUrl: clusterState().publicUrl, suffix: ` q-${randomUUID().slice(0, 6)}` });
	});

	afterAll(() => Promise.all((imported ?? []).map((entry) => client.deactivateWorkflow(entry.workflowId).catch(() => {}))));

	test('imported with dedupeStore and rateLimitStore set to redis', () => {
		for (const entry of imported) {
			expect(entry.triggerParameters.dedupeStore).toBe('redis');
			expect(entry.triggerParameters.settings).toEqual(expect.objectContaining(QUEUE_TRIGGER_SETTINGS.settings));
		}
	});

	test('each demo event: accepted, the repeat a duplicate, one successful execution on a worker', async () => {
		for (const entry of imported) {
			const request = demoRequest(entry);
			const first = await post(request.url, request);
			const repeat = await post(request.url, request);
			expect([entry.name, first.status, first.body]).toEqual([entry.name, 200, { status: 'accepted' }]);
			expect([entry.name, repeat.status, repeat.body]).toEqual([entry.name, 200, { status: 'duplicate' }]);
			const { finished } = await waitForDrain(client, entry.workflowId, { atLeast: 1 });
			const [execution] = await executedEvents(client, finished, entry.triggerName);
			expect(finished).toHaveLength(1);
			expect(execution.status).toBe('success');
		}
	});
});
