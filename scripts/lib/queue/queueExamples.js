'use strict';

const path = require('node:path');

const { EXAMPLES, exampleTrigger, loadExampleWorkflow, withCredential } = require('../examples');
const { REPO_ROOT } = require('../paths');

/**
 * What the examples get in queue mode: several webhook processes must share the replay cache and the
 * rate-limit buckets, so both live in Redis, and the one proxy in front of them is trusted for the
 * client address (X-Forwarded-For).
 */
const QUEUE_TRIGGER_SETTINGS = Object.freeze({
	dedupeStore: 'redis',
	settings: { rateLimitStore: 'redis', rateLimitPerSecond: 50, rateLimitBurst: 100, trustedProxyHops: 1 },
});

/** The name of the trigger's options collection, read from the built node (the layout the editor saves). */
function triggerOptionsCollectionName() {
	const file = path.join(REPO_ROOT, 'dist', 'nodes', 'SecureWebhookTrigger', 'SecureWebhookTrigger.node.js');
	const { SecureWebhookTrigger } = require(file);
	const collection = new SecureWebhookTrigger().description.properties.find((property) => property.type === 'collection');
	return collection ? collection.name : 'options';
}

/** `parameters` with the queue-mode stores applied (the options collection merged, not replaced). */
function withQueueSettings(parameters, overrides = QUEUE_TRIGGER_SETTINGS) {
	const collection = triggerOptionsCollectionName();
	const { settings, ...topLevel } = overrides;
	return { ...parameters, ...topLevel, [collection]: { ...(parameters[collection] ?? {}), ...(settings ?? {}) } };
}

/**
 * Creates each example's credential and workflow on the queue-mode main (`client`), with Redis stores,
 * and publishes it: main registers the webhooks in Postgres, where the webhook processes find them.
 * `publicBaseUrl` is what senders use (the proxy). Returns one entry per example, like importExamples.
 */
async function importQueueExamples(client, { publicBaseUrl, suffix = '', triggerSettings = QUEUE_TRIGGER_SETTINGS } = {}) {
	const entries = [];
	// One after the other: each publication is a round trip through main's outbox.
	for (const example of EXAMPLES) {
		const credential = await client.createCredential({ name: `${example.credential.name}${suffix}`, type: 'webhookSigningApi', data: example.credential.data });
		const workflow = withCredential(loadExampleWorkflow(example), credential);
		const trigger = exampleTrigger(workflow);
		trigger.parameters = withQueueSettings(trigger.parameters, triggerSettings);
		if (suffix) trigger.parameters.path = `${trigger.parameters.path}${suffix.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}`;
		const created = await client.createWorkflow({ ...workflow, name: `${workflow.name}${suffix}` });
		await client.activateWorkflow(created.id, created.versionId);
		entries.push({
			example,
			workflowId: created.id,
			name: created.name,
			credential,
			triggerName: trigger.name,
			triggerParameters: trigger.parameters,
			productionUrl: `${publicBaseUrl.replace(/\/$/, '')}/webhook/${trigger.parameters.path}`,
		});
	}
	return entries;
}

module.exports = { QUEUE_TRIGGER_SETTINGS, importQueueExamples, withQueueSettings, triggerOptionsCollectionName };
