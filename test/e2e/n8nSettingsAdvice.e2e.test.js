'use strict';

const fs = require('node:fs');

const { waitFor } = require('../../scripts/lib');
const { e2eState, restClient } = require('./helpers/env');
const { CREDENTIAL_TYPE, TRIGGER_TYPE } = require('./helpers/package');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * The suite's n8n runs with n8n's default expression-engine settings (no lazy acquisition), under which n8n takes an
 * isolate for every request to the trigger: the trigger says so once in n8n's log when a workflow is activated, and
 * the editor shows the same advice as a notice (docs/n8n-settings.md).
 */
describe("the advice about n8n's expression-engine settings", () => {
	const client = restClient();
	const { logFile } = e2eState();
	const ADVICE = 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true';

	test('the editor gets the notice with the trigger', async () => {
		const trigger = (await client.nodeTypes()).find((type) => type.name === TRIGGER_TYPE);
		const notice = trigger.properties.find((property) => property.name === 'expressionEngineNotice');
		expect(notice).toMatchObject({ type: 'notice' });
		expect(notice.displayName).toContain(ADVICE);
		expect(notice.displayName).toContain('reverse proxy');
	});

	(logFile ? test : test.skip)('activating a trigger logs the warning once per process, not once per workflow', async () => {
		const credential = await client.createCredential({ name: 'advice e2e', type: CREDENTIAL_TYPE, data: { secret: 'advice-e2e-secret' } });
		for (let index = 0; index < 2; index++) {
			const path = uniquePath('advice');
			await client.createActiveWorkflow(workflow(`advice ${index}`, [triggerNode({ path, scheme: 'github', credential })]));
		}
		const warnings = () => fs.readFileSync(logFile, 'utf8').split('\n').filter((line) => line.includes(ADVICE));
		await waitFor(() => warnings().length > 0, { timeoutMs: 10000, intervalMs: 200, description: 'the warning in n8n’s log' });
		expect(warnings()).toHaveLength(1);
		expect(warnings()[0]).toContain('Secure Webhook Trigger');
	});
});
