import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	redisOptionsFromCredential,
	redisOptionsFromEnv,
	redisTargetFromEnv,
	StoreUnavailableError,
} from '../../../../nodes/shared/stores/redisConnection';

describe('redisOptionsFromEnv', () => {
	it("uses n8n's defaults when nothing is set", () => {
		expect(redisOptionsFromEnv({})).toEqual({ host: 'localhost', port: 6379, db: 0 });
	});

	it("reads n8n's QUEUE_BULL_REDIS_* variables", () => {
		expect(
			redisOptionsFromEnv({
				QUEUE_BULL_REDIS_HOST: 'redis.internal',
				QUEUE_BULL_REDIS_PORT: '6380',
				QUEUE_BULL_REDIS_USERNAME: 'n8n',
				QUEUE_BULL_REDIS_PASSWORD: 's3cret',
				QUEUE_BULL_REDIS_DB: '3',
			}),
		).toEqual({ host: 'redis.internal', port: 6380, db: 3, username: 'n8n', password: 's3cret' });
	});

	it('enables TLS for true or 1 and honours the certificate settings', () => {
		expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_TLS: 'true' }).tls).toEqual({
			servername: undefined,
			rejectUnauthorized: true,
		});
		expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_TLS: '1' }).tls).toBeDefined();
		expect(
			redisOptionsFromEnv({
				QUEUE_BULL_REDIS_TLS: 'TRUE',
				QUEUE_BULL_REDIS_TLS_SERVERNAME: 'redis.example.com',
				QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: 'false',
			}).tls,
		).toEqual({ servername: 'redis.example.com', rejectUnauthorized: false });
		expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_TLS: 'false' }).tls).toBeUndefined();
		expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_TLS: 'yes please' }).tls).toBeUndefined();
	});

	it('uses both address families with QUEUE_BULL_REDIS_DUALSTACK', () => {
		expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_DUALSTACK: 'true' }).family).toBe(0);
		expect(redisOptionsFromEnv({}).family).toBeUndefined();
	});

	it('falls back to defaults for unusable numbers and strips quotes like n8n', () => {
		expect(
			redisOptionsFromEnv({ QUEUE_BULL_REDIS_PORT: 'abc', QUEUE_BULL_REDIS_DB: '-1', QUEUE_BULL_REDIS_HOST: '"quoted"' }),
		).toEqual({ host: 'quoted', port: 6379, db: 0 });
		expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_HOST: '' }).host).toBe('localhost');
	});

	it('reads a value from the file named by a _FILE variable, as n8n does', () => {
		const dir = mkdtempSync(join(tmpdir(), 'redis-env-'));
		try {
			const file = join(dir, 'password');
			writeFileSync(file, 'from-file\n');
			expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_PASSWORD_FILE: file }).password).toBe('from-file');
			expect(
				redisOptionsFromEnv({ QUEUE_BULL_REDIS_PASSWORD_FILE: file, QUEUE_BULL_REDIS_PASSWORD: 'direct' }).password,
			).toBe('direct');
			expect(redisOptionsFromEnv({ QUEUE_BULL_REDIS_PASSWORD_FILE: join(dir, 'missing') }).password).toBeUndefined();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('redisTargetFromEnv', () => {
	it('one server when QUEUE_BULL_REDIS_CLUSTER_NODES is not set', () => {
		expect(redisTargetFromEnv({ QUEUE_BULL_REDIS_HOST: 'redis' })).toEqual({ options: { host: 'redis', port: 6379, db: 0 } });
		expect(redisTargetFromEnv({ QUEUE_BULL_REDIS_CLUSTER_NODES: ' , ' }).clusterNodes).toBeUndefined();
	});

	it("a cluster from n8n's QUEUE_BULL_REDIS_CLUSTER_NODES (host:port list), credentials and TLS from the other variables", () => {
		const target = redisTargetFromEnv({
			QUEUE_BULL_REDIS_CLUSTER_NODES: 'redis-1:7000, redis-2:7001,redis-3',
			QUEUE_BULL_REDIS_PASSWORD: 'pw',
			QUEUE_BULL_REDIS_TLS: 'true',
		});
		expect(target.clusterNodes).toEqual([
			{ host: 'redis-1', port: 7000 },
			{ host: 'redis-2', port: 7001 },
			{ host: 'redis-3', port: 6379 },
		]);
		expect(target.options).toMatchObject({ password: 'pw', tls: { rejectUnauthorized: true } });
	});
});

describe('redisOptionsFromCredential', () => {
	it("maps the fields of n8n's Redis credential", () => {
		expect(
			redisOptionsFromCredential({
				host: 'cache.example.com',
				port: 6390,
				user: 'default',
				password: 'pw',
				database: 4,
				ssl: false,
			}),
		).toEqual({ host: 'cache.example.com', port: 6390, db: 4, username: 'default', password: 'pw' });
	});

	it('turns on TLS with ssl, verifying certificates unless disableTlsVerification', () => {
		expect(redisOptionsFromCredential({ host: 'h', ssl: true }).tls).toEqual({ rejectUnauthorized: true });
		expect(redisOptionsFromCredential({ host: 'h', ssl: true, disableTlsVerification: true }).tls).toEqual({
			rejectUnauthorized: false,
		});
		expect(redisOptionsFromCredential({ host: 'h', ssl: false, disableTlsVerification: true }).tls).toBeUndefined();
	});

	it('uses the credential defaults for missing or empty fields', () => {
		expect(redisOptionsFromCredential({})).toEqual({ host: 'localhost', port: 6379, db: 0 });
		expect(redisOptionsFromCredential({ host: ' ', user: '', password: '' })).toEqual({
			host: 'localhost',
			port: 6379,
			db: 0,
		});
	});
});

describe('StoreUnavailableError', () => {
	it('carries a Retry-After and its cause, and a message without connection details', () => {
		const cause = new Error('connect ECONNREFUSED 10.1.2.3:6379 password=hunter2');
		const error = new StoreUnavailableError({ cause });
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('StoreUnavailableError');
		expect(error.message).toBe('Redis store unavailable');
		expect(error.retryAfterSeconds).toBe(5);
		expect(error.cause).toBe(cause);
		expect(new StoreUnavailableError({ retryAfterSeconds: 30 }).retryAfterSeconds).toBe(30);
	});
});
