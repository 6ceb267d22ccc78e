'use strict';

// Usage: node watchdog.js <pgid> <graceMs>. Started by processGroup.js with a pipe on stdin.
// When the pipe closes (the launcher is gone, however it died), the group is terminated.
const pgid = Number(process.argv[2]);
const graceMs = Number(process.argv[3]) || 15000;

function alive() {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

let terminating = false;

function terminate() {
	if (terminating) return;
	terminating = true;
	try {
		process.kill(-pgid, 'SIGTERM');
	} catch {
		process.exit(0);
	}
	const started = Date.now();
	setInterval(() => {
		if (!alive()) process.exit(0);
		if (Date.now() - started > graceMs) {
			try {
				process.kill(-pgid, 'SIGKILL');
			} catch {
				// Already gone.
			}
			process.exit(0);
		}
	}, 100);
}

process.stdin.on('end', terminate);
process.stdin.on('close', terminate);
process.stdin.on('error', terminate);
process.stdin.resume();

// The group ended normally: nothing left to guard.
setInterval(() => {
	if (!alive()) process.exit(0);
}, 1000);
