'use strict';
/**
 * Micro-benchmark of signature verification: µs per verified request for our Standard Webhooks, Stripe, GitHub,
 * Slack and Shopify verify paths (and the generic HMAC scheme configured like Stripe), next to the floor (one bare
 * HMAC-SHA256 of the same body bytes with node:crypto) and the npm libraries `standardwebhooks` and `svix` verifying
 * the same Standard Webhooks message. A reference row shows the floor plus the second `update` that every scheme
 * signing a prefix (timestamp, id) needs. Everything runs in one process, in rounds that run every case once in a
 * shuffled order, and each row reports the median of the rounds.
 *
 *   npm run bench:verify                      (scripts/bench-verify.sh: builds dist/ once, runs this on Node 20 and 24)
 *   BENCH_DIST=/tmp/bench-dist node bench/verify.bench.js    (against another compiled tree)
 *   BENCH_ROUNDS=31 BENCH_ROUND_MS=60 node bench/verify.bench.js
 *
 * Targets: each of our paths within 1.5× of a bare HMAC of the same bytes it signs (the floor for GitHub and Shopify,
 * which sign the body; the "ref" row for schemes that sign a prefix and then the body), and faster than both
 * libraries. The ratio to the body-only floor is printed for every path as well.
 */
const crypto = require('node:crypto');
const path = require('node:path');

const { Webhook: StandardWebhook } = require('standardwebhooks');
const { Webhook: SvixWebhook } = require('svix');

const dist = path.resolve(process.env.BENCH_DIST || path.join(__dirname, '..', 'dist'));
const { standardWebhooksScheme, signStandardWebhook } = require(path.join(dist, 'nodes/shared/schemes/standardWebhooks.js'));
const { stripeScheme, generateStripeSignatureHeader } = require(path.join(dist, 'nodes/shared/schemes/stripe.js'));
const { githubScheme, signGithubPayload } = require(path.join(dist, 'nodes/shared/schemes/github.js'));
const { hmacScheme, signGenericHmac } = require(path.join(dist, 'nodes/shared/schemes/hmac.js'));
const { slackScheme, signSlackRequest } = require(path.join(dist, 'nodes/shared/schemes/slack.js'));
const { shopifyScheme, signShopifyPayload } = require(path.join(dist, 'nodes/shared/schemes/shopify.js'));
const { providerScheme } = require(path.join(dist, 'nodes/shared/providers/providerScheme.js'));
const { signHmacRecipe } = require(path.join(dist, 'nodes/shared/verify/hmacRecipe.js'));

const ROUNDS = Number(process.env.BENCH_ROUNDS || 31);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS || 60);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS || 300);
const SIZES = [
	{ label: '1 KiB', bytes: 1024 },
	{ label: '256 KiB', bytes: 256 * 1024 },
];

const WHSEC = 'whsec_' + crypto.randomBytes(32).toString('base64');
const STRIPE_SECRET = 'whsec_' + crypto.randomBytes(24).toString('hex');
const GITHUB_SECRET = crypto.randomBytes(20).toString('hex');
// A KeyObject made once: the cheapest key form on every Node version. (Node 24 pays ~25 µs per createHmac for a
// Buffer key, against ~5 µs for a string or KeyObject key; Node 20 pays about the same for all three.)
const FLOOR_KEY = crypto.createSecretKey(Buffer.from(WHSEC.slice('whsec_'.length), 'base64'));
/** As long as the Standard Webhooks prefix `msg_bench.<10-digit timestamp>.`. */
const SIGNED_PREFIX = 'msg_bench.1700000000.';

/** A JSON body of exactly `size` bytes (the libraries JSON.parse what they verify). */
function jsonBody(size) {
	const head = '{"type":"response.completed","data":"';
	const tail = '"}';
	const filler = crypto.randomBytes(size).toString('base64').replace(/[+/=]/g, 'x').slice(0, size - head.length - tail.length);
	const body = Buffer.from(head + filler + tail, 'utf8');
	if (body.length !== size) throw new Error('body size');
	return body;
}

/** Failing loudly matters more than speed here: a benchmark of a verifier that rejects is meaningless. */
function mustAccept(label, result) {
	if (!result || result.ok !== true) throw new Error(`${label} did not verify: ${JSON.stringify(result)}`);
}

function buildCases(size) {
	const body = jsonBody(size.bytes);
	const bodyText = body.toString('utf8');
	const nowSeconds = Math.floor(Date.now() / 1000);
	const options = { nowSeconds, toleranceSeconds: 300 };

	const swHeaders = signStandardWebhook({ payload: body, key: WHSEC, id: 'msg_bench', timestampSeconds: nowSeconds });
	const swRequest = { method: 'POST', url: '/webhook/bench', rawBody: body, headers: swHeaders };
	const stripeRequest = {
		method: 'POST',
		url: '/webhook/bench',
		rawBody: body,
		headers: { 'stripe-signature': generateStripeSignatureHeader({ payload: body, secret: STRIPE_SECRET, timestampSeconds: nowSeconds }) },
	};
	const githubRequest = {
		method: 'POST',
		url: '/webhook/bench',
		rawBody: body,
		headers: { 'x-hub-signature-256': signGithubPayload(body, GITHUB_SECRET) },
	};
	// The generic scheme configured like Stripe: same work, but the template is streamed into the HMAC, not concatenated.
	const stripeLikeOptions = {
		...options,
		hmac: { algorithm: 'sha256', signatureHeader: 'x-signature', encoding: 'hex', prefix: '', timestampHeader: 'x-timestamp', signedContent: '{timestamp}.{body}' },
	};
	const hmacRequest = {
		method: 'POST',
		url: '/webhook/bench',
		rawBody: body,
		headers: signGenericHmac({ payload: body, key: STRIPE_SECRET, timestampSeconds: nowSeconds, hmac: stripeLikeOptions.hmac }),
	};
	const slackRequest = {
		method: 'POST',
		url: '/webhook/bench',
		rawBody: body,
		headers: signSlackRequest({ payload: body, signingSecret: GITHUB_SECRET, timestampSeconds: nowSeconds }),
	};
	const shopifyRequest = {
		method: 'POST',
		url: '/webhook/bench',
		rawBody: body,
		headers: { 'x-shopify-hmac-sha256': signShopifyPayload(body, GITHUB_SECRET) },
	};
	const svixHeaders = {
		'svix-id': swHeaders['webhook-id'],
		'svix-timestamp': swHeaders['webhook-timestamp'],
		'svix-signature': swHeaders['webhook-signature'],
	};
	// Constructed once, outside the timed loop: the libraries' per-call cost only, the most favourable case for them.
	const standardLibrary = new StandardWebhook(WHSEC);
	const svixLibrary = new SvixWebhook(WHSEC);

	// The catalogue's generic paths a provider entry (or the Custom HMAC) compiles to, as the trigger runs them.
	const recipeRow = (recipe, signInput, verifyExtra = {}) => {
		const scheme = providerScheme({
			id: 'bench',
			displayName: 'bench',
			group: 'custom',
			docsUrl: 'https://example.test',
			signature: recipe,
			eventType: [],
			eventId: { none: 'bench' },
			redelivery: 'bench',
			contentTypes: ['application/json'],
			secretHelp: 'bench',
			vectors: { source: 'none', reference: 'bench' },
		});
		const url = signInput.url ? new URL(signInput.url) : undefined;
		const request = {
			method: 'POST',
			url: url ? url.pathname + url.search : '/webhook/bench',
			rawBody: body,
			headers: signHmacRecipe(recipe, { payload: body, timestampSeconds: nowSeconds, ...signInput }),
		};
		const secrets = { secret: signInput.key };
		return () => scheme.verify(request, secrets, { ...options, ...verifyExtra });
	};
	const hex = (n) => crypto.randomBytes(n).toString('hex');
	const kvHeader = recipeRow(
		{
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'paddle-signature', list: { pairSeparator: ';', keyValueSeparator: '=', signatureKeys: ['h1'] } },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}:{body}',
			timestamp: { from: { signatureKey: 'ts' }, unit: 's', windowSeconds: 300 },
		},
		{ key: STRIPE_SECRET },
	);
	const msTimestamp = recipeRow(
		{
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-signature' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			timestamp: { from: { header: 'x-timestamp' }, unit: 'ms', windowSeconds: 300 },
		},
		{ key: STRIPE_SECRET },
	);
	const hexSecret = recipeRow(
		{ kind: 'hmac', algorithm: 'sha256', signature: { header: 'x-signature' }, encoding: 'base64', secret: 'hex', signedContent: '{body}' },
		{ key: hex(32) },
	);
	const publicUrl = 'https://n8n.example.com/webhook/bench';
	const urlTemplate = recipeRow(
		{ kind: 'hmac', algorithm: 'sha256', signature: { header: 'x-signature-v3' }, encoding: 'base64', secret: 'utf8', signedContent: '{method}{url}{body}' },
		{ key: STRIPE_SECRET, url: `${publicUrl}?portal=1` },
		{ publicUrl },
	);

	const cases = [
		{ name: 'floor: createHmac(sha256, keyObject).update(body).digest()', run: () => crypto.createHmac('sha256', FLOOR_KEY).update(body).digest() },
		// Not a target: what any timestamped scheme must at least do (its signed text goes in as a second update).
		{
			name: 'ref: floor + update(prefix) first',
			run: () => crypto.createHmac('sha256', FLOOR_KEY).update(SIGNED_PREFIX, 'utf8').update(body).digest(),
		},
		{ name: 'ours: standardWebhooks.verify', signsPrefix: true, run: () => standardWebhooksScheme.verify(swRequest, { secret: WHSEC }, options), check: mustAccept },
		{ name: 'ours: stripe.verify', signsPrefix: true, run: () => stripeScheme.verify(stripeRequest, { secret: STRIPE_SECRET }, options), check: mustAccept },
		{ name: 'ours: github.verify', run: () => githubScheme.verify(githubRequest, { secret: GITHUB_SECRET }, options), check: mustAccept },
		{ name: 'ours: slack.verify', signsPrefix: true, run: () => slackScheme.verify(slackRequest, { secret: GITHUB_SECRET }, options), check: mustAccept },
		{ name: 'ours: shopify.verify', run: () => shopifyScheme.verify(shopifyRequest, { secret: GITHUB_SECRET }, options), check: mustAccept },
		{ name: 'ours: hmac.verify ({timestamp}.{body})', signsPrefix: true, run: () => hmacScheme.verify(hmacRequest, { secret: STRIPE_SECRET }, stripeLikeOptions), check: mustAccept },
		{ name: 'ours: recipe k=v header (ts=…;h1=…)', signsPrefix: true, run: kvHeader, check: mustAccept },
		{ name: 'ours: recipe ms timestamp header', signsPrefix: true, run: msTimestamp, check: mustAccept },
		{ name: 'ours: recipe hex secret ({body}, base64)', run: hexSecret, check: mustAccept },
		{ name: 'ours: recipe {method}{url}{body}', signsPrefix: true, run: urlTemplate, check: mustAccept },
		{ name: 'lib: standardwebhooks Webhook.verify', run: () => standardLibrary.verify(bodyText, swHeaders) },
		{ name: 'lib: svix Webhook.verify', run: () => svixLibrary.verify(bodyText, svixHeaders) },
	];
	for (const entry of cases) {
		const result = entry.run();
		if (entry.check) entry.check(entry.name, result);
	}
	// The same message must verify with the libraries too, or the comparison compares different work.
	if (standardLibrary.verify(bodyText, swHeaders).type !== 'response.completed') throw new Error('standardwebhooks rejected the message');
	if (svixLibrary.verify(bodyText, svixHeaders).type !== 'response.completed') throw new Error('svix rejected the message');
	return cases;
}

/**
 * µs per call over `iterations` calls: wall clock (process.hrtime.bigint) and this process's CPU time
 * (process.cpuUsage). On a shared machine the wall clock also counts time the scheduler gave to other processes;
 * CPU time does not, so the verdicts use it.
 */
function timeIterations(run, iterations) {
	const cpuStart = process.cpuUsage();
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) run();
	const wall = Number(process.hrtime.bigint() - start) / 1000 / iterations;
	const cpuUsed = process.cpuUsage(cpuStart);
	return { wall, cpu: (cpuUsed.user + cpuUsed.system) / iterations };
}

/** Iterations that take about `ms` milliseconds of CPU time (wall time would count other processes' turns). */
function calibrate(run, ms) {
	let iterations = 8;
	for (;;) {
		const start = process.cpuUsage();
		for (let i = 0; i < iterations; i++) run();
		const used = process.cpuUsage(start);
		const elapsedMs = (used.user + used.system) / 1000;
		if (elapsedMs > 25 || iterations > 1e7) return Math.max(5, Math.round((iterations * ms) / Math.max(elapsedMs, 0.001)));
		iterations *= 2;
	}
}

function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	const position = (sorted.length - 1) * q;
	const lower = Math.floor(position);
	return sorted[lower] + (sorted[Math.ceil(position)] - sorted[lower]) * (position - lower);
}

function median(values) {
	return quantile(values, 0.5);
}

/** A fixed-seed shuffle (mulberry32), so that runs are comparable and no case always follows the same neighbour. */
function shuffler(seed) {
	let state = seed >>> 0;
	const random = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return (items) => {
		const shuffled = [...items];
		for (let i = shuffled.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
		}
		return shuffled;
	};
}

function measure(cases) {
	for (const entry of cases) {
		const warmEnd = Date.now() + WARMUP_MS;
		while (Date.now() < warmEnd) entry.run();
		entry.iterations = calibrate(entry.run, ROUND_MS);
		entry.wallSamples = [];
		entry.cpuSamples = [];
	}
	// Every round runs every case once, in a shuffled order: frequency scaling or a noisy neighbour hits every case
	// alike, and the garbage one case leaves behind is not always collected during the same next case.
	const shuffle = shuffler(0x5eed);
	for (let round = 0; round < ROUNDS; round++) {
		for (const entry of shuffle(cases)) {
			const { wall, cpu } = timeIterations(entry.run, entry.iterations);
			entry.wallSamples.push(wall);
			entry.cpuSamples.push(cpu);
		}
	}
	const [floor] = cases;
	for (const entry of cases) {
		entry.wall = median(entry.wallSamples);
		entry.median = median(entry.cpuSamples);
		// The least disturbed round: on a shared machine a useful second estimate next to the median.
		entry.best = Math.min(...entry.cpuSamples);
		// Spread of the rounds: interquartile range as a share of the median.
		entry.spread = (quantile(entry.cpuSamples, 0.75) - quantile(entry.cpuSamples, 0.25)) / entry.median;
		// Ratio to the floor within each round (the two ran seconds apart at most), then the median over rounds:
		// cancels slow changes in the machine's load that the ratio of two medians does not.
		entry.pairedRatio = median(entry.cpuSamples.map((sample, round) => sample / floor.cpuSamples[round]));
	}
}

function ratio(a, b) {
	return `${(a / b).toFixed(2)}×`;
}

function pad(text, width, right = false) {
	const value = String(text);
	return right ? value.padStart(width) : value.padEnd(width);
}

function printTable(size, cases) {
	const [floor] = cases;
	const standardLibrary = cases.find((entry) => entry.name.startsWith('lib: standardwebhooks'));
	const svixLibrary = cases.find((entry) => entry.name.startsWith('lib: svix'));
	const header = ['case', 'µs cpu', '± IQR', 'µs cpu best', 'µs wall', 'vs floor', 'vs floor (paired)', 'vs floor (best)', 'vs standardwebhooks', 'vs svix'];
	const rows = cases.map((entry) => [
		entry.name,
		entry.median.toFixed(2),
		`${(entry.spread * 100).toFixed(0)}%`,
		entry.best.toFixed(2),
		entry.wall.toFixed(2),
		ratio(entry.median, floor.median),
		`${entry.pairedRatio.toFixed(2)}×`,
		ratio(entry.best, floor.best),
		ratio(entry.median, standardLibrary.median),
		ratio(entry.median, svixLibrary.median),
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
	const line = (cells) => cells.map((cell, column) => pad(cell, widths[column], column > 0)).join(' | ');
	console.log(
		`\nBody ${size.label} (${size.bytes} bytes): median (and best) of ${ROUNDS} shuffled rounds of ${cases.map((entry) => entry.iterations).join('/')} calls`,
	);
	console.log(
		'µs cpu = median CPU time per call (± IQR = interquartile range of the rounds / median); ratios on CPU-time medians,\n' +
			'"paired" = median over rounds of (case / floor in the same round), "best" = fastest rounds.',
	);
	console.log(line(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
	for (const row of rows) console.log(line(row));

	// The floor of a scheme is an HMAC of the bytes it signs: the body, or a short signed prefix (id, timestamp) and
	// then the body, which takes a second update() whatever the implementation ("ref" row).
	const prefixFloor = cases.find((entry) => entry.name.startsWith('ref:'));
	let met = true;
	for (const entry of cases.filter((candidate) => candidate.name.startsWith('ours:'))) {
		const ownFloor = entry.signsPrefix ? prefixFloor : floor;
		const withinFloor = entry.median <= ownFloor.median * 1.5;
		const beatsLibraries = entry.median < standardLibrary.median && entry.median < svixLibrary.median;
		met = met && withinFloor && beatsLibraries;
		console.log(
			`  ${entry.name}: ${ratio(entry.median, ownFloor.median)} an HMAC of its signed bytes (${entry.signsPrefix ? 'prefix + body' : 'body'}): ` +
				`${withinFloor ? 'within' : 'MISSES'} 1.5×; ${ratio(entry.median, floor.median)} the body-only floor; ` +
				`${beatsLibraries ? 'faster than' : 'NOT faster than'} both libraries`,
		);
	}
	const spreads = cases.map((entry) => entry.spread * 100);
	console.log(`  noise: IQR/median ${Math.min(...spreads).toFixed(0)}-${Math.max(...spreads).toFixed(0)}% across cases (median ${median(spreads).toFixed(0)}%)`);
	return met;
}

function loadAverage() {
	return require('node:os')
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(' ');
}

function main() {
	const os = require('node:os');
	console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, load average ${loadAverage()}, dist=${dist}`);
	console.log('Libraries verify a string payload and JSON.parse it on success (their API); ours verify the raw Buffer and parse nothing.');
	let allMet = true;
	for (const size of SIZES) {
		const cases = buildCases(size);
		measure(cases);
		allMet = printTable(size, cases) && allMet;
	}
	console.log(`\nnode ${process.version}: targets ${allMet ? 'met' : 'missed (see MISSES / NOT faster above)'}; load average at the end ${loadAverage()}.`);
}

main();
