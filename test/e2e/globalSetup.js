'use strict';

const path = require('node:path');

const { SCRATCH_DIR, launchLocalN8n } = require('../../scripts/lib');
const { E2E_STATE_VARIABLE } = require('./helpers/env');

/**
 * Starts the n8n every test file talks to, unless N8N_E2E_BASE_URL points at one already running
 * (then the owner's login comes from N8N_E2E_OWNER_EMAIL / N8N_E2E_OWNER_PASSWORD, else the defaults).
 * The package is built by scripts/run-e2e.sh (E2E_SKIP_BUILD=1), or here when jest is run directly.
 */
module.exports = async function globalSetup() {
	if (process.env.N8N_E2E_BASE_URL) {
		const { setupOwner, DEFAULT_OWNER } = require('../../scripts/lib');
		const owner = {
			...DEFAULT_OWNER,
			email: process.env.N8N_E2E_OWNER_EMAIL ?? DEFAULT_OWNER.email,
			password: process.env.N8N_E2E_OWNER_PASSWORD ?? DEFAULT_OWNER.password,
		};
		const client = await setupOwner(process.env.N8N_E2E_BASE_URL, owner);
		process.env[E2E_STATE_VARIABLE] = JSON.stringify({
			baseUrl: client.baseUrl,
			cookie: client.cookie,
			owner,
			logFile: process.env.N8N_E2E_LOG_FILE ?? null,
			external: true,
		});
		return;
	}

	const userFolder = path.join(SCRATCH_DIR, `e2e-${process.pid}`);
	const started = Date.now();
	const local = await launchLocalN8n({ userFolder, fresh: true, build: process.env.E2E_SKIP_BUILD !== '1' });
	globalThis.__E2E_N8N__ = local.n8n;
	process.stderr.write(`\n[e2e] n8n ${local.n8n.n8nVersion} ready at ${local.n8n.baseUrl} in ${Date.now() - started} ms\n`);
	process.env[E2E_STATE_VARIABLE] = JSON.stringify({
		baseUrl: local.n8n.baseUrl,
		cookie: local.client.cookie,
		owner: local.owner,
		logFile: local.n8n.logFile,
		userFolder,
		n8nVersion: local.n8n.n8nVersion,
		external: false,
	});
};
