'use strict';

const { randomBytes, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { SCRATCH_DIR, launchLocalN8n, setupOwner, startN8n, waitFor } = require('../../scripts/lib');
const { startRedisServer } = require('../../scripts/lib/queue/redisServer');
const { CREDENTIAL_TYPE } = require('./helpers/package');
const { itemsFromWebhook, links, scheduleEverySeconds, senderNode, senderOutcomes, startRecordingReceiver } = require('./helpers/signedWebhookFlows');

/**
 * Durable delivery under SIGKILL, on an n8n of its own (the suite's shared n8n is never killed): 200 items are sent
 * through the Signed Webhook node with Pending Deliveries in Redis to a receiver that fails the first attempts. n8n is
 * SIGKILLed while the deliveries wait for a retry, restarted, and SIGKILLed again while the Resume run that took them
 * over waits for the next retry, then restarted once more. Every item must end on Delivered or Dead letter (at least
 * once), the receiver must have every event id, and every attempt must carry the item's own event id.
 */
const ITEMS = 200;
const KILLS = 2;
/** Attempts the receiver answers 503 before it accepts; every tenth event is never accepted (it ends in Dead letter). */
const FAILED_ATTEMPTS = 3;
const isRefusedForGood = (index) => index % 10 === 0;
/** Four attempts: the first retry soon, then long waits in which n8n is killed. */
const RETRY_DELAYS = '500ms, 12s, 12s';

const RESULTS_DIR = path.join(__dirname, '..', '..', 'test-results');

jest.setTimeout(600_000);

describe('Signed Webhook: durable delivery survives SIGKILL', () => {
	const secret = `whsec_${randomBytes(32).toString('base64')}`;
	const userFolder = path.join(SCRATCH_DIR, `e2e-kill-${process.pid}`);
	let redis;
	let receiver;
	let n8n;
	let client;
	let workflowId;
	const eventIds = Array.from({ length: ITEMS }, (_, index) => `kill-${index}-${randomUUID().slice(0, 8)}`);
	const indexOf = new Map(eventIds.map((id, index) => [id, index]));

	/** SIGKILL to n8n's whole process group (n8n and its task runner): no shutdown code runs. */
	async function killN8n() {
		process.kill(-n8n.pid, 'SIGKILL');
		const exit = await n8n.exited;
		expect(exit.signal).toBe('SIGKILL');
	}

	async function restartN8n() {
		n8n = await startN8n({ userFolder, env: redis.n8nEnv(), command: 'start', readyTimeoutMs: 180_000 });
		client = await setupOwner(n8n.baseUrl);
		// The workflow's triggers are registered again at startup.
		await waitFor(async () => (await client.publicationStatus(workflowId)).status === 'published', {
			timeoutMs: 60_000,
			intervalMs: 250,
			description: 'the workflow to be active again after the restart',
		});
	}

	/** Ids whose receiver history has at least `attempts` requests. */
	const idsWithAttempts = (attempts) => eventIds.filter((id) => (receiver.byId.get(id)?.length ?? 0) >= attempts);

	beforeAll(async () => {
		redis = await startRedisServer();
		receiver = await startRecordingReceiver(secret, (id, attempt) => {
			const index = indexOf.get(id);
			if (index === undefined || isRefusedForGood(index) || attempt <= FAILED_ATTEMPTS) return 503;
			return 200;
		});
		const local = await launchLocalN8n({ userFolder, fresh: true, build: process.env.E2E_SKIP_BUILD !== '1', env: redis.n8nEnv(), readyTimeoutMs: 180_000 });
		n8n = local.n8n;
		client = local.client;
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.close();
		await redis?.destroy();
		if (n8n) {
			fs.mkdirSync(RESULTS_DIR, { recursive: true });
			fs.copyFileSync(n8n.logFile, path.join(RESULTS_DIR, 'n8n-e2e-kill.log'));
		}
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	test(`${ITEMS} items, ${KILLS} SIGKILLs while deliveries wait: every item ends Delivered or Dead letter, none lost`, async () => {
		const credential = await client.createCredential({ name: 'kill test signing', type: CREDENTIAL_TYPE, data: { secret } });
		const redisCredential = await client.createCredential({
			name: 'kill test redis',
			type: 'redis',
			data: { host: '127.0.0.1', port: redis.port, password: redis.password, database: 0 },
		});
		const webhookPath = `e2e-kill-${randomUUID().slice(0, 8)}`;
		const nodes = [
			...itemsFromWebhook(webhookPath),
			scheduleEverySeconds('Every 2 Seconds', 2, [200, 250]),
			senderNode({
				credential,
				redisCredential,
				parameters: {
					urls: receiver.url('/hook'),
					eventId: '={{ $json.id }}',
					eventType: 'order.created',
					scheme: 'standardWebhooks',
					retrySchedule: 'explicit',
					retryDelays: RETRY_DELAYS,
					durability: 'redis',
					takeOverAfterSeconds: 5,
				},
			}),
		];
		const created = await client.createWorkflow({
			name: 'e2e durable delivery under SIGKILL',
			nodes,
			connections: links([
				['Items In', 'Split Out'],
				['Split Out', 'Signed Webhook'],
				['Every 2 Seconds', 'Signed Webhook', 0, 1],
			]),
			settings: { executionOrder: 'v1' },
		});
		workflowId = created.id;
		await client.activateWorkflow(workflowId, created.versionId);

		const posted = await fetch(`${n8n.baseUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ items: eventIds.map((id, index) => ({ id, index })) }),
		});
		expect(posted.status).toBe(200);

		// Kill 1: every delivery has failed twice and waits 12 s for its third attempt.
		await waitFor(() => idsWithAttempts(2).length === ITEMS, { timeoutMs: 120_000, intervalMs: 100, description: 'two attempts of every item' });
		await killN8n();
		const attemptsAtKill1 = receiver.requests.length;
		await restartN8n();

		// Kill 2: the Resume run that took the deliveries over has made their third attempt and waits for the fourth.
		await waitFor(() => idsWithAttempts(3).length === ITEMS, { timeoutMs: 180_000, intervalMs: 100, description: 'three attempts of every item' });
		await killN8n();
		expect(receiver.requests.length).toBeGreaterThan(attemptsAtKill1);
		await restartN8n();

		// Every item's outcome, from whichever execution emitted it, polled until all are in (or time runs out).
		const outcomes = new Map();
		const read = new Set();
		await waitFor(
			async () => {
				for (const summary of await client.listExecutions(workflowId)) {
					if (read.has(summary.id) || !['success', 'error', 'crashed'].includes(summary.status)) continue;
					read.add(summary.id);
					const execution = await client.getExecution(summary.id);
					for (const outcome of senderOutcomes(execution)) {
						outcomes.set(outcome.eventId, [...(outcomes.get(outcome.eventId) ?? []), outcome]);
					}
				}
				return eventIds.every((id) => outcomes.has(id));
			},
			{ timeoutMs: 180_000, intervalMs: 1000, description: `outcomes of all ${ITEMS} items` },
		);

		const lost = eventIds.filter((id) => !outcomes.has(id));
		const neverReceived = eventIds.filter((id) => !receiver.byId.has(id));
		const numbers = {
			items: ITEMS,
			kills: KILLS,
			lost: lost.length,
			neverReceived: neverReceived.length,
			requests: receiver.requests.length,
			delivered: [...outcomes.values()].filter((list) => list.some((outcome) => outcome.output === 'delivered')).length,
			deadLetters: [...outcomes.values()].filter((list) => list.every((outcome) => outcome.output === 'deadLetter')).length,
			outcomesEmittedTwice: [...outcomes.values()].filter((list) => list.length > 1).length,
		};
		process.stderr.write(`[kill test] ${Object.entries(numbers).map(([name, value]) => `${name} ${value}`).join(', ')}\n`);
		// The numbers, for the report: test-results/signed-webhook-kill.json.
		fs.mkdirSync(RESULTS_DIR, { recursive: true });
		fs.writeFileSync(path.join(RESULTS_DIR, 'signed-webhook-kill.json'), `${JSON.stringify({ ...numbers, finishedAt: new Date().toISOString() }, null, 2)}\n`);
		expect(lost).toEqual([]);
		expect(neverReceived).toEqual([]);

		for (const [index, id] of eventIds.entries()) {
			// Every attempt carried this item, under its own id, correctly signed.
			for (const attempt of receiver.byId.get(id)) {
				expect(attempt.verified).toBe(true);
				expect(JSON.parse(attempt.body.toString('utf8'))).toEqual({ id, index });
			}
			const emitted = outcomes.get(id);
			expect(emitted.every((outcome) => outcome.eventId === id)).toBe(true);
			if (isRefusedForGood(index)) {
				expect(emitted.every((outcome) => outcome.output === 'deadLetter')).toBe(true);
				expect(emitted[0]).toMatchObject({ status: 503, error: 'gave up after 4 attempts', resumed: true });
				expect(emitted[0].payload).toEqual({ id, index });
			} else {
				expect(emitted.some((outcome) => outcome.output === 'delivered')).toBe(true);
				expect(receiver.byId.get(id).some((attempt) => attempt.status === 200)).toBe(true);
			}
			// Emitted by a Resume run after the last restart, for the execution that first took the items.
			expect(emitted[0]).toMatchObject({ resumed: true });
			expect(typeof emitted[0].startedInExecution).toBe('string');
		}
	});
});
