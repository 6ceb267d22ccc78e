'use strict';

const { randomUUID } = require('node:crypto');

const { nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE } = require('./helpers/package');
const { productionUrl, restClient, testUrl } = require('./helpers/env');
const { send } = require('./helpers/http');
const { FIXTURES, signedRequest } = require('./helpers/schemeFixtures');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * The editor's "Listen for test event": the editor calls POST /rest/workflows/:id/run with the trigger
 * to start from, n8n answers { waitingForWebhook: true } and serves /webhook-test/<path> once.
 */
describe('test URL (/webhook-test/…) as the editor uses it', () => {
	const client = restClient();
	const key = FIXTURES.stripe.newKey();
	let path;
	let saved;
	let trigger;

	beforeAll(async () => {
		const credential = await client.createCredential({ name: 'e2e test url', type: CREDENTIAL_TYPE, data: { secret: key } });
		path = uniquePath('test-url');
		trigger = triggerNode({ path, scheme: 'stripe', credential, parameters: FIXTURES.stripe.parameters });
		// Saved but never published: only the test URL can reach it.
		saved = await client.createWorkflow(workflow('e2e test url', [trigger]));
	});

	test('before listening, both URLs answer 404', async () => {
		expect((await send(testUrl(path), signedRequest('stripe', { key }))).status).toBe(404);
		expect((await send(productionUrl(path), signedRequest('stripe', { key }))).status).toBe(404);
	});

	test('"Listen for test event" registers the test webhook', async () => {
		const result = await client.runWorkflowManually(saved.id, { triggerToStartFrom: { name: trigger.name } });
		expect(result).toEqual({ waitingForWebhook: true });
	});

	test('a badly signed request is refused with 401 and the editor keeps listening', async () => {
		const response = await send(testUrl(path), signedRequest('stripe', { key: FIXTURES.stripe.newKey() }));
		expect(response.status).toBe(401);
		// The test URL also says why (the production URL does not): here, a signature made with another secret.
		expect(response.body).toMatchObject({ error: 'invalid signature', diagnosis: { check: 'signature', cause: 'wrong_secret_or_body' } });
	});

	test('a signed request is accepted and runs the workflow once, in manual mode', async () => {
		const id = `evt_${randomUUID()}`;
		const response = await send(testUrl(path), signedRequest('stripe', { key, id }));
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ status: 'accepted' });

		const [execution] = await client.waitForExecutions(saved.id, { count: 1 });
		expect(execution.mode).toBe('manual');
		expect(execution.status).toBe('success');
		const [item] = nodeOutput(execution, trigger.name);
		expect(item.event).toBe('payment_intent.succeeded');
		expect(item.id).toBe(id);
		expect(item.verification).toEqual({ scheme: 'stripe', matched: 'current' });
	});

	test('the test URL served one event: the next one is 404 until the editor listens again', async () => {
		const response = await send(testUrl(path), signedRequest('stripe', { key }));
		expect(response.status).toBe(404);
		expect(await client.listExecutions(saved.id)).toHaveLength(1);
	});
});
