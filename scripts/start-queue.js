'use strict';

/**
 * `npm run start:queue`: n8n in queue mode on this machine, loopback only. A private Postgres cluster and
 * Redis server (throw-away folders under the system temp dir), n8n main (editor and API), two
 * `n8n webhook` processes behind a round-robin proxy, one `n8n worker`; the package installed as a
 * community package; the example workflows published with their replay cache and rate limits in Redis.
 * Runs until Ctrl-C, then stops every process it started and removes the folders.
 *
 *   node scripts/start-queue.js [--port 5678] [--public-port 5679] [--webhooks 2] [--workers 1] [--smoke]
 *   --port         main (editor, REST API)
 *   --public-port  the proxy: the one URL senders use
 *   --smoke        send each example's demo event twice through the proxy, check the executions, stop.
 */
const path = require('node:path');

const lib = require('./lib');
const queue = require('./lib/queue');

function parseArguments(argv) {
	const options = { port: 5678, publicPort: 5679, webhooks: 2, workers: 1, smoke: false };
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		const number = () => Number(argv[++index]);
		if (argument === '--smoke') options.smoke = true;
		else if (argument === '--port') options.port = number();
		else if (argument === '--public-port') options.publicPort = number();
		else if (argument === '--webhooks') options.webhooks = number();
		else if (argument === '--workers') options.workers = number();
		else throw new Error(`Unknown argument ${argument}`);
	}
	return options;
}

const say = (text = '') => process.stdout.write(`${text}\n`);

function printSummary(cluster, imported) {
	say();
	say(`n8n ${cluster.n8nVersion} is running in queue mode with ${lib.PACKAGE_NAME} installed as a community package.`);
	say();
	say(`  Editor:    ${cluster.main.baseUrl.replace('127.0.0.1', 'localhost')}   (login ${cluster.owner.email} / ${cluster.owner.password})`);
	say(`  Webhooks:  ${cluster.publicUrl}/webhook/<path>   (round-robin proxy; adds X-Forwarded-For)`);
	say();
	say('  Processes (all on 127.0.0.1, stopped together on Ctrl-C):');
	for (const entry of cluster.processes()) say(`    ${entry.name.padEnd(10)} pid ${String(entry.pid).padEnd(8)} ${entry.url}`);
	say(`  Logs:      ${cluster.userFolder}/n8n-*.log, ${cluster.logDir}`);
	say();
	say('Example workflows (published; replay cache and rate limit in Redis, trustedProxyHops 1):');
	for (const entry of imported) {
		say(`  ${entry.name}`);
		say(`    POST ${entry.productionUrl}   credential "${entry.credential.name}": secret ${entry.example.credential.data.secret}`);
	}
	const request = lib.demoRequest(imported[0]);
	say();
	say(`A correctly signed event for "${imported[0].example.title}" (valid for 5 minutes; send it twice: the second`);
	say('answer is {"status":"duplicate"}, whichever webhook process gets it; the X-Served-By header shows which did):');
	say();
	say(lib.curlCommand(request).replace('curl -sS', 'curl -sS -i'));
	say();
	say('Executions run on the worker and show up in the editor. Ctrl-C stops everything.');
}

/** Demo event of each example twice through the proxy: accepted, then duplicate, and one execution. */
async function smokeCheck(cluster, imported) {
	for (const entry of imported) {
		const request = lib.demoRequest(entry);
		const answers = [];
		for (let attempt = 0; attempt < 2; attempt++) {
			const response = await lib.httpRequest(request.url, { method: 'POST', headers: request.headers, body: request.body });
			answers.push({ status: response.status, text: response.body.toString('utf8'), servedBy: response.headers['x-served-by'] });
		}
		const [first, second] = answers;
		if (!first.text.includes('"accepted"') || !second.text.includes('"duplicate"')) {
			throw new Error(`${entry.name}: expected accepted then duplicate, got ${JSON.stringify(answers)}`);
		}
		const [execution] = await cluster.client.waitForExecutions(entry.workflowId, { count: 1, timeoutMs: 60000 });
		if (execution.status !== 'success') throw new Error(`${entry.name}: execution ${execution.id} ended ${execution.status}`);
		say(`  ok  ${entry.example.title}: ${first.servedBy} accepted, ${second.servedBy} duplicate → execution ${execution.id} (${execution.status})`);
	}
}

let cluster;
let stopping;
const stop = () => {
	stopping = stopping ?? (cluster ? cluster.stop() : lib.stopAllGroups());
	return stopping;
};

async function main() {
	const options = parseArguments(process.argv.slice(2));
	let signals = 0;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => {
			signals++;
			if (signals > 1) {
				// Second Ctrl-C: no more waiting. The process groups' watchdogs end what is left.
				process.exit(130);
			}
			say('\nStopping queue mode (proxy, webhook processes, worker, main, Redis, Postgres)…');
			stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
		});
	}

	if (!options.smoke) {
		for (const [name, port] of [['--port', options.port], ['--public-port', options.publicPort]]) {
			if (!(await lib.isPortFree(port))) throw new Error(`Port ${port} is in use on 127.0.0.1; choose another with ${name} <port>`);
		}
	}

	await lib.buildPackage({ inherit: true });
	cluster = await queue.startQueueCluster({
		workDir: path.join(lib.SCRATCH_DIR, `queue-local-${process.pid}`),
		build: false,
		mainPort: options.smoke ? undefined : options.port,
		proxyPort: options.smoke ? undefined : options.publicPort,
		webhookCount: options.webhooks,
		workerCount: options.workers,
		onCreated: (created) => {
			cluster = created;
		},
	});
	const imported = await queue.importQueueExamples(cluster.client, { publicBaseUrl: cluster.publicUrl });

	if (options.smoke) {
		try {
			say(`Queue-mode smoke test through ${cluster.publicUrl}:`);
			await smokeCheck(cluster, imported);
			say('Smoke test passed.');
		} finally {
			await stop();
		}
		return;
	}

	printSummary(cluster, imported);
	// Runs until Ctrl-C; if a process of the cluster dies on its own, say so and stop the rest.
	const exits = [cluster.main, ...cluster.workers.map((worker) => worker.process)].map((handle) =>
		handle.exited.then((result) => ({ handle, ...result })),
	);
	const { handle, code, signal } = await Promise.race(exits);
	if (stopping) return;
	process.stderr.write(`\nn8n ${handle.command} stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${handle.logFile}. Stopping the rest.\n`);
	await stop();
	process.exit(1);
}

main().catch(async (error) => {
	process.stderr.write(`\n${error.stack ?? error}\n`);
	await stop();
	process.exit(1);
});
