#!/usr/bin/env node
'use strict';
/**
 * AI Router vs n8n's own Switch node (V3), side by side in one run, through the same harness: n8n-core's
 * ExecuteContext over a real Workflow, both taken from the n8n install in the cache (the runtime n8n
 * itself would use). Each scenario routes the same items with the same rules in both nodes; the output
 * counts of the two are compared, so a benchmark of wrong routing fails instead of printing a number.
 *
 * Run: npm run bench:router (builds, then scripts/bench-router.sh runs this with the Node 24 that n8n
 * 2.x needs). Env: N8N_DIR (n8n install), BENCH_ITEMS (default 100000), BENCH_RUNS (runs of the AI
 * Router per scenario, median reported; default 5), BENCH_SWITCH_RUNS (default 1: Switch resolves n8n
 * expressions for every item and rule and needs minutes for 100 000 items), BENCH_EXTRA=1 (also all
 * matches, fields as expressions, preset without annotation).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N8N_DIR = process.env.N8N_DIR || path.join(os.homedir(), '.cache/n8n-nodes-ai-webhooks/n8n-2.41.1');
const ITEMS = Number(process.env.BENCH_ITEMS || 100_000);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const SWITCH_RUNS = Number(process.env.BENCH_SWITCH_RUNS || 1);
const EXTRA = process.env.BENCH_EXTRA === '1';
const SWITCH_VERSION = 3.4;

// n8n-core's InstanceSettings writes a settings file on first use: keep it out of the home folder.
process.env.N8N_USER_FOLDER = process.env.N8N_USER_FOLDER || fs.mkdtempSync(path.join(os.tmpdir(), 'router-bench-'));

const n8nModules = path.join(N8N_DIR, 'node_modules');
if (!fs.existsSync(path.join(n8nModules, 'n8n-nodes-base'))) {
	console.error(`n8n is not installed in ${N8N_DIR}: run  eval "$(bash scripts/install-n8n.sh)"  first`);
	process.exit(2);
}
const { ExecuteContext } = require(path.join(n8nModules, 'n8n-core'));
const { Workflow, createRunExecutionData } = require(path.join(n8nModules, 'n8n-workflow'));
const { Switch } = require(path.join(n8nModules, 'n8n-nodes-base/dist/nodes/Switch/Switch.node.js'));
const { AiRouter } = require(path.join(__dirname, '..', 'dist/nodes/AiRouter/AiRouter.node.js'));
const n8nVersion = require(path.join(n8nModules, 'n8n/package.json')).version;

const aiRouter = new AiRouter();
const switchNode = new Switch();

/** Deterministic items (a small LCG, not Math.random), so every run and both nodes see the same data. */
function makeItems(count, shape) {
	let seed = 42;
	const next = () => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	};
	const items = new Array(count);
	for (let i = 0; i < count; i++) {
		const confidence = Math.round(next() * 10000) / 10000;
		const label = next() < 0.1 ? 'spam' : 'ok';
		items[i] = { json: shape(confidence, label, i) };
	}
	return items;
}

function switchRule(outputKey, leftValue, type, operation, rightValue) {
	return {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
			conditions: [{ leftValue, rightValue, operator: { type, operation } }],
			combinator: 'and',
		},
		renameOutput: true,
		outputKey,
	};
}

function route(outputName, field, operator, value) {
	return { outputName, combinator: 'and', conditions: { values: [{ field, operator, value }] } };
}

const webhookItems = makeItems(ITEMS, (confidence, label, id) => ({ id, body: { data: { confidence, label } } }));
const presetItems = makeItems(ITEMS, (confidence, label, id) => ({ id, confidence, label }));

const switchThreeRoutes = {
	mode: 'rules',
	rules: {
		values: [
			switchRule('High', '={{ $json.body.data.confidence }}', 'number', 'gte', 0.9),
			switchRule('Spam', '={{ $json.body.data.label }}', 'string', 'equals', 'spam'),
			switchRule('Low', '={{ $json.body.data.confidence }}', 'number', 'lt', 0.5),
		],
	},
	options: { fallbackOutput: 'extra', renameFallbackOutput: 'Other' },
};

const scenarios = [
	{
		name: 'three routes, first match',
		items: webhookItems,
		ours: {
			mode: 'rules',
			routes: {
				values: [
					route('High', 'body.data.confidence', 'gte', '0.9'),
					route('Spam', 'body.data.label', 'equals', 'spam'),
					route('Low', 'body.data.confidence', 'lt', '0.5'),
				],
			},
		},
		switch: switchThreeRoutes,
	},
	{
		name: 'three routes, all matches',
		extra: true,
		items: webhookItems,
		ours: {
			mode: 'rules',
			routeMode: 'allMatches',
			routes: {
				values: [
					route('High', 'body.data.confidence', 'gte', '0.9'),
					route('Spam', 'body.data.label', 'equals', 'spam'),
					route('Low', 'body.data.confidence', 'lt', '0.5'),
				],
			},
		},
		switch: { ...switchThreeRoutes, options: { ...switchThreeRoutes.options, allMatchingOutputs: true } },
	},
	{
		// Both nodes resolve an n8n expression per item per condition: the cost of n8n's expression engine.
		name: 'three routes, fields as expressions',
		extra: true,
		items: webhookItems,
		ours: {
			mode: 'rules',
			routes: {
				values: [
					route('High', '={{ $json.body.data.confidence }}', 'gte', '0.9'),
					route('Spam', '={{ $json.body.data.label }}', 'equals', 'spam'),
					route('Low', '={{ $json.body.data.confidence }}', 'lt', '0.5'),
				],
			},
		},
		switch: switchThreeRoutes,
	},
	{
		name: 'human-handoff preset (annotated)',
		items: presetItems,
		ours: {},
		switch: {
			mode: 'rules',
			rules: { values: [switchRule('Automated', '={{ $json.confidence }}', 'number', 'gte', 0.7)] },
			options: { fallbackOutput: 'extra', renameFallbackOutput: 'Human handoff' },
		},
	},
	{
		name: 'human-handoff preset, annotation off',
		extra: true,
		items: presetItems,
		ours: { options: { annotate: false } },
		switch: {
			mode: 'rules',
			rules: { values: [switchRule('Automated', '={{ $json.confidence }}', 'number', 'gte', 0.7)] },
			options: { fallbackOutput: 'extra', renameFallbackOutput: 'Human handoff' },
		},
	},
];

const nodeTypes = {
	getByName: (type) => nodeTypes.getByNameAndVersion(type),
	getByNameAndVersion(type, version) {
		if (type === 'bench.aiRouter') return aiRouter;
		if (type === 'bench.switch') return switchNode.getNodeType(version);
		if (type === 'bench.source') return sourceType;
		throw new Error(`unknown node type ${type}`);
	},
	getKnownTypes: () => ({}),
};
const sourceType = {
	description: {
		displayName: 'Source',
		name: 'source',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Source' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
};
const additionalData = {
	executionId: 'bench',
	currentNodeExecutionIndex: 0,
	restApiUrl: 'http://127.0.0.1:5678/rest',
	instanceBaseUrl: 'http://127.0.0.1:5678/',
	formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
	webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
	variables: {},
};

/** One execution of a node on `items`, as n8n runs it: a Workflow, then an ExecuteContext for the node. */
async function executeOnce(type, typeVersion, parameters, items) {
	const nodes = [
		{ id: 's', name: 'Webhook', type: 'bench.source', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'r', name: 'Router', type, typeVersion, position: [200, 0], parameters: structuredClone(parameters) },
	];
	const connections = { Webhook: { main: [[{ node: 'Router', type: 'main', index: 0 }]] } };
	const workflow = new Workflow({ id: 'bench', name: 'bench', nodes, connections, active: false, nodeTypes });
	const node = workflow.getNode('Router');
	const runExecutionData = createRunExecutionData({
		resultData: {
			runData: { Webhook: [{ startTime: 0, executionIndex: 0, executionTime: 0, source: [], data: { main: [items] } }] },
		},
	});
	const inputData = { main: [items] };
	const executeData = { node, data: inputData, source: { main: [{ previousNode: 'Webhook' }] } };
	const context = new ExecuteContext(workflow, node, additionalData, 'manual', runExecutionData, 0, items, inputData, executeData, []);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(type, typeVersion);
	const started = process.hrtime.bigint();
	const outputs = await nodeType.execute.call(context);
	const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
	return { elapsedMs, counts: outputs.map((output) => output.length) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (n) => Math.round(n).toLocaleString('en-US');

async function main() {
	console.log(
		`AI Router vs n8n Switch V3 (typeVersion ${SWITCH_VERSION}): ${format(ITEMS)} items; median of ${RUNS} ` +
			`AI Router run(s) and ${SWITCH_RUNS} Switch run(s); Node ${process.version}, n8n ${n8nVersion}; ` +
			`both executed through n8n-core's ExecuteContext`,
	);
	const rows = [];
	let mismatch = false;
	for (const scenario of scenarios.filter((candidate) => EXTRA || !candidate.extra)) {
		const ours = [];
		const theirs = [];
		let oursCounts;
		let switchCounts;
		// The runs alternate between the two nodes so both meet the same machine load; the AI Router gets
		// one untimed warm-up run (Switch warms up within its first run: it takes minutes).
		for (let run = -1; run < Math.max(RUNS, SWITCH_RUNS); run++) {
			if (run < RUNS) {
				const a = await executeOnce('bench.aiRouter', 1, scenario.ours, scenario.items);
				oursCounts = a.counts;
				if (run >= 0) ours.push(ITEMS / (a.elapsedMs / 1000));
			}
			if (run >= 0 && run < SWITCH_RUNS) {
				const b = await executeOnce('bench.switch', SWITCH_VERSION, scenario.switch, scenario.items);
				switchCounts = b.counts;
				theirs.push(ITEMS / (b.elapsedMs / 1000));
			}
		}
		const same = JSON.stringify(oursCounts) === JSON.stringify(switchCounts);
		if (!same) mismatch = true;
		rows.push({
			scenario: scenario.name,
			ours: median(ours),
			switch: median(theirs),
			outputs: same ? oursCounts.join('/') : `MISMATCH ours ${oursCounts} vs Switch ${switchCounts}`,
		});
	}
	const header = ['scenario', 'AI Router items/s', 'Switch V3 items/s', 'ratio', 'items per output (both)'];
	const table = rows.map((row) => [
		row.scenario,
		format(row.ours),
		format(row.switch),
		`${(row.ours / row.switch).toFixed(1)}x`,
		row.outputs,
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...table.map((line) => line[column].length)));
	const print = (cells) => console.log(cells.map((cell, column) => cell.padEnd(widths[column])).join('  '));
	print(header);
	for (const line of table) print(line);
	if (mismatch) {
		console.error('The two nodes routed differently: the figures above do not compare like with like.');
		process.exit(1);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
