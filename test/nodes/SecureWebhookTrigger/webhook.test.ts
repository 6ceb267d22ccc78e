import { createHmac } from 'node:crypto';

import { SCHEMES } from '../../../nodes/shared/schemes/registry';
import { closeAllRedis } from '../../../nodes/shared/stores/redisConnection';
import { schemeFixtures, type SchemeFixture } from '../../helpers/signedRequests';
import { TriggerHarness, type HarnessResult } from '../../helpers/webhookHarness';

const SECRET_MARKERS = ['whsec_', 'demo-secret', 'demo_secret', 'auth-token', 'secret-token', 'gitlab-token', 'app-secret'];

function expectNoExecution(result: HarnessResult) {
	expect(result.thrown).toBeUndefined();
	expect(result.workflowData).toBeUndefined();
}

function expectNoSecret(result: HarnessResult) {
	for (const marker of SECRET_MARKERS) expect(result.text).not.toContain(marker);
}

describe('Secure Webhook Trigger: every scheme preset through webhook()', () => {
	const harness = new TriggerHarness({ parameters: { path: 'presets' } });
	let fixtures: SchemeFixture[];
	beforeAll(async () => {
		await harness.start();
		fixtures = schemeFixtures(harness.url);
	});
	afterAll(async () => harness.stop());

	const use = (fixture: SchemeFixture, parameters: Record<string, unknown> = {}) =>
		harness.configure({
			parameters: { path: 'presets', scheme: fixture.scheme, ...fixture.parameters, ...parameters, settings: { allowedContentTypes: fixture.contentType, ...(parameters.settings as object) } },
			credentials: { webhookSigningApi: fixture.credential },
			nodeId: `${fixture.scheme}-${Math.random()}`,
		});

	const names = schemeFixtures('http://x').map((f) => f.scheme);

	it.each(names)('%s: a correctly signed event starts exactly one execution with the documented item', async (name) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		use(fixture);
		const payload = fixture.body(fixture.eventType, `evt_${name}_1`);
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': fixture.contentType } });
		expect(result.thrown).toBeUndefined();
		expect(result.status).toBe(200);
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toHaveLength(1);
		const item = result.workflowData![0][0].json;
		expect(Object.keys(item).sort()).toEqual(['body', 'event', 'headers', 'id', 'query', 'timestamp', 'verification']);
		expect(item.event).toBe(fixture.eventType);
		expect(item.verification).toEqual({ scheme: name, matched: name === 'discord' ? 'publicKey' : 'current' });
		const headers = item.headers as Record<string, string>;
		const sensitive = [...SCHEMES[name].sensitiveHeaders, String(fixture.parameters.hmacSignatureHeader ?? 'authorization')];
		const sent = Object.keys(fixture.sign(payload)).filter((header) => sensitive.includes(header.toLowerCase()));
		expect(sent.length).toBeGreaterThan(0);
		for (const header of sent) expect(headers[header.toLowerCase()]).toBe('[redacted]');
	});

	// GitLab sends a shared token, not a signature over the body: it cannot detect a tampered body.
	it.each(names.filter((n) => n !== 'gitlab'))('%s: a tampered body is answered 401 without an execution', async (name) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		use(fixture);
		const payload = fixture.body(fixture.eventType, `evt_${name}_2`);
		const headers = fixture.sign(payload);
		const tampered = Buffer.from(payload.toString('latin1').replace(/.$/, (c) => (c === '}' ? ' }' : c + 'x')), 'latin1');
		const result = await harness.send({ body: tampered, headers: { ...headers, 'content-type': fixture.contentType } });
		expect(result.status).toBe(401);
		expect(result.json).toEqual({ error: 'invalid signature' });
		expectNoExecution(result);
		expectNoSecret(result);
	});

	it.each(names.filter((n) => n !== 'discord'))('%s: a wrong secret is answered 401', async (name) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		use(fixture);
		const payload = fixture.body(fixture.eventType, `evt_${name}_3`);
		const key = name === 'standardWebhooks' ? 'whsec_' + Buffer.from('another-secret-of-32-bytes-length').toString('base64') : 'not-the-secret-of-enough-length-xx';
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload, { key }), 'content-type': fixture.contentType } });
		expect(result.status).toBe(401);
		expectNoExecution(result);
	});

	it.each(names)('%s: no signature at all is answered 401', async (name) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		use(fixture);
		const result = await harness.send({ body: fixture.body(fixture.eventType, 'x'), headers: { 'content-type': fixture.contentType } });
		expect(result.status).toBe(401);
		expectNoExecution(result);
	});

	it.each(['standardWebhooks', 'stripe', 'slack', 'zoom', 'discord', 'hmac', 'jwt'])(
		'%s: an expired and a future timestamp are answered 401',
		async (name) => {
			const fixture = fixtures.find((f) => f.scheme === name)!;
			use(fixture);
			const now = Math.floor(Date.now() / 1000);
			for (const timestampSeconds of [now - 3600, now + 3600]) {
				const payload = fixture.body(fixture.eventType, `evt_${name}_${timestampSeconds}`);
				const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload, { timestampSeconds }), 'content-type': fixture.contentType } });
				expect(result.status).toBe(401);
				expectNoExecution(result);
			}
		},
	);

	it.each(names.filter((n) => n !== 'discord'))('%s: a request signed with the previous secret passes during rotation', async (name) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		const rotated = name === 'standardWebhooks' ? 'whsec_' + Buffer.from('the-new-secret-after-rotation-32').toString('base64') : 'the-new-secret-after-rotation-xyz';
		harness.configure({
			parameters: { path: 'presets', scheme: fixture.scheme, ...fixture.parameters, settings: { allowedContentTypes: fixture.contentType } },
			credentials: { webhookSigningApi: { ...fixture.credential, secret: rotated, previousSecret: fixture.credential.secret } },
			nodeId: `rotation-${name}`,
		});
		const payload = fixture.body(fixture.eventType, `evt_${name}_rot`);
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': fixture.contentType } });
		expect(result.status).toBe(200);
		expect(result.workflowData![0][0].json.verification).toEqual({ scheme: name, matched: 'previous' });
	});

	it.each(names)('%s: a verified event of a filtered-out type is answered 200 "ignored" without an execution', async (name) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		use(fixture, { events: 'some.other.type' });
		const payload = fixture.body(fixture.eventType, `evt_${name}_filtered`);
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': fixture.contentType } });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ status: 'ignored' });
		expectNoExecution(result);
	});
});

describe('Secure Webhook Trigger: request checks and status codes', () => {
	const harness = new TriggerHarness({ parameters: { path: 'checks' } });
	let stripe: SchemeFixture;
	let node = 0;
	beforeAll(async () => {
		await harness.start();
		stripe = schemeFixtures(harness.url).find((f) => f.scheme === 'stripe')!;
	});
	afterAll(async () => harness.stop());

	const configure = (parameters: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) =>
		harness.configure({
			parameters: { path: 'checks', scheme: 'stripe', ...parameters, settings },
			credentials: { webhookSigningApi: stripe.credential },
			nodeId: `checks-${++node}`,
		});
	const signed = (body: unknown, extraHeaders: Record<string, string> = {}) => {
		const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		return harness.send({ body: payload, headers: { ...stripe.sign(payload), 'content-type': 'application/json', ...extraHeaders } });
	};

	it('answers GET with 405 and an Allow header', async () => {
		configure();
		const result = await harness.send({ method: 'GET' });
		expect(result.status).toBe(405);
		expect(result.headers.allow).toBe('POST');
		expectNoExecution(result);
	});

	it('answers 415 for a content type outside the allowed list, before verifying', async () => {
		configure();
		const result = await signed({ id: 'evt', type: 't' }, { 'content-type': 'text/xml' });
		expect(result.status).toBe(415);
		expectNoExecution(result);
	});

	it('accepts content types with parameters and other casing', async () => {
		configure();
		const result = await signed({ id: 'evt_ct', type: 't' }, { 'content-type': 'Application/JSON; charset=utf-8' });
		expect(result.status).toBe(200);
	});

	it('answers 413 from Content-Length without reading the body, and from the body when it is larger', async () => {
		configure({}, { maxBodyBytes: 64 });
		const big = { id: 'evt_big', type: 't', pad: 'x'.repeat(200) };
		const result = await signed(big);
		expect(result.status).toBe(413);
		expectNoExecution(result);
		const small = await signed({ id: 'evt_small', type: 't' });
		expect(small.status).toBe(200);
	});

	it('typeVersion 1: answers 400 for a signed body that is not JSON', async () => {
		configure();
		harness.configure({ typeVersion: 1 });
		try {
			const result = await signed('{"id": "evt", broken');
			expect(result.status).toBe(400);
			expect(result.json).toEqual({ error: 'body is not valid JSON' });
			expectNoExecution(result);
		} finally {
			harness.configure({ typeVersion: 2 });
		}
	});

	it('typeVersion 1: answers 401, not 400, for an unsigned body that is not JSON (nothing parsed before verification)', async () => {
		configure();
		harness.configure({ typeVersion: 1 });
		try {
			const result = await harness.send({ body: '{"broken', headers: { 'content-type': 'application/json' } });
			expect(result.status).toBe(401);
		} finally {
			harness.configure({ typeVersion: 2 });
		}
	});

	it('typeVersion 2: a JSON content type with a body that is not JSON never reaches the node (n8n answers 422)', async () => {
		configure();
		const result = await signed('{"id": "evt", broken');
		expect(result.status).toBe(422);
		expectNoExecution(result);
	});

	it('typeVersion 2: a signed body of a JSON type n8n does not parse is still checked by the node (400)', async () => {
		configure({}, { allowedContentTypes: 'application/vnd.acme+json' });
		const result = await signed('{"id": "evt", broken', { 'content-type': 'application/vnd.acme+json' });
		expect(result.status).toBe(400);
		expectNoExecution(result);
	});

	it('answers 422 with the first schema errors, paths and messages only, never the payload', async () => {
		const schema = JSON.stringify({ type: 'object', required: ['id', 'type', 'data'], properties: { type: { const: 'payment_intent.succeeded' }, data: { type: 'object' } } });
		configure({}, { schema });
		const result = await signed({ id: 'evt_schema', type: 'secret-value-in-payload' });
		expect(result.status).toBe(422);
		const body = result.json as { error: string; details: Array<{ path: string; message: string }> };
		expect(body.error).toBe('payload does not match schema');
		expect(body.details.length).toBeGreaterThan(0);
		expect(body.details.length).toBeLessThanOrEqual(5);
		expect(result.text).not.toContain('secret-value-in-payload');
		expectNoExecution(result);
		const ok = await signed({ id: 'evt_schema_ok', type: 'payment_intent.succeeded', data: {} });
		expect(ok.status).toBe(200);
	});

	it('answers 403 for a client outside the allow-list, and trusts X-Forwarded-For only for configured hops', async () => {
		configure({}, { ipAllowList: '10.0.0.0/8' });
		const spoofed = await signed({ id: 'evt_ip1', type: 't' }, { 'x-forwarded-for': '10.1.2.3' });
		expect(spoofed.status).toBe(403);
		expectNoExecution(spoofed);
		configure({}, { ipAllowList: '10.0.0.0/8', trustedProxyHops: 1 });
		const proxied = await signed({ id: 'evt_ip2', type: 't' }, { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' });
		expect(proxied.status).toBe(200);
		configure({}, { ipAllowList: '127.0.0.1, ::1' });
		expect((await signed({ id: 'evt_ip3', type: 't' })).status).toBe(200);
	});

	it('answers 429 with Retry-After once the burst is spent, before verifying signatures', async () => {
		configure({}, { rateLimitPerSecond: 1, rateLimitBurst: 3 });
		const statuses: number[] = [];
		let retryAfter: string | undefined;
		for (let i = 0; i < 6; i++) {
			const result = await harness.send({ body: '{}', headers: { 'content-type': 'application/json' } });
			statuses.push(result.status);
			if (result.status === 429) retryAfter = result.headers['retry-after'];
			expectNoExecution(result);
		}
		expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
		expect(statuses.slice(3)).toEqual([429, 429, 429]);
		expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
	});

	it('answers a repeated event id 200 "duplicate" without a second execution', async () => {
		configure();
		const first = await signed({ id: 'evt_dup', type: 't' });
		expect(first.status).toBe(200);
		expect(first.workflowData).toHaveLength(1);
		const again = await signed({ id: 'evt_dup', type: 't' });
		expect(again.status).toBe(200);
		expect(again.json).toEqual({ status: 'duplicate' });
		expectNoExecution(again);
	});

	it('does not remember ids of rejected requests: a later good delivery still passes', async () => {
		configure({ events: 'wanted.*' }, { schema: JSON.stringify({ type: 'object', required: ['data'] }) });
		expect((await signed({ id: 'evt_later', type: 'wanted.x' })).status).toBe(422);
		expect((await signed({ id: 'evt_later', type: 'other' }, {})).status).toBe(422);
		const good = await signed({ id: 'evt_later', type: 'wanted.x', data: {} });
		expect(good.status).toBe(200);
		expect(good.workflowData).toHaveLength(1);
	});

	it('de-duplicates nothing when the store is off', async () => {
		configure({ dedupeStore: 'off' });
		expect((await signed({ id: 'evt_off', type: 't' })).workflowData).toHaveLength(1);
		expect((await signed({ id: 'evt_off', type: 't' })).workflowData).toHaveLength(1);
	});

	it('answers 503 with Retry-After when the Redis store cannot be reached, and starts nothing', async () => {
		const previous = process.env.QUEUE_BULL_REDIS_PORT;
		process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
		process.env.QUEUE_BULL_REDIS_PORT = '1';
		try {
			configure({ dedupeStore: 'redis' });
			const result = await signed({ id: 'evt_redis_down', type: 't' });
			expect(result.status).toBe(503);
			expect(result.headers['retry-after']).toBeDefined();
			expectNoExecution(result);
		} finally {
			if (previous === undefined) delete process.env.QUEUE_BULL_REDIS_PORT;
			else process.env.QUEUE_BULL_REDIS_PORT = previous;
			await closeAllRedis();
		}
	});

	it('sends rejections to the opt-in "Rejected" output, redacted and without the body', async () => {
		configure({}, { rejectedOutput: true });
		const payload = Buffer.from(JSON.stringify({ id: 'evt_rej', type: 't' }));
		const headers = stripe.sign(Buffer.from('other bytes'));
		const result = await harness.send({ body: payload, headers: { ...headers, 'content-type': 'application/json' } });
		expect(result.status).toBe(401);
		expect(result.workflowData).toHaveLength(2);
		expect(result.workflowData![0]).toEqual([]);
		const item = result.workflowData![1][0].json;
		expect(item).toMatchObject({ reason: 'invalid_signature', status: 401, clientIp: '127.0.0.1', method: 'POST' });
		expect((item.headers as Record<string, string>)['stripe-signature']).toBe('[redacted]');
		expect(item.body).toBeUndefined();
		const accepted = await signed({ id: 'evt_rej_ok', type: 't' });
		expect(accepted.workflowData).toHaveLength(2);
		expect(accepted.workflowData![0]).toHaveLength(1);
		expect(accepted.workflowData![1]).toEqual([]);
	});

	it('verifies over the exact bytes: non-UTF-8 bytes in a form body verify and are not re-encoded', async () => {
		harness.configure({
			parameters: { path: 'checks', scheme: 'github', settings: { allowedContentTypes: 'application/octet-stream' } },
			credentials: { webhookSigningApi: { secret: 's3cret', previousSecret: '', publicKey: '' } },
			nodeId: 'bytes',
		});
		const payload = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0xe9, 0x7d]);
		const signature = 'sha256=' + createHmac('sha256', 's3cret').update(payload).digest('hex');
		const result = await harness.send({ body: payload, headers: { 'x-hub-signature-256': signature, 'content-type': 'application/octet-stream', 'x-github-event': 'ping' } });
		expect(result.status).toBe(200);
		expect(result.workflowData).toHaveLength(1);
	});

	it('accepts unsigned requests with scheme none, without reading a credential', async () => {
		harness.configure({ parameters: { path: 'checks', scheme: 'none', eventTypePath: 'kind' }, credentials: {}, nodeId: 'none' });
		const result = await harness.send({ body: '{"kind":"ping"}', headers: { 'content-type': 'application/json' } });
		expect(result.status).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({ event: 'ping', verification: { scheme: 'none', matched: 'none' } });
	});
});

describe('Secure Webhook Trigger: provider handshakes are answered without an execution', () => {
	const harness = new TriggerHarness({ parameters: { path: 'handshakes' } });
	let fixtures: SchemeFixture[];
	beforeAll(async () => {
		await harness.start();
		fixtures = schemeFixtures(harness.url);
	});
	afterAll(async () => harness.stop());
	const use = (name: string) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		harness.configure({ parameters: { path: 'handshakes', scheme: name, ...fixture.parameters }, credentials: { webhookSigningApi: fixture.credential }, nodeId: `hs-${name}` });
		return fixture;
	};

	it('Slack url_verification echoes the challenge after verifying the signature', async () => {
		const fixture = use('slack');
		const payload = Buffer.from(JSON.stringify({ type: 'url_verification', challenge: 'chal-123', token: 'x' }));
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': 'application/json' } });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ challenge: 'chal-123' });
		expectNoExecution(result);
		const unsigned = await harness.send({ body: payload, headers: { 'content-type': 'application/json' } });
		expect(unsigned.status).toBe(401);
	});

	it('Meta GET subscription check echoes hub.challenge for the right verify token only', async () => {
		use('meta');
		const ok = await harness.send({ method: 'GET', query: '?hub.mode=subscribe&hub.verify_token=meta-verify&hub.challenge=1158201444' });
		expect(ok.status).toBe(200);
		expect(ok.text).toBe('1158201444');
		expectNoExecution(ok);
		const wrong = await harness.send({ method: 'GET', query: '?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1' });
		expect(wrong.status).toBe(403);
		expect(wrong.text).not.toContain('meta-verify');
	});

	it('Zoom endpoint.url_validation answers the HMAC of the plain token', async () => {
		const fixture = use('zoom');
		const payload = Buffer.from(JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1 }));
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': 'application/json' } });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({
			plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
			encryptedToken: createHmac('sha256', 'zoom-secret-token').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
		});
		expectNoExecution(result);
	});

	it('Discord PING is answered with type 1', async () => {
		const fixture = use('discord');
		const payload = Buffer.from(JSON.stringify({ id: 'p1', type: 1 }));
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': 'application/json' } });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ type: 1 });
		expectNoExecution(result);
	});
});

describe('Secure Webhook Trigger: a body that cannot be read is a client error', () => {
	const harness = new TriggerHarness({ parameters: { path: 'encoding' } });
	let stripe: SchemeFixture;
	let node = 0;
	beforeAll(async () => {
		await harness.start();
		stripe = schemeFixtures(harness.url).find((f) => f.scheme === 'stripe')!;
	});
	afterAll(async () => harness.stop());

	// typeVersion 1 reads every body itself (n8n reads none first), as do 2 and 3 for types n8n does not parse.
	it.each([
		[1, 'application/json'],
		[3, 'application/octet-stream'],
	])('typeVersion %s, %s: a gzip Content-Encoding that does not match the body is 400, no execution', async (typeVersion, contentType) => {
		harness.configure({
			parameters: { path: 'encoding', scheme: 'stripe', ...(typeVersion === 3 ? { provider: 'stripe' } : {}), settings: { allowedContentTypes: contentType } },
			credentials: { webhookSigningApi: stripe.credential },
			nodeId: `encoding-${++node}`,
			typeVersion,
		});
		const payload = Buffer.from('{"id":"evt_gzip","type":"t"}');
		const result = await harness.send({ body: payload, headers: { ...stripe.sign(payload), 'content-type': contentType, 'content-encoding': 'gzip' } });
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ error: 'request body could not be read' });
		expectNoExecution(result);
	});
});
