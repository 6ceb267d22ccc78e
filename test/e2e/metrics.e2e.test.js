'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const { SCRATCH_DIR, REPO_ROOT, freePort, launchLocalN8n, nodeOutput, waitFor } = require('../../scripts/lib');
const { sampleSum, scrapeMetrics } = require('../../scripts/lib/prometheusText');
const { CREDENTIAL_TYPE, SENDER_TYPE, signing, triggerOptionsCollection } = require('./helpers/package');
const { send } = require('./helpers/http');
const { standardWebhooksSecret } = require('./helpers/schemeFixtures');
const { connect, noOpNode, triggerNode, uniquePath } = require('./helpers/workflows');

/**
 * Prometheus metrics on n8n's own /metrics, against a real n8n of its own started with N8N_METRICS=true and
 * N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL=true (the suite's shared n8n runs without metrics, and counters
 * here must not see other files' traffic). Every count is a delta between a scrape before and after.
 */
const T = 'n8n_secure_webhook_trigger_';
const S = 'n8n_signed_webhook_';

describe('metrics on n8n /metrics (N8N_METRICS=true)', () => {
	let n8n;
	let client;
	let credential;
	let secret;
	let options;

	beforeAll(async () => {
		const userFolder = path.join(SCRATCH_DIR, `e2e-metrics-${process.pid}`);
		const local = await launchLocalN8n({
			userFolder,
			fresh: true,
			build: process.env.E2E_SKIP_BUILD !== '1',
			env: { N8N_METRICS: 'true', N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL: 'true' },
			// A fresh database is migrated first, while the suite's shared n8n starts on the same two cores.
			readyTimeoutMs: 300_000,
		});
		n8n = local.n8n;
		client = local.client;
		secret = standardWebhooksSecret();
		credential = await client.createCredential({ name: 'e2e metrics', type: CREDENTIAL_TYPE, data: { secret } });
		options = triggerOptionsCollection();
	}, 420_000);

	afterAll(async () => {
		await n8n?.stop();
	});

	const url = (webhookPath) => `${n8n.baseUrl}/webhook/${webhookPath}`;
	const scrape = () => scrapeMetrics(n8n.baseUrl);
	const delta = (before, after, name, labels) => sampleSum(after, name, labels) - sampleSum(before, name, labels);

	function signedEvent(webhookPath, { id = `msg_${randomUUID()}`, type = 'order.created', key = secret, timestampSeconds, pad = '' } = {}) {
		const payload = Buffer.from(JSON.stringify({ type, data: { id, pad } }));
		const headers = signing().SCHEMES.standardWebhooks.sign({ payload, key, id, timestampSeconds: timestampSeconds ?? Math.floor(Date.now() / 1000) });
		return send(url(webhookPath), { body: payload, headers: { ...headers, 'content-type': 'application/json' } });
	}

	async function activeTrigger(name, settings) {
		const webhookPath = uniquePath(name);
		const trigger = triggerNode({ path: webhookPath, scheme: 'standardWebhooks', credential, parameters: { events: 'order.*' }, options: settings });
		const workflow = await client.createActiveWorkflow({ name: `e2e metrics ${name}`, nodes: [trigger], connections: {}, settings: {} });
		return { id: workflow.id, path: webhookPath };
	}

	test('the trigger: a known mix of requests is counted exactly, by outcome and rejection reason', async () => {
		const receiver = await activeTrigger('mix', { maxBodyBytes: 2048 });
		const limited = await activeTrigger('limited', { rateLimitPerSecond: 0.01, rateLimitBurst: 1 });
		const before = await scrape();

		const now = Math.floor(Date.now() / 1000);
		const statuses = {
			accepted: [await signedEvent(receiver.path, { id: 'msg_1' }), await signedEvent(receiver.path, { id: 'msg_2' }), await signedEvent(receiver.path, { id: 'msg_3' })],
			duplicate: [await signedEvent(receiver.path, { id: 'msg_1' })],
			ignored: [await signedEvent(receiver.path, { id: 'msg_4', type: 'customer.created' })],
			badSignature: [
				await signedEvent(receiver.path, { id: 'msg_5', key: standardWebhooksSecret() }),
				await signedEvent(receiver.path, { id: 'msg_6', key: standardWebhooksSecret() }),
			],
			expired: [await signedEvent(receiver.path, { id: 'msg_7', timestampSeconds: now - 3600 })],
			tooLarge: [await signedEvent(receiver.path, { id: 'msg_8', pad: 'x'.repeat(3000) })],
			unsupported: [await send(url(receiver.path), { body: Buffer.from('raw bytes'), headers: { 'content-type': 'application/octet-stream' } })],
			missing: [await send(url(limited.path), { body: '{}', headers: { 'content-type': 'application/json' } })],
			limited: [await send(url(limited.path), { body: '{}', headers: { 'content-type': 'application/json' } })],
		};
		const answered = Object.fromEntries(Object.entries(statuses).map(([kind, responses]) => [kind, responses.map((response) => response.status)]));
		expect(answered).toEqual({
			accepted: [200, 200, 200],
			duplicate: [200],
			ignored: [200],
			badSignature: [401, 401],
			expired: [401],
			tooLarge: [413],
			unsupported: [415],
			missing: [401],
			limited: [429],
		});
		// One public answer for every signature failure; only the metric tells them apart.
		expect(new Set([...statuses.badSignature, ...statuses.expired, ...statuses.missing].map((response) => response.text))).toEqual(
			new Set(['{"error":"invalid signature"}']),
		);

		const after = await scrape();
		const requests = `${T}requests_total`;
		const on = (workflowId, labels) => delta(before, after, requests, { workflow_id: workflowId, provider: 'standardWebhooks', node_name: 'Secure Webhook Trigger', ...labels });
		expect({
			accepted: on(receiver.id, { outcome: 'accepted', reason: '' }),
			duplicate: on(receiver.id, { outcome: 'duplicate', reason: '' }),
			ignored: on(receiver.id, { outcome: 'ignored', reason: '' }),
			invalid_signature: on(receiver.id, { outcome: 'rejected', reason: 'invalid_signature' }),
			timestamp_out_of_tolerance: on(receiver.id, { outcome: 'rejected', reason: 'timestamp_out_of_tolerance' }),
			payload_too_large: on(receiver.id, { outcome: 'rejected', reason: 'payload_too_large' }),
			unsupported_content_type: on(receiver.id, { outcome: 'rejected', reason: 'unsupported_content_type' }),
			all_on_receiver: on(receiver.id, {}),
			missing_signature: on(limited.id, { outcome: 'rejected', reason: 'missing_signature' }),
			rate_limited: on(limited.id, { outcome: 'rejected', reason: 'rate_limited' }),
			all_on_limited: on(limited.id, {}),
		}).toEqual({
			accepted: 3,
			duplicate: 1,
			ignored: 1,
			invalid_signature: 2,
			timestamp_out_of_tolerance: 1,
			payload_too_large: 1,
			unsupported_content_type: 1,
			all_on_receiver: 10,
			missing_signature: 1,
			rate_limited: 1,
			all_on_limited: 2,
		});
		const duration = `${T}duration_seconds`;
		expect(delta(before, after, `${duration}_count`, { provider: 'standardWebhooks' })).toBe(12);
		expect(delta(before, after, `${duration}_count`, { outcome: 'rejected' })).toBe(7);
		expect(delta(before, after, `${duration}_count`, { outcome: 'accepted' })).toBe(3);
		expect(delta(before, after, `${duration}_bucket`, { outcome: 'rejected', le: '+Inf' })).toBe(7);
		expect(delta(before, after, `${duration}_sum`, {})).toBeGreaterThan(0);

		// n8n's own metrics are on the same page: the package counted into n8n's registry, not a copy of its own.
		expect(after.some((sample) => sample.name === 'n8n_version_info')).toBe(true);
	});

	test('the sender: deliveries that succeed, are retried after Retry-After, and dead-letter are counted exactly', async () => {
		const receiver = await activeTrigger('sender-target', {});
		const busy = await startBusyThenOkReceiver();
		const closedPort = await freePort();
		try {
			const targets = [url(receiver.path), `${busy.url}/orders?token=abc`, `http://127.0.0.1:${closedPort}/nowhere/evt_1`];
			const sender = await client.createWorkflow(senderWorkflow(targets));
			const before = await scrape();
			const started = await client.runWorkflowManually(sender.id, { triggerToStartFrom: { name: 'Manual Trigger' } });
			const execution = await client.waitForExecution(started.executionId, { timeoutMs: 60000 });
			expect(execution.status).toBe('success');
			expect((nodeOutput(execution, 'Signed Webhook', { output: 0 }) ?? []).map((item) => item.attempts)).toEqual([1, 2]);
			expect((nodeOutput(execution, 'Signed Webhook', { output: 1 }) ?? []).map((item) => item.attempts)).toEqual([2]);
			const after = await scrape();

			const n8nHost = new URL(n8n.baseUrl).host;
			const busyHost = new URL(busy.url).host;
			const closedHost = `127.0.0.1:${closedPort}`;
			const d = (name, labels) => delta(before, after, `${S}${name}`, labels);
			expect({
				deliveredToN8n: d('deliveries_total', { outcome: 'delivered', host: n8nHost }),
				deliveredToBusy: d('deliveries_total', { outcome: 'delivered', host: busyHost }),
				deadLetter: d('deliveries_total', { outcome: 'dead_letter', host: closedHost }),
				allDeliveries: d('deliveries_total', {}),
				attempts2xxN8n: d('attempts_total', { result: '2xx', host: n8nHost }),
				attempts5xxBusy: d('attempts_total', { result: '5xx', host: busyHost }),
				attempts2xxBusy: d('attempts_total', { result: '2xx', host: busyHost }),
				connectionErrors: d('attempts_total', { result: 'connection_error', host: closedHost }),
				allAttempts: d('attempts_total', {}),
				retryAfterWaitSeconds: d('retry_after_wait_seconds_total', { host: busyHost }),
				latencyDelivered: d('delivery_duration_seconds_count', { outcome: 'delivered' }),
				latencyDeadLetter: d('delivery_duration_seconds_count', { outcome: 'dead_letter' }),
			}).toEqual({
				deliveredToN8n: 1,
				deliveredToBusy: 1,
				deadLetter: 1,
				allDeliveries: 3,
				attempts2xxN8n: 1,
				attempts5xxBusy: 1,
				attempts2xxBusy: 1,
				connectionErrors: 2,
				allAttempts: 5,
				retryAfterWaitSeconds: 1,
				latencyDelivered: 2,
				latencyDeadLetter: 1,
			});
			// The Retry-After wait (1 s) is inside the retried delivery's latency, so only the other delivery can be in the
			// 1 s bucket: a lower bound, true however slow the machine is.
			expect(d('delivery_duration_seconds_bucket', { outcome: 'delivered', le: '1' })).toBeLessThanOrEqual(1);
			expect(sampleSum(after, `${S}requests_in_flight`)).toBe(0);
			// Hosts only: no path, query or id of a destination is a label.
			const labelValues = after.filter((sample) => sample.name.startsWith(S)).flatMap((sample) => Object.values(sample.labels));
			expect(labelValues.filter((value) => /orders|token|nowhere|evt_/.test(value))).toEqual([]);
			// The delivery to the trigger was accepted there.
			expect(delta(before, after, `${T}requests_total`, { workflow_id: receiver.id, outcome: 'accepted' })).toBe(1);
		} finally {
			await busy.close();
		}
	});

	/** Manual Trigger → Set → Signed Webhook (every URL, one retry after 200 ms) → Delivered / Dead letter. */
	function senderWorkflow(urls) {
		return {
			name: 'e2e metrics sender',
			nodes: [
				{ id: randomUUID(), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: randomUUID(),
					name: 'Order',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [200, 0],
					parameters: { mode: 'raw', jsonOutput: JSON.stringify({ type: 'order.created', orderId: 7 }), options: {} },
				},
				{
					id: randomUUID(),
					name: 'Signed Webhook',
					type: SENDER_TYPE,
					typeVersion: 1,
					position: [400, 0],
					parameters: { urls: urls.join('\n'), method: 'POST', payloadSource: 'item', eventType: 'order.created', scheme: 'standardWebhooks', retrySchedule: 'explicit', retryDelays: '200ms' },
					credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
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
		};
	}

	describe('alert and log example workflows', () => {
		function loadExample(file) {
			const workflow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
			for (const node of workflow.nodes) {
				if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
				if (node.type.endsWith('.secureWebhookTrigger')) node.parameters.path = uniquePath(node.parameters.path);
			}
			return workflow;
		}

		test('rejections-to-data-table.json imports, activates, and writes a rejected request as a row of its Data Table', async () => {
			const project = await client.request('GET', '/rest/projects/personal');
			const table = await client.request('POST', `/rest/projects/${project.id}/data-tables`, {
				body: {
					name: 'webhook_rejections',
					columns: [
						{ name: 'received_at', type: 'string' },
						{ name: 'reason', type: 'string' },
						{ name: 'status', type: 'number' },
						{ name: 'client_ip', type: 'string' },
						{ name: 'method', type: 'string' },
					],
				},
			});
			const workflow = loadExample('rejections-to-data-table.json');
			const created = await client.createActiveWorkflow(workflow);
			const trigger = workflow.nodes.find((node) => node.type.endsWith('.secureWebhookTrigger'));

			const rejected = await signedEvent(trigger.parameters.path, { key: standardWebhooksSecret() });
			expect(rejected.status).toBe(401);
			const [execution] = await client.waitForExecutions(created.id, { count: 1 });
			expect(execution.status).toBe('success');
			const rows = await client.request('GET', `/rest/projects/${project.id}/data-tables/${table.id}/rows`);
			expect(rows.count).toBe(1);
			expect(rows.data[0]).toMatchObject({ reason: 'invalid_signature', status: 401, method: 'POST', client_ip: '127.0.0.1' });
			expect(Date.parse(rows.data[0].received_at)).toBeGreaterThan(Date.now() - 120_000);

			const accepted = await signedEvent(trigger.parameters.path);
			expect(accepted.status).toBe(200);
			await client.waitForExecutions(created.id, { count: 2 });
			expect((await client.request('GET', `/rest/projects/${project.id}/data-tables/${table.id}/rows`)).count).toBe(1);
			await client.deactivateWorkflow(created.id);
		});

		test('alert-dead-letters-and-rejections.json: a burst of 20 rejections and a dead letter are all logged; the scheduled rate check alerts once, then stays quiet', async () => {
			const project = await client.request('GET', '/rest/projects/personal');
			const table = await client.request('POST', `/rest/projects/${project.id}/data-tables`, {
				body: { name: 'webhook_failures', columns: [{ name: 'kind', type: 'string' }, { name: 'detail', type: 'string' }] },
			});
			const rows = async () => (await client.request('GET', `/rest/projects/${project.id}/data-tables/${table.id}/rows`, { query: { take: '250' } })).data;
			const workflow = loadExample('alert-dead-letters-and-rejections.json');
			const node = (name) => workflow.nodes.find((entry) => entry.name === name);
			// The example checks every minute; here every 5 seconds: the same nodes, sooner.
			node('Every minute').parameters.rule.interval = [{ field: 'seconds', secondsInterval: 5 }];
			const closedPort = await freePort();
			Object.assign(node('Forward to service').parameters, { urls: `http://127.0.0.1:${closedPort}/hooks?token=abc`, retryMaxAttempts: 1 });
			const created = await client.createActiveWorkflow(workflow);
			const webhookPath = node('Provider webhook').parameters.path;

			// A burst: 20 rejections sent at once, so their executions run concurrently (a counter kept in the
			// workflow's static data, the example's first design, counted this burst as 1: each execution saves its
			// own copy, last writer wins). Then one accepted event, forwarded to a closed port: a dead letter.
			const burst = await Promise.all(Array.from({ length: 20 }, () => signedEvent(webhookPath, { key: standardWebhooksSecret() })));
			expect(burst.map((response) => response.status)).toEqual(Array(20).fill(401));
			expect((await signedEvent(webhookPath)).status).toBe(200);

			const failures = await waitFor(async () => {
				const logged = (await rows()).filter((row) => row.kind !== 'alert');
				return logged.length >= 21 ? logged : undefined;
			}, { timeoutMs: 120_000, intervalMs: 500, description: '21 failure rows' });
			const loggedAt = Date.now();
			const byKind = {};
			for (const row of failures) byKind[`${row.kind}: ${row.detail}`] = (byKind[`${row.kind}: ${row.detail}`] ?? 0) + 1;
			expect(byKind).toEqual({ 'rejected: invalid_signature': 20, [`dead_letter: http://127.0.0.1:${closedPort}/hooks`]: 1 });

			// Checks run every 5 s, one at a time. Wait for two that started after every failure was logged.
			const checksAfter = (executions, since) => executions.filter((execution) => execution.mode === 'trigger' && Date.parse(execution.startedAt) > since);
			await waitFor(async () => {
				const executions = await client.listExecutions(created.id);
				return checksAfter(executions, loggedAt).filter((execution) => execution.status !== 'running' && execution.status !== 'new').length >= 2;
			}, { timeoutMs: 120_000, intervalMs: 1000, description: 'two rate checks after the failures were logged' });
			await client.deactivateWorkflow(created.id);
			const executions = await client.listExecutions(created.id);
			const checks = await Promise.all(executions.filter((execution) => execution.mode === 'trigger').map((execution) => client.getExecution(execution.id)));
			const alerting = checks.filter((execution) => (nodeOutput(execution, 'Rate check') ?? []).length > 0);
			expect(alerting).toHaveLength(1);
			const [alert] = nodeOutput(alerting[0], 'Rate check');
			// The check that alerted saw what was logged by then (it may run while the burst is still being logged).
			expect(alert.total).toBeGreaterThanOrEqual(10);
			expect(alert.total).toBeLessThanOrEqual(21);
			// The first check after everything was logged read all 21 failures.
			const [firstAfter] = checksAfter(checks, loggedAt).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
			expect((nodeOutput(firstAfter, 'Recent failures') ?? []).filter((row) => row.kind !== 'alert')).toHaveLength(21);
			// One alert row; checks after the alert stay quiet although the failures are still in the window.
			expect((await rows()).filter((row) => row.kind === 'alert')).toHaveLength(1);
			const quietChecks = checks.filter((execution) => execution.status === 'success' && Date.parse(execution.startedAt) > Date.parse(alerting[0].stoppedAt));
			expect(quietChecks.length).toBeGreaterThanOrEqual(1);
			expect(quietChecks.map((execution) => nodeOutput(execution, 'Rate check'))).toEqual(quietChecks.map(() => []));
			// The Slack credential is a placeholder: the alerting check reaches the Slack node and fails there.
			expect(alerting[0].status).toBe('error');
			expect(alerting[0].data.resultData.lastNodeExecuted).toBe('Alert in Slack');
			// Every failure's own execution succeeded: 20 rejections and the accepted event.
			const received = executions.filter((execution) => execution.mode === 'webhook');
			expect(received.map((execution) => execution.status)).toEqual(Array(21).fill('success'));
		});
	});
});

/** Answers the first request 503 with `Retry-After: 1`, every later one 200. */
async function startBusyThenOkReceiver() {
	let count = 0;
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			count++;
			if (count === 1) res.writeHead(503, { 'retry-after': '1' }).end('busy');
			else res.writeHead(200).end('ok');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}
