'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('../../scripts/lib');

/** Stops the registry and keeps its log in test-results/ for CI. */
module.exports = async function globalTeardown() {
	const state = globalThis.__E2E_INSTALL__;
	if (!state) return;
	await state.registry.stop();
	const resultsDir = path.join(REPO_ROOT, 'test-results', 'e2e-install-logs');
	fs.mkdirSync(resultsDir, { recursive: true });
	if (fs.existsSync(state.registry.logFile)) fs.copyFileSync(state.registry.logFile, path.join(resultsDir, 'verdaccio.log'));
	fs.rmSync(state.workDir, { recursive: true, force: true });
};
