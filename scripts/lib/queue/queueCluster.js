'use strict';

const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
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
	};
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
} = {}) {
	const started = Date.now();
	fs.rmSync(workDir, { recursive: true, force: true });
	fs.mkdirSync(workDir, { recursive: true });
	const userFolder = path.join(workDir, 'n8n');
	const logDir = path.join(workDir, 'logs');
	fs.mkdirSync(logDir, { recursive: true });

	const cluster = {
		workDir,
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
	cluster.stop = () => stopCluster(cluster);

	try {
		const [install, postgres, redis] = await Promise.all([
			ensureN8nInstalled(),
			startPostgresCluster(),
			startRedisServer(),
			build ? buildPackage() : undefined,
		]);
		Object.assign(cluster, { postgres, redis, n8nVersion: install.n8nVersion });
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
		const ownerReady = setupOwner(cluster.main.baseUrl, owner);

		const webhookPorts = await Promise.all(Array.from({ length: webhookCount }, () => freePort()));
		cluster.webhooks = webhookPorts.map((port, index) => ({ name: `webhook-${index + 1}`, port, url: `http://127.0.0.1:${port}`, process: undefined }));
		await Promise.all([
			...cluster.webhooks.map((webhook) => startWebhookProcess(cluster, webhook, readyTimeoutMs)),
			...Array.from({ length: workerCount }, () => addWorker(cluster, readyTimeoutMs)),
		]);
		cluster.client = await ownerReady;
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

/** Each process writes n8n's event log to its own file; two processes appending to one file would interleave. */
function eventLogEnv(userFolder, name) {
	return { N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: path.join(userFolder, '.n8n', 'event-log', `${name}.log`) };
}

async function startWebhookProcess(cluster, webhook, readyTimeoutMs) {
	webhook.process = await startN8n({
		port: webhook.port,
		userFolder: cluster.userFolder,
		command: 'webhook',
		readyTimeoutMs,
		// One proxy in front: Express takes the client address from X-Forwarded-For, as the trigger does
		// with its own trustedProxyHops setting.
		env: { ...cluster.env, ...eventLogEnv(cluster.userFolder, webhook.name), N8N_PROXY_HOPS: '1' },
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
		cluster.proxy?.logFile,
		cluster.redis?.logFile,
		cluster.postgres?.logFile,
		...(fs.existsSync(cluster.userFolder) ? fs.readdirSync(cluster.userFolder).filter((name) => name.endsWith('.log')).map((name) => path.join(cluster.userFolder, name)) : []),
	].filter((file) => file && fs.existsSync(file));
	for (const file of files) fs.copyFileSync(file, path.join(destination, path.basename(file)));
	return files.length;
}

/** Stops whatever was started, front to back: proxy, n8n processes, then Redis and Postgres. Never throws. */
async function stopCluster(cluster) {
	const attempt = async (what, action) => {
		try {
			await action();
		} catch (error) {
			log(`stopping ${what} failed: ${error.message}`);
		}
	};
	if (cluster.stopped) return cluster.stopped;
	cluster.stopped = (async () => {
		await attempt('proxy', () => cluster.proxy?.stop());
		await Promise.all([
			...cluster.webhooks.map((webhook) => attempt(webhook.name, () => webhook.process?.stop())),
			...cluster.workers.map((worker) => attempt(worker.name, () => worker.process?.stop())),
			attempt('main', () => cluster.main?.stop()),
		]);
		await Promise.all([attempt('redis', () => cluster.redis?.destroy()), attempt('postgres', () => cluster.postgres?.stop())]);
	})();
	return cluster.stopped;
}

module.exports = { startQueueCluster, sharedQueueEnv, stopCluster };
