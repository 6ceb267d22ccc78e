'use strict';

const path = require('node:path');

const { REPO_ROOT } = require('../../scripts/lib');

/** Stops every process of the cluster (by process group) and keeps the logs in test-results/ for CI. */
module.exports = async function globalTeardown() {
	const state = globalThis.__E2E_QUEUE__;
	if (!state) return;
	await state.control.close();
	const logsTo = path.join(REPO_ROOT, 'test-results', 'e2e-queue-logs');
	await state.cluster.stop({ logsTo });
	process.stderr.write(`[e2e-queue] cluster stopped; logs in ${path.relative(REPO_ROOT, logsTo)}/\n`);
};
