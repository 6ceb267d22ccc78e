/** A store whose entries count against a shared budget. */
export interface BudgetedStore {
	readonly size: number;
	/** Forgets the store's least recently used entry. */
	evictOldest(): void;
}

/**
 * One bound on the entries several in-process stores hold together. Each store also has its own bound; this one keeps
 * many stores (up to 1,000 triggers per process) from adding up to more memory than n8n has. Over the budget, the
 * largest store gives up its oldest entry: a busy trigger trims its own history before a quiet one loses any.
 * Finding the largest store walks the members, which happens only while the process is at its budget.
 */
export class EntryBudget {
	private readonly sizes = new Map<BudgetedStore, number>();

	private total = 0;

	constructor(readonly maxEntries: number) {
		if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
	}

	/** Entries held by all members. */
	get size(): number {
		return this.total;
	}

	/** Records a member's size after it changed, then evicts until the members fit the budget again. */
	update(store: BudgetedStore): void {
		this.record(store);
		while (this.total > this.maxEntries) {
			const largest = this.largest();
			if (largest === undefined) return;
			largest.evictOldest();
			this.record(largest);
		}
	}

	/** A member that is dropped (its registry forgot it) no longer counts. */
	leave(store: BudgetedStore): void {
		this.total -= this.sizes.get(store) ?? 0;
		this.sizes.delete(store);
	}

	private record(store: BudgetedStore): void {
		const previous = this.sizes.get(store) ?? 0;
		this.sizes.set(store, store.size);
		this.total += store.size - previous;
	}

	private largest(): BudgetedStore | undefined {
		let largest: BudgetedStore | undefined;
		let largestSize = 0;
		for (const [store, size] of this.sizes) {
			if (size > largestSize) {
				largest = store;
				largestSize = size;
			}
		}
		return largest;
	}
}
