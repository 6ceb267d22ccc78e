#!/usr/bin/env node
// Signed Webhook delivery benchmark: deliveries per second to a loopback receiver, batches of 1, 10 and 100 side by
// side, the cost of durable delivery (the Redis outbox on a throw-away redis-server with an append-only file), and
// how closely retry waits keep to their schedule. Runs against dist/ (npm run build first). The receiver runs in a
// child process on 127.0.0.1 so that it does not share the sender's event loop; everything stops when the script ends.
//
//   node bench/deliver.bench.js [--deliveries 4000] [--quick]
'use strict';

const { fork } = require('node:child_process');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const path = require('node:path');

if (process.argv[2] === '--receiver') {
	runReceiver();
} else {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

/** The child: 200 on /ok; /flaky/<n> answers 503 until a given event id's n-th attempt, then 200. */
function runReceiver() {
	const attemptsById = new Map();
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			if (req.url.startsWith('/flaky/')) {
				const failures = Number(req.url.split('/')[2]);
				const id = String(req.headers['webhook-id'] ?? req.headers['x-event-id']);
				const seen = (attemptsById.get(id) ?? 0) + 1;
				attemptsById.set(id, seen);
				res.writeHead(seen > failures ? 200 : 503, { 'content-type': 'application/json' });
				res.end('{"ok":true}');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	server.keepAliveTimeout = 30_000;
	server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
	process.on('disconnect', () => process.exit(0));
}

async function startReceiver() {
	const child = fork(__filename, ['--receiver'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const port = await new Promise((resolve, reject) => {
		child.once('message', (message) => resolve(message.port));
		child.once('error', reject);
	});
	return { port, stop: () => child.kill() };
}

function loadDist() {
	const dir = path.join(__dirname, '..', 'dist', 'nodes', 'SignedWebhook');
	try {
		return {
			...require(path.join(dir, 'fanOut.js')),
			...require(path.join(dir, 'httpAttempt.js')),
			...require(path.join(dir, 'concurrencyLimiter.js')),
			...require(path.join(dir, 'deliver.js')),
			...require(path.join(dir, 'deliveryRun.js')),
			...require(path.join(dir, 'redisOutbox.js')),
		};
	} catch (error) {
		console.error('dist/ is missing or stale: run `npm run build` first.');
		throw error;
	}
}

function argument(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PAYLOAD = Buffer.from(JSON.stringify({ type: 'order.created', data: { id: 'ord_1', total: 1299, items: [{ sku: 'A', qty: 2 }] } }));

function makeItems(count, urls) {
	return Array.from({ length: count }, (_, itemIndex) => ({
		itemIndex,
		eventId: `evt_${itemIndex}_${Math.random().toString(36).slice(2)}`,
		eventType: 'order.created',
		payload: null,
		body: PAYLOAD,
		destinations: urls,
		headers: { 'content-type': 'application/json' },
		customHeaders: {},
	}));
}

const SIGNING = {
	none: { scheme: 'none', key: '' },
	standardWebhooks: { scheme: 'standardWebhooks', key: SECRET },
	jwtHS256: { scheme: 'jwt', key: SECRET, jwt: { algorithm: 'HS256', tokenHeader: 'authorization', issuer: '', audience: '', bodyHashClaim: 'body_sha256', expiresInSeconds: 300 } },
};

/** Sends every item once; returns deliveries per second and whether all were delivered. */
async function throughput(dist, { port, deliveries, concurrency, keepAlive, signing }) {
	const pool = keepAlive
		? dist.createConnectionPool(concurrency)
		: { http: new http.Agent({ keepAlive: false }), https: undefined, destroy() {} };
	const items = makeItems(deliveries, [`http://127.0.0.1:${port}/ok`]);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const outcomes = await dist.fanOut(
		items,
		{ method: 'POST', signing, refuseNonPublic: false, policy: { schedule: { kind: 'explicit', delaysMs: [] }, retryAfterMaxMs: 0, timeBudgetMs: 0, timeoutMs: 10_000 } },
		{
			send: (request) => dist.sendAttempt({ ...request, maxResponseBytes: 65_536, maxRedirects: 0, refuseNonPublic: false, pool }),
			limiter: new dist.ConcurrencyLimiter(concurrency),
			clock: dist.systemClock,
			random: Math.random,
		},
	);
	const seconds = (performance.now() - started) / 1000;
	const cpu = process.cpuUsage(cpuBefore);
	pool.destroy();
	const delivered = outcomes.filter((outcome) => outcome.result.delivered).length;
	if (delivered !== deliveries) throw new Error(`only ${delivered} of ${deliveries} delivered`);
	// CPU time of the sending process per delivery is steadier than wall time on a shared machine.
	return { rate: deliveries / seconds, cpuMicrosPerDelivery: (cpu.user + cpu.system) / deliveries };
}

const POLICY = { schedule: { kind: 'explicit', delaysMs: [] }, retryAfterMaxMs: 0, timeBudgetMs: 0, timeoutMs: 10_000 };

/**
 * Sends every item once the way the node does (deliveryRun's sendItems): one request per item, or batches of
 * `batchSize` (object with an events array), in memory or through the Redis outbox. Returns events delivered per
 * second and the sender's CPU per event.
 */
async function sendRun(dist, { port, deliveries, batchSize, outbox }) {
	const pool = dist.createConnectionPool(10);
	const items = makeItems(deliveries, [`http://127.0.0.1:${port}/ok`]);
	const settings = {
		method: 'POST',
		signing: SIGNING.standardWebhooks,
		policy: POLICY,
		refuseNonPublic: false,
		...(batchSize ? { batching: { limits: { maxItems: batchSize, maxBytes: 1_048_576, lingerMs: 0 }, format: 'eventsObject' } } : {}),
		...(outbox ? { durability: { outbox, leaseMs: 30_000, executionId: 'bench' } } : {}),
	};
	const dependencies = {
		send: (request) => dist.sendAttempt({ ...request, maxResponseBytes: 65_536, maxRedirects: 0, refuseNonPublic: false, pool }),
		limiter: new dist.ConcurrencyLimiter(10),
		clock: dist.systemClock,
		random: Math.random,
	};
	const warnings = [];
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const outcomes = await dist.sendItems(items, settings, dependencies, { warn: (message) => warnings.push(message) });
	const seconds = (performance.now() - started) / 1000;
	const cpu = process.cpuUsage(cpuBefore);
	pool.destroy();
	const delivered = outcomes.filter((outcome) => outcome.result.delivered).length;
	if (delivered !== deliveries) throw new Error(`only ${delivered} of ${deliveries} delivered`);
	if (warnings.length > 0) throw new Error(`the outbox warned: ${warnings[0]}`);
	if (outbox && (await outbox.jobIds()).length > 0) throw new Error('the outbox kept a finished job');
	return { rate: deliveries / seconds, cpuMicrosPerDelivery: (cpu.user + cpu.system) / deliveries };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs every configuration `rounds` times, interleaved so that machine noise hits them alike; medians per configuration. */
async function interleaved(runs, rounds, measure) {
	const samples = runs.map(() => []);
	for (let round = 0; round < rounds; round++) {
		for (const [index, [, options]] of runs.entries()) samples[index].push(await measure(options));
	}
	return runs.map(([label], index) => ({
		label,
		rate: median(samples[index].map((sample) => sample.rate)),
		rates: samples[index].map((sample) => sample.rate),
		cpu: median(samples[index].map((sample) => sample.cpuMicrosPerDelivery)),
	}));
}

function printRows(results, baselineOf, heading) {
	console.log(`  ${heading.padEnd(52)} ${'events/s'.padStart(12)}  ratio   ${'sender CPU/event'.padStart(19)}  ratio   all rounds`);
	for (const result of results) {
		const baseline = baselineOf(result);
		console.log(
			`  ${result.label.padEnd(52)} ${result.rate.toFixed(0).padStart(12)}  x${(result.rate / baseline.rate).toFixed(2)}   ${`${result.cpu.toFixed(0)} µs`.padStart(19)}  x${(result.cpu / baseline.cpu).toFixed(2)}   [${result.rates.map((value) => value.toFixed(0)).join(', ')}]`,
		);
	}
}

/**
 * Every delivery fails `failures` times, then succeeds, on an explicit schedule; the send wrapper records when
 * each attempt started and ended, so the actual wait (end of attempt n to start of n+1) can be set against the
 * scheduled one. With `backgroundLoad`, a throughput run shares the same limiter at the same time.
 */
async function timingAccuracy(dist, { port, deliveries, delaysMs, concurrency, backgroundLoad }) {
	const pool = dist.createConnectionPool(concurrency);
	const limiter = new dist.ConcurrencyLimiter(concurrency);
	const marks = new Map();
	const dependencies = {
		send: async (request) => {
			const key = request.headers['webhook-id'] ?? request.headers['x-event-id'];
			const start = performance.now();
			const result = await dist.sendAttempt({ ...request, maxResponseBytes: 65_536, maxRedirects: 0, refuseNonPublic: false, pool });
			if (request.url.pathname.startsWith('/flaky/')) {
				const list = marks.get(key) ?? [];
				list.push({ start, end: performance.now() });
				marks.set(key, list);
			}
			return result;
		},
		limiter,
		clock: dist.systemClock,
		random: Math.random,
	};
	const policy = { schedule: { kind: 'explicit', delaysMs }, retryAfterMaxMs: 0, timeBudgetMs: 0, timeoutMs: 10_000 };
	const settings = { method: 'POST', signing: SIGNING.standardWebhooks, refuseNonPublic: false, policy };
	const retried = dist.fanOut(makeItems(deliveries, [`http://127.0.0.1:${port}/flaky/${delaysMs.length}`]), settings, dependencies);
	const load = backgroundLoad
		? dist.fanOut(makeItems(backgroundLoad, [`http://127.0.0.1:${port}/ok`]), { ...settings, policy: { ...policy, schedule: { kind: 'explicit', delaysMs: [] } } }, dependencies)
		: Promise.resolve([]);
	const [outcomes] = await Promise.all([retried, load]);
	pool.destroy();

	const lateness = [];
	for (const outcome of outcomes) {
		if (!outcome.result.delivered) throw new Error(`not delivered: ${outcome.result.failureReason}`);
		const attempts = marks.get(outcome.item.eventId);
		for (let index = 1; index < attempts.length; index++) {
			const actual = attempts[index].start - attempts[index - 1].end;
			lateness.push(actual - outcome.result.attempts[index].scheduledDelayMs);
		}
	}
	lateness.sort((a, b) => a - b);
	const pick = (q) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))];
	const mean = lateness.reduce((sum, value) => sum + value, 0) / lateness.length;
	return { waits: lateness.length, mean, p50: pick(0.5), p99: pick(0.99), min: lateness[0], max: lateness[lateness.length - 1] };
}

async function main() {
	const quick = process.argv.includes('--quick');
	const deliveries = argument('deliveries', quick ? 1000 : 4000);
	const dist = loadDist();
	const receiver = await startReceiver();
	const { port } = receiver;
	try {
		console.log(`Signed Webhook delivery benchmark: ${deliveries} deliveries per run to a loopback receiver (child process), Node ${process.version}`);
		// Warm-up: JIT, sockets, crypto.
		await throughput(dist, { port, deliveries: 500, concurrency: 10, keepAlive: true, signing: SIGNING.standardWebhooks });

		const runs = [
			['standardWebhooks, keep-alive, 10 in flight (defaults)', { concurrency: 10, keepAlive: true, signing: SIGNING.standardWebhooks }],
			['standardWebhooks, new connection per request', { concurrency: 10, keepAlive: false, signing: SIGNING.standardWebhooks }],
			['standardWebhooks, keep-alive, 1 in flight', { concurrency: 1, keepAlive: true, signing: SIGNING.standardWebhooks }],
			['standardWebhooks, keep-alive, 50 in flight', { concurrency: 50, keepAlive: true, signing: SIGNING.standardWebhooks }],
			['none (unsigned), keep-alive, 10 in flight', { concurrency: 10, keepAlive: true, signing: SIGNING.none }],
			['jwt HS256 + body hash, keep-alive, 10 in flight', { concurrency: 10, keepAlive: true, signing: SIGNING.jwtHS256 }],
		];
		// Rounds interleave the configurations so that machine noise hits them alike; the median is reported.
		const rounds = quick ? 1 : 3;
		const samples = runs.map(() => []);
		for (let round = 0; round < rounds; round++) {
			for (const [index, [, options]] of runs.entries()) samples[index].push(await throughput(dist, { port, deliveries, ...options }));
		}
		const results = runs.map(([label], index) => ({
			label,
			rate: median(samples[index].map((sample) => sample.rate)),
			rates: samples[index].map((sample) => sample.rate),
			cpu: median(samples[index].map((sample) => sample.cpuMicrosPerDelivery)),
		}));
		const baseline = results[0];
		console.log(`\nThroughput (median of ${rounds} interleaved round${rounds === 1 ? '' : 's'}; ratios to the defaults, same run):`);
		console.log(`  ${'configuration'.padEnd(52)} ${'deliveries/s'.padStart(12)}  ratio   ${'sender CPU/delivery'.padStart(19)}  ratio   all rounds`);
		for (const result of results) {
			console.log(
				`  ${result.label.padEnd(52)} ${result.rate.toFixed(0).padStart(12)}  x${(result.rate / baseline.rate).toFixed(2)}   ${`${result.cpu.toFixed(0)} µs`.padStart(19)}  x${(result.cpu / baseline.cpu).toFixed(2)}   [${result.rates.map((value) => value.toFixed(0)).join(', ')}]`,
			);
		}

		console.log(`\nBatches per URL (${deliveries} events per run, standardWebhooks, 10 in flight; median of ${rounds}; ratios to batches of 1, same run):`);
		const batchRuns = [
			['batches of 1', { batchSize: 1 }],
			['batches of 10', { batchSize: 10 }],
			['batches of 100', { batchSize: 100 }],
			['batching off (one request per item, for reference)', { batchSize: 0 }],
		];
		const batchResults = await interleaved(batchRuns, rounds, (options) => sendRun(dist, { port, deliveries, ...options }));
		printRows(batchResults, () => batchResults[0], 'batch size');

		// Durable delivery: every delivery is written to the outbox before its first attempt, its progress after the
		// attempt and its outcome at the end; the job is removed when the run ends. redis-server with appendfsync everysec.
		const { startRedisServer } = require('../scripts/lib/queue/redisServer');
		const Redis = require('ioredis');
		const redisServer = await startRedisServer();
		const redis = new Redis({ host: '127.0.0.1', port: redisServer.port, password: redisServer.password, maxRetriesPerRequest: 1 });
		try {
			let scope = 0;
			const outbox = () => new dist.RedisOutbox(redis, `bench-${++scope}`);
			await sendRun(dist, { port, deliveries: 500, batchSize: 0, outbox: outbox() });
			const durableRuns = [
				['one request per item, in memory', { batchSize: 0 }],
				['one request per item, Redis outbox', { batchSize: 0, durable: true }],
				['batches of 100, in memory', { batchSize: 100 }],
				['batches of 100, Redis outbox', { batchSize: 100, durable: true }],
			];
			const durableResults = await interleaved(durableRuns, rounds, ({ durable, ...options }) =>
				sendRun(dist, { port, deliveries, ...options, outbox: durable ? outbox() : undefined }),
			);
			console.log(`\nCost of durability (${deliveries} events per run, Redis on loopback, append-only file fsync every second; ratios: Redis outbox to in memory, same run):`);
			printRows(durableResults, (result) => durableResults[Math.floor(durableResults.indexOf(result) / 2) * 2], 'pending deliveries kept');
		} finally {
			redis.disconnect();
			await redisServer.destroy();
		}

		const delaysMs = [20, 50, 100, 200];
		console.log(`\nRetry timing: each delivery fails ${delaysMs.length} times on the schedule ${delaysMs.join(', ')} ms, then succeeds.`);
		console.log('  lateness = actual wait (end of attempt to start of the next) - scheduled wait, in ms');
		const idle = await timingAccuracy(dist, { port, deliveries: 50, delaysMs, concurrency: 10 });
		const loaded = await timingAccuracy(dist, { port, deliveries: 50, delaysMs, concurrency: 10, backgroundLoad: deliveries });
		for (const [label, stats] of [
			['50 retrying deliveries, nothing else', idle],
			[`same, while ${deliveries} other deliveries share the 10 slots`, loaded],
		]) {
			console.log(
				`  ${label.padEnd(62)} waits=${stats.waits} mean=${stats.mean.toFixed(2)} p50=${stats.p50.toFixed(2)} p99=${stats.p99.toFixed(2)} min=${stats.min.toFixed(2)} max=${stats.max.toFixed(2)}`,
			);
		}
	} finally {
		receiver.stop();
	}
}
