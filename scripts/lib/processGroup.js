'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');

const { sleep } = require('./poll');

/** Every group started here and not yet stopped; killed when this process exits. */
const liveGroups = new Set();

function groupIsAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function signalGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
	} catch {
		// Already gone.
	}
}

/**
 * A sidecar that kills the group if this process dies without cleaning up (SIGKILL, a crashed test
 * runner): it holds the read end of a pipe whose write end only we have, and EOF means we are gone.
 */
function startWatchdog(pgid, graceMs) {
	const watchdog = spawn(process.execPath, [path.join(__dirname, 'watchdog.js'), String(pgid), String(graceMs)], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
	});
	watchdog.unref();
	watchdog.stdin.on('error', () => {});
	// The pipe must not keep this process alive either.
	if (typeof watchdog.stdin.unref === 'function') watchdog.stdin.unref();
	return watchdog;
}

/**
 * Starts `command` as the leader of a new process group, so that it and everything it spawns
 * (n8n's task runners) can be signalled together.
 */
function spawnGroup(command, args, { cwd, env, stdio, graceMs = 15000, name = path.basename(command) } = {}) {
	const child = spawn(command, args, { cwd, env, stdio, detached: true });
	const pgid = child.pid;
	if (pgid === undefined) throw new Error(`Could not start ${name}`);

	const exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => resolve({ code, signal }));
		child.once('error', (error) => resolve({ code: null, signal: null, error }));
	});
	const watchdog = startWatchdog(pgid, graceMs);

	let stopping;
	const group = {
		name,
		pid: pgid,
		child,
		exited,
		/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when nothing of the group is left. */
		stop(options = {}) {
			stopping = stopping ?? stopGroup(group, options.graceMs ?? graceMs);
			return stopping;
		},
		isRunning: () => child.exitCode === null && child.signalCode === null,
	};

	async function stopGroup(target, grace) {
		signalGroup(pgid, 'SIGTERM');
		const killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), grace);
		await exited;
		clearTimeout(killTimer);
		// The leader is gone; children that ignored SIGTERM (or were mid-restart) go too.
		const deadline = Date.now() + 3000;
		while (groupIsAlive(pgid) && Date.now() < deadline) await sleep(50);
		if (groupIsAlive(pgid)) signalGroup(pgid, 'SIGKILL');
		liveGroups.delete(target);
		watchdog.kill('SIGKILL');
		return exited;
	}

	liveGroups.add(group);
	exited.then(() => {
		if (!stopping) {
			// The leader died on its own: make sure no orphan of the group lingers.
			if (groupIsAlive(pgid)) signalGroup(pgid, 'SIGKILL');
			liveGroups.delete(group);
			watchdog.kill('SIGKILL');
		}
	});
	return group;
}

/** Stops every group this process started, in parallel. */
async function stopAllGroups() {
	await Promise.all([...liveGroups].map((group) => group.stop()));
}

let handlersInstalled = false;

/**
 * On Ctrl-C or SIGTERM: stop the groups gracefully, then exit. On any other exit: SIGKILL them
 * (an exit handler cannot wait). Long-running entry points (npm start, the benchmark) call this.
 */
function installCleanupHandlers({ onSignal } = {}) {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.once('exit', () => {
		for (const group of liveGroups) signalGroup(group.pid, 'SIGKILL');
	});
	let signalled = false;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => {
			if (signalled) {
				for (const group of liveGroups) signalGroup(group.pid, 'SIGKILL');
				process.exit(130);
			}
			signalled = true;
			if (onSignal) onSignal(signal);
			stopAllGroups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
		});
	}
}

module.exports = { spawnGroup, stopAllGroups, installCleanupHandlers, groupIsAlive };
