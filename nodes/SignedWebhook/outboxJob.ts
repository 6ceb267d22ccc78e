import type { OutboxDelivery, OutboxProgress } from './outboxRecord';
import type { RedisOutbox } from './redisOutbox';

/**
 * One run's hold on outbox jobs: writes in order per delivery, renews the leases while the run lasts, and tells once
 * when a write failed (the delivery goes on; after a crash it may then repeat an attempt, never lose the event).
 */
export class OutboxLease {
	private readonly jobs = new Set<string>();

	private readonly pending = new Map<string, Promise<void>>();

	private readonly timer: NodeJS.Timeout;

	private warned = false;

	constructor(
		private readonly outbox: RedisOutbox,
		readonly owner: string,
		private readonly leaseMs: number,
		private readonly warn: (message: string) => void,
	) {
		// A third of the lease: two renewals can fail before another run may take the jobs over.
		this.timer = setInterval(() => void this.renewAll(), Math.max(100, Math.floor(leaseMs / 3)));
		this.timer.unref();
	}

	/** A new job owned by this run; throws when the outbox cannot be reached (then nothing must be sent). */
	async create(jobId: string): Promise<void> {
		await this.outbox.createJob(jobId, this.owner, this.leaseMs);
		this.jobs.add(jobId);
	}

	/** Jobs this run took over from others. */
	adopt(jobIds: readonly string[]): void {
		for (const id of jobIds) this.jobs.add(id);
	}

	/** Stores a delivery before its first attempt; throws when the outbox cannot be reached. */
	async putDelivery(jobId: string, index: number, delivery: OutboxDelivery): Promise<void> {
		await this.outbox.putDelivery(jobId, this.owner, index, delivery);
	}

	/** Queues a progress write behind the earlier ones of the same delivery. */
	putProgress(jobId: string, index: number, progress: OutboxProgress): void {
		const key = `${jobId}:${index}`;
		const previous = this.pending.get(key) ?? Promise.resolve();
		const next = previous.then(async () => {
			try {
				await this.outbox.putProgress(jobId, this.owner, index, progress);
			} catch (error) {
				this.warnOnce(`could not record a delivery's progress in the outbox: ${(error as Error).message}`);
			}
		});
		this.pending.set(key, next);
	}

	/** Waits for the queued writes, then removes the finished jobs and hands the interrupted ones over. */
	async settle(jobIds: Iterable<string>, interrupted: ReadonlySet<string>): Promise<void> {
		clearInterval(this.timer);
		await Promise.all(this.pending.values());
		for (const jobId of jobIds) {
			try {
				if (interrupted.has(jobId)) await this.outbox.release(jobId, this.owner);
				else await this.outbox.complete(jobId, this.owner);
			} catch (error) {
				// The lease runs out by itself: the job is continued, and its outcomes emitted, once more.
				this.warnOnce(`could not settle an outbox job: ${(error as Error).message}`);
			}
		}
	}

	/** Stops renewing without touching the jobs (their leases run out). */
	stop(): void {
		clearInterval(this.timer);
	}

	private async renewAll(): Promise<void> {
		try {
			await this.outbox.renew([...this.jobs], this.owner, this.leaseMs);
		} catch (error) {
			this.warnOnce(`could not renew the outbox lease: ${(error as Error).message}`);
		}
	}

	private warnOnce(message: string): void {
		if (this.warned) return;
		this.warned = true;
		this.warn(message);
	}
}
