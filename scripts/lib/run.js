'use strict';

const { spawn } = require('node:child_process');

/**
 * Runs a command to completion. Output is captured and included in the error when it fails;
 * with `inherit: true` it goes straight to this process's stdout/stderr instead.
 */
function run(command, args, { cwd, env, inherit = false, label = `${command} ${args.join(' ')}` } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd,
			env: env ?? process.env,
			stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		let stdout = '';
		if (!inherit) {
			child.stdout.on('data', (chunk) => {
				stdout += chunk;
				output += chunk;
			});
			child.stderr.on('data', (chunk) => (output += chunk));
		}
		child.on('error', reject);
		// 'close', not 'exit': stdout may still hold unread data when the process has exited.
		child.on('close', (code, signal) => {
			if (code === 0) resolve({ stdout, output });
			else reject(new Error(`${label} failed (${signal ?? `exit code ${code}`})\n${output.slice(-4000)}`));
		});
	});
}

module.exports = { run };
