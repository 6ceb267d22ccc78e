/** What every label value past the bound is counted as. */
export const OTHER = 'other';

/** Label values are names chosen in n8n's editor or hosts from item data: long ones are cut, not trusted. */
export const MAX_LABEL_LENGTH = 64;

/**
 * Keeps a label's set of values bounded: the first `limit` distinct values are used as they are, every later
 * one is folded into "other". Prometheus keeps one series per distinct label set, so an unbounded label (a
 * host taken from item data, a node renamed a thousand times) would grow its memory without end.
 */
export class BoundedLabelValues {
	private readonly seen = new Set<string>();

	constructor(
		readonly limit: number,
		private readonly maxLength = MAX_LABEL_LENGTH,
	) {}

	value(raw: string): string {
		const value = raw.length > this.maxLength ? raw.slice(0, this.maxLength) : raw;
		if (this.seen.has(value)) return value;
		if (this.seen.size >= this.limit) return OTHER;
		this.seen.add(value);
		return value;
	}

	get size(): number {
		return this.seen.size;
	}
}
