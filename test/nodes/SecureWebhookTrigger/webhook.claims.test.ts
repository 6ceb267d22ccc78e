import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { CLAIM_SECONDS } from '../../../nodes/SecureWebhookTrigger/requestChecks';
import { closeAllRedis } from '../../../nodes/shared/stores/redisConnection';
import { MemoryReplayStore, RedisReplayStore } from '../../../nodes/shared/stores/replayStore';
import { redisLeftOut, startRedisServer, type RedisServer } from '../../helpers/redisServer';
import { githubDelivery } from '../../helpers/signedRequests';
import { TriggerHarness, type HarnessResult } from '../../helpers/webhookHarness';

const SECRET = 'claims-demo-secret';

const stores = redisLeftOut('event id claims with the redis store') ? (['memory'] as const) : (['memory', 'redis'] as const);

const delivery = (id: string) => githubDelivery(SECRET, id);

const executions = (results: HarnessResult[]) => results.filter((result) => result.workflowData !== undefined && result.status === 200);

/**
 * An accepted event's id is claimed, and confirmed only once n8n has answered (n8n 2.x answers after storing or
 * enqueueing the execution), so that an event is never lost between the trigger and n8n: a delivery of the same id
 * meanwhile is told 409 "retry later"; if n8n fails to take the execution (5xx), the id is released for the retry.
 */
describe.each(stores)('Secure Webhook Trigger: event ids are held until n8n has the execution (%s store)', (store) => {
	const harness = new TriggerHarness({ parameters: { path: 'claims' } });
	let redis: RedisServer | undefined;
	let node = 0;
	const saved = { host: process.env.QUEUE_BULL_REDIS_HOST, port: process.env.QUEUE_BULL_REDIS_PORT };

	const configure = (startExecution?: () => Promise<void>) =>
		harness.configure({
			parameters: { path: 'claims', scheme: 'github', dedupeStore: store },
			credentials: { webhookSigningApi: { secret: SECRET } },
			nodeId: `claims-${store}-${++node}`,
			startExecution,
		});

	beforeAll(async () => {
		if (store === 'redis') {
			redis = await startRedisServer();
			if (!redis) throw new Error('redis-server disappeared');
			process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
			process.env.QUEUE_BULL_REDIS_PORT = String(redis.port);
		}
		await harness.start();
	});

	afterAll(async () => {
		await harness.stop();
		await closeAllRedis();
		await redis?.stop();
		for (const [name, value] of [['QUEUE_BULL_REDIS_HOST', saved.host], ['QUEUE_BULL_REDIS_PORT', saved.port]] as const) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	});

	it('a delivery of the same id while the first is being taken is answered 409 with Retry-After, and starts nothing', async () => {
		configure(() => sleep(400));
		const id = randomUUID();
		const first = harness.send(delivery(id));
		await sleep(100);
		const concurrent = await harness.send(delivery(id));
		expect(concurrent.status).toBe(409);
		expect(concurrent.json).toEqual({ error: 'event is being processed, retry later' });
		expect(concurrent.headers['retry-after']).toBe('5');
		expect(concurrent.workflowData).toBeUndefined();
		expect((await first).status).toBe(200);
		expect((await first).workflowData).toHaveLength(1);
		// Once n8n answered the first, the id is confirmed: the provider's retry is a duplicate.
		const retry = await harness.send(delivery(id));
		expect(retry.status).toBe(200);
		expect(retry.json).toEqual({ status: 'duplicate' });
		expect(retry.workflowData).toBeUndefined();
	});

	it('when n8n cannot take the execution (it answers 500), the id is released and the retry is accepted', async () => {
		configure(async () => {
			throw new Error('queue unavailable');
		});
		const id = randomUUID();
		expect((await harness.send(delivery(id))).status).toBe(500);
		configure();
		const retry = await harness.send(delivery(id));
		expect(retry.status).toBe(200);
		expect(retry.json).toEqual({ status: 'accepted' });
		expect(retry.workflowData).toHaveLength(1);
	});

	it('ten simultaneous deliveries of one event: exactly one execution, the others 409 or duplicate', async () => {
		configure(() => sleep(50));
		const id = randomUUID();
		const results = await Promise.all(Array.from({ length: 10 }, () => harness.send(delivery(id))));
		expect(executions(results)).toHaveLength(1);
		for (const result of results.filter((candidate) => candidate.workflowData === undefined)) {
			expect([409, 200]).toContain(result.status);
			if (result.status === 200) expect(result.json).toEqual({ status: 'duplicate' });
		}
	});

	it('while n8n has not answered (a workflow still running for "When Last Node Finishes"), the claim is renewed', async () => {
		const renew = jest.spyOn(store === 'redis' ? RedisReplayStore.prototype : MemoryReplayStore.prototype, 'renew');
		// Only the renewal timer is faked: sockets, the store and n8n-core keep real time.
		jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'] });
		let finishWorkflow: (() => void) | undefined;
		try {
			let workflowStarted!: () => void;
			const started = new Promise<void>((resolve) => (workflowStarted = resolve));
			configure(
				() =>
					new Promise<void>((resolve) => {
						finishWorkflow = resolve;
						workflowStarted();
					}),
			);
			const id = randomUUID();
			const answer = harness.send(delivery(id));
			await started;
			jest.advanceTimersByTime(CLAIM_SECONDS * 1000);
			expect(renew.mock.calls).toEqual([
				[expect.stringContaining(id), CLAIM_SECONDS],
				[expect.stringContaining(id), CLAIM_SECONDS],
				[expect.stringContaining(id), CLAIM_SECONDS],
			]);
			const concurrent = await harness.send(delivery(id));
			expect(concurrent.status).toBe(409);
			finishWorkflow?.();
			expect((await answer).status).toBe(200);
			jest.advanceTimersByTime(CLAIM_SECONDS * 1000);
			expect(renew).toHaveBeenCalledTimes(3);
			expect((await harness.send(delivery(id))).json).toEqual({ status: 'duplicate' });
		} finally {
			finishWorkflow?.();
			jest.useRealTimers();
			renew.mockRestore();
		}
	});
});
