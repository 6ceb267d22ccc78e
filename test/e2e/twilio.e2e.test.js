'use strict';

const { randomUUID } = require('node:crypto');

const { CREDENTIAL_TYPE, signing } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { nodeOutput } = require('../../scripts/lib');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * Twilio against a live n8n, as a new user sets it up: typeVersion 3, Provider "Twilio", the Public URL the Twilio
 * console calls, the auth token as the credential, and nothing else. Requests are what Twilio sends: form posts
 * signed over the URL and the sorted fields (the package's own signer, cross-checked with twilio-node in the unit
 * tests), each with an I-Twilio-Idempotency-Token.
 *
 * Regressions of issue 11: with default options every delivery was answered 415 (only application/json allowed),
 * and a "delivered" status callback after "sent" for the same message was answered "duplicate" (the id was the
 * MessageSid every callback of a message shares).
 */
const client = restClient();
const AUTH_TOKEN = `twilio-e2e-${randomUUID()}`;

async function twilioWorkflow(name, settings) {
	const credential = await client.createCredential({ name: `e2e ${name}`, type: CREDENTIAL_TYPE, data: { secret: AUTH_TOKEN } });
	const path = uniquePath(name);
	const url = productionUrl(path);
	const trigger = triggerNode({ path, credential, typeVersion: 3, parameters: { provider: 'twilio', publicUrl: url }, options: settings });
	const saved = await client.createActiveWorkflow(workflow(`e2e ${name}`, [trigger]));
	return { url, workflowId: saved.id, triggerName: trigger.name };
}

/** A status callback as Twilio posts it: form fields, signed over the public URL; a retry keeps the token. */
function statusCallback(url, fields, idempotencyToken) {
	const payload = Buffer.from(new URLSearchParams(fields).toString());
	return {
		body: payload,
		headers: {
			'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
			'i-twilio-idempotency-token': idempotencyToken,
			...signing().signTwilioRequest({ payload, key: AUTH_TOKEN, url }),
		},
	};
}

const setups = [];
afterAll(async () => {
	await Promise.all(setups.map((setup) => client.deactivateWorkflow(setup.workflowId).catch(() => {})));
});

describe('Twilio with the default options (live n8n)', () => {
	it('accepts its form-encoded delivery: one execution (was 415 unsupported content type)', async () => {
		const setup = await twilioWorkflow('twilio-defaults');
		setups.push(setup);
		const messageSid = `SM${randomUUID().replace(/-/g, '')}`;
		const response = await send(setup.url, statusCallback(setup.url, { MessageSid: messageSid, MessageStatus: 'received', Body: 'Grüße 👋', From: '+15550001111' }, randomUUID()));
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ status: 'accepted' });
		const [execution] = await client.waitForExecutions(setup.workflowId, { count: 1 });
		const [item] = nodeOutput(execution, setup.triggerName);
		expect(item.body).toMatchObject({ MessageSid: messageSid, Body: 'Grüße 👋' });
		expect(item.headers['x-twilio-signature']).toBe('[redacted]');
	});
});

describe('Twilio status callbacks of one message (live n8n)', () => {
	let setup;
	const messageSid = `SM${randomUUID().replace(/-/g, '')}`;
	const sentToken = randomUUID();
	const deliveredToken = randomUUID();

	beforeAll(async () => {
		// Form posts allowed explicitly, so that this test shows the de-duplication defect alone.
		setup = await twilioWorkflow('twilio-status', { allowedContentTypes: 'application/x-www-form-urlencoded' });
		setups.push(setup);
	});

	it('"sent" then "delivered" for the same MessageSid: both accepted, two executions (was: "delivered" answered duplicate)', async () => {
		const sent = await send(setup.url, statusCallback(setup.url, { MessageSid: messageSid, MessageStatus: 'sent' }, sentToken));
		expect(sent.body).toEqual({ status: 'accepted' });
		const delivered = await send(setup.url, statusCallback(setup.url, { MessageSid: messageSid, MessageStatus: 'delivered' }, deliveredToken));
		expect(delivered.status).toBe(200);
		expect(delivered.body).toEqual({ status: 'accepted' });
		const executions = await client.waitForExecutions(setup.workflowId, { count: 2 });
		expect(executions.map((execution) => nodeOutput(execution, setup.triggerName)[0].event)).toEqual(['sent', 'delivered']);
		expect(executions.map((execution) => nodeOutput(execution, setup.triggerName)[0].id)).toEqual([sentToken, deliveredToken]);
	});

	it("Twilio's retry of a callback (same idempotency token) is a duplicate: no third execution", async () => {
		const retry = await send(setup.url, statusCallback(setup.url, { MessageSid: messageSid, MessageStatus: 'delivered' }, deliveredToken));
		expect(retry.status).toBe(200);
		expect(retry.body).toEqual({ status: 'duplicate' });
		// A new event after it, so the count below shows the retry started nothing.
		const read = await send(setup.url, statusCallback(setup.url, { MessageSid: messageSid, MessageStatus: 'read' }, randomUUID()));
		expect(read.body).toEqual({ status: 'accepted' });
		const executions = await client.waitForExecutions(setup.workflowId, { count: 3 });
		expect(executions).toHaveLength(3);
	});
});
