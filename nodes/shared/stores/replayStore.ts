import type Redis from 'ioredis';
import { LruMap } from './lruMap';
import { runRedisCommand } from './redisConnection';
import { compactStoreKey } from './storeKey';

/** Remembers keys (event ids) for a time, answering whether a key is new. */
export interface ReplayStore {
	/** True the first time a key is seen (it is remembered now); false when it was already seen within its TTL. */
	rememberIfNew(key: string, ttlSeconds: number): Promise<boolean>;
}

export type Clock = () => number;

export const DEFAULT_REPLAY_MAX_ENTRIES = 100_000;
export const DEFAULT_REPLAY_KEY_PREFIX = 'n8n-ai-webhooks:seen:';
// Expired entries are dropped from the oldest end a few at a time, so no call does unbounded work.
const EXPIRED_ENTRIES_DROPPED_PER_CALL = 2;

/**
 * In-process replay store: keys in least-recently-seen order, bounded by maxEntries (the least recently seen key is
 * forgotten first), each entry expiring after its TTL. O(1) per call.
 */
export class MemoryReplayStore implements ReplayStore {
	private readonly expiresAtByKey = new LruMap<number>();

	private readonly maxEntries: number;

	private readonly clock: Clock;

	constructor(options: { maxEntries?: number; clock?: Clock } = {}) {
		const maxEntries = options.maxEntries ?? DEFAULT_REPLAY_MAX_ENTRIES;
		if (!Number.isInteger(maxEntries) || maxEntries < 1) {
			throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
		}
		this.maxEntries = maxEntries;
		this.clock = options.clock ?? Date.now;
	}

	get size(): number {
		return this.expiresAtByKey.size;
	}

	async rememberIfNew(key: string, ttlSeconds: number): Promise<boolean> {
		const ttl = validTtlSeconds(ttlSeconds);
		const storeKey = compactStoreKey(key);
		const now = this.clock();
		// get() also makes the key the most recently seen; a repeat keeps its original expiry.
		const expiresAt = this.expiresAtByKey.get(storeKey);
		if (expiresAt !== undefined && expiresAt > now) return false;
		this.expiresAtByKey.set(storeKey, now + ttl * 1000);
		this.dropOldest(now);
		return true;
	}

	private dropOldest(now: number): void {
		while (this.expiresAtByKey.size > this.maxEntries) this.expiresAtByKey.removeOldest();
		for (let dropped = 0; dropped < EXPIRED_ENTRIES_DROPPED_PER_CALL; dropped++) {
			const oldest = this.expiresAtByKey.peekOldest();
			if (oldest === undefined || oldest.value > now) return;
			this.expiresAtByKey.removeOldest();
		}
	}
}

/**
 * Replay store shared by every n8n process that uses the same Redis: one atomic `SET key 1 NX EX ttl` per call, so
 * of any number of concurrent callers with the same key exactly one gets true.
 * Throws StoreUnavailableError when Redis cannot be reached.
 */
export class RedisReplayStore implements ReplayStore {
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string = DEFAULT_REPLAY_KEY_PREFIX,
	) {}

	async rememberIfNew(key: string, ttlSeconds: number): Promise<boolean> {
		const ttl = validTtlSeconds(ttlSeconds);
		const redisKey = this.prefix + compactStoreKey(key);
		const reply = await runRedisCommand(this.redis, () => this.redis.set(redisKey, '1', 'EX', ttl, 'NX'));
		return reply === 'OK';
	}
}

/** Whole seconds, at least one (Redis EX refuses 0 and fractions). */
function validTtlSeconds(ttlSeconds: number): number {
	if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
		throw new RangeError(`ttlSeconds must be a positive number, got ${ttlSeconds}`);
	}
	return Math.ceil(ttlSeconds);
}
