import { EntryBudget } from '../../../../nodes/shared/stores/entryBudget';
import { MemoryReplayStore, type ReplayStore } from '../../../../nodes/shared/stores/replayStore';

async function acceptAll(store: ReplayStore, prefix: string, count: number): Promise<void> {
	for (let index = 0; index < count; index++) {
		await store.claim(`${prefix}-${index}`, 60);
		await store.confirm(`${prefix}-${index}`, 60);
	}
}

describe('EntryBudget: one bound on the ids all replay stores of a process hold', () => {
	it('keeps the sum of all stores within the budget, each store within its own bound', async () => {
		const budget = new EntryBudget(100);
		const stores = Array.from({ length: 5 }, () => new MemoryReplayStore({ maxEntries: 50, budget }));
		for (const [index, store] of stores.entries()) await acceptAll(store, `s${index}`, 60);
		expect(budget.size).toBe(100);
		expect(stores.reduce((sum, store) => sum + store.size, 0)).toBe(100);
		for (const store of stores) expect(store.size).toBeLessThanOrEqual(50);
	});

	it('over the budget, the largest store forgets its oldest ids: a quiet trigger keeps its history', async () => {
		const budget = new EntryBudget(100);
		const quiet = new MemoryReplayStore({ maxEntries: 1000, budget });
		const busy = new MemoryReplayStore({ maxEntries: 1000, budget });
		await acceptAll(quiet, 'quiet', 10);
		await acceptAll(busy, 'busy', 500);
		expect(quiet.size).toBe(10);
		expect(busy.size).toBe(90);
		expect(await quiet.claim('quiet-0', 60)).toBe('duplicate');
		// The busy store kept its most recent ids and forgot its oldest.
		expect(await busy.claim('busy-499', 60)).toBe('duplicate');
		expect(await busy.claim('busy-0', 60)).toBe('claimed');
	});

	it('counts releases and lowered limits, and forgets a store that leaves', async () => {
		const budget = new EntryBudget(1000);
		const store = new MemoryReplayStore({ maxEntries: 100, budget });
		await acceptAll(store, 'a', 50);
		await store.claim('pending', 60);
		expect(budget.size).toBe(51);
		await store.release('pending');
		expect(budget.size).toBe(50);
		store.setMaxEntries(20);
		expect(budget.size).toBe(20);
		budget.leave(store);
		expect(budget.size).toBe(0);
	});

	it('refuses a bound that is not a positive integer', () => {
		expect(() => new EntryBudget(0)).toThrow(RangeError);
		expect(() => new EntryBudget(1.5)).toThrow(RangeError);
	});
});
