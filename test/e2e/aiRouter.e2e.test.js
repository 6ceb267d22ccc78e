'use strict';

const { randomUUID } = require('node:crypto');

const { nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE, signing } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { standardWebhooksSecret } = require('./helpers/schemeFixtures');
const { noOpNode, routerNode, triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * Secure Webhook Trigger → AI Router (human-handoff preset, threshold 0.7) → one NoOp per output. Which
 * branch ran is read from each execution's run data.
 */
describe('Secure Webhook Trigger → AI Router human handoff', () => {
	const client = restClient();
	const key = standardWebhooksSecret();
	let url;
	let workflowId;

	beforeAll(async () => {
		const credential = await client.createCredential({ name: 'e2e router', type: CREDENTIAL_TYPE, data: { secret: key } });
		const path = uniquePath('router');
		url = productionUrl(path);
		const saved = await client.createActiveWorkflow(
			workflow(
				'e2e trigger to router',
				[
					triggerNode({ path, scheme: 'standardWebhooks', credential }),
					routerNode({ confidenceField: 'body.data.confidence', threshold: 0.7 }),
					noOpNode('Automated branch', [600, -100]),
					noOpNode('Human branch', [600, 100]),
				],
				[
					['Secure Webhook Trigger', 'AI Router'],
					['AI Router', 'Automated branch', 0],
					['AI Router', 'Human branch', 1],
				],
			),
		);
		workflowId = saved.id;
	});

	afterAll(() => client.deactivateWorkflow(workflowId).catch(() => {}));

	/** Sends one signed `response.completed` event whose data carries `confidence` (omitted when undefined). */
	async function routeEvent(confidence) {
		const before = (await client.listExecutions(workflowId)).length;
		const data = { id: `resp_${randomUUID()}`, output_text: 'Refund approved' };
		if (confidence !== undefined) data.confidence = confidence;
		const payload = Buffer.from(JSON.stringify({ type: 'response.completed', data }));
		const headers = signing().SCHEMES.standardWebhooks.sign({ payload, key, id: `msg_${randomUUID()}` });
		const response = await send(url, { body: payload, headers: { 'content-type': 'application/json', ...headers } });
		expect(response.status).toBe(200);
		const executions = await client.waitForExecutions(workflowId, { count: before + 1 });
		const execution = executions[executions.length - 1];
		expect(execution.status).toBe('success');
		return {
			automated: nodeOutput(execution, 'AI Router', { output: 0 }),
			human: nodeOutput(execution, 'AI Router', { output: 1 }),
			ran: Object.keys(execution.data.resultData.runData),
		};
	}

	test('confidence 0.92 reaches "Automated"', async () => {
		const routed = await routeEvent(0.92);
		expect(routed.automated).toHaveLength(1);
		expect(routed.automated[0].body.data.confidence).toBe(0.92);
		expect(routed.human).toHaveLength(0);
		expect(routed.ran).toContain('Automated branch');
		expect(routed.ran).not.toContain('Human branch');
	});

	test('confidence 0.41 reaches "Human handoff"', async () => {
		const routed = await routeEvent(0.41);
		expect(routed.human).toHaveLength(1);
		expect(routed.human[0].body.data.confidence).toBe(0.41);
		expect(routed.automated).toHaveLength(0);
		expect(routed.ran).toContain('Human branch');
		expect(routed.ran).not.toContain('Automated branch');
	});

	test('a missing confidence reaches "Human handoff"', async () => {
		const routed = await routeEvent(undefined);
		expect(routed.human).toHaveLength(1);
		expect(routed.human[0].body.data.confidence).toBeUndefined();
		expect(routed.automated).toHaveLength(0);
		expect(routed.ran).toContain('Human branch');
	});

	test('three events, three executions: none dropped or doubled', async () => {
		const executions = await client.listExecutions(workflowId);
		expect(executions).toHaveLength(3);
	});
});
