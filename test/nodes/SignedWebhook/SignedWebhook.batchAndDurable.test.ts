import { SignedWebhook } from '../../../nodes/SignedWebhook/SignedWebhook.node';
import { closeAllRedis } from '../../../nodes/shared/stores/redisConnection';
import { SCHEMES } from '../../../nodes/shared/schemes/registry';
import { describeWithRedis, startRedisServer, type RedisServer } from '../../helpers/redisServer';
import { runSignedWebhook } from './executeHarness';
import { sequence, startLocalReceiver, type LocalReceiver, type ReceivedRequest } from './localReceiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const credential = { secret: SECRET, previousSecret: '', publicKey: '' };

function verifiesAs(request: ReceivedRequest): string | undefined {
	const result = SCHEMES.standardWebhooks.verify(
		{ method: 'POST', rawBody: request.body, headers: request.headers, url: request.path },
		{ secret: SECRET },
		{ toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000) },
	);
	return result.ok ? result.id : undefined;
}

/** Evaluates the node's `inputs` expression for a set of parameters, as the editor does. */
function inputsFor(parameters: Record<string, unknown>): unknown {
	const { inputs } = new SignedWebhook().description;
	if (typeof inputs !== 'string') return inputs;
	const source = inputs.replace(/^=\{\{/, '').replace(/\}\}$/, '').replace(/\(\$parameter\)$/, '');
	return (new Function(`return ${source}`)() as (parameters: Record<string, unknown>) => unknown)(parameters);
}

describe('SignedWebhook node: batching, redirects and its inputs', () => {
	let receiver: LocalReceiver;
	let elsewhere: LocalReceiver;

	beforeAll(async () => {
		elsewhere = await startLocalReceiver({ '/landing': () => ({ status: 200 }) });
		receiver = await startLocalReceiver({
			'/batch': () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }),
			'/moved-away': () => ({ status: 307, headers: { location: elsewhere.url('/landing') } }),
		});
	});

	afterAll(async () => {
		await Promise.all([receiver.close(), elsewhere.close()]);
	});

	it('has one input, or with durable delivery a second one, "Resume"', () => {
		expect(inputsFor({ durability: 'memory' })).toEqual([{ type: 'main' }]);
		expect(inputsFor({ durability: 'redis' })).toEqual([
			{ type: 'main', displayName: 'Items' },
			{ type: 'main', displayName: 'Resume' },
		]);
	});

	it('sends items in batches and still outputs one Delivered item per input item, each with its batch', async () => {
		const before = receiver.requestsTo('/batch').length;
		const run = await runSignedWebhook({
			parameters: {
				urls: receiver.url('/batch'),
				eventId: '={{ "evt_" + $json.n }}',
				eventType: 'order.created',
				batching: true,
				batchMaxItems: 2,
				batchFormat: 'jsonArray',
			},
			items: [1, 2, 3, 4, 5].map((n) => ({ json: { n } })),
			credential,
		});
		expect(run.error).toBeUndefined();
		const [delivered, deadLetters] = run.outputs ?? [];
		expect(deadLetters).toEqual([]);
		expect(delivered.map((item) => [item.pairedItem, item.json.eventId, item.json.batchSize])).toEqual([
			[{ item: 0 }, 'evt_1', 2],
			[{ item: 1 }, 'evt_2', 2],
			[{ item: 2 }, 'evt_3', 2],
			[{ item: 3 }, 'evt_4', 2],
			[{ item: 4 }, 'evt_5', 1],
		]);
		const requests = receiver.requestsTo('/batch').slice(before);
		expect(requests).toHaveLength(3);
		const batchIds = new Set(delivered.map((item) => item.json.batchId));
		expect(new Set(requests.map((request) => verifiesAs(request)))).toEqual(batchIds);
		expect(delivered[0].json.response).toEqual({ status: 200, body: { ok: true }, bodyTruncated: false });
	});

	it('follows a redirect to another origin without the signature or custom credential headers, or refuses it when told to', async () => {
		const parameters = {
			urls: receiver.url('/moved-away'),
			customHeaders: { header: [{ name: 'x-tenant-key', value: 'tenant-secret-value' }] },
			options: { followRedirects: true },
		};
		const before = elsewhere.requests.length;
		const followed = await runSignedWebhook({ parameters, items: [{ json: { a: 1 } }], credential });
		expect(followed.outputs?.[0]).toHaveLength(1);
		const [landed] = elsewhere.requests.slice(before);
		expect(landed.headers['webhook-signature']).toBeUndefined();
		expect(landed.headers['x-tenant-key']).toBeUndefined();
		expect(landed.headers['webhook-id']).toBeDefined();

		const refused = await runSignedWebhook({
			parameters: { ...parameters, options: { followRedirects: true, crossOriginRedirects: 'refuse' } },
			items: [{ json: { a: 1 } }],
			credential,
		});
		expect(refused.outputs?.[1][0].json).toMatchObject({ error: 'redirect to another origin refused', attempts: 1 });
		expect(elsewhere.requests.length).toBe(before + 1);
	});

	it('refuses more than 1,000 items per batch', async () => {
		const run = await runSignedWebhook({
			parameters: { urls: receiver.url('/batch'), batching: true, batchMaxItems: 1001 },
			items: [{ json: {} }],
			credential,
		});
		expect(run.error?.message).toBe('Max Items per Batch must be at most 1000');
	});
});

describeWithRedis('SignedWebhook node: durable delivery', () => {
	let server: RedisServer;
	let receiver: LocalReceiver;
	let redisCredential: Record<string, string | number | boolean>;

	beforeAll(async () => {
		server = await startRedisServer({ password: 'outbox-test-password' });
		redisCredential = { host: '127.0.0.1', port: server.port, password: 'outbox-test-password', database: 0, ssl: false };
		// The first attempt is still waiting for its answer when the execution is stopped.
		receiver = await startLocalReceiver({ '/later': sequence('hang', 202) });
	});

	afterAll(async () => {
		await closeAllRedis();
		await receiver.close();
		await server.stop();
	});

	it('a run stopped mid-delivery outputs nothing for it; a Resume run continues it and outputs it, paired to the Resume item', async () => {
		const parameters = {
			urls: receiver.url('/later'),
			eventId: 'evt_durable_1',
			durability: 'redis',
			takeOverAfterSeconds: 30,
			retrySchedule: 'explicit',
			retryDelays: '1s',
		};
		const controller = new AbortController();
		const stopped = runSignedWebhook({
			parameters,
			items: [{ json: { order: 7 } }],
			credential,
			redisCredential,
			abortSignal: controller.signal,
			executionId: 'exec-stopped',
		});
		// Stop the execution while its first attempt waits for an answer.
		while (receiver.requestsTo('/later').length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
		controller.abort();
		const first = await stopped;
		expect(first.error).toBeUndefined();
		expect(first.outputs).toEqual([[], []]);

		const resumed = await runSignedWebhook({
			parameters,
			items: [],
			resumeItems: [{ json: { timestamp: 'tick' } }],
			credential,
			redisCredential,
			executionId: 'exec-resume',
		});
		expect(resumed.error).toBeUndefined();
		const [delivered, deadLetters] = resumed.outputs ?? [];
		expect(deadLetters).toEqual([]);
		expect(delivered).toHaveLength(1);
		expect(delivered[0].pairedItem).toEqual({ item: 0, input: 1 });
		expect(delivered[0].json).toMatchObject({
			eventId: 'evt_durable_1',
			status: 202,
			attempts: 2,
			resumed: true,
			startedInExecution: 'exec-stopped',
		});
		expect(receiver.requestsTo('/later').map((request) => verifiesAs(request))).toEqual(['evt_durable_1', 'evt_durable_1']);

		const idle = await runSignedWebhook({ parameters, items: [], resumeItems: [{ json: {} }], credential, redisCredential });
		expect(idle.outputs).toEqual([[], []]);
		expect(resumed.credentialRequests).toContain('redis');
	});

	it('fails up front, sending nothing, when Redis cannot be reached', async () => {
		const before = receiver.requests.length;
		const run = await runSignedWebhook({
			parameters: { urls: receiver.url('/later'), durability: 'redis' },
			items: [{ json: {} }],
			credential,
			redisCredential: { ...redisCredential, password: 'wrong-password' },
		});
		expect(run.error?.message).toBe('Pending Deliveries are kept in Redis, and Redis cannot be reached');
		expect(receiver.requests.length).toBe(before);
	});
});
