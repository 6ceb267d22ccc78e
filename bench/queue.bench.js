#!/usr/bin/env node
'use strict';
/**
 * Queue mode vs a single n8n, side by side in one run: correctly signed events (Standard Webhooks, a new
 * id each) sent for a fixed time at a fixed number of connections, and measured as a sender sees them:
 * accepted events per second and latency p50/p99. Then the time until every accepted event has been
 * executed (executed per second, end to end).
 *
 *   1. single: `npm start`'s launcher (n8n start, SQLite, regular mode), de-duplication in memory
 *   2. queue, 1 worker: Postgres + Redis + main + 2 webhook processes behind the round-robin proxy, de-dup in Redis
 *   3. queue, 2 workers: the same cluster with a second worker added
 *
 * Loopback only; every process is stopped at the end, also after a failure. Bounded: each load phase
 * lasts BENCH_QUEUE_SECONDS (default 10), each drain at most BENCH_QUEUE_DRAIN_SECONDS (default 120).
 * Env: BENCH_QUEUE_CONNECTIONS (default 16); BENCH_QUEUE_EXPRESSION_ENGINE (default: n8n's own default, `vm`
 * on isolated-vm, which acquires an isolate for every request of this trigger; `legacy` shows the rest of
 * the cost). Run: npm run bench:queue (builds, then scripts/bench-queue.sh).
 */
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const autocannon = require('autocannon');

const lib = require('../scripts/lib');
const queue = require('../scripts/lib/queue');

const SECONDS = Number(process.env.BENCH_QUEUE_SECONDS || 10);
const DRAIN_SECONDS = Number(process.env.BENCH_QUEUE_DRAIN_SECONDS || 120);
const CONNECTIONS = Number(process.env.BENCH_QUEUE_CONNECTIONS || 16);
const ENGINE = process.env.BENCH_QUEUE_EXPRESSION_ENGINE || '';
// Every process gets the same engine, so the comparison stays like for like.
const ENGINE_ENV = ENGINE ? { N8N_EXPRESSION_ENGINE: ENGINE } : {};
const TRIGGER_TYPE = `${lib.PACKAGE_NAME}.secureWebhookTrigger`;

const { SCHEMES } = require(path.join(lib.REPO_ROOT, 'dist', 'index.js'));

const say = (text = '') => process.stdout.write(`${text}\n`);

/** Secure Webhook Trigger (Standard Webhooks) → NoOp, published; `dedupeStore` as given. */
async function createBenchWorkflow(client, { dedupeStore }) {
	const secret = `whsec_${Buffer.from(randomUUID()).toString('base64')}`;
	const credential = await client.createCredential({ name: `bench ${randomUUID().slice(0, 6)}`, type: 'webhookSigningApi', data: { secret } });
	const webhookPath = `bench-${randomUUID().slice(0, 8)}`;
	const trigger = {
		id: randomUUID(),
		name: 'Secure Webhook Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { path: webhookPath, scheme: 'standardWebhooks', events: 'response.completed', dedupeStore },
		credentials: { webhookSigningApi: { id: credential.id, name: credential.name } },
	};
	const noOp = { id: randomUUID(), name: 'Accepted event', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} };
	const created = await client.createActiveWorkflow({
		name: `Bench ${dedupeStore}`,
		nodes: [trigger, noOp],
		connections: { [trigger.name]: { main: [[{ node: noOp.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	return { id: created.id, path: webhookPath, secret };
}

/** A new, correctly signed event for every request autocannon sends. */
function signedRequestFactory(secret) {
	return (request) => {
		const body = Buffer.from(JSON.stringify({ object: 'event', type: 'response.completed', created_at: Math.floor(Date.now() / 1000), data: { id: `resp_${randomUUID()}` } }));
		const headers = SCHEMES.standardWebhooks.sign({ payload: body, key: secret, timestampSeconds: Math.floor(Date.now() / 1000), id: `msg_${randomUUID().replace(/-/g, '')}` });
		return { ...request, method: 'POST', body, headers: { ...request.headers, 'content-type': 'application/json', ...headers } };
	};
}

/** Finished executions of a workflow, from the list's count (completed only) and its current entries. */
async function executionCounts(client, workflowId) {
	const page = await client.request('GET', '/rest/executions', { query: { filter: { workflowId }, limit: '1' } });
	const current = page.results.filter((execution) => execution.status === 'new' || execution.status === 'running').length;
	return { finished: page.count, current };
}

async function measure(label, { client, url, workflowId, secret }) {
	say(`  ${label}: ${SECONDS} s at ${CONNECTIONS} connections → ${url.replace(/\/webhook\/.*/, '/webhook/…')}`);
	const loadStarted = Date.now();
	const result = await autocannon({
		url,
		connections: CONNECTIONS,
		duration: SECONDS,
		requests: [{ setupRequest: signedRequestFactory(secret) }],
	});
	const loadMs = Date.now() - loadStarted;
	const accepted = result['2xx'];
	let drainMs;
	try {
		await lib.waitFor(
			async () => {
				const counts = await executionCounts(client, workflowId);
				return counts.finished >= accepted && counts.current === 0;
			},
			{ timeoutMs: DRAIN_SECONDS * 1000, intervalMs: 500, description: `${accepted} executions of ${label}` },
		);
		drainMs = Date.now() - loadStarted - loadMs;
	} catch {
		drainMs = undefined;
	}
	const row = {
		label,
		requests: result.requests.total,
		accepted,
		other: result.non2xx + result.errors + result.timeouts,
		acceptedPerSecond: accepted / (result.duration || SECONDS),
		p50: result.latency.p50,
		p99: result.latency.p99,
		drainMs,
		executedPerSecond: drainMs === undefined ? undefined : accepted / ((loadMs + drainMs) / 1000),
	};
	say(`    ${row.accepted} accepted (${row.other} other), ${rate(row.acceptedPerSecond)}/s, p50 ${row.p50} ms, p99 ${row.p99} ms; ` + (drainMs === undefined ? `not drained within ${DRAIN_SECONDS} s` : `all executed ${(drainMs / 1000).toFixed(1)} s after the load ended`));
	return row;
}

/** One decimal below 10/s, where whole numbers would hide the differences. */
const rate = (value) => (value < 10 ? value.toFixed(1) : value.toFixed(0));

function printTable(rows) {
	const base = rows[0];
	const ratio = (value, reference) => (value === undefined || reference === undefined ? 'n/a' : `${(value / reference).toFixed(2)}×`);
	say();
	say(`Queue mode vs single instance, ${os.cpus().length} CPU core(s) shared by every process and the load generator (the point is the shape, not the absolute numbers):`);
	say();
	say('| setup | accepted/s | vs single | p50 ms | p99 ms | executed/s (end to end) | vs single |');
	say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const row of rows) {
		say(
			`| ${row.label} | ${rate(row.acceptedPerSecond)} | ${ratio(row.acceptedPerSecond, base.acceptedPerSecond)} | ${row.p50} | ${row.p99} | ` +
				`${row.executedPerSecond === undefined ? 'not drained' : rate(row.executedPerSecond)} | ${ratio(row.executedPerSecond, base.executedPerSecond)} |`,
		);
	}
	say();
	say('single: n8n start, SQLite, dedupeStore memory. queue: Postgres + Redis, main, 2 webhook processes behind the proxy, dedupeStore redis.');
	say(`Expression engine: ${ENGINE || "n8n's default (vm)"}. Machine load average at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')} (other work on the machine skews the figures).`);
}

async function main() {
	let stopping = false;
	const rows = [];
	let single;
	let cluster;
	const singleFolder = path.join(lib.SCRATCH_DIR, `bench-queue-single-${process.pid}`);
	const stopAll = async () => {
		stopping = true;
		await Promise.all([single?.stop(), cluster?.stop()]);
		fs.rmSync(singleFolder, { recursive: true, force: true });
	};
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll().finally(() => process.exit(130)));

	try {
		say(`Benchmark: signed webhooks, single instance vs queue mode (${os.cpus().length} cores, expression engine ${ENGINE || "n8n's default"})`);
		single = await lib.launchLocalN8n({ userFolder: singleFolder, fresh: true, build: false, env: ENGINE_ENV });
		const singleFlow = await createBenchWorkflow(single.client, { dedupeStore: 'memory' });
		rows.push(await measure('single instance', { client: single.client, url: `${single.n8n.baseUrl}/webhook/${singleFlow.path}`, workflowId: singleFlow.id, secret: singleFlow.secret }));
		await single.stop();
		single = undefined;
		if (stopping) return;

		cluster = await queue.startQueueCluster({ workDir: path.join(lib.SCRATCH_DIR, `bench-queue-${process.pid}`), build: false, workerCount: 1, env: ENGINE_ENV });
		const oneWorker = await createBenchWorkflow(cluster.client, { dedupeStore: 'redis' });
		rows.push(await measure('queue, 1 worker', { client: cluster.client, url: cluster.productionUrl(oneWorker.path), workflowId: oneWorker.id, secret: oneWorker.secret }));
		await cluster.addWorker();
		const twoWorkers = await createBenchWorkflow(cluster.client, { dedupeStore: 'redis' });
		rows.push(await measure('queue, 2 workers', { client: cluster.client, url: cluster.productionUrl(twoWorkers.path), workflowId: twoWorkers.id, secret: twoWorkers.secret }));
	} finally {
		await stopAll();
	}
	printTable(rows);
}

main().catch(async (error) => {
	process.stderr.write(`\n${error.stack ?? error}\n`);
	await lib.stopAllGroups();
	process.exit(1);
});
