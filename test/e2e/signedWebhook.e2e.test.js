'use strict';

const { randomUUID } = require('node:crypto');

const { freePort, nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE, SENDER_TYPE } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { standardWebhooksSecret } = require('./helpers/schemeFixtures');
const { connect, noOpNode, triggerNode, uniquePath } = require('./helpers/workflows');

/**
 * Signed Webhook → Secure Webhook Trigger on the same n8n: one workflow sends, another receives, both
 * with the same "Webhook Signing Secret" credential. Sender workflows run like the editor's "Execute
 * workflow" (POST /rest/workflows/:id/run from the Manual Trigger).
 */
describe('Signed Webhook delivers to a Secure Webhook Trigger', () => {
	const client = restClient();
	const secret = standardWebhooksSecret();
	let credential;
	let receiverId;
	let receiverUrl;

	/** Manual Trigger → "Order" (Set) → Signed Webhook → Delivered / Dead letter NoOps. */
	function senderWorkflow(name, urls, retry) {
		const nodes = [
			{ id: randomUUID(), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: randomUUID(),
				name: 'Order',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: {
					mode: 'raw',
					jsonOutput: JSON.stringify({ type: 'order.created', orderId: 1042, total: 99.5 }),
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Signed Webhook',
				type: SENDER_TYPE,
				typeVersion: 1,
				position: [400, 0],
				parameters: { urls, method: 'POST', payloadSource: 'item', eventType: 'order.created', scheme: 'standardWebhooks', ...retry },
				credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
			noOpNode('Delivered', [650, -100]),
			noOpNode('Dead letter', [650, 100]),
		];
		const connections = connect([
			['Manual Trigger', 'Order'],
			['Order', 'Signed Webhook'],
			['Signed Webhook', 'Delivered', 0],
			['Signed Webhook', 'Dead letter', 1],
		]);
		return { name, nodes, connections, settings: { executionOrder: 'v1' } };
	}

	async function runSender(workflowId) {
		const started = await client.runWorkflowManually(workflowId, { triggerToStartFrom: { name: 'Manual Trigger' } });
		expect(started.executionId).toBeDefined();
		const execution = await client.waitForExecution(started.executionId, { timeoutMs: 60000 });
		return {
			execution,
			delivered: nodeOutput(execution, 'Signed Webhook', { output: 0 }) ?? [],
			deadLetters: nodeOutput(execution, 'Signed Webhook', { output: 1 }) ?? [],
		};
	}

	beforeAll(async () => {
		credential = await client.createCredential({ name: 'e2e signed webhook', type: CREDENTIAL_TYPE, data: { secret } });
		const path = uniquePath('signed-webhook');
		receiverUrl = productionUrl(path);
		const trigger = triggerNode({ path, scheme: 'standardWebhooks', credential, parameters: { events: 'order.*' } });
		receiverId = (await client.createActiveWorkflow({ name: 'e2e signed webhook receiver', nodes: [trigger], connections: {}, settings: {} })).id;
	});

	afterAll(() => client.deactivateWorkflow(receiverId).catch(() => {}));

	let senderId;

	test('an item sent by the Signed Webhook node starts the receiving workflow once, verified', async () => {
		senderId = (
			await client.createWorkflow(
				senderWorkflow('e2e signed webhook sender', receiverUrl, { retrySchedule: 'explicit', retryDelays: '200ms, 200ms' }),
			)
		).id;
		const { execution, delivered, deadLetters } = await runSender(senderId);
		expect(execution.status).toBe('success');
		expect(deadLetters).toHaveLength(0);
		expect(delivered).toHaveLength(1);
		expect(delivered[0]).toMatchObject({ status: 200, attempts: 1, eventType: 'order.created' });

		const [received] = await client.waitForExecutions(receiverId, { count: 1 });
		const [item] = nodeOutput(received, 'Secure Webhook Trigger');
		expect(item.body).toEqual({ type: 'order.created', orderId: 1042, total: 99.5 });
		expect(item.event).toBe('order.created');
		expect(item.id).toBe(delivered[0].eventId);
		expect(item.verification).toEqual({ scheme: 'standardWebhooks', matched: 'current' });
		expect(item.headers['webhook-signature']).toBe('[redacted]');
	});

	test('with the receiving workflow deactivated, the item ends in "Dead letter" (n8n answers 404, a final status)', async () => {
		await client.deactivateWorkflow(receiverId);
		const { execution, delivered, deadLetters } = await runSender(senderId);
		expect(execution.status).toBe('success');
		expect(delivered).toHaveLength(0);
		expect(deadLetters).toHaveLength(1);
		// 404 is the receiver's final word: the retry policy does not repeat it.
		expect(deadLetters[0]).toMatchObject({ status: 404, attempts: 1, eventType: 'order.created' });
		expect(deadLetters[0].payload).toEqual({ type: 'order.created', orderId: 1042, total: 99.5 });
		expect(deadLetters[0].sentHeaders['webhook-signature']).toBe('[redacted]');
		expect(await client.listExecutions(receiverId)).toHaveLength(1);
	});

	test('with nothing listening, the item ends in "Dead letter" after exactly the configured attempts', async () => {
		const closedPort = await freePort();
		const id = (
			await client.createWorkflow(
				senderWorkflow('e2e signed webhook unreachable', `http://127.0.0.1:${closedPort}/webhook/nowhere`, {
					retrySchedule: 'exponential',
					retryMaxAttempts: 3,
					retryBaseDelayMs: 100,
					retryFactor: 1,
					retryMaxDelayMs: 100,
					retryJitter: 0,
				}),
			)
		).id;
		const { execution, delivered, deadLetters } = await runSender(id);
		expect(execution.status).toBe('success');
		expect(delivered).toHaveLength(0);
		expect(deadLetters).toHaveLength(1);
		expect(deadLetters[0]).toMatchObject({ status: null, attempts: 3 });
		expect(deadLetters[0].attemptLog).toHaveLength(3);
	});
});
