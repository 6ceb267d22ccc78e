'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const { REPO_ROOT, nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { standardWebhooksSecret } = require('./helpers/schemeFixtures');
const { triggerNode, uniquePath } = require('./helpers/workflows');

/**
 * Dead letters users can see and re-send, with the two example workflows as shipped (only the credential, URL and
 * table name filled in): events that fail for good become rows of an n8n Data Table; ticked rows are re-sent under
 * their original event ids and reach a de-duplicating receiver (our own trigger) exactly once, even when re-sent twice.
 */
const PAYLOAD = { type: 'order.created', orderId: 1042, total: 99.5 };

describe('dead letters → Data Table → re-send → delivered once', () => {
	const client = restClient();
	const secret = standardWebhooksSecret();
	const tableName = `webhook_dead_letters_${randomUUID().slice(0, 8)}`;
	let credential;
	let project;
	let table;
	let receiverId;
	let receiverHost;
	let storeId;
	let resendId;

	function loadExample(file, { url }) {
		const workflow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
		for (const node of workflow.nodes) {
			if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
			if (node.type === 'n8n-nodes-base.dataTable') node.parameters.dataTableId.value = tableName;
			if (node.name === 'Send signed') node.parameters.urls = url;
			if (node.name === 'Destinations') node.parameters.jsonOutput = JSON.stringify({ [receiverHost]: url });
		}
		return { ...workflow, name: `${workflow.name} (e2e)` };
	}

	async function runManually(workflowId, trigger) {
		const started = await client.runWorkflowManually(workflowId, { triggerToStartFrom: { name: trigger } });
		const execution = await client.waitForExecution(started.executionId, { timeoutMs: 60_000 });
		expect(execution.status).toBe('success');
		return execution;
	}

	const rows = async () => (await client.request('GET', `/rest/projects/${project.id}/data-tables/${table.id}/rows`, { query: { take: '100' } })).data;
	const rowOf = (all, eventId) => all.find((row) => row.event_id === eventId);

	/** What a person does in the table's view: tick `resend` on some rows. */
	async function tick(eventIds) {
		await client.request('PATCH', `/rest/projects/${project.id}/data-tables/${table.id}/rows`, {
			body: { filter: { type: 'or', filters: eventIds.map((id) => ({ columnName: 'event_id', condition: 'eq', value: id })) }, data: { resend: true } },
		});
	}

	beforeAll(async () => {
		credential = await client.createCredential({ name: 'e2e dead letters', type: CREDENTIAL_TYPE, data: { secret } });
		project = await client.request('GET', '/rest/projects/personal');
		table = await client.request('POST', `/rest/projects/${project.id}/data-tables`, {
			body: {
				name: tableName,
				columns: [
					...['url_host', 'event_id', 'event_type', 'batch_id', 'payload'].map((name) => ({ name, type: 'string' })),
					{ name: 'attempts', type: 'number' },
					{ name: 'last_status', type: 'number' },
					{ name: 'last_error', type: 'string' },
					{ name: 'resend', type: 'boolean' },
					{ name: 'resent_at', type: 'string' },
				],
			},
		});

		// The receiver exists but is not active yet: n8n answers 404 there, a final status, so every event dead-letters.
		const webhookPath = uniquePath('dead-letters');
		const url = productionUrl(webhookPath);
		receiverHost = new URL(url).host;
		const trigger = triggerNode({ path: webhookPath, scheme: 'standardWebhooks', credential, parameters: { dedupeStore: 'memory' } });
		receiverId = (await client.createWorkflow({ name: 'e2e dead letter receiver', nodes: [trigger], connections: {}, settings: {} })).id;
		storeId = (await client.createWorkflow(loadExample('dead-letters-to-data-table.json', { url }))).id;
		resendId = (await client.createWorkflow(loadExample('resend-dead-letters.json', { url }))).id;
	});

	afterAll(async () => {
		await client.deactivateWorkflow(receiverId).catch(() => {});
		if (table) await client.request('DELETE', `/rest/projects/${project.id}/data-tables/${table.id}`).catch(() => {});
	});

	const deadLettered = [];

	test('an event that fails for good becomes a row: URL host, event id, payload, attempts, last status and error; no secret or signature', async () => {
		for (let run = 0; run < 3; run++) {
			const execution = await runManually(storeId, 'Manual run');
			const [deadLetter] = nodeOutput(execution, 'Send signed', { output: 1 });
			expect(deadLetter).toMatchObject({ status: 404, attempts: 1, error: 'HTTP 404 is not retried' });
			expect(nodeOutput(execution, 'Store dead letter')).toHaveLength(1);
			deadLettered.push(deadLetter.eventId);
		}
		const stored = await rows();
		expect(stored).toHaveLength(3);
		for (const eventId of deadLettered) {
			expect(rowOf(stored, eventId)).toMatchObject({
				url_host: receiverHost,
				event_type: 'order.created',
				batch_id: '',
				payload: JSON.stringify(PAYLOAD),
				attempts: 1,
				last_status: 404,
				last_error: 'HTTP 404 is not retried',
				resend: false,
				resent_at: null,
			});
		}
		const text = JSON.stringify(stored);
		for (const forbidden of [secret, secret.slice('whsec_'.length), 'webhook-signature', 'v1,', '/webhook/']) expect(text).not.toContain(forbidden);
	});

	test('ticked rows are re-sent under their original event ids and start the receiver exactly once, even when re-sent twice', async () => {
		await client.activateWorkflow(receiverId, (await client.getWorkflow(receiverId)).versionId);
		const [first, second, untouched] = deadLettered;
		await tick([first, second]);

		const resent = await runManually(resendId, 'Run re-send');
		const delivered = nodeOutput(resent, 'Re-send', { output: 0 });
		expect(delivered.map((item) => item.eventId).sort()).toEqual([first, second].sort());
		expect(delivered.every((item) => item.status === 200 && item.attempts === 1)).toBe(true);
		expect(nodeOutput(resent, 'Re-send', { output: 1 }) ?? []).toEqual([]);

		const received = await client.waitForExecutions(receiverId, { count: 2, timeoutMs: 60_000 });
		const items = received.flatMap((execution) => nodeOutput(execution, 'Secure Webhook Trigger'));
		expect(items.map((item) => item.id).sort()).toEqual([first, second].sort());
		for (const item of items) {
			expect(item.body).toEqual(PAYLOAD);
			expect(item.event).toBe('order.created');
			expect(item.verification).toEqual({ scheme: 'standardWebhooks', matched: 'current' });
		}

		const afterFirst = await rows();
		for (const eventId of [first, second]) {
			const row = rowOf(afterFirst, eventId);
			expect(row).toMatchObject({ resend: false, last_status: 200, last_error: '' });
			expect(Date.parse(row.resent_at)).toBeGreaterThan(Date.now() - 300_000);
		}
		expect(rowOf(afterFirst, untouched)).toMatchObject({ resend: false, resent_at: null, last_status: 404 });

		// Someone ticks the first row again: it is sent again, the trigger answers "duplicate", and nothing new runs.
		await tick([first]);
		const again = await runManually(resendId, 'Run re-send');
		const [repeat] = nodeOutput(again, 'Re-send', { output: 0 });
		expect(repeat).toMatchObject({ eventId: first, status: 200, response: { body: { status: 'duplicate' } } });
		expect(await client.countExecutions(receiverId)).toBe(2);
	});
});
