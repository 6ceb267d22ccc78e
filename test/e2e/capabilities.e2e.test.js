'use strict';

const { createHmac, randomUUID } = require('node:crypto');

const { nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE, signing } = require('./helpers/package');
const { productionUrl, restClient, testUrl } = require('./helpers/env');
const { send } = require('./helpers/http');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * One live-n8n round trip per capability of the provider catalogue (not per provider): the building blocks the
 * Custom entries configure in the node (typeVersion 3), and each kind of handshake. Requests are signed with the
 * package's own signers (signHmacRecipe and the catalogue's), which the unit tests cross-check against the providers'
 * SDKs and published vectors. Handshakes must answer without an execution: each test sends a real event after them
 * and counts executions.
 */
const client = restClient();
const JSON_TYPE = { 'content-type': 'application/json' };
const now = () => Math.floor(Date.now() / 1000);

const workflows = [];
afterAll(async () => {
	await Promise.all(workflows.map((id) => client.deactivateWorkflow(id).catch(() => {})));
});

/** A published workflow with one typeVersion 3 trigger; `url` is its production URL. */
async function trigger(name, parameters, credentialData = { secret: `secret-${randomUUID()}` }) {
	const credential = await client.createCredential({ name: `e2e ${name}`, type: CREDENTIAL_TYPE, data: credentialData });
	const path = uniquePath(name);
	const url = productionUrl(path);
	const settings = parameters.settings;
	const node = triggerNode({ path, credential, typeVersion: 3, parameters: { ...parameters, settings: undefined }, options: settings });
	const saved = await client.createActiveWorkflow(workflow(`e2e ${name}`, [node]));
	workflows.push(saved.id);
	return { url, path, workflowId: saved.id, triggerName: node.name, secret: credentialData.secret, credential };
}

async function expectExecutions(setup, count) {
	const executions = await client.waitForExecutions(setup.workflowId, { count });
	expect(executions).toHaveLength(count);
	return executions.map((execution) => nodeOutput(execution, setup.triggerName)[0]);
}

const hmacRecipe = (overrides) => ({
	kind: 'hmac',
	algorithm: 'sha256',
	signature: { header: 'x-signature' },
	encoding: 'hex',
	secret: 'utf8',
	signedContent: '{body}',
	...overrides,
});

describe('Custom HMAC capabilities (live n8n)', () => {
	it('a k=v signature header (ts=…;h1=…, any of several signatures), the timestamp taken from it', async () => {
		const setup = await trigger('kv-header', {
			provider: 'hmac',
			hmacSignatureHeader: 'x-acme-signature',
			hmacSignedContent: '{timestamp}:{body}',
			hmacSignatureFormat: 'list',
			hmacListPairSeparator: 'semicolon',
			hmacSignatureKeys: 'h1',
			hmacTimestampFrom: 'listKey',
			hmacTimestampKey: 'ts',
			hmacTimestampUnit: 's',
			settings: { eventIdPath: 'id', eventTypePath: 'type' },
		});
		const recipe = hmacRecipe({
			signature: { header: 'x-acme-signature', list: { pairSeparator: ';', keyValueSeparator: '=', signatureKeys: ['h1'] } },
			signedContent: '{timestamp}:{body}',
			timestamp: { from: { signatureKey: 'ts' }, unit: 's', windowSeconds: 300 },
		});
		const payload = Buffer.from(JSON.stringify({ id: `evt_${randomUUID()}`, type: 'order.paid' }));
		const signed = signing().signHmacRecipe(recipe, { payload, key: setup.secret });
		expect(signed['x-acme-signature']).toMatch(/^ts=\d+;h1=[0-9a-f]{64}$/);
		const withRolledSecret = { 'x-acme-signature': `${signed['x-acme-signature']};h1=${'0'.repeat(64)}` };
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...withRolledSecret } })).body).toEqual({ status: 'accepted' });
		const tampered = Buffer.from(payload.toString().replace('order.paid', 'order.void'));
		expect((await send(setup.url, { body: tampered, headers: { ...JSON_TYPE, ...signed } })).status).toBe(401);
		const [item] = await expectExecutions(setup, 1);
		expect(item).toMatchObject({ event: 'order.paid', id: JSON.parse(payload).id });
		expect(item.headers['x-acme-signature']).toBe('[redacted]');
	});

	it('a millisecond timestamp: fresh accepted, ten minutes old refused', async () => {
		const setup = await trigger('ms-timestamp', { provider: 'hmac', hmacTimestampHeader: 'x-timestamp', hmacSignedContent: '{timestamp}.{body}', hmacTimestampUnit: 'ms' });
		const recipe = hmacRecipe({ signedContent: '{timestamp}.{body}', timestamp: { from: { header: 'x-timestamp' }, unit: 'ms', windowSeconds: 300 } });
		const payload = Buffer.from('{"n":1}');
		const fresh = signing().signHmacRecipe(recipe, { payload, key: setup.secret, timestampSeconds: Date.now() / 1000 });
		expect(fresh['x-timestamp']).toMatch(/^\d{13}$/);
		const stale = signing().signHmacRecipe(recipe, { payload, key: setup.secret, timestampSeconds: now() - 600 });
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...stale } })).status).toBe(401);
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...fresh } })).status).toBe(200);
		const [item] = await expectExecutions(setup, 1);
		expect(item.timestamp).toBe(Math.floor(Number(fresh['x-timestamp']) / 1000));
	});

	it('a hex secret: the key is the bytes it encodes, not its text', async () => {
		const key = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
		const setup = await trigger('hex-secret', { provider: 'hmac', hmacSecretFormat: 'hex' }, { secret: key.toString('hex') });
		const payload = Buffer.from('{"n":2}');
		const asText = createHmac('sha256', key.toString('hex')).update(payload).digest('hex');
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, 'x-signature': asText } })).status).toBe(401);
		const asBytes = createHmac('sha256', key).update(payload).digest('hex');
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, 'x-signature': asBytes } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('{method}{url}{body}: the configured public URL with the query as received', async () => {
		const path = uniquePath('url-template');
		const url = productionUrl(path);
		const credential = await client.createCredential({ name: 'e2e url template', type: CREDENTIAL_TYPE, data: { secret: 'url-template-secret' } });
		const node = triggerNode({ path, credential, typeVersion: 3, parameters: { provider: 'hmac', publicUrl: url, hmacEncoding: 'base64', hmacSignedContent: '{method}{url}{body}' } });
		const saved = await client.createActiveWorkflow(workflow('e2e url template', [node]));
		workflows.push(saved.id);
		const recipe = hmacRecipe({ encoding: 'base64', signedContent: '{method}{url}{body}' });
		const payload = Buffer.from('{"portal":7}');
		const signed = signing().signHmacRecipe(recipe, { payload, key: 'url-template-secret', url: `${url}?portal=7` });
		expect((await send(`${url}?portal=8`, { body: payload, headers: { ...JSON_TYPE, ...signed } })).status).toBe(401);
		expect((await send(`${url}?portal=7`, { body: payload, headers: { ...JSON_TYPE, ...signed } })).status).toBe(200);
		const executions = await client.waitForExecutions(saved.id, { count: 1 });
		expect(nodeOutput(executions[0], node.name)[0].query).toEqual({ portal: '7' });
	});
});

describe('Custom Token capabilities (live n8n)', () => {
	it('a static token in a header with Bearer, compared in constant time; the header is redacted', async () => {
		const setup = await trigger('token-header', { provider: 'token' });
		expect((await send(setup.url, { body: '{"n":1}', headers: { ...JSON_TYPE, authorization: `Bearer ${setup.secret}x` } })).status).toBe(401);
		expect((await send(setup.url, { body: '{"n":2}', headers: { ...JSON_TYPE, authorization: `Bearer ${setup.secret}` } })).status).toBe(200);
		const [item] = await expectExecutions(setup, 1);
		expect(item.headers.authorization).toBe('[redacted]');
	});

	it('a query-string secret, redacted from the item', async () => {
		const setup = await trigger('token-query', { provider: 'token', tokenLocation: 'query', tokenQueryParameter: 'key' });
		expect((await send(`${setup.url}?key=nope`, { body: '{}', headers: JSON_TYPE })).status).toBe(401);
		expect((await send(`${setup.url}?key=${encodeURIComponent(setup.secret)}&topic=a`, { body: '{}', headers: JSON_TYPE })).status).toBe(200);
		const [item] = await expectExecutions(setup, 1);
		expect(item.query).toEqual({ key: '[redacted]', topic: 'a' });
	});
});

describe('Handshakes, one per kind (live n8n): answered without an execution', () => {
	it('GET query echo (Dropbox challenge)', async () => {
		const setup = await trigger('hs-get', { provider: 'token', customHandshake: 'getQuery', customHandshakeName: 'challenge' });
		const echo = await send(`${setup.url}?challenge=dbx-${setup.path}`, { method: 'GET' });
		expect(echo.status).toBe(200);
		expect(echo.text).toBe(`dbx-${setup.path}`);
		expect(echo.headers.get('x-content-type-options')).toBe('nosniff');
		expect((await send(setup.url, { body: '{"event":1}', headers: { ...JSON_TYPE, authorization: `Bearer ${setup.secret}` } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('POST query echo before any signature (Microsoft Graph validationToken)', async () => {
		const setup = await trigger('hs-post', { provider: 'token', customHandshake: 'postQuery', customHandshakeName: 'validationToken' });
		const echo = await send(`${setup.url}?validationToken=${encodeURIComponent('Validation: Token 1')}`, { body: '', headers: { 'content-type': 'text/plain' } });
		expect(echo.status).toBe(200);
		expect(echo.text).toBe('Validation: Token 1');
		expect((await send(setup.url, { body: '{"event":1}', headers: { ...JSON_TYPE, authorization: `Bearer ${setup.secret}` } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('header echo (Asana X-Hook-Secret)', async () => {
		const setup = await trigger('hs-header', { provider: 'token', customHandshake: 'header', customHandshakeName: 'X-Hook-Secret' });
		const echo = await send(setup.url, { body: '', headers: { 'x-hook-secret': 'asana-handshake-secret' } });
		expect(echo.status).toBe(200);
		expect(echo.headers.get('x-hook-secret')).toBe('asana-handshake-secret');
		expect((await send(setup.url, { body: '{"event":1}', headers: { ...JSON_TYPE, authorization: `Bearer ${setup.secret}` } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('body field echo after verification (monday.com challenge)', async () => {
		const setup = await trigger('hs-body', { provider: 'token', customHandshake: 'bodyField', customHandshakeName: 'challenge' });
		const body = JSON.stringify({ challenge: 'monday-challenge' });
		expect((await send(setup.url, { body, headers: JSON_TYPE })).status).toBe(401);
		const echo = await send(setup.url, { body, headers: { ...JSON_TYPE, authorization: `Bearer ${setup.secret}` } });
		expect(echo.body).toEqual({ challenge: 'monday-challenge' });
		expect((await send(setup.url, { body: '{"event":1}', headers: { ...JSON_TYPE, authorization: `Bearer ${setup.secret}` } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('a signed JSON echo from the catalogue (Slack url_verification)', async () => {
		const setup = await trigger('hs-slack', { provider: 'slack' });
		const payload = Buffer.from(JSON.stringify({ type: 'url_verification', challenge: 'slack-challenge', token: 'x' }));
		const headers = signing().providerSchemeById('slack').sign({ payload, key: setup.secret });
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...headers } })).body).toEqual({ challenge: 'slack-challenge' });
		const event = Buffer.from(JSON.stringify({ type: 'event_callback', event_id: `Ev${randomUUID()}`, event: { type: 'app_mention' } }));
		expect((await send(setup.url, { body: event, headers: { ...JSON_TYPE, ...signing().providerSchemeById('slack').sign({ payload: event, key: setup.secret }) } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('a signed HMAC answer from the catalogue (Zoom endpoint.url_validation)', async () => {
		const setup = await trigger('hs-zoom', { provider: 'zoom' });
		const payload = Buffer.from(JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'plain-zoom-token' }, event_ts: Date.now() }));
		const headers = signing().providerSchemeById('zoom').sign({ payload, key: setup.secret });
		const answer = await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...headers } });
		expect(answer.body).toEqual({ plainToken: 'plain-zoom-token', encryptedToken: createHmac('sha256', setup.secret).update('plain-zoom-token').digest('hex') });
		const event = Buffer.from(JSON.stringify({ event: 'meeting.started', payload: {}, event_ts: Date.now() }));
		expect((await send(setup.url, { body: event, headers: { ...JSON_TYPE, ...signing().providerSchemeById('zoom').sign({ payload: event, key: setup.secret }) } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('a constant JSON answer from the catalogue (Discord PING)', async () => {
		const seed = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
		const publicKey = signing().discordPublicKeyHex(seed);
		const setup = await trigger('hs-discord', { provider: 'discord' }, { secret: '', publicKey });
		const ping = Buffer.from(JSON.stringify({ id: `p${randomUUID()}`, type: 1 }));
		expect((await send(setup.url, { body: ping, headers: { ...JSON_TYPE, ...signing().signDiscordRequest({ payload: ping, key: seed }) } })).body).toEqual({ type: 1 });
		const command = Buffer.from(JSON.stringify({ id: `c${randomUUID()}`, type: 2 }));
		expect((await send(setup.url, { body: command, headers: { ...JSON_TYPE, ...signing().signDiscordRequest({ payload: command, key: seed }) } })).status).toBe(200);
		await expectExecutions(setup, 1);
	});

	it('an unsigned GET with a verify token (Meta subscription check), refused with the wrong token', async () => {
		const setup = await trigger('hs-meta', { provider: 'meta', verifyToken: 'meta-e2e-verify-token' });
		const query = (token) => `?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
		const echo = await send(`${setup.url}${query('meta-e2e-verify-token')}`, { method: 'GET' });
		expect(echo.status).toBe(200);
		expect(echo.text).toBe('1158201444');
		expect((await send(`${setup.url}${query('wrong')}`, { method: 'GET' })).status).toBe(403);
		expect(await client.listExecutions(setup.workflowId)).toHaveLength(0);
	});
});

describe('"Why did it fail?" on the test URL (live n8n)', () => {
	it('the test URL answers a stale signature with the clock offset; the production URL does not', async () => {
		const credential = await client.createCredential({ name: 'e2e diagnosis', type: CREDENTIAL_TYPE, data: { secret: 'whsec_diagnosis' } });
		const path = uniquePath('diagnosis');
		const node = triggerNode({ path, credential, typeVersion: 3, parameters: { provider: 'stripe' } });
		const saved = await client.createActiveWorkflow(workflow('e2e diagnosis', [node]));
		workflows.push(saved.id);
		const payload = Buffer.from(JSON.stringify({ id: `evt_${randomUUID()}`, type: 'charge.succeeded' }));
		const stale = { ...JSON_TYPE, ...signing().providerSchemeById('stripe').sign({ payload, key: 'whsec_diagnosis', timestampSeconds: now() - 3600 }) };

		const production = await send(productionUrl(path), { body: payload, headers: stale });
		expect(production.status).toBe(401);
		expect(production.body).toEqual({ error: 'invalid signature' });

		expect(await client.runWorkflowManually(saved.id, { triggerToStartFrom: { name: node.name } })).toEqual({ waitingForWebhook: true });
		const test = await send(testUrl(path), { body: payload, headers: stale });
		expect(test.status).toBe(401);
		expect(test.body).toMatchObject({ error: 'invalid signature', diagnosis: { check: 'signature', cause: 'clock_skew' } });
		expect(test.body.diagnosis.hint).toMatch(/36\d\d s in the past/);
		expect(test.text).not.toContain('whsec_diagnosis');
	});
});
