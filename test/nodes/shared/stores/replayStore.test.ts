import { MAX_REPLAY_MAX_ENTRIES, MemoryReplayStore, type ReplayStore } from '../../../../nodes/shared/stores/replayStore';

/** What the trigger does with an event n8n takes: claim its id, then confirm it. True when the id was new. */
async function accept(store: ReplayStore, key: string, ttlSeconds: number): Promise<boolean> {
	if ((await store.claim(key, ttlSeconds)) !== 'claimed') return false;
	await store.confirm(key, ttlSeconds);
	return true;
}

function manualClock(startMs = 1_700_000_000_000) {
	let now = startMs;
	return {
		clock: () => now,
		advance: (ms: number) => {
			now += ms;
		},
	};
}

describe('MemoryReplayStore', () => {
	it('claims an id once; a second delivery is in progress until the first is confirmed, then a duplicate', async () => {
		const store = new MemoryReplayStore();
		expect(await store.claim('evt', 300)).toBe('claimed');
		expect(await store.claim('evt', 300)).toBe('in_progress');
		await store.confirm('evt', 86400);
		expect(await store.claim('evt', 300)).toBe('duplicate');
	});

	it('a released claim is free again, so the provider\'s retry is accepted', async () => {
		const store = new MemoryReplayStore();
		expect(await store.claim('evt', 300)).toBe('claimed');
		await store.release('evt');
		expect(await store.claim('evt', 300)).toBe('claimed');
	});

	it('release never forgets a confirmed id', async () => {
		const store = new MemoryReplayStore();
		await store.claim('evt', 300);
		await store.confirm('evt', 86400);
		await store.release('evt');
		expect(await store.claim('evt', 300)).toBe('duplicate');
	});

	it('a claim nobody settles (its process died) expires after the claim time', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		expect(await store.claim('evt', 300)).toBe('claimed');
		time.advance(299_999);
		expect(await store.claim('evt', 300)).toBe('in_progress');
		time.advance(1);
		expect(await store.claim('evt', 300)).toBe('claimed');
	});

	it('renew extends a claim still held from now on, so a long-running request keeps its id', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		await store.claim('evt', 300);
		time.advance(250_000);
		await store.renew('evt', 300);
		time.advance(299_999);
		expect(await store.claim('evt', 300)).toBe('in_progress');
		time.advance(1);
		expect(await store.claim('evt', 300)).toBe('claimed');
	});

	it('renew leaves a confirmed id\'s window alone and does not bring back a released one', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		await store.claim('confirmed', 300);
		await store.confirm('confirmed', 3600);
		time.advance(3_599_000);
		await store.renew('confirmed', 300);
		time.advance(1_000);
		expect(await store.claim('confirmed', 300)).toBe('claimed');
		await store.claim('released', 300);
		await store.release('released');
		await store.renew('released', 300);
		expect(store.size).toBe(1);
		expect(await store.claim('released', 300)).toBe('claimed');
	});

	it('confirm remembers the id for the full window from then on', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		await store.claim('evt', 300);
		time.advance(200_000);
		await store.confirm('evt', 3600);
		time.advance(3_599_999);
		expect(await store.claim('evt', 300)).toBe('duplicate');
		time.advance(1);
		expect(await store.claim('evt', 300)).toBe('claimed');
	});

	it('refuses a claim or window that is not positive', async () => {
		const store = new MemoryReplayStore();
		await expect(store.claim('evt', 0)).rejects.toThrow(RangeError);
		await expect(store.confirm('evt', -1)).rejects.toThrow(RangeError);
	});

	it('answers true the first time and false for a repeat within the TTL', async () => {
		const store = new MemoryReplayStore();
		expect(await accept(store, 'evt_1', 60)).toBe(true);
		expect(await accept(store, 'evt_1', 60)).toBe(false);
		expect(await accept(store, 'evt_2', 60)).toBe(true);
	});

	it('forgets a key exactly when its TTL has passed', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		expect(await accept(store, 'evt', 10)).toBe(true);
		time.advance(9_999);
		expect(await accept(store, 'evt', 10)).toBe(false);
		time.advance(1);
		expect(await accept(store, 'evt', 10)).toBe(true);
		expect(await accept(store, 'evt', 10)).toBe(false);
	});

	it('does not extend the TTL when a key is seen again', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		await accept(store, 'evt', 10);
		time.advance(8_000);
		expect(await accept(store, 'evt', 10)).toBe(false);
		time.advance(2_000);
		expect(await accept(store, 'evt', 10)).toBe(true);
	});

	it('rounds a fractional TTL up to whole seconds, like Redis EX', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		await accept(store, 'evt', 0.2);
		time.advance(999);
		expect(await accept(store, 'evt', 0.2)).toBe(false);
		time.advance(1);
		expect(await accept(store, 'evt', 0.2)).toBe(true);
	});

	it('refuses a TTL that is not positive', async () => {
		const store = new MemoryReplayStore();
		await expect(accept(store, 'evt', 0)).rejects.toThrow(RangeError);
		await expect(accept(store, 'evt', -5)).rejects.toThrow(RangeError);
		await expect(accept(store, 'evt', Number.NaN)).rejects.toThrow(RangeError);
		await expect(accept(store, 'evt', Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
	});

	it('refuses a bound that is not a positive integer', () => {
		expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(RangeError);
		expect(() => new MemoryReplayStore({ maxEntries: 1.5 })).toThrow(RangeError);
		expect(() => new MemoryReplayStore({ maxEntries: MAX_REPLAY_MAX_ENTRIES + 1 })).toThrow(RangeError);
	});

	it('never holds more than maxEntries keys and forgets the least recently seen first', async () => {
		const store = new MemoryReplayStore({ maxEntries: 3, clock: manualClock().clock });
		for (const key of ['a', 'b', 'c']) expect(await accept(store, key, 3600)).toBe(true);
		// Seeing "a" again makes "b" the least recently seen.
		expect(await accept(store, 'a', 3600)).toBe(false);
		expect(await accept(store, 'd', 3600)).toBe(true);
		expect(store.size).toBe(3);
		expect(await accept(store, 'b', 3600)).toBe(true); // b was evicted; this evicts c
		expect(await accept(store, 'a', 3600)).toBe(false);
		expect(await accept(store, 'd', 3600)).toBe(false);
		expect(await accept(store, 'c', 3600)).toBe(true);
		expect(store.size).toBe(3);
	});

	it('stays bounded under a flood of distinct keys', async () => {
		const store = new MemoryReplayStore({ maxEntries: 1000, clock: manualClock().clock });
		for (let i = 0; i < 20_000; i++) await accept(store, `flood-${i}`, 3600);
		expect(store.size).toBe(1000);
		expect(await accept(store, 'flood-19999', 3600)).toBe(false);
		expect(await accept(store, 'flood-0', 3600)).toBe(true);
	});

	it('drops expired entries as new ones arrive, without waiting for the bound', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ maxEntries: 1000, clock: time.clock });
		for (let i = 0; i < 100; i++) await accept(store, `old-${i}`, 1);
		time.advance(5_000);
		for (let i = 0; i < 100; i++) await accept(store, `new-${i}`, 3600);
		expect(store.size).toBe(100);
	});

	it('treats very long keys by their hash, so they are still told apart', async () => {
		const store = new MemoryReplayStore();
		const long = 'x'.repeat(100_000);
		expect(await accept(store, long, 60)).toBe(true);
		expect(await accept(store, long, 60)).toBe(false);
		expect(await accept(store, `${long}y`, 60)).toBe(true);
	});
});
