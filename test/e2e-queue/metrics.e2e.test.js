'use strict';

const { randomUUID } = require('node:crypto');

const { freePort, nodeOutput } = require('../../scripts/lib');
const { sampleSum, scrapeMetrics } = require('../../scripts/lib/prometheusText');
const { FIXTURES, signFor, standardWebhooksSecret } = require('../e2e/helpers/schemeFixtures');
const { SENDER_TYPE } = require('../e2e/helpers/package');
const { connect, noOpNode, triggerNode, uniquePath } = require('../e2e/helpers/workflows');
const { clusterState, mainClient, publicWebhookUrl } = require('./helpers/cluster');
const { post, SCHEME } = require('./helpers/signedTraffic');

/**
 * Queue mode: every n8n process serves its own /metrics. The trigger counts on the processes that receive
 * webhooks (the webhook processes; main runs with N8N_DISABLE_PRODUCTION_MAIN_PROCESS), the Signed Webhook
 * where executions run (the workers). Each process is scraped before and after; counts are deltas.
 */
const T = 'n8n_secure_webhook_trigger_requests_total';
const D = 'n8n_signed_webhook_deliveries_total';
const A = 'n8n_signed_webhook_attempts_total';

describe('metrics per process in queue mode', () => {
	const client = mainClient();

	function processes() {
		const state = clusterState();
		return [{ name: 'main', url: state.mainUrl }, ...state.webhooks, ...state.workers];
	}
	const scrapeAll = async () => Object.fromEntries(await Promise.all(processes().map(async ({ name, url }) => [name, await scrapeMetrics(url)])));
	const delta = (before, after, processName, name, labels) => sampleSum(after[processName], name, labels) - sampleSum(before[processName], name, labels);
	const byProcess = (before, after, name, labels) => Object.fromEntries(processes().map((entry) => [entry.name, delta(before, after, entry.name, name, labels)]));

	test('the trigger counts on the webhook processes, the sender on the worker, nothing on main', async () => {
		const key = standardWebhooksSecret();
		const credential = await client.createCredential({ name: `queue metrics ${Date.now()}`, type: 'webhookSigningApi', data: FIXTURES[SCHEME].credential(key) });
		const path = uniquePath('queue-metrics');
		const trigger = triggerNode({ path, scheme: SCHEME, credential, parameters: { events: 'order.*' } });
		const receiver = await client.createActiveWorkflow({ name: 'Queue metrics receiver', nodes: [trigger], connections: {}, settings: {} });
		const closedPort = await freePort();
		const sender = await client.createWorkflow({
			name: 'Queue metrics sender',
			nodes: [
				{ id: randomUUID(), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: randomUUID(), name: 'Order', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { mode: 'raw', jsonOutput: '{"type":"order.created"}', options: {} } },
				{
					id: randomUUID(),
					name: 'Signed Webhook',
					type: SENDER_TYPE,
					typeVersion: 1,
					position: [400, 0],
					parameters: { urls: `${publicWebhookUrl(path)}\nhttp://127.0.0.1:${closedPort}/down`, eventType: 'order.created', scheme: 'standardWebhooks', retrySchedule: 'explicit', retryDelays: '100ms' },
					credentials: { webhookSigningApi: { id: credential.id, name: credential.name } },
				},
				noOpNode('Delivered', [650, -100]),
				noOpNode('Dead letter', [650, 100]),
			],
			connections: connect([
				['Manual Trigger', 'Order'],
				['Order', 'Signed Webhook'],
				['Signed Webhook', 'Delivered', 0],
				['Signed Webhook', 'Dead letter', 1],
			]),
			settings: { executionOrder: 'v1' },
		});

		const before = await scrapeAll();
		const url = publicWebhookUrl(path);
		const body = (id, type) => Buffer.from(JSON.stringify({ type, data: { id } }));
		const sendSigned = async ({ id = `msg_${randomUUID()}`, type = 'order.created', signingKey = key } = {}) => {
			const payload = body(id, type);
			const headers = signFor(SCHEME, FIXTURES[SCHEME], { payload, key: signingKey, timestampSeconds: Math.floor(Date.now() / 1000), id, url });
			return await post(url, { body: payload, headers: { 'content-type': 'application/json', ...headers } });
		};
		const statuses = [];
		for (let index = 0; index < 4; index++) statuses.push((await sendSigned()).status);
		statuses.push((await sendSigned({ type: 'customer.created' })).status);
		statuses.push((await sendSigned({ signingKey: standardWebhooksSecret() })).status);
		expect(statuses).toEqual([200, 200, 200, 200, 200, 401]);

		const started = await client.runWorkflowManually(sender.id, { triggerToStartFrom: { name: 'Manual Trigger' } });
		const execution = await client.waitForExecution(started.executionId, { timeoutMs: 60000 });
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Signed Webhook', { output: 0 })).toHaveLength(1);
		expect(nodeOutput(execution, 'Signed Webhook', { output: 1 })).toHaveLength(1);
		await client.waitForExecutions(receiver.id, { count: 5 });

		const after = await scrapeAll();
		const sum = (counts) => Object.values(counts).reduce((total, value) => total + value, 0);
		const webhookNames = clusterState().webhooks.map((webhook) => webhook.name);
		const workerNames = clusterState().workers.map((worker) => worker.name);
		const onWebhooks = (counts) => sum(Object.fromEntries(webhookNames.map((name) => [name, counts[name]])));
		const onWorkers = (counts) => sum(Object.fromEntries(workerNames.map((name) => [name, counts[name]])));

		const accepted = byProcess(before, after, T, { workflow_id: receiver.id, outcome: 'accepted' });
		const ignored = byProcess(before, after, T, { workflow_id: receiver.id, outcome: 'ignored' });
		const rejected = byProcess(before, after, T, { workflow_id: receiver.id, outcome: 'rejected', reason: 'invalid_signature' });
		const delivered = byProcess(before, after, D, { outcome: 'delivered' });
		const deadLetters = byProcess(before, after, D, { outcome: 'dead_letter', host: `127.0.0.1:${closedPort}` });
		const connectionErrors = byProcess(before, after, A, { result: 'connection_error' });
		process.stdout.write(`[queue metrics] accepted by process ${JSON.stringify(accepted)}; delivered by process ${JSON.stringify(delivered)}\n`);

		// 4 signed events + the Signed Webhook's delivery, spread over the webhook processes by the proxy.
		expect({ webhooks: onWebhooks(accepted), main: accepted.main, workers: onWorkers(accepted) }).toEqual({ webhooks: 5, main: 0, workers: 0 });
		expect({ webhooks: onWebhooks(ignored), main: ignored.main }).toEqual({ webhooks: 1, main: 0 });
		expect({ webhooks: onWebhooks(rejected), main: rejected.main }).toEqual({ webhooks: 1, main: 0 });
		expect({ workers: onWorkers(delivered), main: delivered.main, webhooks: onWebhooks(delivered) }).toEqual({ workers: 1, main: 0, webhooks: 0 });
		expect({ workers: onWorkers(deadLetters), main: deadLetters.main }).toEqual({ workers: 1, main: 0 });
		expect({ workers: onWorkers(connectionErrors), main: connectionErrors.main }).toEqual({ workers: 2, main: 0 });
		// Every process serves its own page with n8n's metrics on it.
		for (const entry of processes()) expect(after[entry.name].some((sample) => sample.name.startsWith('n8n_'))).toBe(true);
		await client.deactivateWorkflow(receiver.id);
	});
});
