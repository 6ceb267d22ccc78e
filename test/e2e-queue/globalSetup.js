'use strict';

const { stopAllGroups } = require('../../scripts/lib');
const { startQueueCluster } = require('../../scripts/lib/queue');
const { startControlServer } = require('./helpers/controlServer');
const { QUEUE_STATE_VARIABLE } = require('./helpers/cluster');

/**
 * Starts the queue-mode cluster every test file talks to. The package is built by
 * scripts/run-e2e-queue.sh (E2E_SKIP_BUILD=1), or here when jest is run directly.
 */
module.exports = async function globalSetup() {
	const started = Date.now();
	let cluster;
	try {
		// Every process serves n8n's /metrics (the package's counters included): metrics.e2e.test.js scrapes each.
		const env = { N8N_METRICS: 'true', N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL: 'true' };
		cluster = await startQueueCluster({ build: process.env.E2E_SKIP_BUILD !== '1', env });
	} catch (error) {
		await stopAllGroups();
		throw error;
	}
	const control = await startControlServer(cluster);
	globalThis.__E2E_QUEUE__ = { cluster, control };
	process.stderr.write(`\n[e2e-queue] n8n ${cluster.n8nVersion} in queue mode ready in ${Date.now() - started} ms:\n`);
	for (const entry of cluster.processes()) process.stderr.write(`  ${entry.name.padEnd(10)} pid ${String(entry.pid).padEnd(7)} ${entry.url}\n`);
	process.env[QUEUE_STATE_VARIABLE] = JSON.stringify({
		publicUrl: cluster.publicUrl,
		mainUrl: cluster.main.baseUrl,
		cookie: cluster.client.cookie,
		owner: cluster.owner,
		webhooks: cluster.webhooks.map(({ name, url }) => ({ name, url })),
		workers: cluster.workers.map(({ name, port }) => ({ name, url: `http://127.0.0.1:${port}` })),
		redis: { port: cluster.redis.port, password: cluster.redis.password },
		control: { url: control.url, token: control.token },
		n8nVersion: cluster.n8nVersion,
	});
};
