import { Cluster } from 'ioredis';

import {
	closeAllRedis,
	closeRedis,
	getSharedRedis,
	redisTargetFromEnv,
	type RedisClient,
} from '../../../../nodes/shared/stores/redisConnection';
import { RedisTokenBucket } from '../../../../nodes/shared/stores/rateLimiter';
import { RedisReplayStore } from '../../../../nodes/shared/stores/replayStore';
import { describeWithRedis, startRedisCluster, type RedisCluster } from '../../../helpers/redisServer';
import { githubDelivery } from '../../../helpers/signedRequests';
import { TriggerHarness } from '../../../helpers/webhookHarness';

/**
 * n8n in queue mode can use a Redis Cluster (QUEUE_BULL_REDIS_CLUSTER_NODES). The stores then run against the
 * cluster, each of their scripts touching one key (one slot). A real 3-master cluster, started for these tests.
 */
describeWithRedis('the Redis stores on a Redis Cluster', () => {
	let cluster: RedisCluster;
	let shared: RedisClient;
	let other: Cluster;
	const saved = process.env.QUEUE_BULL_REDIS_CLUSTER_NODES;

	beforeAll(async () => {
		const started = await startRedisCluster(3);
		if (!started) throw new Error('redis-server disappeared');
		cluster = started;
		shared = getSharedRedis(redisTargetFromEnv({ QUEUE_BULL_REDIS_CLUSTER_NODES: cluster.clusterNodes }));
		// A second, independent connection: another webhook process.
		other = new Cluster(cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })));
		other.on('error', () => undefined);
	}, 30_000);

	afterAll(async () => {
		if (saved === undefined) delete process.env.QUEUE_BULL_REDIS_CLUSTER_NODES;
		else process.env.QUEUE_BULL_REDIS_CLUSTER_NODES = saved;
		await closeAllRedis();
		if (other) await closeRedis(other);
		await cluster?.stop();
	});

	it("n8n's cluster variable gives a cluster client", () => {
		expect(shared).toBeInstanceOf(Cluster);
	});

	it('two processes racing for 60 event ids claim each exactly once, the ids spread over the masters', async () => {
		const prefix = `cluster-test:${Date.now()}:`;
		const storeA = new RedisReplayStore(shared, prefix);
		const storeB = new RedisReplayStore(other, prefix);
		const keys = Array.from({ length: 60 }, (_, index) => `evt_${index}`);
		const outcomes = await Promise.all(keys.flatMap((key) => [storeA.claim(key, 60), storeB.claim(key, 60)]));
		expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(60);
		await Promise.all(keys.map((key) => storeA.confirm(key, 60)));
		expect(new Set(await Promise.all(keys.map((key) => storeB.claim(key, 60))))).toEqual(new Set(['duplicate']));
		const keysPerMaster = await Promise.all(other.nodes('master').map((node) => node.dbsize()));
		expect(keysPerMaster.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
	});

	it('one token bucket per client across processes', async () => {
		const prefix = `cluster-rate:${Date.now()}:`;
		const bucketA = new RedisTokenBucket(shared, prefix, 0.001, 3);
		const bucketB = new RedisTokenBucket(other, prefix, 0.001, 3);
		const decisions = [await bucketA.take('203.0.113.7'), await bucketB.take('203.0.113.7'), await bucketA.take('203.0.113.7'), await bucketB.take('203.0.113.7')];
		expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
	});

	it('the trigger de-duplicates through the cluster with nothing configured but n8n’s own variable', async () => {
		process.env.QUEUE_BULL_REDIS_CLUSTER_NODES = cluster.clusterNodes;
		const harness = new TriggerHarness({
			parameters: { path: 'cluster', scheme: 'github', dedupeStore: 'redis' },
			credentials: { webhookSigningApi: { secret: 'cluster-secret' } },
			nodeId: `cluster-${Date.now()}`,
		});
		await harness.start();
		try {
			const event = githubDelivery('cluster-secret');
			const first = await harness.send(event);
			expect(first.status).toBe(200);
			expect(first.workflowData).toHaveLength(1);
			const again = await harness.send(event);
			expect(again.status).toBe(200);
			expect(again.json).toEqual({ status: 'duplicate' });
			expect(again.workflowData).toBeUndefined();
		} finally {
			await harness.stop();
		}
	});
});
