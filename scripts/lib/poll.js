'use strict';

const { setTimeout: sleep } = require('node:timers/promises');

/**
 * Calls `probe` until it returns something other than undefined/false, or the deadline passes.
 * Errors thrown by `probe` count as "not yet" (the last one is reported when time runs out), unless
 * `fatal(error)` says waiting longer cannot help.
 */
async function waitFor(probe, { timeoutMs = 30000, intervalMs = 100, description = 'condition', fatal } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const result = await probe();
			if (result !== undefined && result !== false) return result;
		} catch (error) {
			if (fatal && fatal(error)) throw error;
			lastError = error;
		}
		if (Date.now() >= deadline) {
			const reason = lastError ? `: ${lastError.message}` : '';
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${reason}`);
		}
		await sleep(intervalMs);
	}
}

module.exports = { waitFor, sleep };
