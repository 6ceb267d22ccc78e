import { generateKeyPairSync } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

import { SignedWebhook } from '../../../nodes/SignedWebhook/SignedWebhook.node';
import { SCHEMES } from '../../../nodes/shared/schemes/registry';
import { runSignedWebhook } from './executeHarness';
import { sequence, startLocalReceiver, type LocalReceiver } from './localReceiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const credential = { secret: SECRET, previousSecret: '', publicKey: '' };

/** Millisecond waits keep the suite fast; the schedule's shape is tested with an injected clock in deliver.test.ts. */
const fastRetries = { retrySchedule: 'explicit', retryDelays: '10ms, 10ms' };

describe('SignedWebhook node', () => {
	let receiver: LocalReceiver;
	const flakyAttemptsById = new Map<string, number>();

	beforeAll(async () => {
		receiver = await startLocalReceiver({
			'/ok': () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"accepted":true}' }),
			// Fails twice per event id, then accepts: each item's retries are counted on their own.
			'/flaky': (request) => {
				const id = String(request.headers['webhook-id']);
				const seen = (flakyAttemptsById.get(id) ?? 0) + 1;
				flakyAttemptsById.set(id, seen);
				return { status: seen >= 3 ? 202 : 503 };
			},
			'/bad': () => ({ status: 400, body: 'bad payload' }),
			'/down': () => ({ status: 503, headers: { 'retry-after': '0' } }),
			'/hang': () => 'hang',
			'/big': () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(5000) }),
			'/echo': (request) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.headers) }),
			'/once': sequence(200),
		});
	});

	afterAll(async () => {
		await receiver.close();
	});

	it('describes a regular node with two outputs and the signing credential', () => {
		const { description } = new SignedWebhook();
		expect(description.name).toBe('signedWebhook');
		expect(description.outputNames).toEqual(['Delivered', 'Dead letter']);
		expect(description.outputs).toHaveLength(2);
		expect(description.credentials?.[0]).toMatchObject({ name: 'webhookSigningApi', required: true });
	});

	it('fans out, retries, and splits results into Delivered and Dead letter, paired to their items', async () => {
		const items = [{ json: { order: 1, total: 10 } }, { json: { order: 2, total: 20 } }];
		const run = await runSignedWebhook({
			parameters: {
				urls: `${receiver.url('/ok')}, ${receiver.url('/flaky')}\n${receiver.url('/bad')}`,
				eventType: '={{ "order." + ($json.order === 1 ? "created" : "updated") }}',
				...fastRetries,
			},
			items,
			credential,
		});
		expect(run.error).toBeUndefined();
		const [delivered, deadLetters] = run.outputs ?? [];

		expect(delivered.map((item) => [item.pairedItem, item.json.destination, item.json.status, item.json.attempts])).toEqual([
			[{ item: 0 }, receiver.url('/ok'), 200, 1],
			[{ item: 0 }, receiver.url('/flaky'), 202, 3],
			[{ item: 1 }, receiver.url('/ok'), 200, 1],
			[{ item: 1 }, receiver.url('/flaky'), 202, 3],
		]);
		expect(delivered[0].json.response).toEqual({ status: 200, body: { accepted: true }, bodyTruncated: false });
		expect(typeof delivered[1].json.totalTimeMs).toBe('number');
		expect(delivered[0].json.eventType).toBe('order.created');
		expect(delivered[2].json.eventType).toBe('order.updated');

		expect(deadLetters).toHaveLength(2);
		const [deadLetter] = deadLetters;
		expect(deadLetter.pairedItem).toEqual({ item: 0 });
		expect(deadLetter.json).toMatchObject({
			destination: receiver.url('/bad'),
			error: 'HTTP 400 is not retried',
			status: 400,
			attempts: 1,
			payload: { order: 1, total: 10 },
			response: { status: 400, body: 'bad payload' },
		});
		expect(deadLetter.json.sentHeaders).toMatchObject({
			'content-type': 'application/json',
			'webhook-id': deadLetter.json.eventId,
			'webhook-signature': '[redacted]',
			'x-event-type': 'order.created',
		});

		// One event id per item: the same on every destination and every retry, different between items.
		const idsByItem = [0, 1].map((index) => new Set([...delivered, ...deadLetters].filter((item) => (item.pairedItem as { item: number }).item === index).map((item) => item.json.eventId)));
		expect(idsByItem.map((ids) => ids.size)).toEqual([1, 1]);
		const [firstId] = [...idsByItem[0]];
		expect(firstId).not.toEqual([...idsByItem[1]][0]);
		const flakyAttempts = receiver.requestsTo('/flaky').filter((request) => request.headers['webhook-id'] === firstId);
		expect(flakyAttempts).toHaveLength(3);

		// What arrived verifies in the trigger and in the standardwebhooks library, byte for byte the item's JSON.
		for (const request of flakyAttempts) {
			expect(request.body.toString()).toBe('{"order":1,"total":10}');
			expect(
				SCHEMES.standardWebhooks.verify({ method: 'POST', rawBody: request.body, headers: request.headers, url: '/flaky' }, { secret: SECRET }, { toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000) }),
			).toMatchObject({ ok: true, id: firstId });
			const headers = { 'webhook-id': String(request.headers['webhook-id']), 'webhook-timestamp': String(request.headers['webhook-timestamp']), 'webhook-signature': String(request.headers['webhook-signature']) };
			expect(new Webhook(SECRET).verify(request.body, headers)).toEqual({ order: 1, total: 10 });
		}
	});

	it('reuses keep-alive connections during the execution and closes them at its end', async () => {
		const own = await startLocalReceiver({ '/ok': () => ({ status: 200 }) });
		try {
			const run = await runSignedWebhook({
				parameters: { urls: own.url('/ok'), options: { concurrency: 2 } },
				items: Array.from({ length: 10 }, (_, index) => ({ json: { index } })),
				credential,
			});
			expect(run.outputs?.[0]).toHaveLength(10);
			expect(new Set(own.requests.map((request) => request.remotePort)).size).toBeLessThanOrEqual(2);
			for (let waited = 0; own.openConnections > 0 && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
			expect(own.openConnections).toBe(0);
		} finally {
			await own.close();
		}
	});

	it('keeps the full attempt history of a destination that never succeeds', async () => {
		const run = await runSignedWebhook({ parameters: { urls: receiver.url('/down'), eventId: 'evt_down', ...fastRetries }, items: [{ json: { a: 1 } }], credential });
		const [delivered, deadLetters] = run.outputs ?? [];
		expect(delivered).toEqual([]);
		expect(deadLetters[0].json).toMatchObject({ eventId: 'evt_down', error: 'gave up after 3 attempts', attempts: 3, status: 503 });
		const log = deadLetters[0].json.attemptLog as Array<Record<string, unknown>>;
		expect(log.map((attempt) => [attempt.attempt, attempt.status, attempt.scheduledDelayMs, attempt.retryAfterMs])).toEqual([
			[1, 503, undefined, 0],
			[2, 503, 10, 0],
			[3, 503, 10, 0],
		]);
		for (const attempt of log) {
			expect(typeof attempt.durationMs).toBe('number');
			expect(Number.isNaN(Date.parse(String(attempt.startedAt)))).toBe(false);
		}
	});

	it('times out a destination that does not answer', async () => {
		const run = await runSignedWebhook({
			parameters: { urls: receiver.url('/hang'), retrySchedule: 'exponential', retryMaxAttempts: 2, retryBaseDelayMs: 5, options: { timeoutMs: 100 } },
			items: [{ json: {} }],
			credential,
		});
		const [, deadLetters] = run.outputs ?? [];
		expect(deadLetters[0].json).toMatchObject({ error: 'gave up after 2 attempts', status: null, response: null });
		expect((deadLetters[0].json.attemptLog as Array<{ error: string }>).map((attempt) => attempt.error)).toEqual(['timed out after 100 ms', 'timed out after 100 ms']);
	});

	it('sends a chosen field, custom headers and a given event id, and caps the response body', async () => {
		const run = await runSignedWebhook({
			parameters: {
				urls: receiver.url('/big'),
				payloadSource: 'field',
				payloadField: 'body',
				eventId: '={{ "evt_" + $json.ref }}',
				customHeaders: { header: [{ name: 'X-Tenant', value: 'acme' }] },
				options: { maxResponseBytes: 100 },
			},
			items: [{ json: { ref: 'r1', body: { ok: true } } }],
			credential,
		});
		const [delivered] = run.outputs ?? [];
		expect(delivered[0].json).toMatchObject({ eventId: 'evt_r1', response: { status: 200, body: 'x'.repeat(100), bodyTruncated: true } });
		const request = receiver.requestsTo('/big').at(-1);
		expect(request?.body.toString()).toBe('{"ok":true}');
		expect(request?.headers).toMatchObject({ 'x-tenant': 'acme', 'webhook-id': 'evt_r1', 'x-event-id': 'evt_r1', 'user-agent': 'n8n-signed-webhook/1' });
	});

	it('never outputs the secret, even when the receiver echoes it back', async () => {
		const run = await runSignedWebhook({
			parameters: { urls: receiver.url('/echo'), customHeaders: { header: [{ name: 'X-Debug-Key', value: SECRET }] } },
			items: [{ json: {} }],
			credential,
		});
		const text = JSON.stringify(run.outputs);
		expect(receiver.requestsTo('/echo').at(-1)?.headers['x-debug-key']).toBe(SECRET);
		expect(text).not.toContain(SECRET);
		expect(text).toContain('[redacted]');
	});

	it('refuses private destinations when asked to, before connecting', async () => {
		const before = receiver.requests.length;
		const run = await runSignedWebhook({
			parameters: { urls: `${receiver.url('/ok')}, http://localhost:9/hook`, options: { refusePrivateDestinations: true } },
			items: [{ json: {} }],
			credential,
		});
		const [delivered, deadLetters] = run.outputs ?? [];
		expect(delivered).toEqual([]);
		expect(deadLetters.map((item) => item.json.error)).toEqual([
			'destination refused: private, loopback and link-local destinations are refused',
			'localhost resolves to a private, loopback or link-local address',
		]);
		expect(receiver.requests.length).toBe(before);
	});

	it('fails the execution on a dead letter when asked to, without the secret in the message', async () => {
		const parameters = { urls: receiver.url('/bad'), options: { failOnDeadLetter: true } };
		const run = await runSignedWebhook({ parameters, items: [{ json: {} }], credential });
		expect(run.error?.message).toBe(`1 of 1 deliveries failed; first: ${receiver.url('/bad')}: HTTP 400 is not retried`);
		expect(run.error?.message).not.toContain(SECRET);

		const continued = await runSignedWebhook({ parameters, items: [{ json: {} }], credential, continueOnFail: true });
		expect(continued.outputs?.[1]).toHaveLength(1);
	});

	it('reports an item it cannot read, or routes it to Dead letter with Continue On Fail', async () => {
		const parameters = { urls: receiver.url('/once'), payloadSource: 'field', payloadField: 'missing' };
		const run = await runSignedWebhook({ parameters, items: [{ json: {} }], credential });
		expect(run.error?.message).toBe('The item has no field "missing"');

		const continued = await runSignedWebhook({ parameters, items: [{ json: {} }], credential, continueOnFail: true });
		expect(continued.outputs?.[1]).toEqual([{ json: { error: 'The item has no field "missing"' }, pairedItem: { item: 0 } }]);
	});

	it('says once, up front, when the key cannot sign (an HMAC secret where RS256 needs a PEM)', async () => {
		const run = await runSignedWebhook({ parameters: { urls: receiver.url('/once'), scheme: 'jwt', jwtAlgorithm: 'RS256' }, items: [{ json: {} }], credential });
		expect(run.error?.message).toMatch(/^Cannot sign with the jwt scheme/);
		expect(run.error?.message).not.toContain(SECRET);
	});

	it('signs RS256 JWTs with the private key PEM held in the Secret', async () => {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
		const run = await runSignedWebhook({
			parameters: { urls: receiver.url('/echo'), scheme: 'jwt', jwtAlgorithm: 'RS256', eventId: 'evt_rs' },
			items: [{ json: { hello: 'jwt' } }],
			credential: { secret: privatePem, previousSecret: '', publicKey: publicPem },
		});
		expect(run.outputs?.[0]).toHaveLength(1);
		expect(JSON.stringify(run.outputs)).not.toContain(privatePem.split('\n')[1]);
		const request = receiver.requestsTo('/echo').find((entry) => entry.headers['x-event-id'] === 'evt_rs');
		if (!request) throw new Error('not received');
		const verification = SCHEMES.jwt.verify(
			{ method: 'POST', rawBody: request.body, headers: request.headers, url: '/echo' },
			{ secret: privatePem, publicKey: publicPem },
			{ toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000), jwt: { tokenHeader: 'authorization', algorithms: ['RS256'], issuer: '', audience: '', bodyHashClaim: 'body_sha256' } },
		);
		expect(verification).toMatchObject({ ok: true, matched: 'publicKey', id: 'evt_rs' });
	});

	it('sends unsigned with scheme none, without asking for a credential', async () => {
		const run = await runSignedWebhook({ parameters: { urls: receiver.url('/once'), scheme: 'none' }, items: [{ json: { n: 1 } }] });
		expect(run.error).toBeUndefined();
		expect(run.credentialRequests).toEqual([]);
		expect(run.outputs?.[0][0].json.status).toBe(200);
	});

	it('stops when the execution is cancelled', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const run = await runSignedWebhook({
			parameters: { urls: receiver.url('/hang'), options: { timeoutMs: 5000 } },
			items: [{ json: {} }],
			credential,
			abortSignal: controller.signal,
		});
		expect(run.outputs?.[1][0].json.error).toBe('cancelled');
	});
});
