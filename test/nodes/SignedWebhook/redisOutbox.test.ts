import Redis from 'ioredis';

import type { OutboxDelivery, OutboxProgress } from '../../../nodes/SignedWebhook/outboxRecord';
import { RedisOutbox } from '../../../nodes/SignedWebhook/redisOutbox';
import { describeWithRedis, startRedisServer, type RedisServer } from '../../helpers/redisServer';

const HOUR_MS = 3_600_000;

function delivery(requestId: string): OutboxDelivery {
	return {
		v: 1,
		method: 'POST',
		destination: 'https://hooks.example.com/in',
		requestId,
		items: [{ eventId: requestId, eventType: 'order.created', payload: { n: 1 } }],
		body: Buffer.from('{"n":1}').toString('base64'),
		headers: { 'content-type': 'application/json' },
		open: { url: 'https://hooks.example.com/in', customHeaders: {} },
		signing: { scheme: 'none' },
		policy: { schedule: { kind: 'explicit', delaysMs: [1000] }, retryAfterMaxMs: 0, timeBudgetMs: 0, timeoutMs: 1000 },
	};
}

const progress = (attempts: number): OutboxProgress => ({
	attempts: Array.from({ length: attempts }, (_, index) => ({ attempt: index + 1, startedAt: '2025-06-01T12:00:00.000Z', durationMs: 1, status: 503 })),
	sentHeaders: {},
});

describeWithRedis('RedisOutbox against a real redis-server', () => {
	let server: RedisServer;
	let redis: Redis;
	let scopes = 0;
	const outbox = () => new RedisOutbox(redis, `wf-${++scopes}:node`);

	beforeAll(async () => {
		server = await startRedisServer();
		redis = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1 });
	});

	afterAll(async () => {
		redis.disconnect();
		await server.stop();
	});

	it('stores a job\'s deliveries and their progress, and gives them back in order', async () => {
		const box = outbox();
		await box.createJob('job-1', 'run-a', HOUR_MS);
		expect(await box.putDelivery('job-1', 'run-a', 1, delivery('evt_b'))).toBe(true);
		expect(await box.putDelivery('job-1', 'run-a', 0, delivery('evt_a'))).toBe(true);
		expect(await box.putProgress('job-1', 'run-a', 0, progress(1))).toBe(true);
		expect(await box.putProgress('job-1', 'run-a', 0, progress(2))).toBe(true);
		const job = await box.load('job-1');
		expect(job.deliveries.map((entry) => [entry.index, entry.delivery.requestId, entry.progress?.attempts.length])).toEqual([
			[0, 'evt_a', 2],
			[1, 'evt_b', undefined],
		]);
		expect(await box.complete('job-1', 'run-a')).toBe(true);
		expect(await box.jobIds()).toEqual([]);
		expect((await box.load('job-1')).deliveries).toEqual([]);
	});

	it('does not let anyone take over a job while its lease lasts', async () => {
		const box = outbox();
		await box.createJob('job-live', 'run-a', HOUR_MS);
		expect(await box.takeOver('run-b', HOUR_MS, 10)).toEqual([]);
		expect(await box.renew(['job-live'], 'run-a', HOUR_MS)).toBe(1);
	});

	it('hands a job whose lease ran out to exactly one new owner; the old owner can no longer write, finish or renew it', async () => {
		const box = outbox();
		await box.createJob('job-dead', 'run-a', 0);
		await box.putDelivery('job-dead', 'run-a', 0, delivery('evt_1'));
		// A lease of 0 ms has run out at once: two resume runs race for the job.
		const [takenByB, takenByC] = await Promise.all([box.takeOver('run-b', HOUR_MS, 10), box.takeOver('run-c', HOUR_MS, 10)]);
		expect([...takenByB, ...takenByC]).toEqual(['job-dead']);
		const newOwner = takenByB.length === 1 ? 'run-b' : 'run-c';

		expect(await box.putProgress('job-dead', 'run-a', 0, progress(5))).toBe(false);
		expect(await box.complete('job-dead', 'run-a')).toBe(false);
		expect(await box.renew(['job-dead'], 'run-a', HOUR_MS)).toBe(0);
		expect((await box.load('job-dead')).deliveries[0].progress).toBeUndefined();

		expect(await box.putProgress('job-dead', newOwner, 0, progress(2))).toBe(true);
		expect(await box.complete('job-dead', newOwner)).toBe(true);
		expect(await box.jobIds()).toEqual([]);
	});

	it('makes a released job available at once, and takes over no more jobs per call than asked', async () => {
		const box = outbox();
		for (const id of ['j1', 'j2', 'j3']) await box.createJob(id, 'run-a', HOUR_MS);
		for (const id of ['j1', 'j2', 'j3']) expect(await box.release(id, 'run-a')).toBe(true);
		expect(await box.release('j1', 'someone-else')).toBe(false);
		const first = await box.takeOver('run-b', HOUR_MS, 2);
		expect(first).toHaveLength(2);
		const second = await box.takeOver('run-b', HOUR_MS, 2);
		expect([...first, ...second].sort()).toEqual(['j1', 'j2', 'j3']);
	});

	it('drops a lease whose job has expired from Redis instead of handing it out', async () => {
		const box = outbox();
		await box.createJob('gone', 'run-a', 0);
		await redis.del(`n8n-ai-webhooks:outbox:{wf-${scopes}:node}:job:gone`);
		expect(await box.takeOver('run-b', HOUR_MS, 10)).toEqual([]);
		expect(await box.jobIds()).toEqual([]);
	});

	it('keeps one outbox per workflow and node', async () => {
		const first = outbox();
		const second = outbox();
		await first.createJob('job', 'run-a', 0);
		expect(await second.takeOver('run-b', HOUR_MS, 10)).toEqual([]);
		expect(await first.takeOver('run-b', HOUR_MS, 10)).toEqual(['job']);
	});
});
