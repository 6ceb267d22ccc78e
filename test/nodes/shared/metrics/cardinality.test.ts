import { randomBytes, randomUUID } from 'node:crypto';

import { triggerRequestMetrics, useMetricsForTests } from '../../../../nodes/shared/metrics';
import { DELIVERY_DURATION_BUCKETS, HOST_LIMIT } from '../../../../nodes/shared/metrics/senderMetrics';
import { type ObservedTriggerResult, TRIGGER_DURATION_BUCKETS, TRIGGER_IDENTITY_LIMIT, TRIGGER_REJECTION_REASONS } from '../../../../nodes/shared/metrics/triggerMetrics';
import { ConcurrencyLimiter } from '../../../../nodes/SignedWebhook/concurrencyLimiter';
import { deliver, type DeliveryPolicy } from '../../../../nodes/SignedWebhook/deliver';
import { isolatedPromClient, seriesCount } from './promRegistry';

const REQUESTS = 10_000;
const PROVIDERS = ['stripe', 'github', 'standardWebhooks', 'slack'];
const random = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const randomText = () => randomBytes(6).toString('hex');

/** What one trigger request can end as: every outcome, every rejection reason. */
const RESULTS = [
	{ kind: 'accept' as const },
	{ kind: 'respond' as const, response: { status: 200, body: { status: 'ignored' } } },
	{ kind: 'respond' as const, response: { status: 200, body: { status: 'duplicate' } } },
	{ kind: 'respond' as const, response: { status: 200, body: { challenge: 'x' } } },
	...['rate_limited', 'ip_not_allowed', 'payload_too_large', 'unsupported_content_type', 'schema_mismatch', 'store_unavailable', 'internal_error'].map(
		(rejection) => ({ kind: 'respond' as const, response: { status: 400, body: {}, rejection } }),
	),
	...['missing_signature', 'invalid_signature', 'timestamp_out_of_tolerance', 'malformed_signature', 'missing_key'].map((reason) => ({
		kind: 'respond' as const,
		response: { status: 401, body: {}, rejection: 'invalid_signature' },
		state: { failure: { result: { reason } } },
	})),
];

const policy: DeliveryPolicy = {
	schedule: { kind: 'explicit', delaysMs: [1] },
	retryAfterMaxMs: 1000,
	timeBudgetMs: 0,
	timeoutMs: 1000,
};

/** `rounds` × 10,000 requests and deliveries, each with a random event id, path, node name, workflow id and host. */
async function traffic(rounds: number): Promise<void> {
	for (let index = 0; index < REQUESTS * rounds; index++) {
		const nodeName = `Trigger ${randomText()}`;
		const workflowId = randomUUID();
		const observe = triggerRequestMetrics({ getNode: () => ({ name: nodeName }), getWorkflow: () => ({ id: workflowId }), getMode: () => 'webhook' });
		observe.observe({ provider: { id: random(PROVIDERS) } }, random(RESULTS) as ObservedTriggerResult);

		const url = new URL(`https://${randomText()}.example.com:${1000 + (index % 5000)}/hooks/evt_${randomUUID()}?event=${randomText()}`);
		const status = [200, 404, 503][index % 3];
		await deliver({ url, method: 'POST', body: Buffer.from(`{"id":"evt_${randomUUID()}"}`), headers: {}, sign: () => ({}) }, policy, {
			send: async () => (index % 7 === 0 ? { kind: 'error', type: 'timeout', message: 'timed out' } : { kind: 'response', status, headers: {}, body: Buffer.alloc(0), truncated: false, finalUrl: url }),
			limiter: new ConcurrencyLimiter(1),
			clock: { now: () => 0, sleep: async () => undefined },
			random: () => 0,
		});
	}
}

describe('label cardinality', () => {
	afterAll(() => useMetricsForTests(undefined));

	it('stays bounded after 10,000 requests and deliveries with random ids, paths, node names, workflow ids and hosts', async () => {
		const { client, registry } = isolatedPromClient();
		useMetricsForTests(client, { enabled: true, prefix: 'n8n_', includeWorkflowIdLabel: true });

		await traffic(1);
		const afterFirst = await seriesCount(registry);
		await traffic(1);
		const afterSecond = await seriesCount(registry);

		// The most series the label bounds allow (text-format lines: a histogram is its buckets, +Inf, _sum and _count).
		const outcomesAndReasons = 4 + TRIGGER_REJECTION_REASONS.length;
		const identities = TRIGGER_IDENTITY_LIMIT + PROVIDERS.length; // admitted pairs, plus "other" per provider
		const triggerBound = identities * outcomesAndReasons + 5 * PROVIDERS.length * (TRIGGER_DURATION_BUCKETS.length + 3);
		const hosts = HOST_LIMIT + 1;
		const attemptClasses = 12;
		const senderBound = hosts * (3 + attemptClasses + 1 + 1) + 3 * hosts * (DELIVERY_DURATION_BUCKETS.length + 3);
		process.stdout.write(
			`[cardinality] series after ${REQUESTS} requests + ${REQUESTS} deliveries: ${afterFirst}; after ${2 * REQUESTS} each: ${afterSecond}; bound ${triggerBound + senderBound}\n`,
		);
		expect(afterSecond).toBe(afterFirst);
		expect(afterFirst).toBeLessThanOrEqual(triggerBound + senderBound);
		const text = await registry.metrics();
		expect(text).not.toMatch(/evt_|hooks\/|event=/);
	}, 120_000);
});
