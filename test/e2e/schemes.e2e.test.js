'use strict';

const { randomUUID } = require('node:crypto');

const { CREDENTIAL_TYPE } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { FIXTURES, SCHEME_PRESETS, signedRequest } = require('./helpers/schemeFixtures');
const { nodeOutput } = require('../../scripts/lib');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * Every scheme preset against the live n8n, signed by the package's own helpers: one workflow per
 * scheme, created and published in parallel, then each scheme's requests in order.
 */
const client = restClient();
const setups = new Map();

beforeAll(async () => {
	await Promise.all(
		SCHEME_PRESETS.map(async (scheme) => {
			const fixture = FIXTURES[scheme];
			const key = fixture.newKey();
			const credential = await client.createCredential({ name: `e2e ${scheme}`, type: CREDENTIAL_TYPE, data: fixture.credential(key) });
			const path = uniquePath(scheme);
			const url = productionUrl(path);
			const parameters = { ...fixture.parameters, ...(fixture.signsUrl ? { publicUrl: url } : {}) };
			const trigger = triggerNode({ path, scheme, credential, parameters, options: fixture.options });
			const saved = await client.createActiveWorkflow(workflow(`e2e scheme ${scheme}`, [trigger]));
			setups.set(scheme, { fixture, key, url, workflowId: saved.id, triggerName: trigger.name, accepted: [] });
		}),
	);
});

afterAll(async () => {
	await Promise.all([...setups.values()].map((setup) => client.deactivateWorkflow(setup.workflowId).catch(() => {})));
});

const WRONG_KEYS = Object.fromEntries(SCHEME_PRESETS.map((scheme) => [scheme, FIXTURES[scheme].newKey()]));

describe.each(SCHEME_PRESETS)('scheme preset %s', (scheme) => {
	const fixture = FIXTURES[scheme];
	const setup = () => setups.get(scheme);
	const request = (overrides = {}) => signedRequest(scheme, { key: setup().key, url: setup().url, ...overrides });
	const firstId = `evt_${randomUUID()}`;

	test('a correctly signed event → 200 accepted', async () => {
		const signed = request({ id: firstId });
		const response = await send(setup().url, signed);
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ status: 'accepted' });
		setup().accepted.push(signed);
	});

	// Only where the case exists: a test for a case a scheme cannot have would be a test that cannot fail.
	if (fixture.signsBody !== false) test('a tampered body → 401, no execution', async () => {
		const response = await send(setup().url, request({ tamper: true }));
		expect(response.status).toBe(401);
		expect(response.body).toEqual({ error: 'invalid signature' });
	});

	test('a wrong secret → 401, no execution', async () => {
		const response = await send(setup().url, request({ key: WRONG_KEYS[scheme] }));
		expect(response.status).toBe(401);
		expect(response.body).toEqual({ error: 'invalid signature' });
	});

	test('no signature at all → 401, no execution', async () => {
		const signed = request();
		const headers = Object.fromEntries(
			Object.entries(signed.headers).filter(([name]) => !fixture.signatureHeaders.includes(name.toLowerCase())),
		);
		const response = await send(setup().url, { body: signed.body, headers });
		expect(response.status).toBe(401);
	});

	if (fixture.timestamped) test('an expired timestamp → 401, no execution', async () => {
		const response = await send(setup().url, request({ timestampSeconds: Math.floor(Date.now() / 1000) - 3600 }));
		expect(response.status).toBe(401);
		expect(response.body).toEqual({ error: 'invalid signature' });
	});

	test('a filtered-out event type → 200 ignored, no execution', async () => {
		const response = await send(setup().url, request({ type: fixture.filteredType }));
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ status: 'ignored' });
	});

	if (fixture.hasEventId !== false) test('the same event id again → 200 duplicate, no second execution', async () => {
		// Freshly signed, so only the id repeats.
		const response = await send(setup().url, request({ id: firstId }));
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ status: 'duplicate' });
	});

	test('exactly one execution per accepted event, with the documented item', async () => {
		// A last accepted event: once its execution is there, any execution a rejected request had started is too.
		const last = request({ id: `evt_${randomUUID()}` });
		const response = await send(setup().url, last);
		expect(response.status).toBe(200);
		setup().accepted.push(last);

		const executions = await client.waitForExecutions(setup().workflowId, { count: setup().accepted.length });
		expect(executions).toHaveLength(setup().accepted.length);
		executions.forEach((execution, index) => {
			const sent = setup().accepted[index];
			expect(execution.status).toBe('success');
			const items = nodeOutput(execution, setup().triggerName);
			expect(items).toHaveLength(1);
			const [item] = items;
			expect(Object.keys(item).sort()).toEqual(['body', 'event', 'headers', 'id', 'query', 'timestamp', 'verification']);
			expect(String(item.event)).toBe(String(sent.expected.event));
			expect(item.id).toBe(sent.expected.id);
			if (fixture.timestamped) expect(item.timestamp).toBe(sent.expected.timestampSeconds);
			const expectedBody =
				sent.expected.contentType === 'application/json'
					? JSON.parse(sent.expected.payload.toString('utf8'))
					: Object.fromEntries(new URLSearchParams(sent.expected.payload.toString('utf8')));
			expect(item.body).toEqual(expectedBody);
			for (const header of fixture.signatureHeaders) expect(item.headers[header]).toBe('[redacted]');
			expect(item.query).toEqual({});
			expect(item.verification).toEqual({ scheme, matched: fixture.matched ?? 'current' });
		});
	});
});
