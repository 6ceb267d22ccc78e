'use strict';

const { mainClient, publicWebhookUrl } = require('./helpers/cluster');
const { executedEvents, waitForDrain } = require('./helpers/executions');
const { createQueueWorkflow } = require('./helpers/queueWorkflow');
const { post, signedEvent, tally } = require('./helpers/signedTraffic');

// Low enough that a flood on a 2-core machine is still many times faster than the rate.
const RATE_PER_SECOND = 0.5;
const BURST = 4;
const FLOOD_MS = 8000;
const CONCURRENCY = 16;

/**
 * One client floods the proxy, which spreads the requests over both webhook processes. With
 * rateLimitStore: redis the processes take tokens from one bucket per client address, so the whole
 * cluster accepts at most burst + rate × elapsed, not that much per process.
 */
describe('queue mode: rate limit shared by the webhook processes (rateLimitStore: redis)', () => {
	const client = mainClient();
	let flow;
	let answers;
	let elapsedSeconds;

	beforeAll(async () => {
		flow = await createQueueWorkflow(client, {
			prefix: 'rate-limit',
			parameters: { dedupeStore: 'redis' },
			// One trusted proxy: the client address is the one the proxy appended to X-Forwarded-For.
			options: { rateLimitPerSecond: RATE_PER_SECOND, rateLimitBurst: BURST, rateLimitStore: 'redis', trustedProxyHops: 1 },
		});
		const url = publicWebhookUrl(flow.path);
		answers = [];
		let sent = 0;
		const started = performance.now();
		const deadline = started + FLOOD_MS;
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (performance.now() < deadline) {
					const event = signedEvent({ key: flow.key, url });
					// Forged entries a client might add itself: the proxy appends the real address after them.
					const forged = `10.${sent % 256}.${Math.floor(sent / 256) % 256}.7`;
					sent++;
					const answer = await post(url, { body: event.body, headers: { ...event.headers, 'x-forwarded-for': forged } });
					answers.push({ id: event.id, ...answer });
				}
			}),
		);
		elapsedSeconds = (performance.now() - started) / 1000;
	});

	afterAll(() => flow && client.deactivateWorkflow(flow.id).catch(() => {}));

	test('2xx answers stay within one bucket for the whole cluster, well below two independent buckets', () => {
		const accepted = answers.filter((answer) => answer.status >= 200 && answer.status < 300);
		const clusterMax = Math.floor(BURST + RATE_PER_SECOND * elapsedSeconds);
		const twoBucketsMax = 2 * (BURST + RATE_PER_SECOND * elapsedSeconds);
		const served = tally(answers.map((answer) => answer.servedBy));
		process.stderr.write(
			`[rate-limit] ${answers.length} requests in ${elapsedSeconds.toFixed(2)} s (${JSON.stringify(tally(answers.map((a) => a.status)))}, served ${JSON.stringify(served)}): ` +
				`${accepted.length} accepted; allowed ≤ ${clusterMax} for one shared bucket (burst ${BURST} + ${RATE_PER_SECOND}/s), ${twoBucketsMax.toFixed(0)} for two independent ones\n`,
		);
		// Each process got more requests than one bucket allows, so two independent buckets would both have
		// let through their maximum: the comparison below is a real one.
		const oneBucket = BURST + RATE_PER_SECOND * elapsedSeconds;
		expect(served['webhook-1']).toBeGreaterThan(oneBucket);
		expect(served['webhook-2']).toBeGreaterThan(oneBucket);
		// The bucket starts full, so at least the burst gets through; never more than one bucket allows.
		expect(accepted.length).toBeGreaterThanOrEqual(BURST);
		expect(accepted.length).toBeLessThanOrEqual(clusterMax);
		expect(accepted.length).toBeLessThan(0.75 * twoBucketsMax);
		expect(accepted.every((answer) => answer.body?.status === 'accepted')).toBe(true);
	});

	test('every other answer is 429 {"error":"rate limited"} with Retry-After', () => {
		const refused = answers.filter((answer) => answer.status < 200 || answer.status >= 300);
		expect(refused.length).toBeGreaterThan(0);
		expect(tally(refused.map((answer) => answer.status))).toEqual({ 429: refused.length });
		for (const answer of refused) {
			expect(answer.body).toEqual({ error: 'rate limited' });
			expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
		}
	});

	test('each accepted request ran exactly once; refused ones did not run', async () => {
		const acceptedIds = answers.filter((answer) => answer.status === 200).map((answer) => answer.id);
		const { finished, unfinished } = await waitForDrain(client, flow.id, { atLeast: acceptedIds.length });
		expect(unfinished).toEqual([]);
		const events = await executedEvents(client, finished, flow.triggerName);
		expect(events.map((event) => event.eventId).sort()).toEqual([...acceptedIds].sort());
	});
});
