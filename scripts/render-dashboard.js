'use strict';

/**
 * The dashboard picture, docs/images/monitoring-dashboard.png: examples/grafana-dashboard.json's own PromQL,
 * evaluated by a real Prometheus (Debian's `prometheus` package) that scraped a real n8n's /metrics during a few
 * minutes of mixed traffic, drawn as SVG in a static page and photographed in Chromium. Grafana itself is not
 * installable here (neither Debian nor npm ships it); the page lays the panels out by the dashboard's gridPos and
 * draws each query's result as Prometheus returned it, nothing else: no interpolation across gaps (a missing or
 * NaN sample breaks the line), "No data" where a query returned nothing, values printed as returned.
 *
 * What Prometheus returned is saved next to the picture (docs/images/monitoring-dashboard.data.json, each
 * query's `result` verbatim), and the picture is drawn from that file only.
 *
 * Run: `npm run render:dashboard` (builds first; RENDER_SECONDS, default 240: how long the traffic runs).
 * `RENDER_FROM=docs/images/monitoring-dashboard.data.json node scripts/render-dashboard.js` redraws the picture
 * from saved data without a new run.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const lib = require('./lib');

const DURATION_SECONDS = Number(process.env.RENDER_SECONDS ?? 240);
const SCRAPE_SECONDS = 2;
const RATE_INTERVAL = '20s';
const STEP_SECONDS = 5;
const IMAGES = path.join(lib.REPO_ROOT, 'docs', 'images');
const OUTPUT = path.join(IMAGES, 'monitoring-dashboard.png');
const DATA_OUTPUT = path.join(IMAGES, 'monitoring-dashboard.data.json');
const DASHBOARD_FILE = 'examples/grafana-dashboard.json';
const DASHBOARD = JSON.parse(fs.readFileSync(path.join(lib.REPO_ROOT, DASHBOARD_FILE), 'utf8'));

const log = (text) => process.stderr.write(`[render] ${text}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A local destination: `decide(count)` returns `{ status, delayMs, headers }` for its n-th request. */
async function destination(decide) {
	let count = 0;
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const { status, delayMs = 0, headers = {} } = decide(++count);
			setTimeout(() => res.writeHead(status, headers).end(), delayMs);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function startPrometheus(n8nPort, workDir) {
	const port = await lib.freePort();
	const config = path.join(workDir, 'prometheus.yml');
	fs.writeFileSync(
		config,
		[
			'global:',
			`  scrape_interval: ${SCRAPE_SECONDS}s`,
			'scrape_configs:',
			'  - job_name: n8n',
			'    metrics_path: /metrics',
			'    static_configs:',
			`      - targets: ['127.0.0.1:${n8nPort}']`,
			'',
		].join('\n'),
	);
	const logFd = fs.openSync(path.join(workDir, 'prometheus.log'), 'w');
	const group = lib.spawnGroup(
		'prometheus',
		[`--config.file=${config}`, `--storage.tsdb.path=${path.join(workDir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
		{ stdio: ['ignore', logFd, logFd], name: 'prometheus' },
	);
	fs.closeSync(logFd);
	const url = `http://127.0.0.1:${port}`;
	await lib.waitFor(async () => (await fetch(`${url}/-/ready`)).ok, { timeoutMs: 60000, intervalMs: 500, description: 'prometheus ready' });
	return { url, stop: () => group.stop() };
}

/** One query as Prometheus' HTTP API answers it: `data.result`, verbatim. */
async function query(prometheus, expr, { start, end, instant }) {
	const params = new URLSearchParams(instant ? { query: expr, time: String(end) } : { query: expr, start: String(start), end: String(end), step: String(STEP_SECONDS) });
	const response = await fetch(`${prometheus.url}/api/v1/${instant ? 'query' : 'query_range'}?${params}`);
	const body = await response.json();
	if (body.status !== 'success') throw new Error(`Prometheus rejected ${expr}: ${body.error}`);
	return body.data.result;
}

const legendOf = (format, metric) => format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => metric[name] ?? '');

/** The receiving trigger, the sender workflow and the traffic that drives them. */
async function createWorkflows(client, baseUrl, destinations) {
	const secret = `whsec_${Buffer.from(randomUUID().replace(/-/g, '')).toString('base64')}`;
	const credential = await client.createCredential({ name: 'dashboard demo', type: 'webhookSigningApi', data: { secret } });
	const webhookPath = `orders-${randomUUID().slice(0, 8)}`;
	const trigger = {
		id: randomUUID(),
		name: 'Orders webhook',
		type: `${lib.PACKAGE_NAME}.secureWebhookTrigger`,
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { path: webhookPath, scheme: 'standardWebhooks', events: 'order.*', settings: { maxBodyBytes: 4096, rateLimitPerSecond: 40, rateLimitBurst: 40 } },
		credentials: { webhookSigningApi: { id: credential.id, name: credential.name } },
	};
	await client.createActiveWorkflow({ name: 'Dashboard demo receiver', nodes: [trigger], connections: {}, settings: {} });
	const targetUrl = `${baseUrl}/webhook/${webhookPath}`;
	const urls = [targetUrl, destinations.fast.url, destinations.slow.url, destinations.flaky.url, `http://127.0.0.1:${destinations.closedPort}/hooks`];
	const sender = await client.createWorkflow({
		name: 'Dashboard demo sender',
		nodes: [
			{ id: randomUUID(), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: randomUUID(), name: 'Order', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { mode: 'raw', jsonOutput: '{"type":"order.created"}', options: {} } },
			{
				id: randomUUID(),
				name: 'Signed Webhook',
				type: `${lib.PACKAGE_NAME}.signedWebhook`,
				typeVersion: 1,
				position: [400, 0],
				parameters: { urls: urls.join('\n'), eventType: 'order.created', scheme: 'standardWebhooks', retrySchedule: 'exponential', retryMaxAttempts: 3, retryBaseDelayMs: 500, retryFactor: 2, retryJitter: 0 },
				credentials: { webhookSigningApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'Order', type: 'main', index: 0 }]] }, Order: { main: [[{ node: 'Signed Webhook', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	return { secret, targetUrl, senderId: sender.id };
}

/** What the provider sends at second `t`: mostly good events, with phases of bad signatures, 413/415/expired, a flood. */
function requestAt(t, setup, recentIds) {
	const phase = t / DURATION_SECONDS;
	const roll = Math.random();
	const id = roll < 0.06 && recentIds.length ? recentIds[Math.floor(Math.random() * recentIds.length)] : `msg_${randomUUID()}`;
	let key = setup.secret;
	let type = roll < 0.12 ? 'customer.updated' : 'order.created';
	let timestampSeconds = Math.floor(Date.now() / 1000);
	let contentType = 'application/json';
	let pad = '';
	if (phase > 0.3 && phase < 0.55 && Math.random() < 0.45) key = `whsec_${Buffer.from(randomUUID().replace(/-/g, '')).toString('base64')}`;
	if (phase > 0.55 && phase < 0.8) {
		const odd = Math.random();
		if (odd < 0.1) timestampSeconds -= 3600;
		else if (odd < 0.18) pad = 'x'.repeat(6000);
		else if (odd < 0.24) contentType = 'text/plain';
	}
	const payload = Buffer.from(JSON.stringify({ type, data: { id, pad } }));
	const { SCHEMES } = require(path.join(lib.REPO_ROOT, 'dist', 'index.js'));
	const headers = SCHEMES.standardWebhooks.sign({ payload, key, id, timestampSeconds });
	return { payload, headers: { ...headers, 'content-type': contentType }, id };
}

async function runTraffic(client, setup) {
	const started = Date.now();
	const recentIds = [];
	const inFlight = new Set();
	let nextSenderRun = 0;
	const counts = {};
	while (Date.now() - started < DURATION_SECONDS * 1000) {
		const t = (Date.now() - started) / 1000;
		const perTick = t / DURATION_SECONDS > 0.85 && t / DURATION_SECONDS < 0.88 ? 40 : 3;
		for (let index = 0; index < perTick; index++) {
			const request = requestAt(t, setup, recentIds);
			const sending = fetch(setup.targetUrl, { method: 'POST', body: request.payload, headers: request.headers })
				.then(async (response) => {
					await response.arrayBuffer();
					counts[response.status] = (counts[response.status] ?? 0) + 1;
					if (response.status === 200) recentIds.push(request.id);
					if (recentIds.length > 50) recentIds.shift();
				})
				.catch(() => undefined)
				.finally(() => inFlight.delete(sending));
			inFlight.add(sending);
		}
		if (Date.now() >= nextSenderRun) {
			nextSenderRun = Date.now() + 3000;
			const run = client.runWorkflowManually(setup.senderId, { triggerToStartFrom: { name: 'Manual Trigger' } }).catch((error) => log(`sender run failed: ${error.message}`));
			inFlight.add(run);
			run.finally(() => inFlight.delete(run));
		}
		await sleep(200);
	}
	await Promise.all([...inFlight]);
	log(`trigger answers by status: ${JSON.stringify(counts)}`);
	return counts;
}

/** Every panel's queries, evaluated over the run: what Prometheus returned, verbatim, with what was asked. */
async function collectPanels(prometheus, { start, end }) {
	const range = `${end - start}s`;
	const panels = [];
	for (const panel of DASHBOARD.panels) {
		const instant = panel.type === 'bargauge' || panel.type === 'stat';
		const targets = [];
		for (const target of panel.targets) {
			// Grafana's variables as Grafana would set them for this time range with "All" processes selected.
			const expr = target.expr.replaceAll('$__rate_interval', RATE_INTERVAL).replaceAll('$__range', range).replaceAll('$instance', '.*');
			targets.push({ refId: target.refId, expr, legendFormat: target.legendFormat ?? '', instant, result: await query(prometheus, expr, { start, end, instant }) });
		}
		panels.push({ id: panel.id, title: panel.title, type: panel.type, unit: panel.fieldConfig?.defaults?.unit, gridPos: panel.gridPos, targets });
	}
	return panels;
}

const PALETTE = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#f2495c', '#b877d9', '#8ab8ff', '#fade2a', '#96d98d', '#ffb357', '#ff7383', '#ca95e5'];

const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** A value as returned, for reading: up to 3 significant digits below 100 (Prometheus' increase() extrapolates). */
function formatValue(value, unit) {
	if (unit === 's') return value >= 1 ? `${Number(value.toPrecision(3))} s` : `${Number((value * 1000).toPrecision(3))} ms`;
	const text = Math.abs(value) >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3)));
	return unit === 'reqps' ? `${text}/s` : text;
}

/** Runs of consecutive samples: a missing step or a NaN/Inf value (e.g. histogram_quantile over no data) ends a run. */
function runsOf(points, stepSeconds) {
	const runs = [];
	let run = [];
	let previous;
	for (const [time, value] of points) {
		if (!Number.isFinite(value) || (previous !== undefined && time - previous > stepSeconds)) {
			if (run.length) runs.push(run);
			run = [];
		}
		if (Number.isFinite(value)) run.push([time, value]);
		previous = time;
	}
	if (run.length) runs.push(run);
	return runs;
}

function timeseriesSvg(series, { start, end, unit, step, columns }) {
	// As wide as the panel (560 per half row of 12 grid columns), so a full-width panel keeps the same height.
	const width = Math.round((560 * columns) / 12);
	const height = 170;
	const left = 52;
	const bottom = 18;
	const values = series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
	if (values.length === 0) return '<div class="nodata">No data</div>';
	const max = Math.max(...values) > 0 ? Math.max(...values) * 1.1 : 1;
	const x = (time) => left + ((time - start) / (end - start)) * (width - left - 8);
	const y = (value) => 6 + (1 - value / max) * (height - bottom - 6);
	const grid = [0, 0.25, 0.5, 0.75, 1]
		.map((f) => `<line x1="${left}" x2="${width - 8}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#2c3235"/><text x="${left - 4}" y="${y(max * f) + 4}" fill="#8e8e8e" font-size="10" text-anchor="end">${escapeHtml(formatValue(max * f, unit))}</text>`)
		.join('');
	const ticks = [];
	for (let time = Math.ceil(start / 60) * 60; time <= end; time += 60) {
		ticks.push(`<text x="${x(time)}" y="${height - 4}" fill="#8e8e8e" font-size="10" text-anchor="middle">${new Date(time * 1000).toISOString().slice(11, 16)}</text>`);
	}
	const drawn = series
		.map((s, index) => {
			const colour = PALETTE[index % PALETTE.length];
			return runsOf(s.points, step)
				.map((run) => {
					const line = run.map(([time, v], i) => `${i ? 'L' : 'M'}${x(time).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
					// A single sample is a dot: there is nothing to join it to.
					if (run.length === 1) return `<circle cx="${x(run[0][0]).toFixed(1)}" cy="${y(run[0][1]).toFixed(1)}" r="2" fill="${colour}"/>`;
					const area = `${line} L${x(run[run.length - 1][0]).toFixed(1)},${y(0).toFixed(1)} L${x(run[0][0]).toFixed(1)},${y(0).toFixed(1)} Z`;
					return `<path d="${area}" fill="${colour}" fill-opacity="0.1" stroke="none"/><path d="${line}" fill="none" stroke="${colour}" stroke-width="1.8"/>`;
				})
				.join('');
		})
		.join('');
	const legend = series.map((s, index) => `<span><i style="background:${PALETTE[index % PALETTE.length]}"></i>${escapeHtml(s.name || '(no label)')}</span>`).join('');
	return `<svg viewBox="0 0 ${width} ${height}" width="100%">${grid}${ticks.join('')}${drawn}</svg><div class="legend">${legend}</div>`;
}

function bargaugeHtml(series, unit) {
	if (series.length === 0) return '<div class="nodata">No data</div>';
	const max = Math.max(...series.map((s) => s.value));
	return [...series]
		.sort((a, b) => b.value - a.value)
		.map((s) => `<div class="bar"><span class="label">${escapeHtml(s.name)}</span><span class="track"><span style="width:${max > 0 ? (100 * s.value) / max : 0}%"></span></span><span class="num">${escapeHtml(formatValue(s.value, unit))}</span></div>`)
		.join('');
}

function statHtml(series, unit) {
	if (series.length === 0) return '<div class="nodata">No data</div>';
	return series.map((s) => `<div class="stat">${escapeHtml(formatValue(s.value, unit))}</div>`).join('');
}

function panelsHtml(data) {
	return data.panels
		.map((panel) => {
			const series = panel.targets.flatMap((target) =>
				target.result.map((result) =>
					target.instant
						? { name: legendOf(target.legendFormat, result.metric), value: Number(result.value[1]) }
						: { name: legendOf(target.legendFormat, result.metric), points: result.values.map(([time, value]) => [Number(time), Number(value)]) },
				),
			);
			let body;
			if (panel.type === 'stat') body = statHtml(series, panel.unit);
			else if (panel.type === 'bargauge') body = bargaugeHtml(series, panel.unit);
			else body = timeseriesSvg(series, { start: data.start, end: data.end, unit: panel.unit, step: data.stepSeconds, columns: panel.gridPos.w });
			const { x, y, w, h } = panel.gridPos;
			return `<section style="grid-column:${x + 1} / span ${w};grid-row:${y + 1} / span ${h}"><h2>${escapeHtml(panel.title)}</h2>${body}</section>`;
		})
		.join('\n');
}

function page(data) {
	const when = `${new Date(data.start * 1000).toISOString().slice(0, 16).replace('T', ' ')}–${new Date(data.end * 1000).toISOString().slice(11, 16)} UTC`;
	return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#111217;color:#d8d9da;font:13px Inter,Helvetica,Arial,sans-serif}
header{padding:12px 16px;border-bottom:1px solid #2c3235}header h1{font-size:17px;margin:0 0 4px}header p{margin:0;color:#8e8e8e;font-size:12px}
main{display:grid;grid-template-columns:repeat(24,1fr);grid-auto-rows:30px;gap:8px;padding:10px}
section{background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:6px 10px;overflow:hidden}
h2{font-size:13px;margin:0 0 4px;font-weight:500}
.legend{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:11px;color:#ccc}.legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
.stat{font-size:64px;color:#f2495c;text-align:center;margin-top:40px}.nodata{color:#8e8e8e;text-align:center;margin-top:60px}
.bar{display:flex;align-items:center;gap:8px;margin:5px 0;font-size:12px}.bar .label{width:170px;text-align:right}.bar .track{flex:1;background:#22252b;height:16px}
.bar .track span{display:block;height:100%;background:linear-gradient(90deg,#73bf69,#f2cc0c,#f2495c)}.bar .num{width:48px}
</style></head><body><header><h1>${escapeHtml(data.dashboardTitle)}</h1>
<p>${escapeHtml(DASHBOARD_FILE)}'s PromQL, evaluated by Prometheus ${escapeHtml(data.prometheusVersion)} over its scrapes (every ${data.scrapeSeconds} s) of n8n ${escapeHtml(data.n8nVersion)}'s /metrics
during ${data.durationSeconds} s of traffic from scripts/render-dashboard.js, ${when}; $__rate_interval = ${escapeHtml(data.rateInterval)}, step ${data.stepSeconds} s.
Drawn by the script from Prometheus' answers (docs/images/monitoring-dashboard.data.json), not by Grafana; laid out by the panels' gridPos.</p></header>
<main>${panelsHtml(data)}</main></body></html>`;
}

async function photograph(data) {
	const htmlFile = path.join(lib.SCRATCH_DIR, `render-dashboard-${process.pid}.html`);
	fs.mkdirSync(path.dirname(htmlFile), { recursive: true });
	fs.writeFileSync(htmlFile, page(data));
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
	try {
		const browserPage = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
		await browserPage.goto(`file://${htmlFile}`);
		fs.mkdirSync(IMAGES, { recursive: true });
		await browserPage.screenshot({ path: OUTPUT, fullPage: true });
	} finally {
		await browser.close();
		fs.rmSync(htmlFile, { force: true });
	}
	log(`wrote ${path.relative(lib.REPO_ROOT, OUTPUT)}`);
}

/** A real run: n8n with metrics on, Prometheus scraping it, traffic, then every panel's queries. */
async function collect() {
	const workDir = path.join(lib.SCRATCH_DIR, `render-dashboard-${process.pid}`);
	fs.rmSync(workDir, { recursive: true, force: true });
	fs.mkdirSync(workDir, { recursive: true });
	const destinations = {
		fast: await destination(() => ({ status: 200, delayMs: 5 + Math.random() * 40 })),
		slow: await destination(() => ({ status: 200, delayMs: Math.random() < 0.7 ? 100 + Math.random() * 400 : 800 + Math.random() * 2500 })),
		flaky: await destination((count) => (count % 2 === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200, delayMs: 20 })),
		closedPort: await lib.freePort(),
	};
	const local = await lib.launchLocalN8n({ userFolder: path.join(workDir, 'n8n'), fresh: true, build: false, env: { N8N_METRICS: 'true', N8N_LOG_LEVEL: 'warn' }, readyTimeoutMs: 300000 });
	let prometheus;
	try {
		prometheus = await startPrometheus(local.n8n.port, workDir);
		const setup = await createWorkflows(local.client, local.n8n.baseUrl, destinations);
		const start = Math.floor(Date.now() / 1000);
		log(`traffic for ${DURATION_SECONDS} s; Prometheus at ${prometheus.url}, n8n at ${local.n8n.baseUrl}`);
		const answers = await runTraffic(local.client, setup);
		await sleep(15000);
		const end = Math.floor(Date.now() / 1000);
		const build = await (await fetch(`${prometheus.url}/api/v1/status/buildinfo`)).json();
		return {
			dashboardTitle: DASHBOARD.title,
			n8nVersion: local.n8n.n8nVersion,
			prometheusVersion: build.data.version,
			start,
			end,
			stepSeconds: STEP_SECONDS,
			scrapeSeconds: SCRAPE_SECONDS,
			rateInterval: RATE_INTERVAL,
			durationSeconds: DURATION_SECONDS,
			// What the traffic generator saw (for comparing with the panels; not drawn).
			triggerAnswersByStatus: answers,
			panels: await collectPanels(prometheus, { start, end }),
		};
	} finally {
		await prometheus?.stop();
		await local.stop();
		for (const name of ['fast', 'slow', 'flaky']) await destinations[name].close();
	}
}

async function main() {
	lib.installCleanupHandlers();
	let data;
	if (process.env.RENDER_FROM) {
		data = JSON.parse(fs.readFileSync(path.resolve(process.env.RENDER_FROM), 'utf8'));
	} else {
		data = await collect();
		fs.mkdirSync(IMAGES, { recursive: true });
		fs.writeFileSync(DATA_OUTPUT, `${JSON.stringify(data, null, 1)}\n`);
		log(`wrote ${path.relative(lib.REPO_ROOT, DATA_OUTPUT)}`);
	}
	await photograph(data);
}

main().catch(async (error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	await lib.stopAllGroups();
	process.exit(1);
});
