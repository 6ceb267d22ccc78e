'use strict';

const { control, mainClient, processWebhookUrls, publicWebhookUrl } = require('./helpers/cluster');
const { executedEvents, waitForDrain } = require('./helpers/executions');
const { createQueueWorkflow } = require('./helpers/queueWorkflow');
const { post, signedEvent } = require('./helpers/signedTraffic');
const { waitFor } = require('../../scripts/lib');

/**
 * With Redis gone the trigger cannot de-duplicate or rate-limit, so it accepts nothing: 503 with
 * Retry-After, and the sender retries. Once Redis is back, the retry is accepted and runs once.
 */
describe('queue mode: Redis unreachable', () => {
	const client = mainClient();
	let flow;
	let url;
	const acceptedIds = [];
	let refused;

	beforeAll(async () => {
		flow = await createQueueWorkflow(client, {
			prefix: 'redis-outage',
			parameters: { dedupeStore: 'redis' },
			options: { rateLimitPerSecond: 1000, rateLimitBurst: 1000, rateLimitStore: 'redis', trustedProxyHops: 1 },
		});
		url = publicWebhookUrl(flow.path);
	});

	afterAll(async () => {
		await control('start-redis');
		if (flow) await client.deactivateWorkflow(flow.id).catch(() => {});
	});

	test('before: accepted', async () => {
		const event = signedEvent({ key: flow.key, url });
		const answer = await post(url, event);
		expect(answer.body).toEqual({ status: 'accepted' });
		acceptedIds.push(event.id);
	});

	test('Redis stopped → 503 {"error":"temporarily unavailable"} with Retry-After, through the proxy and at each process', async () => {
		await control('stop-redis');
		refused = signedEvent({ key: flow.key, url });
		const targets = [url, ...processWebhookUrls(flow.path)];
		const answers = [];
		for (const target of targets) {
			const started = Date.now();
			const answer = await post(target, refused);
			answers.push({ target, ms: Date.now() - started, ...answer });
		}
		process.stderr.write(`[redis-outage] while stopped: ${answers.map((a) => `${a.status} retry-after=${a.retryAfter} in ${a.ms} ms (${a.servedBy ?? a.target})`).join('; ')}\n`);
		for (const answer of answers) {
			expect(answer.status).toBe(503);
			expect(answer.body).toEqual({ error: 'temporarily unavailable' });
			expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
		}
	});

	test('Redis restarted → the retried event is accepted, and a new one too', async () => {
		await control('start-redis');
		const restarted = Date.now();
		// The sender's retry: the same event id, signed again.
		const retried = await waitFor(
			async () => {
				const answer = await post(url, signedEvent({ key: flow.key, url, id: refused.id }));
				return answer.status === 200 ? answer : undefined;
			},
			{ timeoutMs: 60000, intervalMs: 500, description: 'the trigger to accept events again after Redis restarted' },
		);
		process.stderr.write(`[redis-outage] accepting again ${Date.now() - restarted} ms after Redis restarted\n`);
		expect(retried.body).toEqual({ status: 'accepted' });
		acceptedIds.push(refused.id);
		const fresh = signedEvent({ key: flow.key, url });
		expect((await post(url, fresh)).body).toEqual({ status: 'accepted' });
		acceptedIds.push(fresh.id);
		const again = await post(url, signedEvent({ key: flow.key, url, id: fresh.id }));
		expect(again.body).toEqual({ status: 'duplicate' });
	});

	test('exactly the accepted events ran, once each', async () => {
		const { finished, unfinished } = await waitForDrain(client, flow.id, { atLeast: acceptedIds.length });
		expect(unfinished).toEqual([]);
		const events = await executedEvents(client, finished, flow.triggerName);
		expect(events.map((event) => event.eventId).sort()).toEqual([...acceptedIds].sort());
		expect(events.every((event) => event.status === 'success')).toBe(true);
	});
});
