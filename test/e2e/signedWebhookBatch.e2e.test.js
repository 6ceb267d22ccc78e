'use strict';

const { randomUUID } = require('node:crypto');

const { nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE, SENDER_TYPE } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { standardWebhooksSecret } = require('./helpers/schemeFixtures');
const { connect, noOpNode, triggerNode, uniquePath } = require('./helpers/workflows');

/**
 * Batches in both directions on live n8n: the Signed Webhook node sends 100 items as one signed batch, and a Secure
 * Webhook Trigger with Split Batches verifies it and turns it into one execution with 100 items (the design: one
 * execution per batch, one item per event). Events are de-duplicated one by one: the same events in a new batch
 * start nothing, and a batch that mixes seen and new events starts only the new ones.
 */
describe('Signed Webhook batches, split by the Secure Webhook Trigger', () => {
	const client = restClient();
	const secret = standardWebhooksSecret();
	const run = randomUUID().slice(0, 8);
	const ids = (from, to) => Array.from({ length: to - from }, (_, offset) => `batch-${run}-${from + offset}`);
	let credential;
	let receiverId;
	let receiverUrl;

	/** Manual Trigger → "Orders" (Set, the list) → Split Out → Signed Webhook (batches of up to 100) → Delivered / Dead letter. */
	async function sendBatch(eventIds, format) {
		const orders = eventIds.map((id, index) => ({ id, n: index }));
		const nodes = [
			{ id: randomUUID(), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: randomUUID(),
				name: 'Orders',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ orders }), options: {} },
			},
			{
				id: randomUUID(),
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'orders', include: 'noOtherFields', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Signed Webhook',
				type: SENDER_TYPE,
				typeVersion: 1,
				position: [600, 0],
				parameters: {
					urls: receiverUrl,
					eventId: '={{ $json.id }}',
					eventType: 'order.created',
					scheme: 'standardWebhooks',
					batching: true,
					batchMaxItems: 100,
					batchFormat: format,
					retrySchedule: 'explicit',
					retryDelays: '200ms',
				},
				credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
			noOpNode('Delivered', [850, -100]),
			noOpNode('Dead letter', [850, 100]),
		];
		const connections = connect([
			['Manual Trigger', 'Orders'],
			['Orders', 'Split Out'],
			['Split Out', 'Signed Webhook'],
			['Signed Webhook', 'Delivered', 0],
			['Signed Webhook', 'Dead letter', 1],
		]);
		const { id } = await client.createWorkflow({ name: `e2e batch sender (${format})`, nodes, connections, settings: { executionOrder: 'v1' } });
		const started = await client.runWorkflowManually(id, { triggerToStartFrom: { name: 'Manual Trigger' } });
		const execution = await client.waitForExecution(started.executionId, { timeoutMs: 60_000 });
		expect(execution.status).toBe('success');
		return {
			delivered: nodeOutput(execution, 'Signed Webhook', { output: 0 }) ?? [],
			deadLetters: nodeOutput(execution, 'Signed Webhook', { output: 1 }) ?? [],
		};
	}

	/** The items the receiving workflow's executions started with, oldest execution first. */
	async function receivedExecutions(count) {
		const executions = await client.waitForExecutions(receiverId, { count, timeoutMs: 60_000 });
		return executions.map((execution) => nodeOutput(execution, 'Secure Webhook Trigger'));
	}

	beforeAll(async () => {
		credential = await client.createCredential({ name: 'e2e batches', type: CREDENTIAL_TYPE, data: { secret } });
		const path = uniquePath('batches');
		receiverUrl = productionUrl(path);
		const trigger = triggerNode({
			path,
			scheme: 'standardWebhooks',
			credential,
			parameters: { dedupeStore: 'memory' },
			options: { splitBatches: true, allowedContentTypes: 'application/json, application/x-ndjson' },
		});
		receiverId = (await client.createActiveWorkflow({ name: 'e2e batch receiver', nodes: [trigger], connections: {}, settings: {} })).id;
	});

	afterAll(() => client.deactivateWorkflow(receiverId).catch(() => {}));

	test('100 items leave as one signed batch and arrive as one execution with 100 items, each with its own id and the batch id', async () => {
		const first = ids(0, 100);
		const { delivered, deadLetters } = await sendBatch(first, 'eventsObject');
		expect(deadLetters).toEqual([]);
		expect(delivered.map((item) => item.eventId)).toEqual(first);
		const [batchId] = new Set(delivered.map((item) => item.batchId));
		expect(new Set(delivered.map((item) => item.batchId)).size).toBe(1);
		expect(delivered.every((item) => item.batchSize === 100 && item.status === 200 && item.attempts === 1)).toBe(true);

		const [items] = await receivedExecutions(1);
		expect(items).toHaveLength(100);
		expect(items.map((item) => item.id)).toEqual(first);
		expect(items[37]).toMatchObject({
			event: 'order.created',
			body: { id: first[37], type: 'order.created', data: { id: first[37], n: 37 } },
			batch: { id: batchId, index: 37, size: 100 },
			verification: { scheme: 'standardWebhooks', matched: 'current' },
		});
	});

	test('the same events in a new batch start nothing; a batch of 50 seen and 50 new events starts only the new ones', async () => {
		const again = await sendBatch(ids(0, 100), 'jsonArray');
		// The trigger answered 200 "duplicate": for the sender the batch was delivered, for the receiver nothing is new.
		expect(again.delivered).toHaveLength(100);
		expect(again.delivered[0].response.body).toEqual({ status: 'duplicate' });

		const mixed = ids(50, 150);
		const third = await sendBatch(mixed, 'ndjson');
		expect(third.delivered.map((item) => item.eventId)).toEqual(mixed);
		const batchId = third.delivered[0].batchId;

		// The mixed batch's execution exists, and it is the second: the duplicate batch started none.
		const executions = await receivedExecutions(2);
		expect(executions).toHaveLength(2);
		const newItems = executions[1];
		expect(newItems.map((item) => item.id)).toEqual(ids(100, 150));
		expect(newItems.map((item) => item.batch)).toEqual(ids(100, 150).map((_, offset) => ({ id: batchId, index: 50 + offset, size: 100 })));
		expect(await client.countExecutions(receiverId)).toBe(2);
	});
});
