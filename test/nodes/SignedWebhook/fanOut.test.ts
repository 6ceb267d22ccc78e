import { ConcurrencyLimiter } from '../../../nodes/SignedWebhook/concurrencyLimiter';
import { systemClock, type Clock, type DeliveryDependencies, type DeliveryPolicy } from '../../../nodes/SignedWebhook/deliver';
import { USER_AGENT, fanOut, outgoingItem, type FanOutSettings, type OutgoingItem } from '../../../nodes/SignedWebhook/fanOut';
import { createConnectionPool, sendAttempt, type ConnectionPool } from '../../../nodes/SignedWebhook/httpAttempt';
import { sequence, startLocalReceiver, type LocalReceiver } from './localReceiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('fanOut', () => {
	let receiver: LocalReceiver;
	let pool: ConnectionPool;

	beforeAll(async () => {
		receiver = await startLocalReceiver({
			'/ok': () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }),
			'/flaky': sequence(503, 200),
			'/rejects': () => ({ status: 422, body: 'unprocessable' }),
			'/slow': () => ({ status: 204, delayMs: 25 }),
			'/fails-once': sequence(503, 200),
		});
	});

	afterAll(async () => {
		await receiver.close();
	});

	beforeEach(() => {
		pool = createConnectionPool(10);
	});

	afterEach(() => {
		pool.destroy();
	});

	const policy: DeliveryPolicy = {
		schedule: { kind: 'explicit', delaysMs: [5] },
		retryAfterMaxMs: 1000,
		timeBudgetMs: 0,
		timeoutMs: 2000,
	};

	const settings: FanOutSettings = {
		method: 'POST',
		signing: { scheme: 'standardWebhooks', key: SECRET },
		policy,
		refuseNonPublic: false,
	};

	function item(itemIndex: number, destinations: string[], eventId = `evt_${itemIndex}`): OutgoingItem {
		const payload = { itemIndex, note: 'fan-out' };
		return {
			itemIndex,
			eventId,
			eventType: 'test.event',
			payload,
			body: Buffer.from(JSON.stringify(payload)),
			destinations,
			headers: { 'content-type': 'application/json', 'x-event-id': eventId },
			customHeaders: {},
		};
	}

	function dependencies(limit: number, clock: Clock = systemClock): DeliveryDependencies & { limiter: ConcurrencyLimiter } {
		return {
			send: async (request) => await sendAttempt({ ...request, maxResponseBytes: 1024, maxRedirects: 0, refuseNonPublic: false, pool }),
			limiter: new ConcurrencyLimiter(limit),
			clock,
			random: () => 0,
		};
	}

	it('sends one item to three destinations, each with its own retries and result', async () => {
		const destinations = [receiver.url('/ok'), receiver.url('/flaky'), receiver.url('/rejects')];
		const outcomes = await fanOut([item(0, destinations, 'evt_fan')], settings, dependencies(10));

		expect(outcomes.map((outcome) => outcome.destination)).toEqual(destinations);
		expect(outcomes.map((outcome) => outcome.result.delivered)).toEqual([true, true, false]);
		expect(outcomes.map((outcome) => outcome.result.attempts.length)).toEqual([1, 2, 1]);
		expect(outcomes[2].result.failureReason).toBe('HTTP 422 is not retried');

		const received = [...receiver.requestsTo('/ok'), ...receiver.requestsTo('/flaky'), ...receiver.requestsTo('/rejects')].filter(
			(request) => request.headers['webhook-id'] === 'evt_fan',
		);
		expect(received).toHaveLength(4);
		expect(new Set(received.map((request) => request.body.toString()))).toEqual(new Set(['{"itemIndex":0,"note":"fan-out"}']));
	});

	it('lets custom headers override the defaults and event headers, but never the signature', async () => {
		const prepared = outgoingItem(
			0,
			{
				destinations: [receiver.url('/ok')],
				payload: { value: { a: 1 }, body: Buffer.from('{"a":1}') },
				eventType: 'order.created',
				eventId: 'evt_headers',
				customHeaders: { 'content-type': 'application/cloudevents+json', 'webhook-signature': 'v1,forged', 'webhook-id': 'evt_other' },
			},
			{ contentType: 'application/json', signing: { scheme: 'standardWebhooks' } },
		);
		expect(prepared.headers).toMatchObject({ 'user-agent': USER_AGENT, 'x-event-type': 'order.created', 'x-event-id': 'evt_headers' });
		await fanOut([prepared], settings, dependencies(1));
		const received = receiver.requestsTo('/ok').find((request) => request.headers['x-event-id'] === 'evt_headers');
		expect(received?.headers['content-type']).toBe('application/cloudevents+json');
		expect(received?.headers['webhook-id']).toBe('evt_headers');
		expect(received?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
		expect(received?.headers['webhook-signature']).not.toBe('v1,forged');
	});

	it('returns results item by item, destination by destination, and refuses bad URLs without sending', async () => {
		const items = [0, 1, 2].map((index) => item(index, [receiver.url('/ok'), 'ftp://example.com/x', receiver.url('/fails-once')]));
		const outcomes = await fanOut(items, settings, dependencies(2));
		expect(outcomes.map((outcome) => [outcome.item.itemIndex, outcome.destination.split('/').pop(), outcome.result.delivered])).toEqual([
			[0, 'ok', true],
			[0, 'x', false],
			[0, 'fails-once', true],
			[1, 'ok', true],
			[1, 'x', false],
			[1, 'fails-once', true],
			[2, 'ok', true],
			[2, 'x', false],
			[2, 'fails-once', true],
		]);
		expect(outcomes[1].result).toMatchObject({ attempts: [], failureReason: 'destination refused: only http and https URLs are allowed, not ftp' });
	});

	it('never has more requests in flight than the limit', async () => {
		const before = receiver.requestsTo('/slow').length;
		const deps = dependencies(4);
		const items = Array.from({ length: 12 }, (_, index) => item(index, [receiver.url('/slow'), `${receiver.url('/slow')}?copy=2`]));
		const outcomes = await fanOut(items, settings, deps);
		expect(outcomes.every((outcome) => outcome.result.delivered)).toBe(true);
		expect(receiver.requestsTo('/slow').length - before).toBe(24);
		expect(deps.limiter.peakActive).toBe(4);
		expect(receiver.peakInFlight).toBeLessThanOrEqual(4);
	});

	it("lets other items' deliveries through while one waits to retry", async () => {
		const waiting = await startLocalReceiver({ '/retry-me': sequence(503, 200), '/quick': () => ({ status: 200 }) });
		let releaseWait = () => {};
		const waitReleased = new Promise<void>((resolve) => (releaseWait = resolve));
		// The retry waits until the other two items have been delivered (or 2 s, after which the order check fails).
		const gatedClock: Clock = { now: Date.now, sleep: async () => await waitReleased };
		const safety = setTimeout(releaseWait, 2000);
		try {
			const deps = dependencies(1, gatedClock);
			const run = fanOut(
				[item(0, [waiting.url('/retry-me')]), item(1, [waiting.url('/quick')]), item(2, [waiting.url('/quick')])],
				settings,
				deps,
			);
			while (waiting.requestsTo('/quick').length < 2 && waiting.requests.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
			releaseWait();
			const outcomes = await run;
			expect(outcomes.map((outcome) => outcome.result.delivered)).toEqual([true, true, true]);
			expect(waiting.requests.map((request) => `${request.path}#${String(request.headers['webhook-id'])}`)).toEqual([
				'/retry-me#evt_0',
				'/quick#evt_1',
				'/quick#evt_2',
				'/retry-me#evt_0',
			]);
		} finally {
			clearTimeout(safety);
			await waiting.close();
		}
	});
});
