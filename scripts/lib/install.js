'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');

const { REPO_ROOT } = require('./paths');

/** Parses the `NAME=value` lines install-n8n.sh prints. */
function parseShellVars(text) {
	const vars = {};
	for (const line of text.split('\n')) {
		const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (match) vars[match[1]] = match[2];
	}
	return vars;
}

let installed;

/**
 * Runs scripts/install-n8n.sh (idempotent: a no-op when the cache is complete) and returns where
 * things are: `{ n8nVersion, node24Bin, nodeBinary, n8nDir, n8nBin }`. Progress goes to stderr.
 */
function ensureN8nInstalled({ quiet = false } = {}) {
	installed =
		installed ??
		new Promise((resolve, reject) => {
			const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'install-n8n.sh')], {
				cwd: REPO_ROOT,
				stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			if (quiet) child.stderr.on('data', (chunk) => (stderr += chunk));
			child.on('error', reject);
			// 'close', not 'exit': the printed variables may still be unread when the process has exited.
			child.on('close', (code) => {
				if (code !== 0) {
					reject(new Error(`scripts/install-n8n.sh failed with exit code ${code}\n${stderr}`));
					return;
				}
				const vars = parseShellVars(stdout);
				resolve({
					n8nVersion: vars.N8N_VERSION,
					node24Bin: vars.NODE24_BIN,
					nodeBinary: path.join(vars.NODE24_BIN, 'node'),
					n8nDir: vars.N8N_DIR,
					n8nBin: vars.N8N_BIN,
				});
			});
		});
	installed.catch(() => {
		installed = undefined;
	});
	return installed;
}

module.exports = { ensureN8nInstalled, parseShellVars };
