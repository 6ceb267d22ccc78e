'use strict';

const { randomUUID } = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');

const { CREDENTIAL_TYPE } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { FIXTURES, signedRequest } = require('./helpers/schemeFixtures');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * The trigger remembers the decrypted credential for a few seconds (Options → Credential Cache). Saving a new
 * secret in n8n must still apply at once: the first request signed with it fails against the remembered one,
 * and the trigger reads the credential again before answering.
 */
describe('a credential changed while its workflow is active', () => {
	const client = restClient();
	const oldKey = FIXTURES.stripe.newKey();
	const newKey = FIXTURES.stripe.newKey();
	let credential;
	let path;
	let active;

	beforeAll(async () => {
		credential = await client.createCredential({ name: 'e2e credential change', type: CREDENTIAL_TYPE, data: { secret: oldKey } });
		path = uniquePath('credential-change');
		active = await client.createActiveWorkflow(workflow('e2e credential change', [triggerNode({ path, scheme: 'stripe', credential, parameters: FIXTURES.stripe.parameters })]));
	});

	afterAll(() => active && client.deactivateWorkflow(active.id).catch(() => {}));

	test('events signed with the new secret are accepted right after it is saved, and the old secret is refused from then on', async () => {
		expect((await send(productionUrl(path), signedRequest('stripe', { key: oldKey, id: `evt_${randomUUID()}` }))).status).toBe(200);
		await client.updateCredential(credential.id, { name: 'e2e credential change', type: CREDENTIAL_TYPE, data: { secret: newKey } });
		// A re-read needs the remembered credential to be at least a second old (one read per second under a flood).
		await sleep(1100);
		const withNew = await send(productionUrl(path), signedRequest('stripe', { key: newKey, id: `evt_${randomUUID()}` }));
		expect(withNew.status).toBe(200);
		expect(withNew.body).toEqual({ status: 'accepted' });
		// That re-read replaced what was remembered: the old secret no longer verifies.
		const withOld = await send(productionUrl(path), signedRequest('stripe', { key: oldKey, id: `evt_${randomUUID()}` }));
		expect(withOld.status).toBe(401);
	});

	test('within the cache time the remembered credential is used: the replaced secret still verifies (the documented trade-off)', async () => {
		const otherOld = FIXTURES.stripe.newKey();
		const other = await client.createCredential({ name: 'e2e credential cache', type: CREDENTIAL_TYPE, data: { secret: otherOld } });
		const otherPath = uniquePath('credential-cache');
		const flow = await client.createActiveWorkflow(
			workflow('e2e credential cache', [
				triggerNode({ path: otherPath, scheme: 'stripe', credential: other, parameters: FIXTURES.stripe.parameters, options: { credentialCacheSeconds: 60 } }),
			]),
		);
		try {
			expect((await send(productionUrl(otherPath), signedRequest('stripe', { key: otherOld, id: `evt_${randomUUID()}` }))).status).toBe(200);
			await client.updateCredential(other.id, { name: 'e2e credential cache', type: CREDENTIAL_TYPE, data: { secret: FIXTURES.stripe.newKey() } });
			expect((await send(productionUrl(otherPath), signedRequest('stripe', { key: otherOld, id: `evt_${randomUUID()}` }))).status).toBe(200);
		} finally {
			await client.deactivateWorkflow(flow.id).catch(() => {});
		}
	});
});
