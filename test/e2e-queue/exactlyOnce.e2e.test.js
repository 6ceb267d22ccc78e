'use strict';

const { clusterState, mainClient, processWebhookUrls } = require('./helpers/cluster');
const { executedEvents, waitForDrain } = require('./helpers/executions');
const { createQueueWorkflow } = require('./helpers/queueWorkflow');
const { post, signedEvent, tally } = require('./helpers/signedTraffic');

const EVENTS = 50;

/**
 * De-duplication across webhook processes (dedupeStore: redis): each event is delivered twice at the
 * same moment, once to each webhook process, as a provider retrying on a timeout behind a load balancer
 * would. Exactly one delivery of each may start an execution.
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
					return { id: event.id, answers: [atFirst, atSecond] };
				}),
			);
			deliveries.push(...answered);
		}
	});

	afterAll(() => flow && client.deactivateWorkflow(flow.id).catch(() => {}));

	test(`${EVENTS} events × 2 processes: one "accepted" and one "duplicate" per event, both 200`, () => {
		const statuses = tally(deliveries.flatMap((delivery) => delivery.answers.map((answer) => answer.status)));
		expect(statuses).toEqual({ 200: EVENTS * 2 });
		for (const delivery of deliveries) {
			const outcomes = delivery.answers.map((answer) => answer.body?.status).sort();
			expect({ id: delivery.id, outcomes }).toEqual({ id: delivery.id, outcomes: ['accepted', 'duplicate'] });
		}
		const winners = tally(deliveries.map((delivery) => (delivery.answers[0].body.status === 'accepted' ? 'webhook-1' : 'webhook-2')));
		process.stderr.write(`[exactly-once] accepted by process: ${JSON.stringify(winners)} of ${EVENTS}\n`);
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
