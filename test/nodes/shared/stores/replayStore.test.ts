import { MemoryReplayStore } from '../../../../nodes/shared/stores/replayStore';

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
	it('answers true the first time and false for a repeat within the TTL', async () => {
		const store = new MemoryReplayStore();
		expect(await store.rememberIfNew('evt_1', 60)).toBe(true);
		expect(await store.rememberIfNew('evt_1', 60)).toBe(false);
		expect(await store.rememberIfNew('evt_2', 60)).toBe(true);
	});

	it('forgets a key exactly when its TTL has passed', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		expect(await store.rememberIfNew('evt', 10)).toBe(true);
		time.advance(9_999);
		expect(await store.rememberIfNew('evt', 10)).toBe(false);
		time.advance(1);
		expect(await store.rememberIfNew('evt', 10)).toBe(true);
		expect(await store.rememberIfNew('evt', 10)).toBe(false);
	});

	it('does not extend the TTL when a key is seen again', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		await store.rememberIfNew('evt', 10);
		time.advance(8_000);
		expect(await store.rememberIfNew('evt', 10)).toBe(false);
		time.advance(2_000);
		expect(await store.rememberIfNew('evt', 10)).toBe(true);
	});

	it('rounds a fractional TTL up to whole seconds, like Redis EX', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ clock: time.clock });
		await store.rememberIfNew('evt', 0.2);
		time.advance(999);
		expect(await store.rememberIfNew('evt', 0.2)).toBe(false);
		time.advance(1);
		expect(await store.rememberIfNew('evt', 0.2)).toBe(true);
	});

	it('refuses a TTL that is not positive', async () => {
		const store = new MemoryReplayStore();
		await expect(store.rememberIfNew('evt', 0)).rejects.toThrow(RangeError);
		await expect(store.rememberIfNew('evt', -5)).rejects.toThrow(RangeError);
		await expect(store.rememberIfNew('evt', Number.NaN)).rejects.toThrow(RangeError);
		await expect(store.rememberIfNew('evt', Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
	});

	it('refuses a bound that is not a positive integer', () => {
		expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(RangeError);
		expect(() => new MemoryReplayStore({ maxEntries: 1.5 })).toThrow(RangeError);
	});

	it('never holds more than maxEntries keys and forgets the least recently seen first', async () => {
		const store = new MemoryReplayStore({ maxEntries: 3, clock: manualClock().clock });
		for (const key of ['a', 'b', 'c']) expect(await store.rememberIfNew(key, 3600)).toBe(true);
		// Seeing "a" again makes "b" the least recently seen.
		expect(await store.rememberIfNew('a', 3600)).toBe(false);
		expect(await store.rememberIfNew('d', 3600)).toBe(true);
		expect(store.size).toBe(3);
		expect(await store.rememberIfNew('b', 3600)).toBe(true); // b was evicted; this evicts c
		expect(await store.rememberIfNew('a', 3600)).toBe(false);
		expect(await store.rememberIfNew('d', 3600)).toBe(false);
		expect(await store.rememberIfNew('c', 3600)).toBe(true);
		expect(store.size).toBe(3);
	});

	it('stays bounded under a flood of distinct keys', async () => {
		const store = new MemoryReplayStore({ maxEntries: 1000, clock: manualClock().clock });
		for (let i = 0; i < 20_000; i++) await store.rememberIfNew(`flood-${i}`, 3600);
		expect(store.size).toBe(1000);
		expect(await store.rememberIfNew('flood-19999', 3600)).toBe(false);
		expect(await store.rememberIfNew('flood-0', 3600)).toBe(true);
	});

	it('drops expired entries as new ones arrive, without waiting for the bound', async () => {
		const time = manualClock();
		const store = new MemoryReplayStore({ maxEntries: 1000, clock: time.clock });
		for (let i = 0; i < 100; i++) await store.rememberIfNew(`old-${i}`, 1);
		time.advance(5_000);
		for (let i = 0; i < 100; i++) await store.rememberIfNew(`new-${i}`, 3600);
		expect(store.size).toBe(100);
	});

	it('treats very long keys by their hash, so they are still told apart', async () => {
		const store = new MemoryReplayStore();
		const long = 'x'.repeat(100_000);
		expect(await store.rememberIfNew(long, 60)).toBe(true);
		expect(await store.rememberIfNew(long, 60)).toBe(false);
		expect(await store.rememberIfNew(`${long}y`, 60)).toBe(true);
	});
});
