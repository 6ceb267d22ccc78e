import { getSharedRedis, redisOptionsFromCredential, redisTargetFromEnv, type RedisCredentialData } from '../shared/stores/redisConnection';
import type { RateLimiter } from '../shared/stores/rateLimiter';
import { RedisTokenBucket } from '../shared/stores/rateLimiter';
import type { ReplayStore } from '../shared/stores/replayStore';
import { RedisReplayStore } from '../shared/stores/replayStore';
import { getMemoryReplayStore, getMemoryTokenBucket } from '../shared/stores/storeRegistry';
import type { TriggerConfig } from './config';

const KEY_ROOT = 'n8n-ai-webhooks';

export interface StoreScope {
	/** workflow id + node id (+ execution mode): one de-dupe namespace and one rate-limit bucket set per node. */
	scope: string;
	/** n8n's Redis credential when the node has one, else n8n's own QUEUE_BULL_REDIS_* environment (a cluster too). */
	redisCredential?: RedisCredentialData;
}

function redisFor(scope: StoreScope) {
	return getSharedRedis(scope.redisCredential ? redisOptionsFromCredential(scope.redisCredential) : redisTargetFromEnv());
}

export function replayStoreFor(config: TriggerConfig, scope: StoreScope): ReplayStore | undefined {
	switch (config.dedupeStore) {
		case 'off':
			return undefined;
		case 'redis':
			return new RedisReplayStore(redisFor(scope), `${KEY_ROOT}:seen:${scope.scope}:`);
		default:
			return getMemoryReplayStore(scope.scope, { maxEntries: config.dedupeMaxEntries });
	}
}

export function rateLimiterFor(config: TriggerConfig, scope: StoreScope): RateLimiter | undefined {
	if (!(config.rateLimitPerSecond > 0)) return undefined;
	if (config.rateLimitStore === 'redis') {
		return new RedisTokenBucket(
			redisFor(scope),
			`${KEY_ROOT}:rate:${scope.scope}:`,
			config.rateLimitPerSecond,
			config.rateLimitBurst,
		);
	}
	return getMemoryTokenBucket(scope.scope, { ratePerSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst });
}
