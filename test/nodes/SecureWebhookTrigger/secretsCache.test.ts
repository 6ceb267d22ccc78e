import { SecretsCache } from '../../../nodes/SecureWebhookTrigger/secretsCache';

describe('SecretsCache', () => {
	let now: number;
	let cache: SecretsCache<string>;
	let loads: number;
	let stored: string;
	const load = async () => {
		loads++;
		return stored;
	};

	beforeEach(() => {
		now = 1_000_000;
		loads = 0;
		stored = 'v1';
		cache = new SecretsCache<string>(3, () => now);
	});

	it('reads once while the value is younger than maxAge, again after', async () => {
		expect(await cache.get('k', load, 10_000)).toBe('v1');
		now += 9_999;
		stored = 'v2';
		expect(await cache.get('k', load, 10_000)).toBe('v1');
		expect(loads).toBe(1);
		now += 1;
		expect(await cache.get('k', load, 10_000)).toBe('v2');
		expect(loads).toBe(2);
	});

	it('maxAge 0 reads every time and remembers nothing', async () => {
		await cache.get('k', load, 0);
		await cache.get('k', load, 0);
		expect(loads).toBe(2);
		expect(cache.size).toBe(0);
		expect(await cache.reload('k', load, 0)).toBeUndefined();
	});

	it('keys are separate', async () => {
		await cache.get('a', load, 10_000);
		stored = 'v2';
		expect(await cache.get('b', load, 10_000)).toBe('v2');
		expect(await cache.get('a', load, 10_000)).toBe('v1');
	});

	it('concurrent requests for a key share one read', async () => {
		let release!: (value: string) => void;
		const slow = () => {
			loads++;
			return new Promise<string>((resolve) => (release = resolve));
		};
		const pending = [cache.get('k', slow, 10_000), cache.get('k', slow, 10_000), cache.get('k', slow, 10_000)];
		release('v1');
		expect(await Promise.all(pending)).toEqual(['v1', 'v1', 'v1']);
		expect(loads).toBe(1);
	});

	it('a failed read is not remembered', async () => {
		const failing = async () => {
			loads++;
			throw new Error('credential not found');
		};
		await expect(cache.get('k', failing, 10_000)).rejects.toThrow('credential not found');
		expect(cache.size).toBe(0);
		expect(await cache.get('k', load, 10_000)).toBe('v1');
		expect(loads).toBe(2);
	});

	it('reload: nothing remembered, or read less than minAge ago → undefined without reading', async () => {
		expect(await cache.reload('k', load, 1_000)).toBeUndefined();
		await cache.get('k', load, 10_000);
		now += 999;
		expect(await cache.reload('k', load, 1_000)).toBeUndefined();
		expect(loads).toBe(1);
	});

	it('reload: read at least minAge ago → the stored value now, remembered for the same maxAge', async () => {
		await cache.get('k', load, 10_000);
		now += 1_000;
		stored = 'v2';
		expect(await cache.reload('k', load, 1_000)).toBe('v2');
		expect(loads).toBe(2);
		// A flood right after: no further reads for a second.
		expect(await cache.reload('k', load, 1_000)).toBeUndefined();
		now += 9_999;
		expect(await cache.get('k', load, 10_000)).toBe('v2');
		expect(loads).toBe(2);
		now += 1;
		await cache.get('k', load, 10_000);
		expect(loads).toBe(3);
	});

	it('holds at most maxEntries, dropping the least recently used', async () => {
		for (const key of ['a', 'b', 'c']) await cache.get(key, load, 10_000);
		await cache.get('a', load, 10_000);
		await cache.get('d', load, 10_000);
		expect(cache.size).toBe(3);
		expect(loads).toBe(4);
		await cache.get('a', load, 10_000);
		expect(loads).toBe(4);
		await cache.get('b', load, 10_000);
		expect(loads).toBe(5);
	});

	it('drops expired entries at the least recently used end when storing, so secrets do not linger', async () => {
		await cache.get('quiet', load, 1_000);
		now += 5_000;
		await cache.get('busy', load, 10_000);
		expect(cache.size).toBe(1);
	});
});
