'use strict';

const { N8nRestClient } = require('../../../scripts/lib');
const { redisCommand } = require('../../../scripts/lib/queue');

/** globalSetup hands the running cluster to the test files through this variable. */
const QUEUE_STATE_VARIABLE = 'N8N_E2E_QUEUE_STATE';

function clusterState() {
	const text = process.env[QUEUE_STATE_VARIABLE];
	if (!text) throw new Error(`${QUEUE_STATE_VARIABLE} is not set: run the suite with npm run test:e2e:queue`);
	return JSON.parse(text);
}

/** A REST client for main (the only process with the API), logged in as the owner. */
function mainClient() {
	const state = clusterState();
	const client = new N8nRestClient(state.mainUrl);
	client.cookie = state.cookie;
	return client;
}

/** The URL senders use (the proxy) and the URLs of the webhook processes behind it. */
const publicWebhookUrl = (path) => `${clusterState().publicUrl}/webhook/${path}`;
const processWebhookUrls = (path) => clusterState().webhooks.map((webhook) => `${webhook.url}/webhook/${path}`);

/** Asks globalSetup's control server to act on the cluster (kill-webhook, start-webhook, stop-redis, start-redis). */
async function control(action, body = {}) {
	const { url, token } = clusterState().control;
	const response = await fetch(`${url}/${action}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const result = await response.json();
	if (!response.ok) throw new Error(`control ${action} failed: ${result.error}`);
	return result;
}

/** One Redis command against the cluster's Redis (first reply line, e.g. ":0"). */
function redis(command) {
	const { port, password } = clusterState().redis;
	return redisCommand({ port, password }, command);
}

module.exports = { QUEUE_STATE_VARIABLE, clusterState, mainClient, publicWebhookUrl, processWebhookUrls, control, redis };
