'use strict';

const { noOpNode, triggerNode, uniquePath, workflow } = require('../../e2e/helpers/workflows');
const { FIXTURES, standardWebhooksSecret } = require('../../e2e/helpers/schemeFixtures');
const { SCHEME } = require('./signedTraffic');

/**
 * Creates and publishes (on main) a Secure Webhook Trigger → NoOp workflow with a fresh signing secret.
 * `parameters` and `options` go to the trigger (options into its options collection). Returns
 * `{ id, path, key, triggerName }`; main registers the webhook in Postgres, the webhook processes find it there.
 */
async function createQueueWorkflow(client, { prefix, parameters = {}, options = {} }) {
	const key = standardWebhooksSecret();
	const credential = await client.createCredential({ name: `queue ${prefix} ${Date.now()}`, type: 'webhookSigningApi', data: FIXTURES[SCHEME].credential(key) });
	const path = uniquePath(`queue-${prefix}`);
	const trigger = triggerNode({ path, scheme: SCHEME, credential, parameters: { ...FIXTURES[SCHEME].parameters, ...parameters }, options });
	const created = await client.createActiveWorkflow(workflow(`Queue ${prefix}`, [trigger, noOpNode('Accepted event', [300, 0])], [[trigger.name, 'Accepted event']]));
	return { id: created.id, path, key, triggerName: trigger.name };
}

module.exports = { createQueueWorkflow };
