import { LruMap } from '../shared/stores/lruMap';

interface Entry<T> {
	loadedAt: number;
	expiresAt: number;
	value: Promise<T>;
}

/**
 * Decrypted credentials, per trigger, for a few seconds. Without it every request pays n8n's credential
 * lookup (a database read, a decryption, defaults and overwrites), which is what separates an authenticating
 * trigger from n8n's open Webhook node. The key names the workflow, the node and the credential, so nothing
 * is shared between triggers. Loads of one key run once at a time; a failed load is not remembered.
 */
export class SecretsCache<T> {
	private readonly entries = new LruMap<Entry<T>>();

	constructor(
		private readonly maxEntries: number,
		private readonly now: () => number = () => Date.now(),
	) {}

	get size(): number {
		return this.entries.size;
	}

	/** The remembered value while younger than `maxAgeMs`, otherwise a fresh load. `maxAgeMs` ≤ 0: always load, remember nothing. */
	async get(key: string, load: () => Promise<T>, maxAgeMs: number): Promise<T> {
		if (maxAgeMs <= 0) return await load();
		const now = this.now();
		const entry = this.entries.get(key);
		if (entry !== undefined && entry.expiresAt > now) return await entry.value;
		return await this.store(key, load, now, maxAgeMs);
	}

	/**
	 * After a verification failed with a remembered value: the value as it is stored now, unless it was read
	 * less than `minAgeMs` ago (then it cannot have helped to read it again, and a flood of bad requests costs
	 * at most one lookup per `minAgeMs`). Undefined when nothing is remembered or it is that recent.
	 */
	async reload(key: string, load: () => Promise<T>, minAgeMs: number): Promise<T | undefined> {
		const entry = this.entries.get(key);
		const now = this.now();
		if (entry === undefined || now - entry.loadedAt < minAgeMs) return undefined;
		return await this.store(key, load, now, entry.expiresAt - entry.loadedAt);
	}

	private async store(key: string, load: () => Promise<T>, now: number, maxAgeMs: number): Promise<T> {
		const entry: Entry<T> = { loadedAt: now, expiresAt: now + maxAgeMs, value: load() };
		this.entries.set(key, entry);
		this.evict(now);
		try {
			return await entry.value;
		} catch (error) {
			if (this.entries.peek(key) === entry) this.entries.delete(key);
			throw error;
		}
	}

	/** Over the bound, or expired at the least recently used end: secrets do not linger after their trigger went quiet. */
	private evict(now: number): void {
		for (let oldest = this.entries.peekOldest(); oldest !== undefined; oldest = this.entries.peekOldest()) {
			if (this.entries.size <= this.maxEntries && oldest.value.expiresAt > now) return;
			this.entries.removeOldest();
		}
	}
}
