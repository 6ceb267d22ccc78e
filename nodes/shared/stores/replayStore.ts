import type { BudgetedStore, EntryBudget } from './entryBudget';
import { LruMap } from './lruMap';
import { redisScript, runRedisCommand, runRedisScript, type RedisClient } from './redisConnection';
import { compactStoreKey } from './storeKey';

/** What a store says when an event id arrives. */
export type ClaimOutcome =
	/** First delivery: the id is held for this request now. */
	| 'claimed'
	/** Another request holds the id and has not handed its event to n8n yet. */
	| 'in_progress'
	/** The event was handed to n8n already. */
	| 'duplicate';

/**
 * Remembers event ids in two steps, so that an event is never lost between being accepted and being handed to n8n:
 * `claim` holds an id for a short while, `confirm` remembers it for the de-duplication window once n8n has taken the
 * execution, `release` lets it go when n8n could not. `renew` extends a claim still held, for as long as the request
 * holding it is open. A process that dies while holding a claim leaves it to expire, and the provider's next retry is
 * accepted.
 */
export interface ReplayStore {
	claim(key: string, claimSeconds: number): Promise<ClaimOutcome>;
	renew(key: string, claimSeconds: number): Promise<void>;
	confirm(key: string, ttlSeconds: number): Promise<void>;
	release(key: string): Promise<void>;
}

export type Clock = () => number;

export const DEFAULT_REPLAY_MAX_ENTRIES = 100_000;
/**
 * The most ids one in-process store may hold. Measured on Node 24: about 330 bytes per id at the longest key (128
 * characters; longer ids are stored as their SHA-256), so about 310 MiB for a full store. A busier endpoint belongs
 * in Redis. (V8 refuses a Map beyond 2^24 entries, so without a bound a large setting failed every request.)
 */
export const MAX_REPLAY_MAX_ENTRIES = 1_000_000;
export const DEFAULT_REPLAY_KEY_PREFIX = 'n8n-ai-webhooks:seen:';
// Expired entries are dropped from the oldest end a few at a time, so no call does unbounded work.
const EXPIRED_ENTRIES_DROPPED_PER_CALL = 2;

interface MemoryEntry {
	expiresAt: number;
	confirmed: boolean;
}

function validMaxEntries(maxEntries: number): number {
	if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_REPLAY_MAX_ENTRIES) {
		throw new RangeError(`maxEntries must be an integer from 1 to ${MAX_REPLAY_MAX_ENTRIES}, got ${maxEntries}`);
	}
	return maxEntries;
}

/**
 * In-process replay store: ids in least-recently-seen order, bounded by maxEntries (the least recently seen id is
 * forgotten first), each entry expiring after its TTL. With a budget, it also counts against the bound all stores of
 * the process share. O(1) per call.
 */
export class MemoryReplayStore implements ReplayStore, BudgetedStore {
	private readonly entries = new LruMap<MemoryEntry>();

	private maxEntries: number;

	private readonly clock: Clock;

	private readonly budget: EntryBudget | undefined;

	constructor(options: { maxEntries?: number; clock?: Clock; budget?: EntryBudget } = {}) {
		this.maxEntries = validMaxEntries(options.maxEntries ?? DEFAULT_REPLAY_MAX_ENTRIES);
		this.clock = options.clock ?? Date.now;
		this.budget = options.budget;
	}

	get size(): number {
		return this.entries.size;
	}

	get limit(): number {
		return this.maxEntries;
	}

	/** A new bound, keeping the ids remembered so far (the least recently seen go first when it is lower). */
	setMaxEntries(maxEntries: number): void {
		this.maxEntries = validMaxEntries(maxEntries);
		this.dropOldest(this.clock());
	}

	evictOldest(): void {
		this.entries.removeOldest();
	}

	async claim(key: string, claimSeconds: number): Promise<ClaimOutcome> {
		const ttl = validTtlSeconds(claimSeconds);
		const storeKey = compactStoreKey(key);
		const now = this.clock();
		// get() also makes the id the most recently seen; a repeat keeps its original expiry.
		const entry = this.entries.get(storeKey);
		if (entry !== undefined && entry.expiresAt > now) return entry.confirmed ? 'duplicate' : 'in_progress';
		this.entries.set(storeKey, { expiresAt: now + ttl * 1000, confirmed: false });
		this.dropOldest(now);
		return 'claimed';
	}

	async renew(key: string, claimSeconds: number): Promise<void> {
		const ttl = validTtlSeconds(claimSeconds);
		const storeKey = compactStoreKey(key);
		if (this.entries.peek(storeKey)?.confirmed === false) {
			this.entries.set(storeKey, { expiresAt: this.clock() + ttl * 1000, confirmed: false });
		}
	}

	async confirm(key: string, ttlSeconds: number): Promise<void> {
		const ttl = validTtlSeconds(ttlSeconds);
		const now = this.clock();
		this.entries.set(compactStoreKey(key), { expiresAt: now + ttl * 1000, confirmed: true });
		this.dropOldest(now);
	}

	async release(key: string): Promise<void> {
		const storeKey = compactStoreKey(key);
		if (this.entries.peek(storeKey)?.confirmed === false && this.entries.delete(storeKey)) this.budget?.update(this);
	}

	private dropOldest(now: number): void {
		while (this.entries.size > this.maxEntries) this.entries.removeOldest();
		for (let dropped = 0; dropped < EXPIRED_ENTRIES_DROPPED_PER_CALL; dropped++) {
			const oldest = this.entries.peekOldest();
			if (oldest === undefined || oldest.value.expiresAt > now) break;
			this.entries.removeOldest();
		}
		this.budget?.update(this);
	}
}

const CLAIMED = 'claimed';
const CONFIRMED = 'confirmed';

// One round trip, atomic across processes: of any number of concurrent callers with the same id exactly one
// claims it. Any other value than a claim (including "1", written by earlier versions) means the event was taken.
const CLAIM_SCRIPT = redisScript(`
if redis.call('SET', KEYS[1], '${CLAIMED}', 'NX', 'EX', ARGV[1]) then return 'claimed' end
if redis.call('GET', KEYS[1]) == '${CLAIMED}' then return 'in_progress' end
return 'duplicate'
`);

// Only a claim is extended or let go: an id another process confirmed meanwhile stays remembered as it is.
const RENEW_SCRIPT = redisScript(`
if redis.call('GET', KEYS[1]) == '${CLAIMED}' then return redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return 0
`);

const RELEASE_SCRIPT = redisScript(`
if redis.call('GET', KEYS[1]) == '${CLAIMED}' then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Replay store shared by every n8n process that uses the same Redis. Throws StoreUnavailableError when Redis cannot
 * be reached.
 */
export class RedisReplayStore implements ReplayStore {
	constructor(
		private readonly redis: RedisClient,
		private readonly prefix: string = DEFAULT_REPLAY_KEY_PREFIX,
	) {}

	async claim(key: string, claimSeconds: number): Promise<ClaimOutcome> {
		const reply = await runRedisScript(this.redis, CLAIM_SCRIPT, [this.redisKey(key)], [String(validTtlSeconds(claimSeconds))]);
		return reply === 'claimed' || reply === 'in_progress' ? reply : 'duplicate';
	}

	async renew(key: string, claimSeconds: number): Promise<void> {
		await runRedisScript(this.redis, RENEW_SCRIPT, [this.redisKey(key)], [String(validTtlSeconds(claimSeconds))]);
	}

	async confirm(key: string, ttlSeconds: number): Promise<void> {
		const ttl = validTtlSeconds(ttlSeconds);
		await runRedisCommand(this.redis, () => this.redis.set(this.redisKey(key), CONFIRMED, 'EX', ttl));
	}

	async release(key: string): Promise<void> {
		await runRedisScript(this.redis, RELEASE_SCRIPT, [this.redisKey(key)], []);
	}

	private redisKey(key: string): string {
		return this.prefix + compactStoreKey(key);
	}
}

/** Whole seconds, at least one (Redis EX refuses 0 and fractions). */
function validTtlSeconds(ttlSeconds: number): number {
	if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
		throw new RangeError(`ttlSeconds must be a positive number, got ${ttlSeconds}`);
	}
	return Math.ceil(ttlSeconds);
}
