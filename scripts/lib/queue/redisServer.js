'use strict';

const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../freePort');
const { waitFor } = require('../poll');
const { spawnGroup } = require('../processGroup');
const { findRedisServer } = require('./systemBinaries');

const log = (message) => process.stderr.write(`[queue] ${message}\n`);

/** Sends one inline command and resolves with the first reply line (enough for AUTH + PING). */
function redisCommand({ port, password }, command) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let reply = '';
		socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
		socket.on('error', reject);
		socket.on('connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}${command}\r\n`));
		socket.on('data', (chunk) => {
			reply += chunk;
			const lines = reply.split('\r\n').filter(Boolean);
			if (lines.length >= (password ? 2 : 1)) {
				socket.end();
				resolve(lines[lines.length - 1]);
			}
		});
	});
}

/**
 * A private redis-server on 127.0.0.1 with its own data folder (append-only file, so a restart keeps
 * n8n's queue and the trigger's keys) and a generated password. `stop()` ends it (SIGTERM: it writes
 * its data first), `start()` starts it again on the same port and folder. `destroy()` stops it and
 * removes the folder unless `keep`.
 */
async function startRedisServer({ dataDir, port, keep = false } = {}) {
	const binary = findRedisServer();
	const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-redis-'));
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	const listenPort = port ?? (await freePort());
	const password = randomBytes(18).toString('hex');
	const logFile = path.join(dir, 'redis.log');
	const configFile = path.join(dir, 'redis.conf');
	// The password goes into a config file only we can read, not onto the command line (ps shows that).
	fs.writeFileSync(
		configFile,
		[
			'bind 127.0.0.1',
			`port ${listenPort}`,
			'protected-mode yes',
			`dir ${dir}`,
			'daemonize no',
			'save ""',
			'appendonly yes',
			'appendfsync everysec',
			`requirepass ${password}`,
			`logfile ${logFile}`,
			'',
		].join('\n'),
		{ mode: 0o600 },
	);

	let group;
	const handle = {
		host: '127.0.0.1',
		port: listenPort,
		password,
		dataDir: dir,
		logFile,
		get pid() {
			return group?.pid;
		},
		isRunning: () => Boolean(group && group.isRunning()),
		/** n8n's queue-mode variables for this server (the trigger reads the same ones). */
		n8nEnv: () => ({
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(listenPort),
			QUEUE_BULL_REDIS_PASSWORD: password,
		}),
		command: (text) => redisCommand({ port: listenPort, password }, text),
		readLog: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
		async start() {
			if (handle.isRunning()) return handle;
			group = spawnGroup(binary, [configFile], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'], name: 'redis-server', graceMs: 5000 });
			const current = group;
			await waitFor(
				async () => {
					if (!current.isRunning()) {
						const error = new Error(`redis-server exited. Log tail:\n${handle.readLog().slice(-2000)}`);
						error.fatal = true;
						throw error;
					}
					return (await handle.command('PING')) === '+PONG';
				},
				{ timeoutMs: 15000, intervalMs: 50, description: `redis-server on 127.0.0.1:${listenPort}`, fatal: (error) => error.fatal },
			);
			return handle;
		},
		async stop() {
			if (group) await group.stop();
		},
		async destroy() {
			await handle.stop();
			if (!keep) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	const started = Date.now();
	await handle.start();
	log(`Redis on 127.0.0.1:${listenPort} (data ${dir}) ready in ${Date.now() - started} ms`);
	return handle;
}

module.exports = { startRedisServer, redisCommand };
