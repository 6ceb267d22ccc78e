/** When a batch is full, and how long a partial one may wait. */
export interface BatchLimits {
	/** Most entries in one batch (1–1000). */
	maxItems: number;
	/** Most bytes in one batch body. An entry larger than this on its own is sent as a batch of one. */
	maxBytes: number;
	/** A partial batch is closed once its first entry has waited this long; 0: partial batches wait for `flush()`. */
	lingerMs: number;
}

export const MAX_BATCH_ITEMS = 1000;

export interface BatchEntry<T> {
	/** Entries with different keys never share a batch (one destination, one set of headers). */
	key: string;
	/** The entry's bytes in the batch body. */
	bytes: number;
	value: T;
}

export interface ClosedBatch<T> {
	key: string;
	entries: T[];
	/** Size of the batch body. */
	bytes: number;
}

interface OpenBatch<T> {
	entries: T[];
	entryBytes: number;
	openedAtMs: number;
}

/**
 * Groups entries into batches per key, in arrival order, each closed when the next entry would not fit (count or
 * bytes), when it is full, when its first entry has lingered long enough, or on `flush()`. Pure: the caller says
 * what time it is. `overheadBytes(count)` is what a batch body adds around `count` entries.
 */
export class BatchAssembler<T> {
	private readonly open = new Map<string, OpenBatch<T>>();

	constructor(
		private readonly limits: BatchLimits,
		private readonly overheadBytes: (count: number) => number,
	) {
		if (!Number.isInteger(limits.maxItems) || limits.maxItems < 1 || limits.maxItems > MAX_BATCH_ITEMS) {
			throw new RangeError(`A batch holds 1 to ${MAX_BATCH_ITEMS} items`);
		}
		if (!(limits.maxBytes > 0)) throw new RangeError('The batch size limit must be above 0 bytes');
		if (!(limits.lingerMs >= 0)) throw new RangeError('Linger must be 0 or more');
	}

	/** Adds an entry; returns the batches this closed (the one it did not fit into, and its own when that is full). */
	add(entry: BatchEntry<T>, nowMs: number): Array<ClosedBatch<T>> {
		const closed: Array<ClosedBatch<T>> = [];
		const current = this.open.get(entry.key);
		if (current && !this.fits(current, entry.bytes)) closed.push(this.close(entry.key, current));
		const batch = this.open.get(entry.key) ?? { entries: [], entryBytes: 0, openedAtMs: nowMs };
		batch.entries.push(entry.value);
		batch.entryBytes += entry.bytes;
		this.open.set(entry.key, batch);
		if (batch.entries.length >= this.limits.maxItems || this.sizeOf(batch) >= this.limits.maxBytes) {
			closed.push(this.close(entry.key, batch));
		}
		return closed;
	}

	/** Partial batches whose first entry has waited `lingerMs` (none when linger is 0). */
	due(nowMs: number): Array<ClosedBatch<T>> {
		if (this.limits.lingerMs === 0) return [];
		const closed: Array<ClosedBatch<T>> = [];
		for (const [key, batch] of [...this.open]) {
			if (nowMs - batch.openedAtMs >= this.limits.lingerMs) closed.push(this.close(key, batch));
		}
		return closed;
	}

	/** When the next partial batch becomes due, if linger is on and one is open. */
	nextDueAtMs(): number | undefined {
		if (this.limits.lingerMs === 0 || this.open.size === 0) return undefined;
		return Math.min(...[...this.open.values()].map((batch) => batch.openedAtMs)) + this.limits.lingerMs;
	}

	/** Closes every open batch, oldest first. */
	flush(): Array<ClosedBatch<T>> {
		return [...this.open].sort(([, a], [, b]) => a.openedAtMs - b.openedAtMs).map(([key, batch]) => this.close(key, batch));
	}

	private fits(batch: OpenBatch<T>, bytes: number): boolean {
		if (batch.entries.length + 1 > this.limits.maxItems) return false;
		return batch.entryBytes + bytes + this.overheadBytes(batch.entries.length + 1) <= this.limits.maxBytes;
	}

	private sizeOf(batch: OpenBatch<T>): number {
		return batch.entryBytes + this.overheadBytes(batch.entries.length);
	}

	private close(key: string, batch: OpenBatch<T>): ClosedBatch<T> {
		this.open.delete(key);
		return { key, entries: batch.entries, bytes: this.sizeOf(batch) };
	}
}
