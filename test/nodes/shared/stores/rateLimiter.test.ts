import { MemoryTokenBucket, type RateLimitDecision } from '../../../../nodes/shared/stores/rateLimiter';

function manualClock(startMs = 1_700_000_000_000) {
	let now = startMs;
	return {
		clock: () => now,
		advance: (ms: number) => {
			now += ms;
		},
	};
}

async function takeMany(bucket: MemoryTokenBucket, key: string, count: number): Promise<RateLimitDecision[]> {
	const decisions: RateLimitDecision[] = [];
	for (let i = 0; i < count; i++) decisions.push(await bucket.take(key));
	return decisions;
}

const allowedCount = (decisions: RateLimitDecision[]) => decisions.filter((decision) => decision.allowed).length;

describe('MemoryTokenBucket', () => {
	it('lets a burst through, then refuses with a Retry-After', async () => {
		const time = manualClock();
		const bucket = new MemoryTokenBucket(1, 5, { clock: time.clock });
		const decisions = await takeMany(bucket, 'client', 7);
		expect(decisions.slice(0, 5)).toEqual(Array(5).fill({ allowed: true }));
		expect(decisions[5]).toEqual({ allowed: false, retryAfterSeconds: 1 });
		expect(decisions[6]).toEqual({ allowed: false, retryAfterSeconds: 1 });
	});

	it('refills continuously at the given rate', async () => {
		const time = manualClock();
		const bucket = new MemoryTokenBucket(2, 4, { clock: time.clock });
		expect(allowedCount(await takeMany(bucket, 'c', 10))).toBe(4);
		time.advance(250); // 0.5 token
		expect((await bucket.take('c')).allowed).toBe(false);
		time.advance(250); // 1 token in total
		expect(await bucket.take('c')).toEqual({ allowed: true });
		expect((await bucket.take('c')).allowed).toBe(false);
		time.advance(1_500); // 3 tokens
		expect(allowedCount(await takeMany(bucket, 'c', 10))).toBe(3);
	});

	it('never holds more than burst tokens, however long the pause', async () => {
		const time = manualClock();
		const bucket = new MemoryTokenBucket(10, 3, { clock: time.clock });
		await takeMany(bucket, 'c', 3);
		time.advance(3_600_000);
		expect(allowedCount(await takeMany(bucket, 'c', 10))).toBe(3);
	});

	it('computes Retry-After from the missing fraction of a token, rounded up to whole seconds', async () => {
		const time = manualClock();
		const bucket = new MemoryTokenBucket(0.25, 1, { clock: time.clock });
		expect(await bucket.take('c')).toEqual({ allowed: true });
		expect(await bucket.take('c')).toEqual({ allowed: false, retryAfterSeconds: 4 });
		time.advance(1_000); // 0.25 token: 3 s to go
		expect(await bucket.take('c')).toEqual({ allowed: false, retryAfterSeconds: 3 });
		time.advance(2_500); // 0.875 token: 0.5 s to go, rounded up to 1
		expect(await bucket.take('c')).toEqual({ allowed: false, retryAfterSeconds: 1 });
		time.advance(500);
		expect(await bucket.take('c')).toEqual({ allowed: true });
	});

	it('keeps a bucket per key', async () => {
		const time = manualClock();
		const bucket = new MemoryTokenBucket(1, 2, { clock: time.clock });
		expect(allowedCount(await takeMany(bucket, 'a', 5))).toBe(2);
		expect(allowedCount(await takeMany(bucket, 'b', 5))).toBe(2);
	});

	it('does not refill when the clock goes backwards', async () => {
		const time = manualClock();
		const bucket = new MemoryTokenBucket(1, 1, { clock: time.clock });
		expect((await bucket.take('c')).allowed).toBe(true);
		time.advance(-10_000);
		expect((await bucket.take('c')).allowed).toBe(false);
		time.advance(10_000);
		expect((await bucket.take('c')).allowed).toBe(false);
		time.advance(1_000);
		expect((await bucket.take('c')).allowed).toBe(true);
	});

	it('tracks at most maxKeys clients, forgetting the least recently seen', async () => {
		const time = manualClock();
		const bucket = new MemoryTokenBucket(1, 1, { maxKeys: 2, clock: time.clock });
		await bucket.take('a');
		await bucket.take('b');
		expect((await bucket.take('a')).allowed).toBe(false); // a is now the most recently seen
		await bucket.take('c'); // evicts b
		expect(bucket.size).toBe(2);
		expect((await bucket.take('a')).allowed).toBe(false);
		expect((await bucket.take('b')).allowed).toBe(true); // forgotten, so a full bucket again
	});

	it('stays bounded under a flood of distinct clients', async () => {
		const bucket = new MemoryTokenBucket(1, 1, { maxKeys: 500, clock: manualClock().clock });
		for (let i = 0; i < 10_000; i++) await bucket.take(`ip-${i}`);
		expect(bucket.size).toBe(500);
	});

	it('refuses invalid settings', () => {
		expect(() => new MemoryTokenBucket(0, 1)).toThrow(RangeError);
		expect(() => new MemoryTokenBucket(-1, 1)).toThrow(RangeError);
		expect(() => new MemoryTokenBucket(Number.NaN, 1)).toThrow(RangeError);
		expect(() => new MemoryTokenBucket(1, 0.5)).toThrow(RangeError);
		expect(() => new MemoryTokenBucket(1, 1, { maxKeys: 0 })).toThrow(RangeError);
	});
});
