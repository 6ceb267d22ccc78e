import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Redis, { Cluster, type RedisOptions } from 'ioredis';

import { LruMap } from './lruMap';

/**
 * Redis could not be reached or did not answer in time. The trigger answers 503 with a Retry-After header: a webhook
 * sender retries later, which is better than accepting an event we cannot de-duplicate or rate-limit.
 * The message never contains connection details or credentials.
 */
export class StoreUnavailableError extends Error {
	readonly retryAfterSeconds: number;

	constructor(options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
		super('Redis store unavailable', { cause: options.cause });
		this.name = 'StoreUnavailableError';
		this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
	}
}

/** Fields of n8n's built-in Redis credential (n8n-nodes-base credentials/Redis.credentials). */
export interface RedisCredentialData {
	host?: unknown;
	port?: unknown;
	user?: unknown;
	password?: unknown;
	database?: unknown;
	ssl?: unknown;
	disableTlsVerification?: unknown;
}

/** A single Redis server, or a Redis Cluster (n8n's QUEUE_BULL_REDIS_CLUSTER_NODES): the stores use either alike. */
export type RedisClient = Redis | Cluster;

/** Where the stores connect: `options` for one server, or the seed nodes of a cluster with `options` for each node. */
export interface RedisTarget {
	options: RedisOptions;
	clusterNodes?: Array<{ host: string; port: number }>;
}

/** How long a request may wait for a connection that is being made before the store counts as unavailable. */
export const REDIS_READY_TIMEOUT_MS = 2000;
const MAX_POOLED_CONNECTIONS = 32;
// Bounded by hand, not by LruMap's own bound: a client that is dropped must also be disconnected.
const pool = new LruMap<RedisClient>();

/**
 * Connection options from n8n's own queue-mode variables, so a scaled n8n needs no extra configuration:
 * QUEUE_BULL_REDIS_HOST (localhost), _PORT (6379), _USERNAME, _PASSWORD, _DB (0), _TLS (false),
 * _TLS_SERVERNAME, _TLS_VALIDATE_CERTIFICATE (true), _DUALSTACK (false). Like n8n, each may instead be read
 * from the file named by the same variable with a `_FILE` suffix.
 */
export function redisOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RedisOptions {
	const read = (name: string): string | undefined => readEnv(env, `QUEUE_BULL_REDIS_${name}`);
	const options: RedisOptions = {
		host: read('HOST') || 'localhost',
		port: integerOr(read('PORT'), 6379),
		db: integerOr(read('DB'), 0),
	};
	const username = read('USERNAME');
	const password = read('PASSWORD');
	if (username) options.username = username;
	if (password) options.password = password;
	if (booleanOr(read('DUALSTACK'), false)) options.family = 0;
	if (booleanOr(read('TLS'), false)) {
		options.tls = {
			servername: read('TLS_SERVERNAME') || undefined,
			rejectUnauthorized: booleanOr(read('TLS_VALIDATE_CERTIFICATE'), true),
		};
	}
	return options;
}

/**
 * Where n8n's own queue-mode variables point: the cluster named by QUEUE_BULL_REDIS_CLUSTER_NODES
 * (`host:port,host:port`, as n8n reads it; then HOST, PORT and DB are not used), otherwise one server.
 */
export function redisTargetFromEnv(env: NodeJS.ProcessEnv = process.env): RedisTarget {
	const options = redisOptionsFromEnv(env);
	const clusterNodes = (readEnv(env, 'QUEUE_BULL_REDIS_CLUSTER_NODES') ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '')
		.map((entry) => {
			const separator = entry.lastIndexOf(':');
			return separator > 0
				? { host: entry.slice(0, separator), port: integerOr(entry.slice(separator + 1), 6379) }
				: { host: entry, port: 6379 };
		});
	return clusterNodes.length > 0 ? { options, clusterNodes } : { options };
}

/** Connection options from n8n's built-in Redis credential (fields host, port, user, password, database, ssl, ...). */
export function redisOptionsFromCredential(credential: RedisCredentialData): RedisOptions {
	const options: RedisOptions = {
		host: typeof credential.host === 'string' && credential.host.trim() !== '' ? credential.host.trim() : 'localhost',
		port: integerOr(credential.port, 6379),
		db: integerOr(credential.database, 0),
	};
	if (typeof credential.user === 'string' && credential.user !== '') options.username = credential.user;
	if (typeof credential.password === 'string' && credential.password !== '') options.password = credential.password;
	if (credential.ssl === true) {
		options.tls = { rejectUnauthorized: credential.disableTlsVerification !== true };
	}
	return options;
}

/**
 * One client per distinct connection, shared by every store and every webhook request of the process.
 * The client fails fast: no offline queue, one retry, short connect and command timeouts. A webhook request must
 * not hang while Redis is down; it gets a StoreUnavailableError and the sender retries later.
 */
export function getSharedRedis(target: RedisOptions | RedisTarget): RedisClient {
	const { options, clusterNodes } = 'options' in target ? target : { options: target, clusterNodes: undefined };
	const key = connectionKey(options, clusterNodes);
	const existing = pool.get(key);
	if (existing !== undefined && existing.status !== 'end') return existing;
	if (existing !== undefined) pool.delete(key);

	const failFast: RedisOptions = {
		maxRetriesPerRequest: 1,
		connectTimeout: 2000,
		commandTimeout: 2000,
		// How long disconnect() waits for a graceful close; ioredis keeps the process alive that long.
		disconnectTimeout: 500,
	};
	const retry = (attempt: number) => Math.min(attempt * 200, 2000);
	const client: RedisClient = clusterNodes
		? new Cluster(clusterNodes, {
				redisOptions: { ...perClusterNode(options), ...failFast },
				enableOfflineQueue: false,
				enableAutoPipelining: true,
				clusterRetryStrategy: retry,
			})
		: new Redis({ ...options, ...failFast, enableOfflineQueue: false, enableAutoPipelining: true, retryStrategy: retry });
	// Without a listener ioredis prints every failed reconnect attempt; the failure reaches the caller instead,
	// as a StoreUnavailableError from the command that needed Redis.
	client.on('error', () => undefined);
	pool.set(key, client);

	if (pool.size > MAX_POOLED_CONNECTIONS) pool.removeOldest()?.value.disconnect();
	return client;
}

/** The options every node of a cluster shares: credentials and TLS; the nodes have their own addresses and no databases. */
function perClusterNode(options: RedisOptions): RedisOptions {
	const shared: RedisOptions = {};
	if (options.username !== undefined) shared.username = options.username;
	if (options.password !== undefined) shared.password = options.password;
	if (options.tls !== undefined) shared.tls = options.tls;
	if (options.family !== undefined) shared.family = options.family;
	return shared;
}

/** Closes every pooled client (tests, shutdown). */
export async function closeAllRedis(): Promise<void> {
	const clients = pool.values();
	pool.clear();
	await Promise.all(clients.map(closeRedis));
}

/** Closes one client: politely when connected, at once otherwise; resolves once its socket is closed. Never throws. */
export async function closeRedis(client: RedisClient): Promise<void> {
	const hasSocket = client.status === 'connecting' || client.status === 'connect' || client.status === 'ready';
	if (!hasSocket) {
		// Between reconnect attempts there is no socket: disconnect() only cancels the next attempt.
		if (client.status !== 'end') client.disconnect();
		return;
	}
	const ended = new Promise<void>((resolve) => {
		client.once('end', () => resolve());
		setTimeout(resolve, 3000).unref();
	});
	let quit = false;
	if (client.status === 'ready') {
		try {
			await client.quit();
			quit = true;
		} catch {
			// fall through to a hard disconnect
		}
	}
	if (!quit) client.disconnect();
	await ended;
}

/**
 * Runs a command once the client is connected. A client that is still connecting is waited for (briefly); one that
 * has lost its connection fails at once. Any failure, including a Redis error reply, becomes a StoreUnavailableError.
 */
export async function runRedisCommand<T>(client: RedisClient, command: () => Promise<T>): Promise<T> {
	try {
		await whenReady(client, REDIS_READY_TIMEOUT_MS);
		return await command();
	} catch (error) {
		if (error instanceof StoreUnavailableError) throw error;
		throw new StoreUnavailableError({ cause: error });
	}
}

/** A Lua script for Redis, with the SHA1 that EVALSHA names it by. */
export interface RedisScript {
	source: string;
	sha: string;
}

export function redisScript(source: string): RedisScript {
	return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs a script atomically inside Redis (through runRedisCommand): EVALSHA, and the script itself once when the server
 * does not know it yet (first call, SCRIPT FLUSH, a failover).
 */
export async function runRedisScript(client: RedisClient, script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
	return await runRedisCommand(client, async () => {
		try {
			return await client.evalsha(script.sha, keys.length, ...keys, ...args);
		} catch (error) {
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			return await client.eval(script.source, keys.length, ...keys, ...args);
		}
	});
}

async function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
	switch (client.status) {
		case 'ready':
			return;
		case 'wait':
			// lazyConnect clients: connect() resolves when ready and rejects on failure.
			await client.connect();
			return;
		case 'connecting':
		case 'connect':
			break;
		default:
			// 'reconnecting', 'close', 'end': the connection was lost; ioredis keeps retrying in the background.
			throw new StoreUnavailableError();
	}
	await new Promise<void>((resolve, reject) => {
		const cleanUp = () => {
			clearTimeout(timer);
			client.off('ready', onReady);
			client.off('error', onFailure);
			client.off('end', onFailure);
			client.off('reconnecting', onFailure);
		};
		const onReady = () => {
			cleanUp();
			resolve();
		};
		const onFailure = (error?: unknown) => {
			cleanUp();
			reject(new StoreUnavailableError({ cause: error }));
		};
		const timer = setTimeout(onFailure, timeoutMs);
		client.once('ready', onReady);
		client.once('error', onFailure);
		client.once('end', onFailure);
		client.once('reconnecting', onFailure);
	});
}

function connectionKey(options: RedisOptions, clusterNodes: RedisTarget['clusterNodes']): string {
	const identity = JSON.stringify([
		clusterNodes ?? null,
		options.host,
		options.port,
		options.path,
		options.username,
		options.password,
		options.db,
		options.family,
		options.tls,
	]);
	// Hashed so the pool's keys do not hold a second copy of the password.
	return createHash('sha256').update(identity).digest('hex');
}

function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const direct = env[name];
	if (direct !== undefined) return stripQuotes(direct.trim());
	const file = env[`${name}_FILE`];
	if (file) {
		try {
			return readFileSync(file, 'utf8').trim();
		} catch {
			return undefined;
		}
	}
	return undefined;
}

function stripQuotes(value: string): string {
	return value.replace(/^(['"])(.*)\1$/, '$2');
}

function integerOr(value: unknown, fallback: number): number {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : fallback;
	if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return fallback;
	return Number(value.trim());
}

function booleanOr(value: string | undefined, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	const normalized = value.toLowerCase();
	if (normalized === 'true' || normalized === '1') return true;
	if (normalized === 'false' || normalized === '0') return false;
	return fallback;
}
