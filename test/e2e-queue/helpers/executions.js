'use strict';

const { FINISHED_STATUSES, nodeOutput, waitFor } = require('../../../scripts/lib');
const { redis } = require('./cluster');

/** Jobs n8n's Bull queue ("jobs", prefix "bull") still holds: waiting, being worked on, or delayed. */
async function queuedJobs() {
	const replies = await Promise.all([redis('LLEN bull:jobs:wait'), redis('LLEN bull:jobs:active'), redis('ZCARD bull:jobs:delayed')]);
	return replies.reduce((sum, reply) => sum + Number(reply.replace(/^:/, '')), 0);
}

/**
 * Waits until the workers have drained: the queue is empty, at least `atLeast` executions have
 * finished, none is running, and the list did not change between two polls a second apart (a late
 * execution would show up). Returns `{ finished, unfinished }` (unfinished: left in status "new").
 */
async function waitForDrain(client, workflowId, { atLeast, timeoutMs = 120000 }) {
	let previous;
	return waitFor(
		async () => {
			const [executions, jobs] = await Promise.all([client.listExecutions(workflowId), queuedJobs()]);
			const finished = executions.filter((execution) => FINISHED_STATUSES.has(execution.status));
			const snapshot = executions.map((execution) => `${execution.id}:${execution.status}`).join(',');
			const stable = snapshot === previous;
			previous = snapshot;
			const running = executions.some((execution) => execution.status === 'running');
			if (jobs === 0 && !running && finished.length >= atLeast && stable) {
				return { finished, unfinished: executions.filter((execution) => !FINISHED_STATUSES.has(execution.status)) };
			}
			// Not drained yet; on timeout waitFor reports the last of these.
			const statuses = {};
			for (const execution of executions) statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
			throw new Error(`last seen: ${jobs} job(s) queued, executions ${JSON.stringify(statuses)}, ${finished.length} finished of at least ${atLeast}${stable ? '' : ', list still changing'}`);
		},
		{ timeoutMs, intervalMs: 1000, description: `workers to drain (at least ${atLeast} finished executions of workflow ${workflowId})` },
	);
}

/** Runs `task` over `items`, `concurrency` at a time, keeping the order. */
async function mapLimit(items, concurrency, task) {
	const results = new Array(items.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index], index);
		}
	});
	await Promise.all(lanes);
	return results;
}

/** The event id (`id` of the trigger's item) each execution ran for: `[{ executionId, status, eventId }]`. */
async function executedEvents(client, executions, triggerName) {
	return mapLimit(executions, 6, async (summary) => {
		const execution = await client.getExecution(summary.id);
		// An execution that never ran (status "new") still carries the trigger's item in its start stack.
		const [item] = nodeOutput(execution, triggerName) ?? startItems(execution);
		return { executionId: summary.id, status: execution.status, eventId: item?.id };
	});
}

function startItems(execution) {
	const stack = execution.data?.executionData?.nodeExecutionStack ?? [];
	return (stack[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

module.exports = { queuedJobs, waitForDrain, executedEvents, mapLimit };
