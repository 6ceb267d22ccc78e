'use strict';

const { clusterState, mainClient, processWebhookUrls } = require('./helpers/cluster');
const { executedEvents, waitForDrain } = require('./helpers/executions');
const { createQueueWorkflow } = require('./helpers/queueWorkflow');
const { post, signedEvent, tally } = require('./helpers/signedTraffic');

const EVENTS = 50;

/**
 * De-duplication across webhook processes (dedupeStore: redis): each event is delivered twice at the
 * same moment, once to each webhook process, as a provider retrying on a timeout behind a load balancer
 * would. Exactly one delivery of each may start an execution; the other is told to retry (409) while the
 * first one's execution is being stored, and is a duplicate from then on.
 */
describe('queue mode: the same event at both webhook processes at once', () => {
	const client = mainClient();
	let flow;
	let deliveries;

	beforeAll(async () => {
		flow = await createQueueWorkflow(client, { prefix: 'exactly-once', parameters: { dedupeStore: 'redis' } });
		const [first, second] = processWebhookUrls(flow.path);
		// Both requests of a pair are built first (same bytes, same headers) and sent together.
		deliveries = [];
		const pairs = Array.from({ length: EVENTS }, () => signedEvent({ key: flow.key, url: first }));
		for (let start = 0; start < pairs.length; start += 10) {
			const batch = pairs.slice(start, start + 10);
			const answered = await Promise.all(
				batch.map(async (event) => {
					const [atFirst, atSecond] = await Promise.all([post(first, event), post(second, event)]);
					// The provider retries what was not answered 2xx, once both answers are in.
					const retry = [atFirst, atSecond].some((answer) => answer.status !== 200) ? await post(second, event) : undefined;
					return { id: event.id, answers: [atFirst, atSecond], retry };
				}),
			);
			deliveries.push(...answered);
		}
	});

	afterAll(() => flow && client.deactivateWorkflow(flow.id).catch(() => {}));

	test(`${EVENTS} events × 2 processes: one "accepted" per event; the other delivery is told 409 "retry later" or "duplicate", and its retry is a duplicate`, () => {
		for (const delivery of deliveries) {
			const outcomes = delivery.answers.map((answer) => (answer.status === 200 ? answer.body?.status : answer.status)).sort();
			// 409 while the first delivery's execution is being stored; "duplicate" when it already was.
			expect([['accepted', 'duplicate'], [409, 'accepted']]).toContainEqual(outcomes);
			if (delivery.retry) expect({ id: delivery.id, retry: delivery.retry.status, body: delivery.retry.body }).toEqual({ id: delivery.id, retry: 200, body: { status: 'duplicate' } });
		}
		const winners = tally(deliveries.map((delivery) => (delivery.answers[0].body?.status === 'accepted' ? 'webhook-1' : 'webhook-2')));
		const others = tally(deliveries.flatMap((delivery) => delivery.answers.filter((answer) => answer.body?.status !== 'accepted').map((answer) => answer.body?.status ?? answer.status)));
		process.stderr.write(`[exactly-once] accepted by process: ${JSON.stringify(winners)} of ${EVENTS}; the other delivery: ${JSON.stringify(others)}\n`);
		expect(clusterState().webhooks).toHaveLength(2);
	});

	test(`exactly ${EVENTS} executions on the workers, one per event id (executions API on main)`, async () => {
		const { finished, unfinished } = await waitForDrain(client, flow.id, { atLeast: EVENTS });
		expect(unfinished).toEqual([]);
		const events = await executedEvents(client, finished, flow.triggerName);
		expect(events).toHaveLength(EVENTS);
		expect(events.every((event) => event.status === 'success')).toBe(true);
		expect(new Set(events.map((event) => event.eventId))).toEqual(new Set(deliveries.map((delivery) => delivery.id)));
		process.stderr.write(`[exactly-once] ${EVENTS * 2} deliveries → ${events.length} executions, ${new Set(events.map((e) => e.eventId)).size} distinct event ids\n`);
	});
});
