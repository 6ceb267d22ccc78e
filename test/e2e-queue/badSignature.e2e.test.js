'use strict';

const { mainClient, processWebhookUrls, publicWebhookUrl } = require('./helpers/cluster');
const { executedEvents, waitForDrain } = require('./helpers/executions');
const { createQueueWorkflow } = require('./helpers/queueWorkflow');
const { post, signedEvent } = require('./helpers/signedTraffic');
const { standardWebhooksSecret } = require('../e2e/helpers/schemeFixtures');

/** Requests that must be refused with 401 by whichever webhook process gets them. */
const BAD_REQUESTS = {
	'tampered body': (key, url) => signedEvent({ key, url, tamper: true }),
	'wrong secret': (key, url) => signedEvent({ key: standardWebhooksSecret(), url }),
	unsigned: (key, url) => {
		const event = signedEvent({ key, url });
		const headers = { ...event.headers };
		delete headers['webhook-signature'];
		return { ...event, headers };
	},
	'timestamp outside tolerance': (key, url) => signedEvent({ key, url, timestampSeconds: Math.floor(Date.now() / 1000) - 3600 }),
};

describe('queue mode: bad signatures on either webhook process', () => {
	const client = mainClient();
	let flow;

	beforeAll(async () => {
		flow = await createQueueWorkflow(client, { prefix: 'bad-signature', parameters: { dedupeStore: 'redis' } });
	});

	afterAll(() => flow && client.deactivateWorkflow(flow.id).catch(() => {}));

	const targets = ['webhook-1', 'webhook-2', 'proxy'];
	const cases = targets.flatMap((target) => Object.keys(BAD_REQUESTS).map((kind) => [target, kind]));

	test.each(cases)('%s: %s → 401 {"error":"invalid signature"}', async (target, kind) => {
		const url = target === 'proxy' ? publicWebhookUrl(flow.path) : processWebhookUrls(flow.path)[targets.indexOf(target)];
		const answer = await post(url, BAD_REQUESTS[kind](flow.key, url));
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({ error: 'invalid signature' });
	});

	test('none of them started an execution: a valid event afterwards is the only one', async () => {
		const valid = signedEvent({ key: flow.key, url: publicWebhookUrl(flow.path) });
		const answer = await post(publicWebhookUrl(flow.path), valid);
		expect(answer.status).toBe(200);
		const { finished, unfinished } = await waitForDrain(client, flow.id, { atLeast: 1 });
		expect(unfinished).toEqual([]);
		const events = await executedEvents(client, finished, flow.triggerName);
		expect(events).toEqual([expect.objectContaining({ status: 'success', eventId: valid.id })]);
	});
});
