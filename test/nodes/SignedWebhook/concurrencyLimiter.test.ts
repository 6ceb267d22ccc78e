import { ConcurrencyLimiter } from '../../../nodes/SignedWebhook/concurrencyLimiter';

function deferred(): { promise: Promise<void>; resolve: () => void } {
	let resolve = () => {};
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

describe('ConcurrencyLimiter', () => {
	it('never runs more tasks than the limit, and runs all of them', async () => {
		const limiter = new ConcurrencyLimiter(3);
		let running = 0;
		let peak = 0;
		const tasks = Array.from({ length: 20 }, (_, index) =>
			limiter.run(async () => {
				running++;
				peak = Math.max(peak, running);
				await new Promise((resolve) => setTimeout(resolve, 1 + (index % 4)));
				running--;
				return index;
			}),
		);
		expect(await Promise.all(tasks)).toEqual(Array.from({ length: 20 }, (_, index) => index));
		expect(peak).toBe(3);
		expect(limiter.peakActive).toBe(3);
		expect(limiter.active).toBe(0);
	});

	it('starts waiting tasks in arrival order', async () => {
		const limiter = new ConcurrencyLimiter(1);
		const gate = deferred();
		const started: number[] = [];
		const first = limiter.run(async () => {
			started.push(0);
			await gate.promise;
		});
		const rest = [1, 2, 3].map((index) => limiter.run(async () => void started.push(index)));
		await Promise.resolve();
		expect(started).toEqual([0]);
		gate.resolve();
		await Promise.all([first, ...rest]);
		expect(started).toEqual([0, 1, 2, 3]);
	});

	it('frees the slot when a task fails', async () => {
		const limiter = new ConcurrencyLimiter(1);
		await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(limiter.run(async () => 'next')).resolves.toBe('next');
		expect(limiter.active).toBe(0);
	});

	it('refuses a limit below 1', () => {
		expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
		expect(() => new ConcurrencyLimiter(1.5)).toThrow(RangeError);
	});
});
