'use strict';

const fs = require('node:fs');

const { ensureN8nInstalled } = require('./install');
const { startN8n } = require('./n8nProcess');
const { buildPackage, packAndInstallPackage } = require('./projectPackage');
const { DEFAULT_OWNER, setupOwner } = require('./restClient');

/**
 * Everything "run for real" needs, in order: n8n installed, the package built (optional), packed and
 * installed as a community package into `userFolder`, n8n started and ready, the owner set up and
 * logged in. `fresh: true` empties `userFolder` first; `installPackage: false` starts n8n without the package (the
 * install-by-name tests install it through n8n). Returns `{ n8n, client, owner, stop }`.
 */
async function launchLocalN8n({ userFolder, port, env = {}, build = true, fresh = false, installPackage = true, owner = DEFAULT_OWNER, readyTimeoutMs } = {}) {
	if (!userFolder) throw new Error('launchLocalN8n needs a userFolder');
	if (fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	const [install] = await Promise.all([ensureN8nInstalled(), build ? buildPackage() : undefined]);
	if (installPackage) await packAndInstallPackage(userFolder);
	const n8n = await startN8n({ port, userFolder, env, command: 'start', readyTimeoutMs });
	try {
		const client = await setupOwner(n8n.baseUrl, owner);
		return { n8n, client, owner, install, stop: (options) => n8n.stop(options) };
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

module.exports = { launchLocalN8n };
