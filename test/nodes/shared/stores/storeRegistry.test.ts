import type { ReplayStore } from '../../../../nodes/shared/stores/replayStore';
import { MemoryTokenBucket } from '../../../../nodes/shared/stores/rateLimiter';
import { MAX_REPLAY_MAX_ENTRIES, MemoryReplayStore } from '../../../../nodes/shared/stores/replayStore';
import {
	clearStoreRegistry,
	getMemoryReplayStore,
	getMemoryTokenBucket,
	MAX_PROCESS_REPLAY_ENTRIES,
	MAX_REGISTERED_STORES,
	registeredStoreCount,
	replayEntryCount,
} from '../../../../nodes/shared/stores/storeRegistry';

/** What the trigger does with an event n8n takes: claim its id, then confirm it. True when the id was new. */
async function accept(store: ReplayStore, key: string, ttlSeconds: number): Promise<boolean> {
	if ((await store.claim(key, ttlSeconds)) !== 'claimed') return false;
	await store.confirm(key, ttlSeconds);
	return true;
}

beforeEach(() => clearStoreRegistry());

describe('storeRegistry', () => {
	it('returns the same replay store for the same key, so memory survives across requests', async () => {
		const first = getMemoryReplayStore('wf1:node1', { maxEntries: 100 });
		expect(first).toBeInstanceOf(MemoryReplayStore);
		expect(await accept(first, 'evt', 60)).toBe(true);
		const again = getMemoryReplayStore('wf1:node1', { maxEntries: 100 });
		expect(again).toBe(first);
		expect(await accept(again, 'evt', 60)).toBe(false);
	});

	it('keeps nodes apart', () => {
		const store = getMemoryReplayStore('wf1:node1', { maxEntries: 100 });
		expect(getMemoryReplayStore('wf1:node2', { maxEntries: 100 })).not.toBe(store);
	});

	it('a changed limit keeps the store and the ids it remembers (a new store would accept old events again)', async () => {
		const store = getMemoryReplayStore('wf1:node1', { maxEntries: 100 });
		for (let index = 0; index < 50; index++) expect(await accept(store, `evt-${index}`, 60)).toBe(true);
		const raised = getMemoryReplayStore('wf1:node1', { maxEntries: 200 });
		expect(raised).toBe(store);
		expect(raised.limit).toBe(200);
		expect(await accept(raised, 'evt-0', 60)).toBe(false);
		// Lowered: the most recently seen ids are kept.
		const lowered = getMemoryReplayStore('wf1:node1', { maxEntries: 10 });
		expect(lowered).toBe(store);
		expect(lowered.size).toBe(10);
		expect(await accept(lowered, 'evt-49', 60)).toBe(false);
	});

	it('bounds a node\'s limit to what one store may hold, whatever the saved workflow says', () => {
		expect(getMemoryReplayStore('huge', { maxEntries: 1e12 }).limit).toBe(MAX_REPLAY_MAX_ENTRIES);
		expect(getMemoryReplayStore('tiny', { maxEntries: 0 }).limit).toBe(1);
		expect(getMemoryReplayStore('fraction', { maxEntries: 10.7 }).limit).toBe(10);
		expect(getMemoryReplayStore('nan', { maxEntries: Number.NaN }).limit).toBe(MAX_REPLAY_MAX_ENTRIES);
	});

	it('all replay stores count against one process-wide budget', async () => {
		expect(MAX_PROCESS_REPLAY_ENTRIES).toBeGreaterThanOrEqual(MAX_REPLAY_MAX_ENTRIES);
		await accept(getMemoryReplayStore('a', { maxEntries: 10 }), 'x', 60);
		await accept(getMemoryReplayStore('b', { maxEntries: 10 }), 'x', 60);
		expect(replayEntryCount()).toBe(2);
	});

	it('returns the same token bucket for the same key and settings', async () => {
		const bucket = getMemoryTokenBucket('wf1:node1', { ratePerSecond: 1, burst: 1 });
		expect(bucket).toBeInstanceOf(MemoryTokenBucket);
		expect((await bucket.take('1.2.3.4')).allowed).toBe(true);
		const again = getMemoryTokenBucket('wf1:node1', { ratePerSecond: 1, burst: 1 });
		expect(again).toBe(bucket);
		expect((await again.take('1.2.3.4')).allowed).toBe(false);
		expect(getMemoryTokenBucket('wf1:node1', { ratePerSecond: 2, burst: 1 })).not.toBe(bucket);
	});

	it('does not confuse a replay store and a token bucket registered under the same key', () => {
		const store = getMemoryReplayStore('same', { maxEntries: 10 });
		const bucket = getMemoryTokenBucket('same', { ratePerSecond: 1, burst: 1 });
		expect(store).toBeInstanceOf(MemoryReplayStore);
		expect(bucket).toBeInstanceOf(MemoryTokenBucket);
	});

	it('holds a bounded number of stores, dropping the least recently used', () => {
		const kept = getMemoryReplayStore('node-0', { maxEntries: 10 });
		const firstNode1 = getMemoryReplayStore('node-1', { maxEntries: 10 });
		for (let i = 2; i <= MAX_REGISTERED_STORES + 50; i++) {
			getMemoryReplayStore(`node-${i}`, { maxEntries: 10 });
			if (i % 100 === 0) getMemoryReplayStore('node-0', { maxEntries: 10 }); // keep node-0 recent
		}
		expect(registeredStoreCount()).toBe(MAX_REGISTERED_STORES);
		expect(getMemoryReplayStore('node-0', { maxEntries: 10 })).toBe(kept);
		// node-1 was the least recently used, so it was dropped and comes back as a new, empty store.
		expect(getMemoryReplayStore('node-1', { maxEntries: 10 })).not.toBe(firstNode1);
		expect(registeredStoreCount()).toBe(MAX_REGISTERED_STORES);
	});
});
