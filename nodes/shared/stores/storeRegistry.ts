import { EntryBudget } from './entryBudget';
import { LruMap } from './lruMap';
import { MemoryTokenBucket } from './rateLimiter';
import { MAX_REPLAY_MAX_ENTRIES, MemoryReplayStore } from './replayStore';

/**
 * n8n calls a trigger's webhook() with a fresh context for every request, so in-memory stores live here, at module
 * level, looked up by a key the trigger builds from workflow id, node id and settings. The same key returns the same
 * instance for the life of the process. The number of stores is bounded: the least recently used store is dropped
 * first (its node, if still active, starts again with an empty store).
 */
export const MAX_REGISTERED_STORES = 1000;

/**
 * Event ids all in-process replay stores hold together. Each store is bounded by its node's De-Duplication Max
 * Entries (at most MAX_REPLAY_MAX_ENTRIES); without a shared bound, 1,000 stores at the default 100,000 could grow to
 * about 30 GiB. At this bound (about 310 MiB at the longest ids) the largest store forgets its oldest ids first.
 */
export const MAX_PROCESS_REPLAY_ENTRIES = 1_000_000;

const stores = new LruMap<MemoryReplayStore | MemoryTokenBucket>();
let replayBudget = new EntryBudget(MAX_PROCESS_REPLAY_ENTRIES);

/** A node's De-Duplication Max Entries as a store can hold it: a whole number from 1 to MAX_REPLAY_MAX_ENTRIES. */
export function replayStoreLimit(maxEntries: number): number {
	if (!Number.isFinite(maxEntries)) return MAX_REPLAY_MAX_ENTRIES;
	return Math.min(MAX_REPLAY_MAX_ENTRIES, Math.max(1, Math.floor(maxEntries)));
}

/**
 * The node's replay store. Only the node's scope is its key: a changed limit is applied to the store it has, which
 * keeps the ids it remembers (a new store would forget them, and the next retry of an old event would run again).
 */
export function getMemoryReplayStore(key: string, options: { maxEntries: number }): MemoryReplayStore {
	const registryKey = JSON.stringify(['replay', key]);
	const limit = replayStoreLimit(options.maxEntries);
	const existing = lookUp(registryKey);
	if (existing instanceof MemoryReplayStore) {
		if (existing.limit !== limit) existing.setMaxEntries(limit);
		return existing;
	}
	return register(registryKey, new MemoryReplayStore({ maxEntries: limit, budget: replayBudget }));
}

export function getMemoryTokenBucket(
	key: string,
	options: { ratePerSecond: number; burst: number; maxKeys?: number },
): MemoryTokenBucket {
	const registryKey = JSON.stringify(['rate', key, options.ratePerSecond, options.burst, options.maxKeys ?? null]);
	const existing = lookUp(registryKey);
	if (existing instanceof MemoryTokenBucket) return existing;
	return register(
		registryKey,
		new MemoryTokenBucket(options.ratePerSecond, options.burst, { maxKeys: options.maxKeys }),
	);
}

/** Number of stores currently held (tests, diagnostics). */
export function registeredStoreCount(): number {
	return stores.size;
}

/** Event ids held by all in-process replay stores together (tests, diagnostics). */
export function replayEntryCount(): number {
	return replayBudget.size;
}

/** Forgets every store (tests). */
export function clearStoreRegistry(): void {
	stores.clear();
	replayBudget = new EntryBudget(MAX_PROCESS_REPLAY_ENTRIES);
}

function lookUp(registryKey: string): MemoryReplayStore | MemoryTokenBucket | undefined {
	return stores.get(registryKey);
}

function register<T extends MemoryReplayStore | MemoryTokenBucket>(registryKey: string, store: T): T {
	stores.set(registryKey, store);
	if (stores.size > MAX_REGISTERED_STORES) {
		const dropped = stores.removeOldest()?.value;
		if (dropped instanceof MemoryReplayStore) replayBudget.leave(dropped);
	}
	return store;
}
