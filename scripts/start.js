'use strict';

/**
 * `npm start`: build the package, install it into a local n8n as a community package, start n8n at
 * http://localhost:5678 (user folder .n8n-local/, kept between runs), import and publish the example
 * workflows with demo credentials, print how to use them, and run until Ctrl-C.
 *
 *   node scripts/start.js [--port 5678] [--user-folder .n8n-local] [--smoke | --print-curl]
 *   --smoke       fresh throw-away user folder on a free port; send every demo event, check the executions, stop.
 *   --print-curl  only print freshly signed curl commands for the examples of a running `npm start`.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const lib = require('./lib');

function parseArguments(argv) {
	const options = { port: Number(process.env.N8N_LOCAL_PORT ?? 5678), userFolder: lib.LOCAL_USER_FOLDER, smoke: false };
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		if (argument === '--smoke') options.smoke = true;
		else if (argument === '--print-curl') options.printCurl = true;
		else if (argument === '--port') options.port = Number(argv[++index]);
		else if (argument === '--user-folder') options.userFolder = path.resolve(argv[++index]);
		else throw new Error(`Unknown argument ${argument}`);
	}
	return options;
}

const say = (text = '') => process.stdout.write(`${text}\n`);

function printSummary({ n8n, owner, imported }) {
	const editorUrl = `http://localhost:${n8n.port}`;
	say();
	say(`n8n ${n8n.n8nVersion} is running with ${lib.PACKAGE_NAME} installed as a community package.`);
	say();
	say(`  Editor:  ${editorUrl}`);
	say(`  Login:   ${owner.email} / ${owner.password}`);
	say(`  Data:    ${n8n.userFolder} (delete it to start over)`);
	say(`  Log:     ${n8n.logFile}`);
	say(`  Setting: ${lib.RECOMMENDED_N8N_ENV_REASON}`);
	say();
	say('Example workflows (published) and their demo credentials (local demo secrets, not real ones):');
	for (const entry of imported) {
		say();
		say(`  ${entry.name}`);
		say(`    POST ${entry.productionUrl.replace(n8n.baseUrl, editorUrl)}`);
		say(`    credential "${entry.credential.name}": secret ${entry.example.credential.data.secret}`);
	}
	const first = imported[0];
	const request = lib.demoRequest({ ...first, productionUrl: first.productionUrl.replace(n8n.baseUrl, editorUrl) });
	say();
	say(`A correctly signed test event for "${first.example.title}" (signed now: valid for 5 minutes; sent twice, the`);
	const portOption = n8n.port === 5678 ? '' : ` --port ${n8n.port}`;
	say(`second is answered {"status":"duplicate"}). Fresh commands for every example: npm start -- --print-curl${portOption}`);
	say();
	say(lib.curlCommand(request));
	say();
	say('Then open Executions in the editor. Ctrl-C stops n8n.');
}

/** Sends each example's demo event and checks the execution it started: the smoke test of `npm run smoke`. */
async function smokeCheck(client, imported) {
	for (const entry of imported) {
		const request = lib.demoRequest(entry);
		const response = await lib.httpRequest(request.url, { method: 'POST', headers: request.headers, body: request.body });
		const text = response.body.toString('utf8');
		if (response.status !== 200) throw new Error(`${entry.name}: expected 200, got ${response.status} ${text}`);
		const [execution] = await client.waitForExecutions(entry.workflowId, { count: 1 });
		if (execution.status !== 'success') throw new Error(`${entry.name}: execution ${execution.id} ended ${execution.status}`);
		const ran = Object.keys(execution.data.resultData.runData);
		say(`  ok  ${entry.example.title}: ${response.status} ${text} → execution ${execution.id} ran ${ran.join(' → ')}`);
	}
}

function printCurlCommands(port) {
	for (const example of lib.EXAMPLES) {
		const trigger = lib.exampleTrigger(lib.loadExampleWorkflow(example));
		const imported = { example, productionUrl: `http://localhost:${port}/webhook/${trigger.parameters.path}` };
		say(`# ${example.title}`);
		say(lib.curlCommand(lib.demoRequest(imported)));
		say();
	}
}

async function main() {
	const options = parseArguments(process.argv.slice(2));
	if (options.printCurl) {
		printCurlCommands(options.port);
		return;
	}
	let stoppingOnSignal = false;
	lib.installCleanupHandlers({
		onSignal: () => {
			stoppingOnSignal = true;
			say('\nStopping n8n…');
		},
	});

	if (options.smoke) {
		options.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-smoke-'));
		options.port = await lib.freePort();
	} else if (!(await lib.isPortFree(options.port))) {
		throw new Error(`Port ${options.port} is in use on 127.0.0.1. Stop what runs there, or: npm start -- --port <other>`);
	}

	await lib.buildPackage({ inherit: true });
	// The settings the package recommends (scripts/lib/n8nSettings.js): said in the summary, with why.
	const local = await lib.launchLocalN8n({ userFolder: options.userFolder, port: options.port, build: false, env: lib.RECOMMENDED_N8N_ENV });
	const imported = await lib.importExamples(local.client, { reuse: !options.smoke });

	if (options.smoke) {
		try {
			say(`Smoke test on ${local.n8n.baseUrl} (n8n ${local.n8n.n8nVersion}):`);
			await smokeCheck(local.client, imported);
			say('Smoke test passed.');
		} finally {
			await local.stop();
			fs.rmSync(options.userFolder, { recursive: true, force: true });
		}
		return;
	}

	printSummary({ n8n: local.n8n, owner: local.owner, imported });
	const { code, signal } = await local.n8n.exited;
	// On Ctrl-C the cleanup handler stops n8n and exits this process.
	if (!stoppingOnSignal) throw new Error(`n8n stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${local.n8n.logFile}`);
}

main().catch((error) => {
	process.stderr.write(`\n${error.stack ?? error}\n`);
	lib.stopAllGroups().finally(() => process.exit(1));
});
