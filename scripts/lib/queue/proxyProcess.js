'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { freePort } = require('../freePort');
const { waitFor } = require('../poll');
const { spawnGroup } = require('../processGroup');

/**
 * Runs roundRobinProxy.js as a process of its own (a load balancer is not part of the launcher), on
 * 127.0.0.1:`port`, in front of `upstreams` (`[{ name, port }]`). Resolves once it accepts connections.
 */
async function startProxyProcess({ port, upstreams, logFile }) {
	const listenPort = port ?? (await freePort());
	const args = [path.join(__dirname, 'roundRobinProxy.js'), '--port', String(listenPort)];
	for (const upstream of upstreams) args.push('--upstream', `${upstream.name}=127.0.0.1:${upstream.port}`);
	const logFd = fs.openSync(logFile, 'w');
	let group;
	try {
		group = spawnGroup(process.execPath, args, { stdio: ['ignore', logFd, logFd], name: 'proxy', graceMs: 3000 });
	} finally {
		fs.closeSync(logFd);
	}
	const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
	await waitFor(
		() => {
			if (!group.isRunning()) {
				const error = new Error(`The proxy exited: ${readLog().slice(-2000)}`);
				error.fatal = true;
				throw error;
			}
			return readLog().includes(`listening ${listenPort}`);
		},
		{ timeoutMs: 10000, intervalMs: 50, description: `proxy on 127.0.0.1:${listenPort}`, fatal: (error) => error.fatal },
	);
	return {
		port: listenPort,
		url: `http://127.0.0.1:${listenPort}`,
		pid: group.pid,
		logFile,
		readLog,
		stop: () => group.stop(),
	};
}

module.exports = { startProxyProcess };
