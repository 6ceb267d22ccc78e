'use strict';

const fs = require('node:fs');
const path = require('node:path');

const lib = require('../../../scripts/lib');
const { installState } = require('./state');

/**
 * An n8n without the package, set up to install it by name from the loopback registry: first on its PATH an npm
 * shim that only swaps n8n's `--registry` for the loopback one (n8n's own pack → extract → strip dev and peer
 * dependencies → install --ignore-scripts → load path runs unchanged), and its outbound HTTP sent to a proxy
 * that refuses and records everything (n8n asks registry.npmjs.org and api.n8n.io before installing; both
 * are refused, and n8n falls back to the npm CLI, that is to the shim).
 * Returns `{ n8n, client, owner, npmCalls(), egress, nodesDir, userFolder, restart(env), stop() }`.
 */
async function startN8nForInstall(name, { env = {} } = {}) {
	const { registryUrl, workDir } = installState();
	const dir = path.join(workDir, name);
	fs.rmSync(dir, { recursive: true, force: true });
	const shimDir = path.join(dir, 'bin');
	const npmLog = path.join(dir, 'npm-calls.log');
	lib.writeNpmShim(shimDir, { registryUrl, logFile: npmLog });
	const egress = await lib.startEgressRecorder();
	const install = await lib.ensureN8nInstalled();
	const userFolder = path.join(dir, 'n8n');
	const environment = (extra) => ({ ...egress.env, PATH: `${shimDir}${path.delimiter}${install.node24Bin}${path.delimiter}${process.env.PATH}`, ...extra });

	let local;
	try {
		local = await lib.launchLocalN8n({ userFolder, build: false, installPackage: false, env: environment(env), readyTimeoutMs: 180000 });
	} catch (error) {
		await egress.stop();
		throw error;
	}
	const handle = {
		get n8n() {
			return local.n8n;
		},
		get client() {
			return local.client;
		},
		owner: local.owner,
		egress,
		userFolder,
		nodesDir: lib.communityNodesDir(userFolder),
		packageDir: path.join(lib.communityNodesDir(userFolder), 'node_modules', lib.PACKAGE_NAME),
		/** The npm commands n8n ran, as `{ cwd, args }`. */
		npmCalls: () =>
			(fs.existsSync(npmLog) ? fs.readFileSync(npmLog, 'utf8') : '')
				.split('\n')
				.filter(Boolean)
				.map((line) => {
					const [cwd, command] = line.split(' :: npm ');
					return { cwd, args: command.split(' ') };
				}),
		/** Stops n8n and starts it again on the same user folder with `extra` environment (the same port). */
		async restart(extra) {
			const port = local.n8n.port;
			await local.stop();
			local = await lib.launchLocalN8n({ userFolder, port, build: false, installPackage: false, env: environment(extra), readyTimeoutMs: 180000 });
			return handle;
		},
		async stop() {
			await local.stop();
			await egress.stop();
			const logs = path.join(lib.REPO_ROOT, 'test-results', 'e2e-install-logs');
			fs.mkdirSync(logs, { recursive: true });
			for (const file of fs.readdirSync(userFolder).filter((entry) => entry.endsWith('.log'))) fs.copyFileSync(path.join(userFolder, file), path.join(logs, `${name}-${file}`));
			if (fs.existsSync(npmLog)) fs.copyFileSync(npmLog, path.join(logs, `${name}-npm-calls.log`));
		},
	};
	return handle;
}

/** Publishes the next version's tarball (prepared by globalSetup) unless the registry has it already. */
async function publishNextVersion() {
	const { registryUrl, registryToken, nextVersion, nextTarball } = installState();
	if (!(await lib.registryVersions(registryUrl)).includes(nextVersion)) await lib.publishToRegistry({ url: registryUrl, token: registryToken }, nextTarball);
	return nextVersion;
}

/** The package.json n8n left in its nodes folder after installing (dev and peer dependencies stripped). */
function installedManifest(handle) {
	return JSON.parse(fs.readFileSync(path.join(handle.packageDir, 'package.json'), 'utf8'));
}

module.exports = { startN8nForInstall, publishNextVersion, installedManifest };
