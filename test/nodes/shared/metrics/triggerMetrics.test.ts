import { useMetricsForTests } from '../../../../nodes/shared/metrics';
import type { MetricsSettings, PromClient } from '../../../../nodes/shared/metrics/n8nRuntime';
import { classifyTriggerResult, TRIGGER_REJECTION_REASONS } from '../../../../nodes/shared/metrics/triggerMetrics';
import { closeAllRedis } from '../../../../nodes/shared/stores/redisConnection';
import { schemeFixtures, type SchemeFixture } from '../../../helpers/signedRequests';
import { TriggerHarness } from '../../../helpers/webhookHarness';
import { isolatedPromClient, labelSets, metricValue } from './promRegistry';

const REQUESTS = 'n8n_secure_webhook_trigger_requests_total';
const DURATION = 'n8n_secure_webhook_trigger_duration_seconds';
const ON: MetricsSettings = { enabled: true, prefix: 'n8n_', includeWorkflowIdLabel: true };

describe('classifyTriggerResult', () => {
	it('names the outcome, and for a rejection the reason, with the verifier reason behind the one public 401', () => {
		const response = (rejection?: string, body: unknown = { error: 'x' }) => ({ status: 401, body, rejection });
		expect(classifyTriggerResult({ kind: 'accept' })).toEqual({ outcome: 'accepted', reason: '' });
		expect(classifyTriggerResult({ kind: 'respond', response: response(undefined, { status: 'ignored' }) })).toEqual({ outcome: 'ignored', reason: '' });
		expect(classifyTriggerResult({ kind: 'respond', response: response(undefined, { status: 'duplicate' }) })).toEqual({ outcome: 'duplicate', reason: '' });
		expect(classifyTriggerResult({ kind: 'respond', response: response(undefined, { challenge: 'c' }) })).toEqual({ outcome: 'handshake', reason: '' });
		expect(classifyTriggerResult({ kind: 'respond', response: response(undefined, '1158201444') })).toEqual({ outcome: 'handshake', reason: '' });
		for (const [failure, reason] of [
			['missing_signature', 'missing_signature'],
			['malformed_signature', 'malformed_signature'],
			['invalid_signature', 'invalid_signature'],
			['timestamp_out_of_tolerance', 'timestamp_out_of_tolerance'],
			['missing_key', 'unknown_key'],
			[undefined, 'invalid_signature'],
			['something_new', 'invalid_signature'],
		]) {
			expect(
				classifyTriggerResult({ kind: 'respond', response: response('invalid_signature'), state: { failure: { result: { reason: failure } } } }),
			).toEqual({ outcome: 'rejected', reason });
		}
		expect(classifyTriggerResult(response('schema_mismatch'))).toEqual({ outcome: 'rejected', reason: 'schema_invalid' });
		expect(classifyTriggerResult(response('store_unavailable'))).toEqual({ outcome: 'rejected', reason: 'store_unavailable' });
		expect(classifyTriggerResult(response('a_code_added_later'))).toEqual({ outcome: 'rejected', reason: 'other' });
		expect(TRIGGER_REJECTION_REASONS).toEqual(expect.arrayContaining(['rate_limited', 'payload_too_large', 'unsupported_content_type', 'other']));
	});
});

describe('Secure Webhook Trigger metrics, counted by webhook() itself', () => {
	const harness = new TriggerHarness({ parameters: { path: 'metrics' } });
	let stripe: SchemeFixture;
	let registry: ReturnType<typeof isolatedPromClient>['registry'];
	let workflow = 0;
	let workflowId = '';

	beforeAll(async () => {
		await harness.start();
		stripe = schemeFixtures(harness.url).find((f) => f.scheme === 'stripe')!;
	});
	afterAll(async () => {
		useMetricsForTests(undefined);
		await harness.stop();
	});
	beforeEach(() => {
		const isolated = isolatedPromClient();
		registry = isolated.registry;
		useMetricsForTests(isolated.client, ON);
	});

	const configure = (parameters: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) => {
		workflowId = `wf-metrics-${++workflow}`;
		harness.configure({
			parameters: { path: 'metrics', scheme: 'stripe', events: 'order.*', ...parameters, settings },
			credentials: { webhookSigningApi: stripe.credential },
			workflowId,
			nodeId: workflowId,
			mode: 'webhook',
		});
	};
	const signed = (body: unknown, options: { key?: string; timestampSeconds?: number; headers?: Record<string, string> } = {}) => {
		const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		const signature = stripe.sign(payload, { key: options.key, timestampSeconds: options.timestampSeconds });
		return harness.send({ body: payload, headers: { ...signature, 'content-type': 'application/json', ...options.headers } });
	};
	const count = (labels: Record<string, string>) => metricValue(registry, REQUESTS, { workflow_id: workflowId, ...labels });

	it('counts a known mix exactly: outcomes, rejection reasons, and one duration observation per request', async () => {
		configure({}, { maxBodyBytes: 256, schema: JSON.stringify({ type: 'object', required: ['data'] }) });
		const now = Math.floor(Date.now() / 1000);
		const statuses = [
			(await signed({ id: 'evt_1', type: 'order.created', data: {} })).status,
			(await signed({ id: 'evt_2', type: 'order.paid', data: {} })).status,
			(await signed({ id: 'evt_1', type: 'order.created', data: {} })).status,
			(await signed({ id: 'evt_3', type: 'customer.created', data: {} })).status,
			(await signed({ id: 'evt_4', type: 'order.created', data: {} }, { key: 'whsec_not_the_right_secret' })).status,
			(await signed({ id: 'evt_5', type: 'order.created', data: {} }, { timestampSeconds: now - 3600 })).status,
			(await harness.send({ body: '{"id":"evt_6"}', headers: { 'content-type': 'application/json' } })).status,
			(await signed({ id: 'evt_7', type: 'order.created', data: { pad: 'x'.repeat(300) } })).status,
			(await signed({ id: 'evt_8', type: 'order.created', data: {} }, { headers: { 'content-type': 'text/xml' } })).status,
			(await signed({ id: 'evt_9', type: 'order.created' })).status,
		];
		expect(statuses).toEqual([200, 200, 200, 200, 401, 401, 401, 413, 415, 422]);

		const labels = await labelSets(registry, REQUESTS);
		expect(labels.every((set) => set.provider === 'stripe' && set.node_name === 'Secure Webhook Trigger' && set.workflow_id === workflowId)).toBe(true);
		expect(await count({ outcome: 'accepted', reason: '' })).toBe(2);
		expect(await count({ outcome: 'duplicate', reason: '' })).toBe(1);
		expect(await count({ outcome: 'ignored', reason: '' })).toBe(1);
		expect(await count({ outcome: 'rejected', reason: 'invalid_signature' })).toBe(1);
		expect(await count({ outcome: 'rejected', reason: 'timestamp_out_of_tolerance' })).toBe(1);
		expect(await count({ outcome: 'rejected', reason: 'missing_signature' })).toBe(1);
		expect(await count({ outcome: 'rejected', reason: 'payload_too_large' })).toBe(1);
		expect(await count({ outcome: 'rejected', reason: 'unsupported_content_type' })).toBe(1);
		expect(await count({ outcome: 'rejected', reason: 'schema_invalid' })).toBe(1);
		expect(await count({})).toBe(10);
		expect(labels).toHaveLength(9);

		expect(await metricValue(registry, DURATION, { provider: 'stripe' }, `${DURATION}_count`)).toBe(10);
		expect(await metricValue(registry, DURATION, { outcome: 'rejected' }, `${DURATION}_count`)).toBe(6);
		expect(await metricValue(registry, DURATION, { outcome: 'accepted' }, `${DURATION}_count`)).toBe(2);
		expect(await metricValue(registry, DURATION, {}, `${DURATION}_sum`)).toBeGreaterThan(0);
	});

	it('the client still gets one generic 401 for every signature failure the metric tells apart', async () => {
		configure();
		const now = Math.floor(Date.now() / 1000);
		const answers = [
			await signed({ id: 'evt_a', type: 'order.created' }, { key: 'whsec_not_the_right_secret' }),
			await signed({ id: 'evt_b', type: 'order.created' }, { timestampSeconds: now - 3600 }),
			await harness.send({ body: '{}', headers: { 'content-type': 'application/json' } }),
		];
		for (const answer of answers) {
			expect(answer.status).toBe(401);
			expect(answer.text).toBe('{"error":"invalid signature"}');
		}
		expect(new Set(answers.map((answer) => JSON.stringify(answer.headers['content-type'])))).toEqual(new Set([JSON.stringify('application/json; charset=utf-8')]));
	});

	it('counts 429 as rate_limited', async () => {
		configure({}, { rateLimitPerSecond: 1, rateLimitBurst: 1 });
		expect((await signed({ id: 'evt_r1', type: 'order.created' })).status).toBe(200);
		expect((await signed({ id: 'evt_r2', type: 'order.created' })).status).toBe(429);
		expect(await count({ outcome: 'rejected', reason: 'rate_limited' })).toBe(1);
		expect(await count({ outcome: 'accepted' })).toBe(1);
	});

	it('counts a provider handshake as handshake', async () => {
		const slack = schemeFixtures(harness.url).find((f) => f.scheme === 'slack')!;
		workflowId = 'wf-handshake';
		harness.configure({ parameters: { path: 'metrics', scheme: 'slack' }, credentials: { webhookSigningApi: slack.credential }, workflowId, nodeId: 'hs' });
		const payload = Buffer.from(JSON.stringify({ type: 'url_verification', challenge: 'chal-1', token: 'x' }));
		const answer = await harness.send({ body: payload, headers: { ...slack.sign(payload), 'content-type': 'application/json' } });
		expect(answer.json).toEqual({ challenge: 'chal-1' });
		expect(await metricValue(registry, REQUESTS, { outcome: 'handshake', provider: 'slack', workflow_id: 'wf-handshake' })).toBe(1);
	});

	it('counts 503 from an unreachable Redis store as store_unavailable', async () => {
		const previous = { host: process.env.QUEUE_BULL_REDIS_HOST, port: process.env.QUEUE_BULL_REDIS_PORT };
		process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
		process.env.QUEUE_BULL_REDIS_PORT = '1';
		try {
			configure({ dedupeStore: 'redis' });
			expect((await signed({ id: 'evt_redis_down', type: 'order.created' })).status).toBe(503);
			expect(await count({ outcome: 'rejected', reason: 'store_unavailable' })).toBe(1);
		} finally {
			for (const [name, value] of [['QUEUE_BULL_REDIS_HOST', previous.host], ['QUEUE_BULL_REDIS_PORT', previous.port]] as const) {
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			}
			await closeAllRedis();
		}
	});

	it('does not count requests to the test URL ("Listen for test event")', async () => {
		configure();
		harness.configure({ mode: 'manual' });
		expect((await signed({ id: 'evt_test_url', type: 'order.created' })).status).toBe(200);
		expect(await metricValue(registry, REQUESTS)).toBe(0);
	});

	it('has no workflow_id label unless n8n has N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL on, and honours the prefix', async () => {
		const isolated = isolatedPromClient();
		registry = isolated.registry;
		useMetricsForTests(isolated.client, { enabled: true, prefix: 'acme_', includeWorkflowIdLabel: false });
		configure();
		await signed({ id: 'evt_nolabel', type: 'order.created' });
		expect(await labelSets(registry, 'acme_secure_webhook_trigger_requests_total')).toEqual([
			{ outcome: 'accepted', reason: '', provider: 'stripe', node_name: 'Secure Webhook Trigger' },
		]);
		expect(registry.getSingleMetric(REQUESTS)).toBeUndefined();
	});

	it('with metrics off, registers nothing and answers as before', async () => {
		const isolated = isolatedPromClient();
		registry = isolated.registry;
		useMetricsForTests(isolated.client, { ...ON, enabled: false });
		configure();
		const answer = await signed({ id: 'evt_off', type: 'order.created' });
		expect(answer.status).toBe(200);
		expect(answer.workflowData).toHaveLength(1);
		expect(registry.getMetricsAsArray()).toHaveLength(0);
	});

	it('a prom-client that throws on every call never fails a request', async () => {
		class Broken {
			constructor() {
				throw new Error('registry broken');
			}
		}
		const { client } = isolatedPromClient();
		useMetricsForTests({ ...client, Counter: Broken, Histogram: Broken, Gauge: Broken } as unknown as PromClient, ON);
		configure();
		expect((await signed({ id: 'evt_broken_1', type: 'order.created' })).workflowData).toHaveLength(1);

		class Throwing {
			inc(): void {
				throw new Error('inc failed');
			}
			dec(): void {
				throw new Error('dec failed');
			}
			observe(): void {
				throw new Error('observe failed');
			}
		}
		useMetricsForTests({ ...client, Counter: Throwing, Histogram: Throwing, Gauge: Throwing } as unknown as PromClient, ON);
		const accepted = await signed({ id: 'evt_broken_2', type: 'order.created' });
		expect(accepted.status).toBe(200);
		expect(accepted.thrown).toBeUndefined();
		expect(accepted.workflowData).toHaveLength(1);
		expect((await signed({ id: 'evt_broken_3', type: 'order.created' }, { key: 'whsec_wrong' })).status).toBe(401);
	});
});
