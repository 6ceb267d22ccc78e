import { LruMap } from './lruMap';
import { MemoryTokenBucket } from './rateLimiter';
import { MemoryReplayStore } from './replayStore';

/**
 * n8n calls a trigger's webhook() with a fresh context for every request, so in-memory stores live here, at module
 * level, looked up by a key the trigger builds from workflow id, node id and settings. The same key returns the same
 * instance for the life of the process. The number of stores is bounded: the least recently used store is dropped
 * first (its node, if still active, starts again with an empty store).
 */
export const MAX_REGISTERED_STORES = 1000;

const stores = new LruMap<MemoryReplayStore | MemoryTokenBucket>();

export function getMemoryReplayStore(key: string, options: { maxEntries: number }): MemoryReplayStore {
	// Settings are part of the key, so a changed maxEntries gets a new store rather than the old one's bound.
	const registryKey = JSON.stringify(['replay', key, options.maxEntries]);
	const existing = lookUp(registryKey);
	if (existing instanceof MemoryReplayStore) return existing;
	return register(registryKey, new MemoryReplayStore({ maxEntries: options.maxEntries }));
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

/** Forgets every store (tests). */
export function clearStoreRegistry(): void {
	stores.clear();
}

function lookUp(registryKey: string): MemoryReplayStore | MemoryTokenBucket | undefined {
	return stores.get(registryKey);
}

function register<T extends MemoryReplayStore | MemoryTokenBucket>(registryKey: string, store: T): T {
	stores.set(registryKey, store);
	if (stores.size > MAX_REGISTERED_STORES) stores.removeOldest();
	return store;
}
