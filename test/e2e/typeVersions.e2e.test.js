'use strict';

const { randomUUID } = require('node:crypto');

const { CREDENTIAL_TYPE, signing } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { noOpNode, triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * typeVersion 1 asks n8n not to read the body (the node reads the raw bytes itself, so nothing is parsed before the
 * signature is verified); typeVersion 2, the default, lets n8n read and parse JSON first without any per-request
 * expression. Both must verify the same signed bytes; they differ on an unsigned body that is not JSON.
 */
describe.each([1, 2])('Secure Webhook Trigger typeVersion %i in n8n', (typeVersion) => {
	const client = restClient();
	const key = 'whsec_e2e_type_version_secret';
	let url;
	let workflowId;

	beforeAll(async () => {
		const credential = await client.createCredential({ name: `e2e v${typeVersion}`, type: CREDENTIAL_TYPE, data: { secret: key } });
		const path = uniquePath(`type-version-${typeVersion}`);
		url = productionUrl(path);
		const saved = await client.createActiveWorkflow(
			workflow(`e2e trigger typeVersion ${typeVersion}`, [triggerNode({ path, scheme: 'stripe', credential, typeVersion }), noOpNode('Accepted', [300, 0])], [
				['Secure Webhook Trigger', 'Accepted'],
			]),
		);
		workflowId = saved.id;
	});

	afterAll(() => client.deactivateWorkflow(workflowId).catch(() => {}));

	it('accepts a signed event over the exact bytes, non-ASCII included, with one execution', async () => {
		const payload = Buffer.from(`{"id":"evt_${randomUUID()}","type":"charge.succeeded","note":"caf\u00e9 \\u00e9"}`);
		const headers = signing().SCHEMES.stripe.sign({ payload, key });
		const response = await send(url, { body: payload, headers: { 'content-type': 'application/json', ...headers } });
		expect(response.status).toBe(200);
		const [execution] = await client.waitForExecutions(workflowId, { count: 1 });
		expect(execution.status).toBe('success');
	});

	it(`answers an unsigned body that is not JSON with ${typeVersion === 1 ? '401 (never parsed)' : "n8n's 422"}, starting nothing`, async () => {
		const response = await send(url, { body: Buffer.from('{"broken'), headers: { 'content-type': 'application/json' } });
		expect(response.status).toBe(typeVersion === 1 ? 401 : 422);
		const payload = Buffer.from(JSON.stringify({ id: `evt_${randomUUID()}`, type: 'charge.succeeded' }));
		const signed = await send(url, { body: payload, headers: { 'content-type': 'application/json', ...signing().SCHEMES.stripe.sign({ payload, key }) } });
		expect(signed.status).toBe(200);
		const executions = await client.waitForExecutions(workflowId, { count: 2 });
		expect(executions).toHaveLength(2);
	});
});
