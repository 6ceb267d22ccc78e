'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('../../scripts/lib');

/** Stops the suite's n8n (the whole process group) and keeps its log in test-results/ for CI (one per n8n version). */
module.exports = async function globalTeardown() {
	const n8n = globalThis.__E2E_N8N__;
	if (!n8n) return;
	await n8n.stop();
	const resultsDir = path.join(REPO_ROOT, 'test-results');
	fs.mkdirSync(resultsDir, { recursive: true });
	fs.copyFileSync(n8n.logFile, path.join(resultsDir, `n8n-e2e-${n8n.n8nVersion}.log`));
	fs.rmSync(n8n.userFolder, { recursive: true, force: true });
};
