/**
 * Bounds how many tasks run at once; the rest wait in arrival order. Deliveries take a slot only for the
 * duration of one HTTP attempt, never while waiting to retry, so one slow destination's backoff does not
 * hold up other items.
 */
export class ConcurrencyLimiter {
	private running = 0;

	private peak = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError('The concurrency limit must be a whole number of at least 1');
	}

	/** Tasks running right now. */
	get active(): number {
		return this.running;
	}

	/** The most tasks that ever ran at the same time. */
	get peakActive(): number {
		return this.peak;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	private async acquire(): Promise<void> {
		if (this.running < this.limit) {
			this.take();
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private take(): void {
		this.running++;
		if (this.running > this.peak) this.peak = this.running;
	}

	private release(): void {
		const next = this.waiting.shift();
		if (next) {
			// The slot passes straight to the next waiter: `running` stays the same.
			next();
			return;
		}
		this.running--;
	}
}
