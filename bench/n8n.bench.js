'use strict';

/**
 * In-n8n throughput: the Secure Webhook Trigger next to n8n's own Webhook node, on the same n8n, in one run.
 * Run with `npm run bench:n8n` (scripts/bench-n8n.sh builds first). Plain node, no test framework.
 *
 * For each settings profile (n8n's expression-engine settings, from @n8n/config's ExpressionEngineConfig: n8n's
 * defaults `vm`; a larger isolate pool; lazy acquisition, what `npm start` uses; the `legacy` engine; and n8n's
 * defaults with the change to n8n proposed in docs/n8n-settings.md) one n8n is started with the packed package
 * installed, and these run side by side, in rounds:
 *   (a) built-in Webhook node, no authentication                       → accepted/s, p50, p99
 *   (b) built-in Webhook node, header auth                             → accepted/s, p50, p99
 *   (c) Secure Webhook Trigger, standardWebhooks, de-dupe on (memory),
 *       pre-signed requests with unique ids                            → accepted/s, p50, p99
 *   (d) (c) with a bad signature                                       → rejected/s (401)
 *   (e) n8n's 404 for an unknown webhook path                          → rejected/s (the floor)
 *   (f) (b) with a wrong header value: n8n's own rejection after loading the workflow and its
 *       credential, for reference                                      → rejected/s (403)
 *   (c0), (d0) (c) and (d) with Credential Cache 0: the credential read for every request
 *   (g) (c) with a wrong Content-Type, refused before the credential is read → rejected/s (415)
 *   (h) built-in Webhook node with an IP allow-list that excludes the client: n8n's own node refusing
 *       without a credential, its cheapest answer once the workflow is loaded → rejected/s (403)
 * Accepted counts are checked against the executions n8n recorded; between measurements the benchmark
 * waits until every accepted event's execution has finished, so backlogs do not leak into the next one.
 *
 * The recommended profile also runs with BENCH_METRICS=on (N8N_METRICS=true: the package's Prometheus counters on
 * n8n's /metrics); the report gives the on/off ratio of its rows. BENCH_METRICS=off skips that run, `all` runs every
 * profile both ways.
 *
 * Environment: BENCH_ENGINES (vm,vm-pool4,vm-lazy,legacy,vm-proposed), BENCH_METRICS (on), BENCH_DURATION_SECONDS (8), BENCH_ROUNDS (2),
 * BENCH_CONNECTIONS (10).
 */
const { randomBytes, randomUUID } = require('node:crypto');
const path = require('node:path');

const autocannon = require('autocannon');

const lib = require('../scripts/lib');
const { sampleSum, scrapeMetrics } = require('../scripts/lib/prometheusText');

const ENGINES = (process.env.BENCH_ENGINES ?? 'vm,vm-pool4,vm-lazy,legacy,vm-proposed').split(',').map((engine) => engine.trim()).filter(Boolean);
/** `on`: the recommended profile again with metrics on; `all`: every profile; `off`: none. */
const METRICS = (process.env.BENCH_METRICS ?? 'on').trim();
const METRICS_ENV = { off: {}, on: { N8N_METRICS: 'true' } };
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARMUP_SECONDS = 1;
const DRAIN_TIMEOUT_MS = 180000;

const { SCHEMES } = require(path.join(lib.REPO_ROOT, 'dist', 'index.js'));

/**
 * Settings profiles: the n8n environment each one sets, how the report names it, and its role (n8n's defaults, what
 * `npm start` recommends). `vm-proposed` is n8n's defaults plus bench/webhookIsolateSkip.preload.js.
 */
const ENGINE_PROFILES = {
	vm: { env: { N8N_EXPRESSION_ENGINE: 'vm' }, title: "N8N_EXPRESSION_ENGINE=vm (n8n's default: isolated-vm, pool 1, isolates taken eagerly)", role: 'default' },
	'vm-pool4': {
		env: { N8N_EXPRESSION_ENGINE: 'vm', N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' },
		title: 'N8N_EXPRESSION_ENGINE=vm with N8N_EXPRESSION_ENGINE_POOL_SIZE=4 (four warm isolates instead of one)',
	},
	'vm-lazy': {
		env: { N8N_EXPRESSION_ENGINE: 'vm', ...lib.RECOMMENDED_N8N_ENV },
		title: 'N8N_EXPRESSION_ENGINE=vm with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (isolate only when an expression needs it)',
		role: 'recommended',
	},
	legacy: { env: { N8N_EXPRESSION_ENGINE: 'legacy' }, title: 'N8N_EXPRESSION_ENGINE=legacy (no isolates)' },
	'vm-proposed': {
		env: { N8N_EXPRESSION_ENGINE: 'vm', NODE_OPTIONS: `--require ${path.join(__dirname, 'webhookIsolateSkip.preload.js')}` },
		title: "n8n's defaults with the proposed n8n change (a trigger may opt out of the webhook-phase isolate, docs/n8n-settings.md)",
		role: 'proposed',
	},
};

/** The same ~0.5 KB JSON event for every scenario. */
const EVENT_BODY = Buffer.from(
	JSON.stringify({
		object: 'event',
		type: 'response.completed',
		created_at: 1735689600,
		data: {
			id: 'resp_0123456789abcdef',
			model: 'gpt-4.1-mini',
			status: 'completed',
			usage: { input_tokens: 412, output_tokens: 128, total_tokens: 540 },
			metadata: { customer: 'cus_42', ticket: 'T-1042', channel: 'email' },
			output_text: 'Thanks for reaching out. Your refund for order 1042 has been approved and will arrive in 3-5 days.',
		},
	}),
);

const say = (text = '') => process.stdout.write(`${text}\n`);

const SCENARIO_ORDER = ['a', 'b', 'c', 'c0', 'd', 'd0', 'e', 'f', 'g', 'h'];

function webhookNode(name, webhookPath, extra = {}) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {}, ...extra.parameters },
		...(extra.credentials ? { credentials: extra.credentials } : {}),
	};
}

async function createBenchWorkflows(client, baseUrl) {
	const headerAuthValue = randomBytes(24).toString('hex');
	const headerCredential = await client.createCredential({
		name: 'bench header auth',
		type: 'httpHeaderAuth',
		data: { name: 'X-Api-Key', value: headerAuthValue },
	});
	const signingSecret = `whsec_${randomBytes(32).toString('base64')}`;
	const signingCredential = await client.createCredential({
		name: 'bench signing secret',
		type: 'webhookSigningApi',
		data: { secret: signingSecret },
	});

	const open = await client.createActiveWorkflow({
		name: 'bench (a) built-in webhook',
		nodes: [webhookNode('Webhook', 'bench-open')],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	const headerAuth = await client.createActiveWorkflow({
		name: 'bench (b) built-in webhook, header auth',
		nodes: [
			webhookNode('Webhook', 'bench-header-auth', {
				parameters: { authentication: 'headerAuth' },
				credentials: { httpHeaderAuth: { id: headerCredential.id, name: headerCredential.name } },
			}),
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	const ipRestricted = await client.createActiveWorkflow({
		name: 'bench (h) built-in webhook, IP allow-list',
		nodes: [webhookNode('Webhook', 'bench-ip-restricted', { parameters: { options: { ipWhitelist: '192.0.2.1' } } })],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	const secureWorkflow = (name, webhookPath, settings = {}) =>
		client.createActiveWorkflow({
			name,
			nodes: [
				{
					id: randomUUID(),
					name: 'Secure Webhook Trigger',
					type: `${lib.PACKAGE_NAME}.secureWebhookTrigger`,
					typeVersion: 2,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: { path: webhookPath, scheme: 'standardWebhooks', dedupeStore: 'memory', responseMode: 'onReceived', settings },
					credentials: { webhookSigningApi: { id: signingCredential.id, name: signingCredential.name } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
	const secure = await secureWorkflow('bench (c) secure webhook trigger', 'bench-secure');
	const secureUncached = await secureWorkflow('bench (c0) secure webhook trigger, credential read per request', 'bench-secure-uncached', {
		credentialCacheSeconds: 0,
	});

	return {
		open: { workflowId: open.id, url: `${baseUrl}/webhook/bench-open` },
		headerAuth: { workflowId: headerAuth.id, url: `${baseUrl}/webhook/bench-header-auth`, headerAuthValue },
		secure: { workflowId: secure.id, url: `${baseUrl}/webhook/bench-secure`, signingSecret },
		secureUncached: { workflowId: secureUncached.id, url: `${baseUrl}/webhook/bench-secure-uncached`, signingSecret },
		unknownUrl: `${baseUrl}/webhook/bench-no-such-path`,
		ipRestrictedUrl: `${baseUrl}/webhook/bench-ip-restricted`,
		ipRestrictedWorkflowId: ipRestricted.id,
	};
}

/**
 * Signed header sets with unique ids, made before the measurement so signing costs the load generator
 * nothing. If a run outgrows the pool, further requests are signed on the fly (and counted) rather than
 * repeating an id, which the trigger would answer as a duplicate.
 */
function signedHeaderPool(secret, size) {
	const timestampSeconds = Math.floor(Date.now() / 1000);
	const sign = () =>
		SCHEMES.standardWebhooks.sign({ payload: EVENT_BODY, key: secret, id: `msg_${randomUUID()}`, timestampSeconds });
	const pool = Array.from({ length: size }, sign);
	let next = 0;
	let signedLate = 0;
	return {
		take() {
			if (next < pool.length) return pool[next++];
			signedLate++;
			return sign();
		},
		get used() {
			return next + signedLate;
		},
		get signedLate() {
			return signedLate;
		},
	};
}

function runAutocannon({ url, headers, setupRequest, seconds }) {
	return new Promise((resolve, reject) => {
		const instance = autocannon(
			{
				url,
				connections: CONNECTIONS,
				duration: seconds,
				// n8n's per-request cost can exceed autocannon's 10 s default under a full queue; a timed-out request
				// still runs in n8n but is not counted here.
				timeout: 60,
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: EVENT_BODY,
				requests: setupRequest ? [{ method: 'POST', setupRequest }] : undefined,
			},
			(error, result) => (error ? reject(error) : resolve(result)),
		);
		instance.on('error', () => {});
	});
}

function countOf(result, status) {
	const stats = result.statusCodeStats?.[String(status)];
	return stats ? Number(stats.count) : 0;
}

/** Correctly signed requests for a Secure Webhook Trigger target, each with its own event id. */
function signedRequests(target) {
	const pool = signedHeaderPool(target.signingSecret, 40000);
	return {
		url: target.url,
		pool,
		setupRequest: (request) => {
			request.headers = { ...request.headers, ...pool.take() };
			return request;
		},
	};
}

/** Signed with another secret, fresh timestamp: rejected at the signature check. */
function badlySigned(target) {
	const headers = SCHEMES.standardWebhooks.sign({ payload: EVENT_BODY, key: `whsec_${randomBytes(32).toString('base64')}`, id: `msg_${randomUUID()}` });
	return { url: target.url, headers };
}

/** One scenario: what to send and which status counts as the outcome we measure. */
function scenarios(targets) {
	return {
		a: {
			label: '(a) built-in Webhook, no auth',
			expectStatus: 200,
			workflowId: targets.open.workflowId,
			request: () => ({ url: targets.open.url }),
		},
		b: {
			label: '(b) built-in Webhook, header auth',
			expectStatus: 200,
			workflowId: targets.headerAuth.workflowId,
			request: () => ({ url: targets.headerAuth.url, headers: { 'x-api-key': targets.headerAuth.headerAuthValue } }),
		},
		c: {
			label: '(c) Secure Webhook Trigger, standardWebhooks',
			expectStatus: 200,
			workflowId: targets.secure.workflowId,
			request: () => signedRequests(targets.secure),
		},
		c0: {
			label: '(c0) (c) with Credential Cache 0',
			expectStatus: 200,
			workflowId: targets.secureUncached.workflowId,
			request: () => signedRequests(targets.secureUncached),
		},
		d: {
			label: '(d) Secure Webhook Trigger, bad signature',
			expectStatus: 401,
			mustNotExecute: targets.secure.workflowId,
			request: () => badlySigned(targets.secure),
		},
		d0: {
			label: '(d0) (d) with Credential Cache 0',
			expectStatus: 401,
			mustNotExecute: targets.secureUncached.workflowId,
			request: () => badlySigned(targets.secureUncached),
		},
		g: {
			label: '(g) Secure Webhook Trigger, wrong Content-Type',
			expectStatus: 415,
			mustNotExecute: targets.secure.workflowId,
			// Refused before the credential is read: what any node's answer costs once n8n has loaded its workflow.
			request: () => ({ url: targets.secure.url, headers: { 'content-type': 'application/x-bench' } }),
		},
		e: {
			label: "(e) n8n's 404, unknown webhook path",
			expectStatus: 404,
			request: () => ({ url: targets.unknownUrl }),
		},
		f: {
			label: '(f) built-in Webhook, wrong header auth',
			expectStatus: 403,
			request: () => ({ url: targets.headerAuth.url, headers: { 'x-api-key': 'wrong' } }),
		},
		h: {
			label: '(h) built-in Webhook, IP not allowed',
			expectStatus: 403,
			mustNotExecute: targets.ipRestrictedWorkflowId,
			// n8n's own Webhook node refusing without a credential: its cheapest answer once the workflow is loaded.
			request: () => ({ url: targets.ipRestrictedUrl }),
		},
	};
}

async function measure(client, scenario, expectedExecutions) {
	const warmup = scenario.request();
	const warm = await runAutocannon({ ...warmup, seconds: WARMUP_SECONDS });
	if (scenario.workflowId) {
		const expected = (expectedExecutions.get(scenario.workflowId) ?? 0) + countOf(warm, 200);
		const unaccounted = CONNECTIONS + warm.errors + warm.timeouts;
		expectedExecutions.set(scenario.workflowId, await drain(client, scenario.workflowId, expected, unaccounted));
	}

	const request = scenario.request();
	const result = await runAutocannon({ ...request, seconds: DURATION_SECONDS });
	const matching = countOf(result, scenario.expectStatus);
	const elapsedSeconds = result.duration ?? DURATION_SECONDS;
	const measurement = {
		perSecond: matching / elapsedSeconds,
		p50: result.latency.p50,
		p99: result.latency.p99,
		matching,
		total: result.requests.total,
		errors: result.errors + result.timeouts,
		otherStatuses: Object.entries(result.statusCodeStats ?? {})
			.filter(([status]) => Number(status) !== scenario.expectStatus)
			.map(([status, stats]) => `${status}×${stats.count}`),
		signedLate: request.pool?.signedLate ?? 0,
	};
	if (scenario.mustNotExecute) {
		// A rejected request must never start the workflow.
		const baseline = expectedExecutions.get(scenario.mustNotExecute) ?? 0;
		const recorded = await client.countExecutions(scenario.mustNotExecute);
		if (recorded !== baseline) throw new Error(`${scenario.label}: ${recorded - baseline} executions were started by rejected requests`);
	}
	if (scenario.workflowId) {
		const started = Date.now();
		const unaccounted = CONNECTIONS + result.errors + result.timeouts;
		measurement.recorded = await drain(client, scenario.workflowId, expectedExecutions.get(scenario.workflowId) + matching, unaccounted);
		expectedExecutions.set(scenario.workflowId, measurement.recorded);
		measurement.drainSeconds = (Date.now() - started) / 1000;
		measurement.executionsPerSecond = matching / (elapsedSeconds + measurement.drainSeconds);
	}
	return measurement;
}

/**
 * Waits until every execution of the workflow has finished and n8n recorded between `expected` and
 * `expected + unaccounted` of them (requests still in flight when autocannon stopped, or timed out, were
 * accepted by n8n but not counted by autocannon); returns the recorded count, the new baseline.
 */
async function drain(client, workflowId, expected, unaccounted = CONNECTIONS) {
	// Requests autocannon abandoned may still be queued inside n8n, not yet visible as executions: the count
	// must also hold still for a moment with nothing running.
	let last = -1;
	let stableSince = 0;
	return lib.waitFor(
		async () => {
			const executions = await client.request('GET', '/rest/executions', {
				query: { filter: { workflowId, status: ['running', 'new', 'waiting'] }, limit: '1' },
			});
			const recorded = await client.countExecutions(workflowId);
			if (recorded > expected + unaccounted) {
				throw Object.assign(new Error(`n8n recorded ${recorded} executions for ${expected} accepted requests`), { fatal: true });
			}
			if (executions.count > 0 || recorded !== last) {
				last = recorded;
				stableSince = Date.now();
				return undefined;
			}
			return recorded >= expected && Date.now() - stableSince >= 1500 ? recorded : undefined;
		},
		{ timeoutMs: DRAIN_TIMEOUT_MS, intervalMs: 250, description: `executions of workflow ${workflowId} to finish`, fatal: (error) => error.fatal },
	);
}

const median = (values) => {
	const sorted = [...values].sort((x, y) => x - y);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function benchEngine(engine, metrics = 'off') {
	const profile = ENGINE_PROFILES[engine];
	if (!profile) throw new Error(`Unknown engine profile "${engine}" (known: ${Object.keys(ENGINE_PROFILES).join(', ')})`);
	if (!METRICS_ENV[metrics]) throw new Error(`Unknown BENCH_METRICS setting "${metrics}" (known: off, on)`);
	const userFolder = path.join(lib.SCRATCH_DIR, `bench-${engine}-metrics-${metrics}-${process.pid}`);
	const local = await lib.launchLocalN8n({
		userFolder,
		fresh: true,
		build: false,
		env: {
			...profile.env,
			...METRICS_ENV[metrics],
			// Per-request log lines (n8n logs every unknown webhook) would slow the 404 floor, not the work.
			N8N_LOG_LEVEL: 'warn',
			// Every accepted event is counted against n8n's executions: nothing may be pruned meanwhile.
			EXECUTIONS_DATA_PRUNE: 'false',
		},
	});
	try {
		const targets = await createBenchWorkflows(local.client, local.n8n.baseUrl);
		const all = scenarios(targets);
		const order = SCENARIO_ORDER;
		const samples = Object.fromEntries(order.map((key) => [key, []]));
		const expectedExecutions = new Map();
		for (let round = 0; round < ROUNDS; round++) {
			// Alternate the order so drift over the run (heat, other load) does not favour one side.
			const roundOrder = round % 2 === 0 ? order : [...order].reverse();
			for (const key of roundOrder) {
				const measurement = await measure(local.client, all[key], expectedExecutions);
				samples[key].push(measurement);
				const extra = measurement.drainSeconds !== undefined ? `, executions drained in ${measurement.drainSeconds.toFixed(1)} s` : '';
				process.stderr.write(
					`[bench] ${engine} round ${round + 1} ${all[key].label}: ${measurement.perSecond.toFixed(0)}/s${extra}` +
						`${measurement.otherStatuses.length ? `, other statuses ${measurement.otherStatuses.join(' ')}` : ''}\n`,
				);
			}
		}
		const summary = {};
		for (const key of order) {
			const runs = samples[key];
			summary[key] = {
				label: all[key].label,
				expectStatus: all[key].expectStatus,
				perSecond: median(runs.map((run) => run.perSecond)),
				p50: median(runs.map((run) => run.p50)),
				p99: median(runs.map((run) => run.p99)),
				executionsPerSecond: runs[0].executionsPerSecond === undefined ? undefined : median(runs.map((run) => run.executionsPerSecond)),
				matching: runs.reduce((sum, run) => sum + run.matching, 0),
				errors: runs.reduce((sum, run) => sum + run.errors, 0),
				otherStatuses: runs.flatMap((run) => run.otherStatuses),
				signedLate: runs.reduce((sum, run) => sum + run.signedLate, 0),
			};
		}
		// With metrics on, what the package counted: proof the counters were live during the run.
		const counted =
			metrics === 'on'
				? sampleSum(await scrapeMetrics(local.n8n.baseUrl), 'n8n_secure_webhook_trigger_requests_total')
				: undefined;
		const title = `${profile.title}${metrics === 'on' ? `, metrics on (${counted} trigger requests counted on /metrics)` : ''}`;
		return { engine, metrics, title, role: metrics === 'on' ? `${profile.role ?? ''}+metrics` : profile.role, n8nVersion: local.n8n.n8nVersion, summary };
	} finally {
		await local.stop();
		require('node:fs').rmSync(userFolder, { recursive: true, force: true });
	}
}

function report(results) {
	const ms = (value) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
	say();
	say(`n8n ${results[0].n8nVersion} (Node.js 24), ${lib.PACKAGE_NAME}, autocannon against 127.0.0.1:`);
	say(`${CONNECTIONS} connections, ${DURATION_SECONDS} s per measurement, ${ROUNDS} rounds (median), ~${EVENT_BODY.length}-byte JSON body.`);
	say('Accepted events are counted from 200 responses and checked against the executions n8n recorded.');
	for (const { title, summary } of results) {
		say();
		say(`Expression engine: ${title}`);
		say('  scenario                                          per second      p50      p99   executions/s');
		for (const key of SCENARIO_ORDER) {
			const row = summary[key];
			const unit = row.expectStatus === 200 ? 'accepted' : 'rejected';
			say(
				`  ${row.label.padEnd(46)} ${row.perSecond.toFixed(0).padStart(6)} ${unit.padEnd(8)} ${ms(row.p50).padStart(8)} ${ms(row.p99).padStart(8)}` +
					`${row.executionsPerSecond !== undefined ? row.executionsPerSecond.toFixed(0).padStart(10) : ''}`,
			);
			if (row.otherStatuses.length > 0 || row.errors > 0) {
				say(`      note: other statuses ${row.otherStatuses.join(' ') || 'none'}, connection errors/timeouts ${row.errors}`);
			}
			if (row.signedLate > 0) say(`      note: ${row.signedLate} requests signed during the run (pool exhausted)`);
		}
		const acceptedRatio = summary.c.perSecond / summary.a.perSecond;
		const authRatio = summary.c.perSecond / summary.b.perSecond;
		const rejectRatio = summary.d.perSecond / summary.e.perSecond;
		say(`  ratio (c)/(a) accepted:              ${acceptedRatio.toFixed(2)}  (target ≥ 0.95) ${acceptedRatio >= 0.95 ? 'met' : 'NOT met'}`);
		say(`  ratio (c)/(b) accepted:              ${authRatio.toFixed(2)}`);
		say(`  ratio (d)/(e) bad signature vs 404:  ${rejectRatio.toFixed(2)}  (target ≥ 0.80) ${rejectRatio >= 0.8 ? 'met' : 'NOT met'}`);
		say(`  ratio (d)/(f) bad signature vs n8n's header-auth 403: ${(summary.d.perSecond / summary.f.perSecond).toFixed(2)}`);
		say(`  ratio (c0)/(a) accepted, credential read per request: ${(summary.c0.perSecond / summary.a.perSecond).toFixed(2)}`);
		say(`  ratio (d0)/(e) bad signature, credential read per request, vs 404: ${(summary.d0.perSecond / summary.e.perSecond).toFixed(2)}`);
		say(`  ratio (d)/(g) bad signature vs the trigger's own 415 (the verification's share): ${(summary.d.perSecond / summary.g.perSecond).toFixed(2)}`);
		say(`  ratio (g)/(e) 415 vs 404 (what loading the workflow costs any node's answer): ${(summary.g.perSecond / summary.e.perSecond).toFixed(2)}`);
		say(`  ratio (h)/(e) n8n's own Webhook node refusing an IP vs 404: ${(summary.h.perSecond / summary.e.perSecond).toFixed(2)}`);
		say(`  ratio (d)/(h) bad signature vs n8n's cheapest node answer: ${(summary.d.perSecond / summary.h.perSecond).toFixed(2)}`);
		say(`  p50 (c) vs (a): ${ms(summary.c.p50)} vs ${ms(summary.a.p50)}; p99 (c) vs (a): ${ms(summary.c.p99)} vs ${ms(summary.a.p99)}`);
	}
	for (const on of results.filter((result) => result.metrics === 'on')) {
		const off = results.find((result) => result.engine === on.engine && result.metrics === 'off');
		if (!off) continue;
		say();
		say(`Metrics on/off (${on.engine}): rate with N8N_METRICS=true divided by the rate without (1.00 = no cost)`);
		for (const key of ['c', 'd', 'g', 'a', 'e']) {
			say(`  ${on.summary[key].label.padEnd(46)} ${(on.summary[key].perSecond / off.summary[key].perSecond).toFixed(2)}`);
		}
	}
}

/** One row per settings profile, n8n's defaults first: what each setting does to the rates that matter. */
function compareSettings(results) {
	if (results.length < 2) return;
	const rate = (row) => row.perSecond.toFixed(0).padStart(6);
	say();
	say("Settings side by side (per second; (d) is the trigger's 401 for a bad signature, (h) n8n's own Webhook node refusing an IP):");
	say('  profile       role           (a) n8n open   (c) ours    (d) 401   (e) 404   (h) 403   (c)/(a)   (d)/(h)   (d)/(e)');
	const ordered = [...results].sort((x, y) => (x.role === 'default' ? -1 : y.role === 'default' ? 1 : 0));
	for (const { engine, role, summary } of ordered) {
		say(
			`  ${engine.padEnd(13)} ${(role ?? '').padEnd(12)} ${rate(summary.a)}        ${rate(summary.c)}    ${rate(summary.d)}    ${rate(summary.e)}    ${rate(summary.h)}` +
				`    ${(summary.c.perSecond / summary.a.perSecond).toFixed(2).padStart(5)}     ${(summary.d.perSecond / summary.h.perSecond).toFixed(2).padStart(5)}     ${(summary.d.perSecond / summary.e.perSecond).toFixed(2).padStart(5)}`,
		);
	}
	const byRole = Object.fromEntries(results.filter((result) => result.role).map((result) => [result.role, result.summary]));
	if (byRole.default && byRole.recommended) {
		say(`  recommended vs default: bad-signature rejections ×${(byRole.recommended.d.perSecond / byRole.default.d.perSecond).toFixed(1)}, accepted events ×${(byRole.recommended.c.perSecond / byRole.default.c.perSecond).toFixed(1)}`);
	}
	if (byRole.default && byRole.proposed) {
		say(`  proposed n8n change vs default: bad-signature rejections ×${(byRole.proposed.d.perSecond / byRole.default.d.perSecond).toFixed(1)}, accepted events ×${(byRole.proposed.c.perSecond / byRole.default.c.perSecond).toFixed(1)}`);
	}
}

async function main() {
	lib.installCleanupHandlers();
	const started = Date.now();
	const results = [];
	for (const engine of ENGINES) {
		results.push(await benchEngine(engine, 'off'));
		const recommended = ENGINE_PROFILES[engine]?.role === 'recommended';
		if (METRICS === 'all' || (METRICS === 'on' && recommended)) results.push(await benchEngine(engine, 'on'));
	}
	report(results);
	compareSettings(results);
	say();
	say(`Benchmark finished in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	lib.stopAllGroups().finally(() => process.exit(1));
});
