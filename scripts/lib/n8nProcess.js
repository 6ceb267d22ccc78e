'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { freePort } = require('./freePort');
const { httpRequest } = require('./http');
const { ensureN8nInstalled } = require('./install');
const { waitFor } = require('./poll');
const { spawnGroup } = require('./processGroup');

/**
 * Modules that call n8n's cloud on a timer (api.n8n.io). A local n8n for tests must stay on 127.0.0.1.
 * The community-packages module stays on: it is what loads <userFolder>/.n8n/nodes. n8n 1.x has no
 * mcp-registry module and refuses to start when asked to disable an unknown one.
 */
const OFFLINE_DISABLED_MODULES = ['mcp-registry'];
const isN8n1 = (n8nVersion) => /^1\./.test(n8nVersion ?? '');
const disabledModulesFor = (n8nVersion) => (isN8n1(n8nVersion) ? [] : OFFLINE_DISABLED_MODULES);

/**
 * n8n 1.x defaults to one SQLite connection without a pool, and two REST calls at once then fail with "cannot
 * start a transaction within a transaction"; n8n's own deprecation notice asks for a pool (the 2.x default).
 */
const versionDefaults = (n8nVersion) => (isN8n1(n8nVersion) ? { DB_SQLITE_POOL_SIZE: '2' } : {});

/**
 * The environment every local n8n gets: loopback only, an isolated user folder, nothing phoning home.
 * `extra` wins over these defaults, so callers can switch on queue mode or another expression engine.
 */
function n8nEnvironment({ port, userFolder, brokerPort, node24Bin, n8nVersion, extra = {} }) {
	const inherited = { ...process.env };
	// Flags meant for the Node 20 that runs the launcher must not reach Node 24, and jest's NODE_ENV=test
	// switches n8n into its own unit-test mode, in which it refuses to load nodes.
	delete inherited.NODE_OPTIONS;
	delete inherited.NODE_ENV;
	for (const name of Object.keys(inherited)) {
		if (name.startsWith('N8N_') || name.startsWith('DB_') || name.startsWith('QUEUE_') || name === 'EXECUTIONS_MODE' || name === 'WEBHOOK_URL') {
			delete inherited[name];
		}
	}
	return {
		...inherited,
		// n8n's internal task runner is started as `node …`: it must be Node 24 as well.
		PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_DISABLED_MODULES: disabledModulesFor(n8nVersion).join(','),
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		...versionDefaults(n8nVersion),
		...extra,
	};
}

/**
 * Polls `<baseUrl>/healthz/readiness` (200 once the database is migrated and n8n serves requests).
 * Fails early, with the end of the log, when the process exits first.
 */
async function waitForHealthz(baseUrl, { timeoutMs = 120000, handle, path: healthPath = '/healthz/readiness' } = {}) {
	await waitFor(
		async () => {
			if (handle && !handle.isRunning()) {
				const error = new Error(`n8n exited before it was ready. Log tail:\n${handle.readLog().slice(-3000)}`);
				error.fatal = true;
				throw error;
			}
			const response = await httpRequest(`${baseUrl}${healthPath}`, { timeoutMs: 2000 });
			return response.status === 200;
		},
		{ timeoutMs, intervalMs: 250, description: `${baseUrl}${healthPath}`, fatal: (error) => error.fatal },
	);
}

/**
 * Starts `n8n <command>` (start | webhook | worker) with Node 24 in its own process group, logging
 * to `<userFolder>/n8n-<command>-<port>.log`. Returns a handle; `stop()` ends the whole group.
 * Does not wait for readiness unless `wait: true` (then it uses `healthPort`, default `port`).
 */
async function startN8n({ port, userFolder, env = {}, command = 'start', wait = true, healthPort, readyTimeoutMs } = {}) {
	const install = await ensureN8nInstalled();
	const listenPort = port ?? (await freePort());
	const brokerPort = env.N8N_RUNNERS_BROKER_PORT ? Number(env.N8N_RUNNERS_BROKER_PORT) : await freePort();
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, `n8n-${command}-${listenPort}.log`);
	const logFd = fs.openSync(logFile, 'w');
	const environment = n8nEnvironment({ port: listenPort, userFolder, brokerPort, node24Bin: install.node24Bin, n8nVersion: install.n8nVersion, extra: env });

	let group;
	try {
		group = spawnGroup(install.nodeBinary, [install.n8nBin, command], {
			cwd: userFolder,
			env: environment,
			stdio: ['ignore', logFd, logFd],
			name: `n8n ${command}`,
		});
	} finally {
		fs.closeSync(logFd);
	}

	const baseUrl = `http://127.0.0.1:${listenPort}`;
	const handle = {
		command,
		port: listenPort,
		baseUrl,
		userFolder,
		logFile,
		pid: group.pid,
		n8nVersion: install.n8nVersion,
		env: environment,
		exited: group.exited,
		isRunning: group.isRunning,
		readLog: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
		stop: (options) => group.stop(options),
	};
	if (wait) {
		const healthBase = healthPort ? `http://127.0.0.1:${healthPort}` : baseUrl;
		try {
			await waitForHealthz(healthBase, {
				handle,
				timeoutMs: readyTimeoutMs,
				path: command === 'worker' ? '/healthz' : '/healthz/readiness',
			});
			// n8n 1.x answers readiness before its REST API is mounted; the editor's first call is the one to wait for.
			if (command === 'start') await waitForHealthz(healthBase, { handle, timeoutMs: readyTimeoutMs, path: '/rest/settings' });
		} catch (error) {
			await handle.stop();
			throw error;
		}
	}
	return handle;
}

module.exports = { startN8n, waitForHealthz, n8nEnvironment, OFFLINE_DISABLED_MODULES };
