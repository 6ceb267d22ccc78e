interface Entry<V> {
	key: string;
	value: V;
	older: Entry<V> | undefined;
	newer: Entry<V> | undefined;
}

/**
 * A Map that knows its least recently used entry in O(1), optionally bounded: the one cache of the package (parsed
 * keys and paths, compiled templates and schemas, trigger configs) and the base of its stores.
 *
 * A plain Map in insertion order (delete + set to touch, `keys().next()` for the oldest) looks equivalent but is not:
 * V8 leaves deleted slots in place until the table is rebuilt, and `keys().next()` walks over them, so a busy
 * cache turns every eviction into a scan. Here the Map is only used for lookups and a linked list keeps the order.
 * (Clearing a full cache instead, the other shortcut, makes every entry expensive again at once.)
 */
export class LruMap<V> {
	private readonly entries = new Map<string, Entry<V>>();

	private oldest: Entry<V> | undefined;

	private newest: Entry<V> | undefined;

	/** With `maxEntries`, `set` forgets the least recently used entry when the map would hold more. */
	constructor(private readonly maxEntries = Number.POSITIVE_INFINITY) {
		if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, got ${maxEntries}`);
	}

	get size(): number {
		return this.entries.size;
	}

	/** The value, marking the entry as the most recently used. */
	get(key: string): V | undefined {
		const entry = this.entries.get(key);
		if (entry === undefined) return undefined;
		this.moveToNewest(entry);
		return entry.value;
	}

	/** The value, without marking it as used. */
	peek(key: string): V | undefined {
		return this.entries.get(key)?.value;
	}

	/** Sets the value, marking the entry as the most recently used. */
	set(key: string, value: V): void {
		const entry = this.entries.get(key);
		if (entry !== undefined) {
			entry.value = value;
			this.moveToNewest(entry);
			return;
		}
		const added: Entry<V> = { key, value, older: this.newest, newer: undefined };
		if (this.newest !== undefined) this.newest.newer = added;
		this.newest = added;
		if (this.oldest === undefined) this.oldest = added;
		this.entries.set(key, added);
		if (this.entries.size > this.maxEntries) this.removeOldest();
	}

	delete(key: string): boolean {
		const entry = this.entries.get(key);
		if (entry === undefined) return false;
		this.unlink(entry);
		this.entries.delete(key);
		return true;
	}

	/** The least recently used entry, without touching it. */
	peekOldest(): { key: string; value: V } | undefined {
		return this.oldest === undefined ? undefined : { key: this.oldest.key, value: this.oldest.value };
	}

	/** Removes and returns the least recently used entry. */
	removeOldest(): { key: string; value: V } | undefined {
		const entry = this.oldest;
		if (entry === undefined) return undefined;
		this.unlink(entry);
		this.entries.delete(entry.key);
		return { key: entry.key, value: entry.value };
	}

	/** The values, least recently used first. */
	values(): V[] {
		const values: V[] = [];
		for (let entry = this.oldest; entry !== undefined; entry = entry.newer) values.push(entry.value);
		return values;
	}

	clear(): void {
		this.entries.clear();
		this.oldest = undefined;
		this.newest = undefined;
	}

	private moveToNewest(entry: Entry<V>): void {
		if (entry === this.newest) return;
		this.unlink(entry);
		entry.older = this.newest;
		entry.newer = undefined;
		if (this.newest !== undefined) this.newest.newer = entry;
		this.newest = entry;
		if (this.oldest === undefined) this.oldest = entry;
	}

	private unlink(entry: Entry<V>): void {
		if (entry.older !== undefined) entry.older.newer = entry.newer;
		else this.oldest = entry.newer;
		if (entry.newer !== undefined) entry.newer.older = entry.older;
		else this.newest = entry.older;
		entry.older = undefined;
		entry.newer = undefined;
	}
}
