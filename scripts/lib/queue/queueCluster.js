'use strict';

const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../freePort');
const { ensureN8nInstalled } = require('../install');
const { startN8n } = require('../n8nProcess');
const { SCRATCH_DIR } = require('../paths');
const { buildPackage, packAndInstallPackage } = require('../projectPackage');
const { DEFAULT_OWNER, setupOwner } = require('../restClient');
const { startPostgresCluster } = require('./postgresCluster');
const { startProxyProcess } = require('./proxyProcess');
const { startRedisServer } = require('./redisServer');

const log = (message) => process.stderr.write(`[queue] ${message}\n`);

/**
 * The environment every n8n process of the cluster shares (n8n's own variables; see
 * n8n/dist/commands/{start,webhook,worker}.js and @n8n/config's scaling-mode and database configs).
 */
function sharedQueueEnv({ postgres, redis, encryptionKey, publicUrl }) {
	return {
		EXECUTIONS_MODE: 'queue',
		...postgres.n8nEnv(),
		...redis.n8nEnv(),
		// Credentials are encrypted by whichever process saves them and read by the others.
		N8N_ENCRYPTION_KEY: encryptionKey,
		// n8n exits when Redis stays unreachable this long (default 10 s); a short outage must not take the
		// whole cluster down, so the trigger's own 503 is what a sender sees.
		QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '60000',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Production URLs shown in the editor point at the load balancer.
		WEBHOOK_URL: `${publicUrl}/`,
		// n8n's default of 2 connections per process is exhausted by a burst of webhooks: requests then wait
		// for a connection, time out, and n8n answers 503 "Database is not ready!" for a while.
		DB_POSTGRESDB_POOL_SIZE: '6',
	};
}

/**
 * Webhook processes keep their webhook lookups in memory for a few seconds instead of in Redis: with the
 * default (a Redis cache in queue mode) a request waits inside n8n for Redis before any node runs, so
 * while Redis is down a sender gets no answer at all instead of the trigger's 503 + Retry-After. The
 * short TTL bounds how long a moved webhook path is served from a stale entry; a deactivated workflow is
 * refused at once either way (its published version is read from Postgres for every request).
 */
const WEBHOOK_PROCESS_CACHE_ENV = { N8N_CACHE_BACKEND: 'memory', N8N_CACHE_MEMORY_TTL: '5000' };

const SCRATCH_PREFIX = 'n8n-queue-';

const isAlive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
};

/**
 * Removes scratch folders of launchers that died without cleaning up (SIGKILL, a killed test runner):
 * their processes were ended by the watchdogs, but their folders stay. Folders are named after the
 * launcher's pid; those of live launchers are left alone.
 */
function removeStaleScratch() {
	const places = [
		[os.tmpdir(), /^n8n-queue-(\d+)-/],
		[SCRATCH_DIR, /^(?:queue|queue-local|bench-queue|bench-queue-single)-(\d+)$/],
	];
	for (const [parent, pattern] of places) {
		if (!fs.existsSync(parent)) continue;
		for (const name of fs.readdirSync(parent)) {
			const match = pattern.exec(name);
			if (match && Number(match[1]) !== process.pid && !isAlive(Number(match[1]))) {
				fs.rmSync(path.join(parent, name), { recursive: true, force: true });
			}
		}
	}
}

/**
 * Starts n8n in queue mode on loopback ports, with the package installed as a community package in
 * one user folder shared by every process (as `npm start` does), and returns a handle:
 *
 *   Postgres (private cluster) ← main (`n8n start`: editor, REST API, activation; no production webhooks)
 *   Redis (private server)     ← webhook-1..N (`n8n webhook`) ← proxy (round robin, one public URL)
 *                              ← worker-1..M (`n8n worker`: runs the executions)
 *
 * `stop()` ends every process it started, by process group, and removes the throw-away folders.
 * `onCreated(cluster)` receives the handle before anything starts, so that it can be stopped mid-start.
 */
async function startQueueCluster({
	workDir = path.join(SCRATCH_DIR, `queue-${process.pid}`),
	webhookCount = 2,
	workerCount = 1,
	mainPort,
	proxyPort,
	build = true,
	owner = DEFAULT_OWNER,
	env = {},
	readyTimeoutMs = 180000,
	onCreated,
} = {}) {
	const started = Date.now();
	removeStaleScratch();
	fs.rmSync(workDir, { recursive: true, force: true });
	fs.mkdirSync(workDir, { recursive: true });
	// Postgres and Redis data live outside the clone, in a folder the postgres user can reach.
	const serviceDir = fs.mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
	fs.chmodSync(serviceDir, 0o755);
	const userFolder = path.join(workDir, 'n8n');
	const logDir = path.join(workDir, 'logs');
	fs.mkdirSync(logDir, { recursive: true });

	const cluster = {
		workDir,
		serviceDir,
		userFolder,
		logDir,
		owner,
		main: undefined,
		webhooks: [],
		workers: [],
		postgres: undefined,
		redis: undefined,
		proxy: undefined,
		client: undefined,
		env: undefined,
	};
	cluster.stop = (options) => stopCluster(cluster, options);
	// Lets a caller stop a cluster that is still starting (Ctrl-C during startup).
	if (onCreated) onCreated(cluster);

	try {
		const [install, postgres, redis] = await Promise.all([
			ensureN8nInstalled(),
			startPostgresCluster({ baseDir: path.join(serviceDir, 'postgres') }),
			startRedisServer({ dataDir: path.join(serviceDir, 'redis') }),
			build ? buildPackage() : undefined,
		]);
		Object.assign(cluster, { postgres, redis, n8nVersion: install.n8nVersion });
		abortIfStopped(cluster);
		await packAndInstallPackage(userFolder);

		const publicPort = proxyPort ?? (await freePort());
		const publicUrl = `http://127.0.0.1:${publicPort}`;
		cluster.env = { ...sharedQueueEnv({ postgres, redis, encryptionKey: randomBytes(32).toString('hex'), publicUrl }), ...env };
		cluster.publicUrl = publicUrl;

		// main first: it runs the database migrations the other processes rely on.
		cluster.main = await startN8n({
			port: mainPort,
			userFolder,
			command: 'start',
			readyTimeoutMs,
			env: { ...cluster.env, ...eventLogEnv(userFolder, 'main'), N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		log(`main ready at ${cluster.main.baseUrl} after ${Date.now() - started} ms`);
		abortIfStopped(cluster);
		const ownerReady = setupOwner(cluster.main.baseUrl, owner);

		const webhookPorts = await Promise.all(Array.from({ length: webhookCount }, () => freePort()));
		cluster.webhooks = webhookPorts.map((port, index) => ({ name: `webhook-${index + 1}`, port, url: `http://127.0.0.1:${port}`, process: undefined }));
		await Promise.all([
			...cluster.webhooks.map((webhook) => startWebhookProcess(cluster, webhook, readyTimeoutMs)),
			...Array.from({ length: workerCount }, () => addWorker(cluster, readyTimeoutMs)),
		]);
		cluster.client = await ownerReady;
		abortIfStopped(cluster);
		cluster.proxy = await startProxyProcess({
			port: publicPort,
			upstreams: cluster.webhooks.map(({ name, port }) => ({ name, port })),
			logFile: path.join(logDir, 'proxy.log'),
		});
		log(`queue mode ready in ${Date.now() - started} ms: ${cluster.webhooks.length} webhook process(es), ${cluster.workers.length} worker(s), proxy ${cluster.proxy.url}`);
	} catch (error) {
		await stopCluster(cluster);
		throw error;
	}

	cluster.productionUrl = (webhookPath) => `${cluster.publicUrl}/webhook/${webhookPath}`;
	cluster.startWebhook = (index) => startWebhookProcess(cluster, cluster.webhooks[index], readyTimeoutMs);
	cluster.killWebhook = (index, signal = 'SIGKILL') => killProcess(cluster.webhooks[index].process, signal);
	cluster.addWorker = () => addWorker(cluster, readyTimeoutMs);
	cluster.processes = () => processList(cluster);
	cluster.copyLogs = (destination) => copyLogs(cluster, destination);
	return cluster;
}

function abortIfStopped(cluster) {
	if (cluster.stopRequested) throw new Error('The queue-mode cluster was stopped while it was starting');
}

/** Each process writes n8n's event log to its own file; two processes appending to one file would interleave. */
function eventLogEnv(userFolder, name) {
	return { N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: path.join(userFolder, '.n8n', 'event-log', `${name}.log`) };
}

async function startWebhookProcess(cluster, webhook, readyTimeoutMs) {
	// A restart reuses the port, so the log file name: keep the previous process's log.
	if (webhook.process && fs.existsSync(webhook.process.logFile)) {
		webhook.restarts = (webhook.restarts ?? 0) + 1;
		fs.copyFileSync(webhook.process.logFile, path.join(cluster.logDir, `${webhook.name}-before-restart-${webhook.restarts}.log`));
	}
	webhook.process = await startN8n({
		port: webhook.port,
		userFolder: cluster.userFolder,
		command: 'webhook',
		readyTimeoutMs,
		// One proxy in front: Express takes the client address from X-Forwarded-For, as the trigger does
		// with its own trustedProxyHops setting.
		env: { ...cluster.env, ...WEBHOOK_PROCESS_CACHE_ENV, ...eventLogEnv(cluster.userFolder, webhook.name), N8N_PROXY_HOPS: '1' },
	});
	return webhook;
}

async function addWorker(cluster, readyTimeoutMs) {
	const name = `worker-${cluster.workers.length + 1}`;
	const worker = { name, port: await freePort(), process: undefined };
	cluster.workers.push(worker);
	worker.process = await startN8n({
		port: worker.port,
		userFolder: cluster.userFolder,
		command: 'worker',
		readyTimeoutMs,
		env: {
			...cluster.env,
			...eventLogEnv(cluster.userFolder, name),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(worker.port),
			// The worker server listens on every interface unless told otherwise.
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
	});
	return worker;
}

/** Signals a process's whole group (n8n and its task runner) and waits until the leader is gone. */
async function killProcess(handle, signal) {
	if (!handle || !handle.isRunning()) return;
	try {
		process.kill(-handle.pid, signal);
	} catch {
		// Already gone.
	}
	await handle.exited;
}

function processList(cluster) {
	const list = [];
	if (cluster.proxy) list.push({ name: 'proxy', pid: cluster.proxy.pid, url: cluster.proxy.url });
	if (cluster.main) list.push({ name: 'main', pid: cluster.main.pid, url: cluster.main.baseUrl, log: cluster.main.logFile });
	for (const { name, url, process: handle } of cluster.webhooks) if (handle) list.push({ name, pid: handle.pid, url, log: handle.logFile });
	for (const { name, port, process: handle } of cluster.workers) if (handle) list.push({ name, pid: handle.pid, url: `http://127.0.0.1:${port}/healthz`, log: handle.logFile });
	if (cluster.redis) list.push({ name: 'redis', pid: cluster.redis.pid, url: `redis://127.0.0.1:${cluster.redis.port}`, log: cluster.redis.logFile });
	if (cluster.postgres) list.push({ name: 'postgres', pid: cluster.postgres.pid, url: `postgres://127.0.0.1:${cluster.postgres.port}/${cluster.postgres.database}`, log: cluster.postgres.logFile });
	return list;
}

function copyLogs(cluster, destination) {
	fs.mkdirSync(destination, { recursive: true });
	const files = [
		...fs.readdirSync(cluster.logDir).map((name) => path.join(cluster.logDir, name)),
		cluster.redis?.logFile,
		cluster.postgres?.logFile,
		...(fs.existsSync(cluster.userFolder) ? fs.readdirSync(cluster.userFolder).filter((name) => name.endsWith('.log')).map((name) => path.join(cluster.userFolder, name)) : []),
	].filter((file) => file && fs.existsSync(file));
	for (const file of files) fs.copyFileSync(file, path.join(destination, path.basename(file)));
	return files.length;
}

/**
 * Stops whatever was started, front to back: proxy, n8n processes, then Redis and Postgres, and removes
 * the throw-away folders (`keepFiles` keeps them). `logsTo` copies every log file there first. Never throws.
 */
async function stopCluster(cluster, { logsTo, keepFiles = false } = {}) {
	const attempt = async (what, action) => {
		try {
			await action();
		} catch (error) {
			log(`stopping ${what} failed: ${error.message}`);
		}
	};
	// Each part's stop is idempotent, so a second call (a cluster stopped while it was starting) also
	// stops what came up in between.
	cluster.stopRequested = true;
	await attempt('proxy', () => cluster.proxy?.stop());
	await Promise.all([
		...cluster.webhooks.map((webhook) => attempt(webhook.name, () => webhook.process?.stop())),
		...cluster.workers.map((worker) => attempt(worker.name, () => worker.process?.stop())),
		attempt('main', () => cluster.main?.stop()),
	]);
	if (logsTo) await attempt('copying logs', () => copyLogs(cluster, logsTo));
	await Promise.all([
		attempt('redis', () => (keepFiles ? cluster.redis?.stop() : cluster.redis?.destroy())),
		attempt('postgres', () => cluster.postgres?.stop({ keepFiles })),
	]);
	if (!keepFiles) {
		fs.rmSync(cluster.workDir, { recursive: true, force: true });
		fs.rmSync(cluster.serviceDir, { recursive: true, force: true });
	}
}

module.exports = { startQueueCluster, sharedQueueEnv, stopCluster, WEBHOOK_PROCESS_CACHE_ENV, removeStaleScratch };
