import { useMetricsForTests } from '../../../../nodes/shared/metrics';
import { attemptResultClass, deliveryOutcome, hostLabel, retryAfterWaitMs } from '../../../../nodes/shared/metrics/senderMetrics';
import { ConcurrencyLimiter } from '../../../../nodes/SignedWebhook/concurrencyLimiter';
import { deliver, type Clock, type Delivery, type DeliveryDependencies, type DeliveryPolicy } from '../../../../nodes/SignedWebhook/deliver';
import { createConnectionPool, sendAttempt, type ConnectionPool } from '../../../../nodes/SignedWebhook/httpAttempt';
import { freePortForTests } from './freePort';
import { sequence, startLocalReceiver, type LocalReceiver } from '../../SignedWebhook/localReceiver';
import { isolatedPromClient, metricValue } from './promRegistry';

const P = 'n8n_signed_webhook_';

describe('sender metric values', () => {
	it('classes attempts by status class or failure kind, from a fixed set', () => {
		expect(attemptResultClass({ kind: 'response', status: 204 })).toBe('2xx');
		expect(attemptResultClass({ kind: 'response', status: 301 })).toBe('3xx');
		expect(attemptResultClass({ kind: 'response', status: 429 })).toBe('4xx');
		expect(attemptResultClass({ kind: 'response', status: 503 })).toBe('5xx');
		expect(attemptResultClass({ kind: 'response', status: 999 })).toBe('other_status');
		expect(attemptResultClass({ kind: 'error', type: 'timeout' })).toBe('timeout');
		expect(attemptResultClass({ kind: 'error', type: 'network' })).toBe('connection_error');
		expect(attemptResultClass({ kind: 'error', type: 'refused' })).toBe('refused');
		expect(attemptResultClass({ kind: 'error', type: 'invalidRequest' })).toBe('invalid_request');
		expect(attemptResultClass({ kind: 'error', type: 'cancelled' })).toBe('cancelled');
		expect(attemptResultClass({ kind: 'error', type: 'new' })).toBe('other_error');
	});

	it('labels a destination by host and port only, never path, query or credentials', () => {
		expect(hostLabel(new URL('https://user:pw@Hooks.Example.com/orders/123?token=abc'))).toBe('hooks.example.com');
		expect(hostLabel(new URL('http://127.0.0.1:8080/x'))).toBe('127.0.0.1:8080');
	});

	it('counts as Retry-After wait only the waits that followed an answer carrying it', () => {
		expect(retryAfterWaitMs([{ retryAfterMs: 7000 }, { scheduledDelayMs: 7000, retryAfterMs: 1000 }, { scheduledDelayMs: 2000 }])).toBe(9000);
		expect(retryAfterWaitMs([{}, { scheduledDelayMs: 1000 }, { scheduledDelayMs: 2000 }])).toBe(0);
		expect(retryAfterWaitMs([{ retryAfterMs: 5000 }])).toBe(0);
	});

	it('names the final outcome', () => {
		expect(deliveryOutcome({ delivered: true, attempts: [], totalTimeMs: 0 })).toBe('delivered');
		expect(deliveryOutcome({ delivered: false, attempts: [], totalTimeMs: 0, failureReason: 'HTTP 400 is not retried' })).toBe('dead_letter');
		expect(deliveryOutcome({ delivered: false, attempts: [], totalTimeMs: 0, failureReason: 'cancelled' })).toBe('cancelled');
	});
});

/** A clock whose sleeps return at once and move time forward. */
function fakeClock(): Clock {
	let now = Date.parse('2025-06-01T12:00:00Z');
	return {
		now: () => now,
		sleep: async (ms) => {
			now += ms;
		},
	};
}

describe('Signed Webhook metrics, counted around deliver()', () => {
	let receiver: LocalReceiver;
	let pool: ConnectionPool;
	let registry: ReturnType<typeof isolatedPromClient>['registry'];

	beforeAll(async () => {
		receiver = await startLocalReceiver({
			'/ok': () => ({ status: 204 }),
			'/busy-then-ok': sequence({ status: 503, headers: { 'retry-after': '7' } }, 200),
			'/down': () => ({ status: 500 }),
			'/gone': () => ({ status: 410 }),
		});
		pool = createConnectionPool(4);
	});
	afterAll(async () => {
		useMetricsForTests(undefined);
		pool.destroy();
		await receiver.close();
	});
	beforeEach(() => {
		const isolated = isolatedPromClient();
		registry = isolated.registry;
		useMetricsForTests(isolated.client, { enabled: true, prefix: 'n8n_', includeWorkflowIdLabel: false });
	});

	const delivery = (url: string): Delivery => ({ url: new URL(url), method: 'POST', body: Buffer.from('{}'), headers: { 'content-type': 'application/json' }, sign: () => ({}) });
	const policy: DeliveryPolicy = {
		schedule: { kind: 'exponential', baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000, maxAttempts: 3, jitter: 0 },
		retryAfterMaxMs: 300_000,
		timeBudgetMs: 0,
		timeoutMs: 2000,
	};
	let inFlightDuringSend: number[] = [];
	const dependencies = (): DeliveryDependencies => ({
		send: async (request) => {
			inFlightDuringSend.push(await metricValue(registry, `${P}requests_in_flight`));
			return await sendAttempt({ ...request, maxResponseBytes: 1024, maxRedirects: 0, refuseNonPublic: false, pool });
		},
		limiter: new ConcurrencyLimiter(4),
		clock: fakeClock(),
		random: () => 0.5,
	});

	it('counts deliveries by outcome, attempts by class, latency, Retry-After waits and requests in flight, per host', async () => {
		inFlightDuringSend = [];
		const closedPort = await freePortForTests();
		const host = new URL(receiver.url('/')).host;
		const results = await Promise.all([
			deliver(delivery(receiver.url('/ok')), policy, dependencies()),
			deliver(delivery(receiver.url('/busy-then-ok')), policy, dependencies()),
			deliver(delivery(receiver.url('/down')), policy, dependencies()),
			deliver(delivery(receiver.url('/gone')), policy, dependencies()),
			deliver(delivery(`http://127.0.0.1:${closedPort}/nothing-listens`), policy, dependencies()),
		]);
		expect(results.map((result) => [result.delivered, result.attempts.length])).toEqual([
			[true, 1],
			[true, 2],
			[false, 3],
			[false, 1],
			[false, 3],
		]);

		expect(await metricValue(registry, `${P}deliveries_total`, { host, outcome: 'delivered' })).toBe(2);
		expect(await metricValue(registry, `${P}deliveries_total`, { host, outcome: 'dead_letter' })).toBe(2);
		expect(await metricValue(registry, `${P}deliveries_total`, { host: `127.0.0.1:${closedPort}`, outcome: 'dead_letter' })).toBe(1);
		expect(await metricValue(registry, `${P}attempts_total`, { host, result: '2xx' })).toBe(2);
		expect(await metricValue(registry, `${P}attempts_total`, { host, result: '5xx' })).toBe(4);
		expect(await metricValue(registry, `${P}attempts_total`, { host, result: '4xx' })).toBe(1);
		expect(await metricValue(registry, `${P}attempts_total`, { result: 'connection_error' })).toBe(3);
		expect(await metricValue(registry, `${P}attempts_total`)).toBe(10);

		const duration = `${P}delivery_duration_seconds`;
		expect(await metricValue(registry, duration, { host, outcome: 'delivered' }, `${duration}_count`)).toBe(2);
		expect(await metricValue(registry, duration, { outcome: 'dead_letter' }, `${duration}_count`)).toBe(3);
		// The fake clock moved 7 s for the Retry-After wait: that delivery falls in the 10 s bucket, not the 5 s one.
		expect(await metricValue(registry, duration, { host, outcome: 'delivered', le: '5' }, `${duration}_bucket`)).toBe(1);
		expect(await metricValue(registry, duration, { host, outcome: 'delivered', le: '10' }, `${duration}_bucket`)).toBe(2);

		expect(await metricValue(registry, `${P}retry_after_wait_seconds_total`, { host })).toBe(7);
		expect(await metricValue(registry, `${P}requests_in_flight`)).toBe(0);
		expect(Math.max(...inFlightDuringSend)).toBeGreaterThanOrEqual(1);
	});

	it('with metrics off, deliver() registers nothing and delivers as before', async () => {
		const isolated = isolatedPromClient();
		registry = isolated.registry;
		useMetricsForTests(isolated.client, { enabled: false, prefix: 'n8n_', includeWorkflowIdLabel: false });
		const result = await deliver(delivery(receiver.url('/ok')), policy, dependencies());
		expect(result.delivered).toBe(true);
		expect(registry.getMetricsAsArray()).toHaveLength(0);
	});
});
