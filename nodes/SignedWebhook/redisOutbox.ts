import { redisScript, runRedisCommand, runRedisScript, type RedisClient } from '../shared/stores/redisConnection';
import type { OutboxDelivery, OutboxProgress } from './outboxRecord';

export const OUTBOX_KEY_PREFIX = 'n8n-ai-webhooks:outbox:';

/** How long an outbox job nobody continues is kept: long enough for any outage, short enough not to pile up forever. */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * A job is what one run of the node sends: its deliveries (one hash field per delivery for what is sent, one for
 * where it stands) under a lease held by the run that owns it. The owner renews the lease while it runs; a lease that
 * ran out (the process died, or the execution was stopped) lets another run take the job over and continue it.
 *
 * Keys of one outbox share a Redis Cluster hash slot (`{scope}`), so every script runs on one node:
 * - `<prefix>{<scope>}:leases`: sorted set of job ids, scored by lease expiry (ms, Redis server time)
 * - `<prefix>{<scope>}:job:<id>`: hash `owner`, `d:<n>` (OutboxDelivery JSON), `p:<n>` (OutboxProgress JSON)
 * All lease arithmetic uses the Redis server's clock, so processes with skewed clocks agree on when a lease ends.
 */
export interface StoredJob {
	id: string;
	deliveries: Array<{ index: number; delivery: OutboxDelivery; progress?: OutboxProgress }>;
}

const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: leases, job. ARGV: job id, owner token, lease ms, retention ms.
const CREATE_SCRIPT = redisScript(`
${NOW_MS}
redis.call('HSET', KEYS[2], 'owner', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return 1
`);

// KEYS: job. ARGV: owner token, retention ms, then field/value pairs. Writes only while the caller owns the job.
const WRITE_SCRIPT = redisScript(`
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

// KEYS: leases, then jobs. ARGV: owner token, lease ms, then the job ids in KEYS order. Returns how many are still owned.
const RENEW_SCRIPT = redisScript(`
${NOW_MS}
local owned = 0
for i = 2, #KEYS do
	if redis.call('HGET', KEYS[i], 'owner') == ARGV[1] then
		redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i + 1])
		owned = owned + 1
	end
end
return owned
`);

// KEYS: leases, job. ARGV: job id, owner token.
const COMPLETE_SCRIPT = redisScript(`
if redis.call('HGET', KEYS[2], 'owner') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
`);

// KEYS: leases, job. ARGV: job id, owner token. The lease ends now: the next resume run takes the job over.
const RELEASE_SCRIPT = redisScript(`
if redis.call('HGET', KEYS[2], 'owner') ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], 'XX', 0, ARGV[1])
return 1
`);

// KEYS: leases. ARGV: most ids. The jobs whose lease has run out.
const EXPIRED_SCRIPT = redisScript(`
${NOW_MS}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
`);

// KEYS: leases, job. ARGV: job id, new owner token, lease ms. 1: taken over; 0: leased again meanwhile, or gone.
const TAKE_OVER_SCRIPT = redisScript(`
${NOW_MS}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > now then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then
	redis.call('ZREM', KEYS[1], ARGV[1])
	return 0
end
redis.call('HSET', KEYS[2], 'owner', ARGV[2])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return 1
`);

export class RedisOutbox {
	private readonly leasesKey: string;

	private readonly jobPrefix: string;

	constructor(
		private readonly redis: RedisClient,
		scope: string,
		private readonly retentionMs: number = OUTBOX_RETENTION_MS,
	) {
		const slot = `{${scope.replace(/[{}]/g, '_')}}`;
		this.leasesKey = `${OUTBOX_KEY_PREFIX}${slot}:leases`;
		this.jobPrefix = `${OUTBOX_KEY_PREFIX}${slot}:job:`;
	}

	async createJob(jobId: string, owner: string, leaseMs: number): Promise<void> {
		await runRedisScript(this.redis, CREATE_SCRIPT, [this.leasesKey, this.jobKey(jobId)], [jobId, owner, String(leaseMs), String(this.retentionMs)]);
	}

	/** Stores what a delivery sends; false when the job is no longer the caller's. */
	async putDelivery(jobId: string, owner: string, index: number, delivery: OutboxDelivery): Promise<boolean> {
		return await this.write(jobId, owner, [`d:${index}`, JSON.stringify(delivery)]);
	}

	/** Stores where a delivery stands; false when the job is no longer the caller's. */
	async putProgress(jobId: string, owner: string, index: number, progress: OutboxProgress): Promise<boolean> {
		return await this.write(jobId, owner, [`p:${index}`, JSON.stringify(progress)]);
	}

	/** Extends the leases of the jobs the caller still owns; returns how many those are. */
	async renew(jobIds: readonly string[], owner: string, leaseMs: number): Promise<number> {
		if (jobIds.length === 0) return 0;
		const reply = await runRedisScript(
			this.redis,
			RENEW_SCRIPT,
			[this.leasesKey, ...jobIds.map((id) => this.jobKey(id))],
			[owner, String(leaseMs), ...jobIds],
		);
		return Number(reply);
	}

	/** Removes a job whose deliveries have all reached their outcome and been handed to n8n. */
	async complete(jobId: string, owner: string): Promise<boolean> {
		return Number(await runRedisScript(this.redis, COMPLETE_SCRIPT, [this.leasesKey, this.jobKey(jobId)], [jobId, owner])) === 1;
	}

	/** Ends the caller's lease at once, so that the next resume run continues the job. */
	async release(jobId: string, owner: string): Promise<boolean> {
		return Number(await runRedisScript(this.redis, RELEASE_SCRIPT, [this.leasesKey, this.jobKey(jobId)], [jobId, owner])) === 1;
	}

	/** Takes over up to `limit` jobs whose lease has run out; the caller owns them afterwards. */
	async takeOver(owner: string, leaseMs: number, limit: number): Promise<string[]> {
		const expired = await runRedisScript(this.redis, EXPIRED_SCRIPT, [this.leasesKey], [String(limit)]);
		const taken: string[] = [];
		for (const id of Array.isArray(expired) ? expired.map(String) : []) {
			const reply = await runRedisScript(this.redis, TAKE_OVER_SCRIPT, [this.leasesKey, this.jobKey(id)], [id, owner, String(leaseMs)]);
			if (Number(reply) === 1) taken.push(id);
		}
		return taken;
	}

	async load(jobId: string): Promise<StoredJob> {
		const fields = await runRedisCommand(this.redis, () => this.redis.hgetall(this.jobKey(jobId)));
		const deliveries: StoredJob['deliveries'] = [];
		for (const [field, value] of Object.entries(fields)) {
			const match = /^d:(\d+)$/.exec(field);
			if (!match) continue;
			const progress = fields[`p:${match[1]}`];
			deliveries.push({
				index: Number(match[1]),
				delivery: JSON.parse(value) as OutboxDelivery,
				...(progress !== undefined ? { progress: JSON.parse(progress) as OutboxProgress } : {}),
			});
		}
		return { id: jobId, deliveries: deliveries.sort((a, b) => a.index - b.index) };
	}

	/** Job ids in the outbox, leased or not (tests, diagnostics). */
	async jobIds(): Promise<string[]> {
		return await runRedisCommand(this.redis, () => this.redis.zrange(this.leasesKey, 0, -1));
	}

	private async write(jobId: string, owner: string, fieldsAndValues: string[]): Promise<boolean> {
		const reply = await runRedisScript(this.redis, WRITE_SCRIPT, [this.jobKey(jobId)], [owner, String(this.retentionMs), ...fieldsAndValues]);
		return Number(reply) === 1;
	}

	private jobKey(jobId: string): string {
		return this.jobPrefix + jobId;
	}
}
