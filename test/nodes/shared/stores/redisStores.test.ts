import Redis from 'ioredis';
import { RedisTokenBucket, type RateLimitDecision } from '../../../../nodes/shared/stores/rateLimiter';
import {
	closeAllRedis,
	closeRedis,
	getSharedRedis,
	redisOptionsFromCredential,
	StoreUnavailableError,
} from '../../../../nodes/shared/stores/redisConnection';
import { RedisReplayStore, type ReplayStore } from '../../../../nodes/shared/stores/replayStore';

/** What the trigger does with an event n8n takes: claim its id, then confirm it. True when the id was new. */
async function accept(store: ReplayStore, key: string, ttlSeconds: number): Promise<boolean> {
	if ((await store.claim(key, ttlSeconds)) !== 'claimed') return false;
	await store.confirm(key, ttlSeconds);
	return true;
}
import { describeWithRedis, startRedisServer, type RedisServer } from '../../../helpers/redisServer';

async function runningServer(options: { password?: string; port?: number } = {}): Promise<RedisServer> {
	const server = await startRedisServer(options);
	if (server === undefined) throw new Error('redis-server disappeared');
	return server;
}

function newClient(port: number): Redis {
	const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
	client.on('error', () => undefined);
	return client;
}

/** A port that was free a moment ago and has nothing listening on it. */
async function deadPort(): Promise<number> {
	const server = await runningServer();
	await server.stop();
	return server.port;
}

describeWithRedis('Redis stores against a real redis-server', () => {
	let server: RedisServer;
	let clientA: Redis;
	let clientB: Redis;
	let keyspace = 0;
	// A fresh prefix per test keeps tests independent without FLUSHALL.
	const freshPrefix = () => `test${++keyspace}:`;

	beforeAll(async () => {
		server = await runningServer();
		clientA = newClient(server.port);
		clientB = newClient(server.port);
	});

	afterAll(async () => {
		await closeAllRedis();
		await Promise.all([clientA, clientB].filter(Boolean).map(closeRedis));
		await server?.stop();
	});

	describe('RedisReplayStore', () => {
		it('claims an id once; in progress until confirmed, then a duplicate; a released claim is free again', async () => {
			const store = new RedisReplayStore(clientA, freshPrefix());
			expect(await store.claim('evt', 300)).toBe('claimed');
			expect(await store.claim('evt', 300)).toBe('in_progress');
			await store.release('evt');
			expect(await store.claim('evt', 300)).toBe('claimed');
			await store.confirm('evt', 86400);
			expect(await store.claim('evt', 300)).toBe('duplicate');
			await store.release('evt');
			expect(await store.claim('evt', 300)).toBe('duplicate');
		});

		it('an id stored by an earlier version ("1") counts as taken', async () => {
			const prefix = freshPrefix();
			await clientA.set(`${prefix}evt`, '1', 'EX', 60);
			expect(await new RedisReplayStore(clientA, prefix).claim('evt', 300)).toBe('duplicate');
		});

		it('a claim expires after the claim time; confirm sets the full window', async () => {
			const prefix = freshPrefix();
			const store = new RedisReplayStore(clientA, prefix);
			await store.claim('evt', 300);
			const claimTtl = await clientA.ttl(`${prefix}evt`);
			expect(claimTtl).toBeGreaterThan(295);
			expect(claimTtl).toBeLessThanOrEqual(300);
			await store.confirm('evt', 86400);
			expect(await clientA.ttl(`${prefix}evt`)).toBeGreaterThan(86000);
		});

		it('renew resets a held claim\'s expiry; it leaves confirmed and released ids as they are', async () => {
			const prefix = freshPrefix();
			const store = new RedisReplayStore(clientA, prefix);
			await store.claim('held', 300);
			await clientA.expire(`${prefix}held`, 10);
			await store.renew('held', 300);
			expect(await clientA.ttl(`${prefix}held`)).toBeGreaterThan(295);
			expect(await clientA.get(`${prefix}held`)).toBe('claimed');
			await store.claim('confirmed', 300);
			await store.confirm('confirmed', 86400);
			await store.renew('confirmed', 300);
			expect(await clientA.ttl(`${prefix}confirmed`)).toBeGreaterThan(86000);
			await store.claim('released', 300);
			await store.release('released');
			await store.renew('released', 300);
			expect(await clientA.exists(`${prefix}released`)).toBe(0);
		});

		it('remembers a key once and answers false while it lives', async () => {
			const store = new RedisReplayStore(clientA, freshPrefix());
			expect(await accept(store, 'evt_1', 60)).toBe(true);
			expect(await accept(store, 'evt_1', 60)).toBe(false);
			expect(await accept(store, 'evt_2', 60)).toBe(true);
		});

		it('stores the key under its prefix with the requested TTL', async () => {
			const prefix = freshPrefix();
			await accept(new RedisReplayStore(clientA, prefix), 'evt', 120.5);
			const ttl = await clientA.ttl(`${prefix}evt`);
			expect(ttl).toBeGreaterThan(115);
			expect(ttl).toBeLessThanOrEqual(121);
		});

		it('forgets a key after its TTL', async () => {
			const store = new RedisReplayStore(clientA, freshPrefix());
			expect(await accept(store, 'short-lived', 1)).toBe(true);
			expect(await accept(store, 'short-lived', 1)).toBe(false);
			await new Promise((resolve) => setTimeout(resolve, 1_200));
			expect(await accept(store, 'short-lived', 1)).toBe(true);
		});

		it('lets exactly one of two processes racing for a key claim it', async () => {
			const prefix = freshPrefix();
			const storeA = new RedisReplayStore(clientA, prefix);
			const storeB = new RedisReplayStore(clientB, prefix);
			const keys = Array.from({ length: 50 }, (_, i) => `evt_${i}`);
			const results = await Promise.all(
				keys.flatMap((key) => [
					storeA.claim(key, 60).then((outcome) => ({ key, isNew: outcome === 'claimed' })),
					storeB.claim(key, 60).then((outcome) => ({ key, isNew: outcome === 'claimed' })),
				]),
			);
			expect(results.filter((result) => result.isNew)).toHaveLength(50);
			for (const key of keys) {
				expect(results.filter((result) => result.key === key && result.isNew)).toHaveLength(1);
			}
		});

		it('keeps prefixes apart', async () => {
			expect(await accept(new RedisReplayStore(clientA, freshPrefix()), 'evt', 60)).toBe(true);
			expect(await accept(new RedisReplayStore(clientA, freshPrefix()), 'evt', 60)).toBe(true);
		});

		it('stores very long keys by their hash', async () => {
			const prefix = freshPrefix();
			const store = new RedisReplayStore(clientA, prefix);
			const long = 'k'.repeat(50_000);
			expect(await accept(store, long, 60)).toBe(true);
			expect(await accept(store, long, 60)).toBe(false);
			const stored = await clientA.keys(`${prefix}*`);
			expect(stored).toHaveLength(1);
			expect(stored[0].length).toBeLessThan(prefix.length + 80);
		});
	});

	describe('RedisTokenBucket', () => {
		it('limits the total of two processes sharing one bucket', async () => {
			const prefix = freshPrefix();
			// A slow refill, so no token comes back while the test runs.
			const bucketA = new RedisTokenBucket(clientA, prefix, 0.001, 5);
			const bucketB = new RedisTokenBucket(clientB, prefix, 0.001, 5);
			const decisions = await Promise.all(
				Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? bucketA : bucketB).take('203.0.113.7')),
			);
			expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
			const refused = decisions.filter(
				(decision): decision is Extract<RateLimitDecision, { allowed: false }> => !decision.allowed,
			);
			expect(refused).toHaveLength(15);
			// About 1000 s for one token at 0.001/s.
			for (const decision of refused) expect(decision.retryAfterSeconds).toBeGreaterThan(990);
		});

		it('keeps a bucket per key', async () => {
			const prefix = freshPrefix();
			const bucket = new RedisTokenBucket(clientA, prefix, 0.001, 2);
			const takes = async (key: string) => {
				let allowed = 0;
				for (let i = 0; i < 4; i++) if ((await bucket.take(key)).allowed) allowed++;
				return allowed;
			};
			expect(await takes('a')).toBe(2);
			expect(await takes('b')).toBe(2);
		});

		it('refills at the given rate by Redis time', async () => {
			const bucket = new RedisTokenBucket(clientA, freshPrefix(), 10, 1);
			expect(await bucket.take('c')).toEqual({ allowed: true });
			expect(await bucket.take('c')).toEqual({ allowed: false, retryAfterSeconds: 1 });
			// One token takes 100 ms at 10/s; wait with a wide margin.
			await new Promise((resolve) => setTimeout(resolve, 250));
			expect(await bucket.take('c')).toEqual({ allowed: true });
		});

		it('rounds Retry-After up from the time one token takes', async () => {
			const bucket = new RedisTokenBucket(clientA, freshPrefix(), 0.25, 1);
			expect(await bucket.take('c')).toEqual({ allowed: true });
			expect(await bucket.take('c')).toEqual({ allowed: false, retryAfterSeconds: 4 });
		});

		it('lets its keys expire once the bucket would be full again', async () => {
			const prefix = freshPrefix();
			await new RedisTokenBucket(clientA, prefix, 2, 10).take('c');
			const ttlMs = await clientA.pttl(`${prefix}c`);
			// 10 tokens at 2/s refill in 5 s, plus a 1 s margin.
			expect(ttlMs).toBeGreaterThan(5_000);
			expect(ttlMs).toBeLessThanOrEqual(6_000);
		});

		it('writes nothing for a refused request', async () => {
			const prefix = freshPrefix();
			const bucket = new RedisTokenBucket(clientA, prefix, 0.001, 1);
			await bucket.take('c');
			const before = await clientA.hgetall(`${prefix}c`);
			await bucket.take('c');
			expect(await clientA.hgetall(`${prefix}c`)).toEqual(before);
		});

		it('loads its script again after SCRIPT FLUSH', async () => {
			const bucket = new RedisTokenBucket(clientA, freshPrefix(), 0.001, 1);
			expect((await bucket.take('c')).allowed).toBe(true);
			await clientA.script('FLUSH');
			expect((await bucket.take('c')).allowed).toBe(false);
			expect((await bucket.take('d')).allowed).toBe(true);
		});
	});

	describe('getSharedRedis', () => {
		it('returns one client per distinct connection, usable at once while it is still connecting', async () => {
			const shared = getSharedRedis({ host: '127.0.0.1', port: server.port });
			expect(getSharedRedis({ host: '127.0.0.1', port: server.port })).toBe(shared);
			expect(getSharedRedis({ host: '127.0.0.1', port: server.port, db: 1 })).not.toBe(shared);
			expect(await accept(new RedisReplayStore(shared, freshPrefix()), 'evt', 60)).toBe(true);
		});

		it('gives a new client after closeAllRedis', async () => {
			const before = getSharedRedis({ host: '127.0.0.1', port: server.port });
			await closeAllRedis();
			const after = getSharedRedis({ host: '127.0.0.1', port: server.port });
			expect(after).not.toBe(before);
			expect(await accept(new RedisReplayStore(after, freshPrefix()), 'evt', 60)).toBe(true);
		});
	});
});

describeWithRedis('Redis stores when Redis is unavailable', () => {
	afterEach(async () => {
		await closeAllRedis();
	});

	it('throw StoreUnavailableError when nothing listens', async () => {
		const redis = getSharedRedis({ host: '127.0.0.1', port: await deadPort(), password: 'hunter2-secret' });
		const replay = new RedisReplayStore(redis);
		const error = await accept(replay, 'evt', 60).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(StoreUnavailableError);
		expect((error as StoreUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
		expect((error as Error).message).not.toContain('hunter2');
		await expect(new RedisTokenBucket(redis, 'rate:', 1, 1).take('c')).rejects.toBeInstanceOf(StoreUnavailableError);
	});

	it('throw StoreUnavailableError for an error reply', async () => {
		const server = await runningServer();
		try {
			const redis = getSharedRedis({ host: '127.0.0.1', port: server.port });
			const setup = newClient(server.port);
			await setup.set('reply-error:c', 'not a hash');
			await closeRedis(setup);
			const error = await new RedisTokenBucket(redis, 'reply-error:', 1, 1).take('c').catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(StoreUnavailableError);
			expect(String((error as StoreUnavailableError).cause)).toContain('WRONGTYPE');
		} finally {
			await closeAllRedis();
			await server.stop();
		}
	});

	it('throw StoreUnavailableError instead of waiting when Redis stops answering', async () => {
		const server = await runningServer();
		const admin = newClient(server.port);
		try {
			const redis = getSharedRedis({ host: '127.0.0.1', port: server.port });
			const replay = new RedisReplayStore(redis, 'paused:');
			expect(await accept(replay, 'before', 60)).toBe(true);
			// Redis holds every client's writes for 4 s; the store's command timeout is 2 s.
			await admin.call('CLIENT', 'PAUSE', '4000', 'WRITE');
			const error = await accept(replay, 'during', 60).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(StoreUnavailableError);
			expect(String((error as StoreUnavailableError).cause)).toContain('timed out');
		} finally {
			await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
			await closeRedis(admin);
			await closeAllRedis();
			await server.stop();
		}
	});

	it('throw StoreUnavailableError once the server has stopped, and work again after it is back', async () => {
		const server = await runningServer();
		let restarted: RedisServer | undefined;
		try {
			const redis = getSharedRedis({ host: '127.0.0.1', port: server.port });
			const replay = new RedisReplayStore(redis, 'outage:');
			const bucket = new RedisTokenBucket(redis, 'outage-rate:', 100, 100);
			expect(await accept(replay, 'before', 60)).toBe(true);
			expect((await bucket.take('c')).allowed).toBe(true);

			await server.stop();
			await expect(accept(replay, 'during', 60)).rejects.toBeInstanceOf(StoreUnavailableError);
			await expect(bucket.take('c')).rejects.toBeInstanceOf(StoreUnavailableError);

			// The pooled client reconnects on its own once Redis is back (an empty Redis: no persistence).
			restarted = await runningServer({ port: server.port });
			let answer: boolean | undefined;
			for (let attempt = 0; attempt < 50 && answer === undefined; attempt++) {
				answer = await accept(replay, 'after', 60).catch(() => undefined);
				if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
			}
			expect(answer).toBe(true);
			expect(redis).toBe(getSharedRedis({ host: '127.0.0.1', port: server.port }));
		} finally {
			await server.stop();
			await restarted?.stop();
		}
	});

	it('throw StoreUnavailableError when the password is wrong, and work with the right one (Redis credential)', async () => {
		const server = await runningServer({ password: 'correct horse' });
		try {
			const wrong = getSharedRedis(redisOptionsFromCredential({ host: '127.0.0.1', port: server.port, password: 'nope' }));
			await expect(accept(new RedisReplayStore(wrong), 'evt', 60)).rejects.toBeInstanceOf(StoreUnavailableError);

			const right = getSharedRedis(
				redisOptionsFromCredential({ host: '127.0.0.1', port: server.port, password: 'correct horse', database: 2 }),
			);
			expect(await accept(new RedisReplayStore(right, 'cred:'), 'evt', 60)).toBe(true);
			const check = new Redis({ host: '127.0.0.1', port: server.port, password: 'correct horse', db: 2 });
			try {
				expect(await check.exists('cred:evt')).toBe(1);
			} finally {
				await closeRedis(check);
			}
		} finally {
			await closeAllRedis();
			await server.stop();
		}
	});
});
