import Redis from 'ioredis';

import { ConcurrencyLimiter } from '../../../nodes/SignedWebhook/concurrencyLimiter';
import { systemClock, type Clock, type DeliveryDependencies, type DeliveryPolicy } from '../../../nodes/SignedWebhook/deliver';
import { resumeOutbox, sendItems, type RunSettings } from '../../../nodes/SignedWebhook/deliveryRun';
import { BATCH_ID_HEADER, outgoingItem, singleDelivery, type OutgoingItem } from '../../../nodes/SignedWebhook/fanOut';
import { createConnectionPool, sendAttempt, type ConnectionPool } from '../../../nodes/SignedWebhook/httpAttempt';
import { toOutboxDelivery, toOutboxOutcome, toOutboxProgress } from '../../../nodes/SignedWebhook/outboxRecord';
import { RedisOutbox } from '../../../nodes/SignedWebhook/redisOutbox';
import { SCHEMES } from '../../../nodes/shared/schemes/registry';
import { closeAllRedis, getSharedRedis } from '../../../nodes/shared/stores/redisConnection';
import { describeWithRedis, startRedisServer, type RedisServer } from '../../helpers/redisServer';
import { sequence, startLocalReceiver, type LocalReceiver, type ReceivedRequest } from './localReceiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const HOUR_MS = 3_600_000;

interface Envelope {
	id: string;
	type?: string;
	data: unknown;
}

function verified(request: ReceivedRequest): { ok: boolean; id?: string } {
	return SCHEMES.standardWebhooks.verify(
		{ method: 'POST', rawBody: request.body, headers: request.headers, url: request.path },
		{ secret: SECRET },
		{ toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000) },
	) as { ok: boolean; id?: string };
}

function eventsIn(request: ReceivedRequest): Envelope[] {
	const text = request.body.toString('utf8');
	if (String(request.headers['content-type']).startsWith('application/x-ndjson')) {
		return text
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => JSON.parse(line) as Envelope);
	}
	const parsed = JSON.parse(text) as Envelope[] | { batchId: string; events: Envelope[] };
	return Array.isArray(parsed) ? parsed : parsed.events;
}

function items(count: number, destinations: string[], customHeaders: (index: number) => Record<string, string> = () => ({})): OutgoingItem[] {
	return Array.from({ length: count }, (_, index) =>
		outgoingItem(
			index,
			{
				destinations,
				payload: { value: { n: index }, body: Buffer.from(JSON.stringify({ n: index })) },
				eventType: 'order.created',
				eventId: `evt_${index}`,
				customHeaders: customHeaders(index),
			},
			{ contentType: 'application/json', signing: { scheme: 'standardWebhooks' } },
		),
	);
}

const policy: DeliveryPolicy = { schedule: { kind: 'explicit', delaysMs: [5, 5] }, retryAfterMaxMs: 1000, timeBudgetMs: 0, timeoutMs: 2000 };

describe('sendItems with batching', () => {
	let receiver: LocalReceiver;
	let pool: ConnectionPool;
	const failedOnce = new Set<string>();

	beforeAll(async () => {
		receiver = await startLocalReceiver({
			'/a': () => ({ status: 200 }),
			'/b': () => ({ status: 202 }),
			// Fails every batch's first attempt.
			'/flaky': (request) => {
				const id = String(request.headers[BATCH_ID_HEADER]);
				if (failedOnce.has(id)) return { status: 200 };
				failedOnce.add(id);
				return { status: 503 };
			},
			'/rejects': () => ({ status: 422 }),
		});
		pool = createConnectionPool(10);
	});

	afterAll(async () => {
		pool.destroy();
		await receiver.close();
	});

	function dependencies(clock: Clock = systemClock): DeliveryDependencies {
		return {
			send: async (request) => await sendAttempt({ ...request, maxResponseBytes: 1024, maxRedirects: 0, refuseNonPublic: false, pool }),
			limiter: new ConcurrencyLimiter(4),
			clock,
			random: () => 0,
		};
	}

	function settings(batching: RunSettings['batching']): RunSettings {
		return { method: 'POST', signing: { scheme: 'standardWebhooks', key: SECRET }, policy, refuseNonPublic: false, batching };
	}

	const newRequests = (path: string, before: number) => receiver.requestsTo(path).slice(before);

	it('sends 250 items to two URLs as batches of at most 100 per URL, each signed once with its batch id, every event once', async () => {
		const before = { a: receiver.requestsTo('/a').length, b: receiver.requestsTo('/b').length };
		const outcomes = await sendItems(
			items(250, [receiver.url('/a'), receiver.url('/b')]),
			settings({ limits: { maxItems: 100, maxBytes: 1_000_000, lingerMs: 0 }, format: 'eventsObject' }),
			dependencies(),
			{ warn: () => undefined },
		);
		for (const [path, count] of [['/a', before.a], ['/b', before.b]] as const) {
			// Batches travel in parallel: compare what arrived, not in which order.
			const requests = newRequests(path, count);
			expect(requests.map((request) => eventsIn(request).length).sort()).toEqual([100, 100, 50]);
			const ids = requests.flatMap((request) => eventsIn(request).map((event) => Number(event.id.slice(4))));
			expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 250 }, (_, index) => index));
			for (const request of requests) {
				const batchId = String(request.headers[BATCH_ID_HEADER]);
				expect(verified(request)).toMatchObject({ ok: true, id: batchId });
				expect((JSON.parse(request.body.toString()) as { batchId: string }).batchId).toBe(batchId);
				expect(request.headers['x-event-id']).toBe(batchId);
				expect(eventsIn(request)[0]).toMatchObject({ type: 'order.created' });
			}
		}
		// One outcome per item and URL, in input order, each carrying its batch.
		expect(outcomes).toHaveLength(500);
		expect(outcomes.slice(0, 4).map((outcome) => [outcome.item.eventId, outcome.destination.slice(-2), outcome.batch?.size])).toEqual([
			['evt_0', '/a', 100],
			['evt_0', '/b', 100],
			['evt_1', '/a', 100],
			['evt_1', '/b', 100],
		]);
		expect(new Set(outcomes.map((outcome) => outcome.batch?.id)).size).toBe(6);
		expect(outcomes.every((outcome) => outcome.result.delivered)).toBe(true);
	});

	it('retries a failed batch as a whole: the same batch id and the same bytes, every item marked with the batch', async () => {
		const before = receiver.requestsTo('/flaky').length;
		const outcomes = await sendItems(
			items(30, [receiver.url('/flaky')]),
			settings({ limits: { maxItems: 10, maxBytes: 1_000_000, lingerMs: 0 }, format: 'ndjson' }),
			dependencies(),
			{ warn: () => undefined },
		);
		const requests = newRequests('/flaky', before);
		expect(requests).toHaveLength(6);
		const byBatch = new Map<string, ReceivedRequest[]>();
		for (const request of requests) byBatch.set(String(request.headers[BATCH_ID_HEADER]), [...(byBatch.get(String(request.headers[BATCH_ID_HEADER])) ?? []), request]);
		expect([...byBatch.values()].map((attempts) => attempts.length)).toEqual([2, 2, 2]);
		for (const [first, second] of byBatch.values()) {
			expect(second.body.equals(first.body)).toBe(true);
			expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
			expect(verified(second).ok).toBe(true);
		}
		expect(outcomes.map((outcome) => outcome.result.attempts.length)).toEqual(Array(30).fill(2));
		expect(outcomes.every((outcome) => outcome.result.delivered && outcome.batch?.size === 10)).toBe(true);
	});

	it('sends a failed batch to Dead letter item by item, each with its own event id and the batch id', async () => {
		const outcomes = await sendItems(
			items(3, [receiver.url('/rejects')]),
			settings({ limits: { maxItems: 10, maxBytes: 1_000_000, lingerMs: 0 }, format: 'jsonArray' }),
			dependencies(),
			{ warn: () => undefined },
		);
		expect(outcomes.map((outcome) => [outcome.item.eventId, outcome.result.delivered, outcome.result.failureReason])).toEqual([
			['evt_0', false, 'HTTP 422 is not retried'],
			['evt_1', false, 'HTTP 422 is not retried'],
			['evt_2', false, 'HTTP 422 is not retried'],
		]);
		expect(new Set(outcomes.map((outcome) => outcome.batch?.id)).size).toBe(1);
	});

	it('never puts items with different custom headers into the same batch', async () => {
		const before = receiver.requestsTo('/a').length;
		await sendItems(
			items(6, [receiver.url('/a')], (index) => ({ 'x-tenant': index % 2 === 0 ? 'even' : 'odd' })),
			settings({ limits: { maxItems: 10, maxBytes: 1_000_000, lingerMs: 0 }, format: 'jsonArray' }),
			dependencies(),
			{ warn: () => undefined },
		);
		const requests = newRequests('/a', before);
		expect(requests.map((request) => [request.headers['x-tenant'], eventsIn(request).map((event) => event.id)])).toEqual([
			['even', ['evt_0', 'evt_2', 'evt_4']],
			['odd', ['evt_1', 'evt_3', 'evt_5']],
		]);
	});

	it('with linger, sends a partial batch once it has waited that long while the input is still being prepared', async () => {
		// Each reading of the clock moves it 10 ms: by the time the second slice of 50 items is prepared, the first
		// batch has lingered long enough.
		let now = 0;
		const clock: Clock = { now: () => (now += 10), sleep: async () => undefined };
		const before = receiver.requestsTo('/b').length;
		await sendItems(
			items(120, [receiver.url('/b')]),
			settings({ limits: { maxItems: 1000, maxBytes: 1_000_000, lingerMs: 200 }, format: 'jsonArray' }),
			dependencies(clock),
			{ warn: () => undefined },
		);
		const sizes = newRequests('/b', before).map((request) => eventsIn(request).length);
		expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(120);
		expect(sizes.length).toBeGreaterThan(1);

		const patient = receiver.requestsTo('/b').length;
		await sendItems(
			items(120, [receiver.url('/b')]),
			settings({ limits: { maxItems: 1000, maxBytes: 1_000_000, lingerMs: 0 }, format: 'jsonArray' }),
			dependencies(clock),
			{ warn: () => undefined },
		);
		expect(newRequests('/b', patient).map((request) => eventsIn(request).length)).toEqual([120]);
	});
});

describeWithRedis('durable delivery through the Redis outbox', () => {
	let server: RedisServer;
	let redis: Redis;
	let receiver: LocalReceiver;
	let pool: ConnectionPool;
	let scopes = 0;

	beforeAll(async () => {
		server = await startRedisServer();
		redis = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1 });
		receiver = await startLocalReceiver({
			'/ok': () => ({ status: 200 }),
			'/second-try': sequence(503, 200),
			'/fresh': () => ({ status: 201 }),
		});
		pool = createConnectionPool(10);
	});

	afterAll(async () => {
		pool.destroy();
		await receiver.close();
		redis.disconnect();
		await closeAllRedis();
		await server.stop();
	});

	function dependencies(clock: Clock = systemClock, signal?: AbortSignal): DeliveryDependencies {
		return {
			send: async (request) => await sendAttempt({ ...request, maxResponseBytes: 1024, maxRedirects: 0, refuseNonPublic: false, pool }),
			limiter: new ConcurrencyLimiter(4),
			clock,
			random: () => 0,
			signal,
		};
	}

	function durableSettings(outbox: RedisOutbox, leaseMs = HOUR_MS, key = SECRET): RunSettings & { durability: NonNullable<RunSettings['durability']> } {
		return {
			method: 'POST',
			signing: { scheme: 'standardWebhooks', key },
			policy: { ...policy, schedule: { kind: 'explicit', delaysMs: [60_000] } },
			refuseNonPublic: false,
			durability: { outbox, leaseMs, executionId: 'exec-1' },
		};
	}

	it('keeps nothing in the outbox once every delivery has ended', async () => {
		const outbox = new RedisOutbox(redis, `scope-${++scopes}`);
		const outcomes = await sendItems(items(5, [receiver.url('/ok')]), durableSettings(outbox), dependencies(), { warn: () => undefined });
		expect(outcomes.every((outcome) => outcome.result.delivered)).toBe(true);
		expect(await outbox.jobIds()).toEqual([]);
	});

	it('stopped while waiting to retry, a delivery stays in the outbox and a resume run continues it with the same id and attempt count', async () => {
		const outbox = new RedisOutbox(redis, `scope-${++scopes}`);
		const controller = new AbortController();
		// The execution is stopped while the retry waits (as on n8n's shutdown of a worker).
		const stoppingClock: Clock = {
			now: Date.now,
			sleep: async () => {
				controller.abort();
				throw new Error('aborted');
			},
		};
		const before = receiver.requestsTo('/second-try').length;
		const stopped = await sendItems(items(1, [receiver.url('/second-try')]), durableSettings(outbox), dependencies(stoppingClock, controller.signal), {
			warn: () => undefined,
		});
		expect(stopped).toEqual([]);
		expect(await outbox.jobIds()).toHaveLength(1);

		// The resume run does not wait for the recorded minute: its clock has moved on.
		const later: Clock = { now: () => Date.now() + 61_000, sleep: async () => undefined };
		const resumed = await resumeOutbox(durableSettings(outbox), SECRET, dependencies(later), { warn: () => undefined });
		expect(resumed).toHaveLength(1);
		expect(resumed[0]).toMatchObject({ resumed: { executionId: 'exec-1' }, destination: receiver.url('/second-try'), item: { eventId: 'evt_0' } });
		expect(resumed[0].result.delivered).toBe(true);
		expect(resumed[0].result.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
			[1, 503],
			[2, 200],
		]);
		const requests = receiver.requestsTo('/second-try').slice(before);
		expect(requests.map((request) => request.headers['webhook-id'])).toEqual(['evt_0', 'evt_0']);
		expect(requests.every((request) => verified(request).ok)).toBe(true);
		expect(await outbox.jobIds()).toEqual([]);
	});

	it('takes over what a dead run left: reports finished deliveries without sending them again, continues the rest', async () => {
		const outbox = new RedisOutbox(redis, `scope-${++scopes}`);
		const [done, pending] = items(2, [receiver.url('/fresh')]);
		const signing = { scheme: 'standardWebhooks' as const, key: SECRET };
		const record = (item: OutgoingItem) =>
			toOutboxDelivery(singleDelivery(item, new URL(receiver.url('/fresh'))), { method: 'POST', destination: receiver.url('/fresh'), signing, policy, executionId: 'dead-exec' });
		// What a process SIGKILLed mid-run leaves: a lease that has run out, one delivery ended, one waiting to retry.
		await outbox.createJob('dead-job', 'dead-run', 0);
		await outbox.putDelivery('dead-job', 'dead-run', 0, record(done));
		await outbox.putDelivery('dead-job', 'dead-run', 1, record(pending));
		await outbox.putProgress(
			'dead-job',
			'dead-run',
			0,
			toOutboxOutcome({ delivered: true, attempts: [{ attempt: 1, startedAt: new Date().toISOString(), durationMs: 2, status: 201 }], totalTimeMs: 2, sentHeaders: {} }, []),
		);
		await outbox.putProgress(
			'dead-job',
			'dead-run',
			1,
			toOutboxProgress({ attempts: [{ attempt: 1, startedAt: new Date().toISOString(), durationMs: 2, error: 'ECONNRESET' }], nextAttemptAtMs: Date.now(), sentHeaders: {} }, []),
		);

		const before = receiver.requestsTo('/fresh').length;
		const outcomes = await resumeOutbox(durableSettings(outbox), SECRET, dependencies(), { warn: () => undefined });
		expect(outcomes.map((outcome) => [outcome.item.eventId, outcome.result.delivered, outcome.result.attempts.length, outcome.resumed])).toEqual([
			['evt_0', true, 1, { executionId: 'dead-exec' }],
			['evt_1', true, 2, { executionId: 'dead-exec' }],
		]);
		expect(receiver.requestsTo('/fresh').slice(before).map((request) => request.headers['webhook-id'])).toEqual(['evt_1']);
		expect(await outbox.jobIds()).toEqual([]);
	});

	it('leaves a live run alone: a resume run takes over nothing while the lease lasts', async () => {
		const outbox = new RedisOutbox(redis, `scope-${++scopes}`);
		await outbox.createJob('live-job', 'live-run', HOUR_MS);
		expect(await resumeOutbox(durableSettings(outbox), SECRET, dependencies(), { warn: () => undefined })).toEqual([]);
		expect(await outbox.jobIds()).toEqual(['live-job']);
	});

	it('sends nothing it cannot unseal: a changed credential ends the delivery in Dead letter, saying why', async () => {
		const outbox = new RedisOutbox(redis, `scope-${++scopes}`);
		const [item] = items(1, [receiver.url('/fresh')]);
		await outbox.createJob('sealed-job', 'dead-run', 0);
		await outbox.putDelivery(
			'sealed-job',
			'dead-run',
			0,
			toOutboxDelivery(singleDelivery(item, new URL(receiver.url('/fresh'))), {
				method: 'POST',
				destination: receiver.url('/fresh'),
				signing: { scheme: 'standardWebhooks', key: 'whsec_the_old_secret' },
				policy,
			}),
		);
		const before = receiver.requests.length;
		const [outcome] = await resumeOutbox(durableSettings(outbox), SECRET, dependencies(), { warn: () => undefined });
		expect(outcome.result).toMatchObject({
			delivered: false,
			failureReason: 'cannot continue: the outbox entry was sealed with another secret than the credential now has',
		});
		expect(receiver.requests.length).toBe(before);
		expect(await outbox.jobIds()).toEqual([]);
	});

	it('sends nothing when Redis cannot be reached', async () => {
		const stopped = await startRedisServer();
		if (!stopped) throw new Error('redis-server disappeared');
		await stopped.stop();
		const unreachable = getSharedRedis({ host: '127.0.0.1', port: stopped.port });
		const before = receiver.requests.length;
		await expect(
			sendItems(items(2, [receiver.url('/ok')]), durableSettings(new RedisOutbox(unreachable, 'nowhere')), dependencies(), { warn: () => undefined }),
		).rejects.toThrow('Redis store unavailable');
		expect(receiver.requests.length).toBe(before);
	});
});
