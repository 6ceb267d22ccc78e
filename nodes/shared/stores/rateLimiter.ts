import { LruMap } from './lruMap';
import { redisScript, runRedisScript, type RedisClient } from './redisConnection';
import type { Clock } from './replayStore';
import { compactStoreKey } from './storeKey';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Decides whether one more request from a client (key) may pass now. */
export interface RateLimiter {
	take(key: string): Promise<RateLimitDecision>;
}

export const DEFAULT_RATE_LIMIT_MAX_KEYS = 10_000;
export const DEFAULT_RATE_LIMIT_KEY_PREFIX = 'n8n-ai-webhooks:rate:';

interface Bucket {
	tokens: number;
	updatedAt: number;
}

/**
 * Token bucket per key, in process: each key holds up to `burst` tokens, refilled continuously at `ratePerSecond`;
 * a request takes one. At most `maxKeys` clients are tracked (the least recently seen is forgotten first, and a
 * forgotten client starts again with a full bucket). O(1) per call.
 */
export class MemoryTokenBucket implements RateLimiter {
	private readonly buckets = new LruMap<Bucket>();

	private readonly maxKeys: number;

	private readonly clock: Clock;

	constructor(
		private readonly ratePerSecond: number,
		private readonly burst: number,
		options: { maxKeys?: number; clock?: Clock } = {},
	) {
		validateBucket(ratePerSecond, burst);
		const maxKeys = options.maxKeys ?? DEFAULT_RATE_LIMIT_MAX_KEYS;
		if (!Number.isInteger(maxKeys) || maxKeys < 1) {
			throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
		}
		this.maxKeys = maxKeys;
		this.clock = options.clock ?? Date.now;
	}

	get size(): number {
		return this.buckets.size;
	}

	async take(key: string): Promise<RateLimitDecision> {
		const bucketKey = compactStoreKey(key);
		const now = this.clock();
		const bucket = this.buckets.get(bucketKey);
		let tokens = this.burst;
		let updatedAt = now;
		if (bucket !== undefined) {
			// A clock that goes backwards refills nothing.
			const elapsedMs = Math.max(0, now - bucket.updatedAt);
			tokens = Math.min(this.burst, bucket.tokens + (elapsedMs / 1000) * this.ratePerSecond);
			updatedAt = Math.max(now, bucket.updatedAt);
		}

		let decision: RateLimitDecision;
		if (tokens >= 1) {
			tokens -= 1;
			decision = { allowed: true };
		} else {
			decision = { allowed: false, retryAfterSeconds: retryAfterSeconds((1 - tokens) / this.ratePerSecond) };
		}
		if (bucket === undefined) {
			this.buckets.set(bucketKey, { tokens, updatedAt });
			if (this.buckets.size > this.maxKeys) this.buckets.removeOldest();
		} else {
			bucket.tokens = tokens;
			bucket.updatedAt = updatedAt;
		}
		return decision;
	}
}

// Runs inside Redis, so concurrent callers from any number of processes see one bucket. Time comes from Redis
// (TIME), not from the callers, whose clocks may disagree. A denied request writes nothing: the stored state plus
// the elapsed time already describe the bucket. The key expires once the bucket would be full again, which is
// the same as not existing.
const TOKEN_BUCKET_SCRIPT = redisScript(`
if redis.replicate_commands then redis.replicate_commands() end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local ttlMs = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
	tokens = burst
	at = now
elseif now > at then
	tokens = math.min(burst, tokens + (now - at) * rate / 1000000)
	at = now
end
if tokens < 1 then
	return math.ceil((1 - tokens) * 1000000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens - 1), 'at', string.format('%.0f', at))
redis.call('PEXPIRE', KEYS[1], ttlMs)
return 0
`);

/**
 * Token bucket per key in Redis, shared by every n8n process using the same Redis: one Lua script per call, atomic.
 * Same semantics as MemoryTokenBucket. Throws StoreUnavailableError when Redis cannot be reached.
 */
export class RedisTokenBucket implements RateLimiter {
	private readonly ttlMs: number;

	constructor(
		private readonly redis: RedisClient,
		private readonly prefix: string,
		private readonly ratePerSecond: number,
		private readonly burst: number,
	) {
		validateBucket(ratePerSecond, burst);
		this.ttlMs = Math.ceil((burst / ratePerSecond) * 1000) + 1000;
	}

	async take(key: string): Promise<RateLimitDecision> {
		const redisKey = this.prefix + compactStoreKey(key);
		const waitMicros = await runRedisScript(this.redis, TOKEN_BUCKET_SCRIPT, [redisKey], [
			String(this.ratePerSecond),
			String(this.burst),
			String(this.ttlMs),
		]);
		if (waitMicros === 0) return { allowed: true };
		return { allowed: false, retryAfterSeconds: retryAfterSeconds(Number(waitMicros) / 1_000_000) };
	}
}

function validateBucket(ratePerSecond: number, burst: number): void {
	if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
		throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
	}
	if (!Number.isFinite(burst) || burst < 1) {
		throw new RangeError(`burst must be at least 1, got ${burst}`);
	}
}

/** Whole seconds for a Retry-After header: never 0, which would invite an immediate retry. */
function retryAfterSeconds(waitSeconds: number): number {
	return Math.max(1, Math.ceil(waitSeconds));
}
