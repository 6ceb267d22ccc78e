import type { IDataObject } from 'n8n-workflow';

import { closeAllRedis } from '../../../nodes/shared/stores/redisConnection';
import { schemeFixtures, type SchemeFixture } from '../../helpers/signedRequests';
import { TriggerHarness, type HarnessResult } from '../../helpers/webhookHarness';

function expectNoExecution(result: HarnessResult) {
	expect(result.thrown).toBeUndefined();
	expect(result.workflowData).toBeUndefined();
}

/**
 * typeVersion 3 with a Provider: the parameters a v2 fixture uses, with the Custom builders' event locations moved
 * into Options, where typeVersion 3 keeps them.
 */
function v3Parameters(fixture: SchemeFixture, path: string, settings: Record<string, unknown> = {}): IDataObject {
	const { eventTypePath, eventIdPath, ...parameters } = fixture.parameters as Record<string, unknown>;
	return {
		path,
		provider: fixture.scheme,
		...parameters,
		settings: { allowedContentTypes: fixture.contentType, ...(eventTypePath ? { eventTypePath } : {}), ...(eventIdPath ? { eventIdPath } : {}), ...settings },
	};
}

describe('Secure Webhook Trigger typeVersion 3: every migrated preset as a Provider', () => {
	const harness = new TriggerHarness({ parameters: { path: 'v3' }, typeVersion: 3 });
	let fixtures: SchemeFixture[];
	beforeAll(async () => {
		await harness.start();
		fixtures = schemeFixtures(harness.url);
	});
	afterAll(async () => {
		await harness.stop();
		await closeAllRedis();
	});

	const names = schemeFixtures('http://x').map((fixture) => fixture.scheme);
	const use = (name: string, settings: Record<string, unknown> = {}) => {
		const fixture = fixtures.find((f) => f.scheme === name)!;
		harness.configure({ parameters: v3Parameters(fixture, 'v3', settings), credentials: { webhookSigningApi: fixture.credential }, nodeId: `v3-${name}-${Math.random()}` });
		return fixture;
	};

	it.each(names)('%s: a signed event starts one execution with the same item as typeVersion 2', async (name) => {
		const fixture = use(name);
		const payload = fixture.body(fixture.eventType, `evt_v3_${name}`);
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': fixture.contentType } });
		expect(result.status).toBe(200);
		expect(result.workflowData).toHaveLength(1);
		const item = result.workflowData![0][0].json;
		expect(item.event).toBe(fixture.eventType);
		expect(item.verification).toEqual({ scheme: name, matched: name === 'discord' ? 'publicKey' : 'current' });
	});

	it.each(names)('%s: an unsigned request is answered 401 without an execution', async (name) => {
		const fixture = use(name);
		const result = await harness.send({ body: fixture.body(fixture.eventType, 'x'), headers: { 'content-type': fixture.contentType } });
		expect(result.status).toBe(401);
		expectNoExecution(result);
	});

	it("uses the provider's replay window, and Options' Replay Window overrides it", async () => {
		const now = Math.floor(Date.now() / 1000);
		let fixture = use('stripe');
		const payload = fixture.body(fixture.eventType, 'evt_v3_window');
		const minuteOld = { ...fixture.sign(payload, { timestampSeconds: now - 60 }), 'content-type': fixture.contentType };
		expect((await harness.send({ body: payload, headers: minuteOld })).status).toBe(200);
		fixture = use('stripe', { toleranceSeconds: 30 });
		const rejected = await harness.send({ body: payload, headers: minuteOld });
		expect(rejected.status).toBe(401);
		expectNoExecution(rejected);
	});

	it("reads the provider's event id, and Options' Event ID From overrides it", async () => {
		let fixture = use('stripe');
		const payload = fixture.body(fixture.eventType, 'evt_v3_override');
		const first = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': fixture.contentType } });
		expect(first.workflowData![0][0].json.id).toBe('evt_v3_override');
		fixture = use('stripe', { eventIdPath: 'object' });
		const overridden = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': fixture.contentType } });
		expect(overridden.workflowData![0][0].json.id).toBe('event');
	});

	it('answers the provider handshakes from the catalogue', async () => {
		const fixture = use('slack');
		const payload = Buffer.from(JSON.stringify({ type: 'url_verification', challenge: 'chal-v3' }));
		const result = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': 'application/json' } });
		expect(result.json).toEqual({ challenge: 'chal-v3' });
		expectNoExecution(result);
		use('meta');
		const subscribe = await harness.send({ method: 'GET', query: '?hub.mode=subscribe&hub.verify_token=meta-verify&hub.challenge=42' });
		expect(subscribe.text).toBe('42');
	});

	it('starts with Standard Webhooks when no provider was chosen, and answers 500 for an unknown one', async () => {
		const fixture = fixtures.find((f) => f.scheme === 'standardWebhooks')!;
		harness.configure({ parameters: { path: 'v3', settings: { allowedContentTypes: 'application/json' } }, credentials: { webhookSigningApi: fixture.credential }, nodeId: 'v3-default' });
		const payload = fixture.body(fixture.eventType, 'evt_default');
		expect((await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': 'application/json' } })).status).toBe(200);
		harness.configure({ parameters: { path: 'v3', provider: 'nope' }, nodeId: 'v3-unknown' });
		const unknown = await harness.send({ body: payload, headers: { ...fixture.sign(payload), 'content-type': 'application/json' } });
		expect(unknown.status).toBe(500);
		expect(unknown.json).toEqual({ error: 'internal error' });
		expectNoExecution(unknown);
	});
});

// Issue 14: where a provider signs no timestamp, de-duplication keyed on an unsigned delivery header let anyone holding
// one captured delivery replay it by changing that header.
describe('replays without a signed timestamp: de-duplication on the body hash too', () => {
	const harness = new TriggerHarness({ parameters: { path: 'replay' }, typeVersion: 3 });
	let github: SchemeFixture;
	let node = 0;
	beforeAll(async () => {
		await harness.start();
		github = schemeFixtures(harness.url).find((f) => f.scheme === 'github')!;
	});
	afterAll(async () => harness.stop());

	const use = (typeVersion: number, settings: Record<string, unknown> = {}) =>
		harness.configure({
			parameters: typeVersion === 3 ? { path: 'replay', provider: 'github', settings } : { path: 'replay', scheme: 'github', settings },
			credentials: { webhookSigningApi: github.credential },
			typeVersion,
			nodeId: `replay-${++node}`,
		});
	const delivery = (body: Buffer, deliveryId: string) => ({
		body,
		headers: { ...github.sign(body, { id: deliveryId }), 'content-type': 'application/json' },
	});

	it('typeVersion 3: a captured delivery replayed with another X-GitHub-Delivery is a duplicate', async () => {
		use(3);
		const body = github.body(github.eventType, 'replayed');
		expect((await harness.send(delivery(body, 'delivery-1'))).json).toEqual({ status: 'accepted' });
		const replay = await harness.send(delivery(body, 'delivery-forged'));
		expect(replay.json).toEqual({ status: 'duplicate' });
		expectNoExecution(replay);
	});

	it('a body seen before does not hold the new id: the same id with a new body is still accepted', async () => {
		use(3);
		const first = github.body(github.eventType, 'first');
		expect((await harness.send(delivery(first, 'd-a'))).json).toEqual({ status: 'accepted' });
		expect((await harness.send(delivery(first, 'd-b'))).json).toEqual({ status: 'duplicate' });
		expect((await harness.send(delivery(github.body(github.eventType, 'second'), 'd-b'))).json).toEqual({ status: 'accepted' });
	});

	it('typeVersion 2 keeps its behaviour unless the option is set; typeVersion 3 can turn it off', async () => {
		const body = github.body(github.eventType, 'v2');
		use(2);
		expect((await harness.send(delivery(body, 'v2-1'))).json).toEqual({ status: 'accepted' });
		expect((await harness.send(delivery(body, 'v2-2'))).json).toEqual({ status: 'accepted' });
		use(2, { dedupeBodyHash: true });
		expect((await harness.send(delivery(body, 'v2-3'))).json).toEqual({ status: 'accepted' });
		expect((await harness.send(delivery(body, 'v2-4'))).json).toEqual({ status: 'duplicate' });
		use(3, { dedupeBodyHash: false });
		expect((await harness.send(delivery(body, 'v3-1'))).json).toEqual({ status: 'accepted' });
		expect((await harness.send(delivery(body, 'v3-2'))).json).toEqual({ status: 'accepted' });
	});
});

describe('"Why did it fail?": the test URL says which check failed and why; production stays generic', () => {
	const harness = new TriggerHarness({ parameters: { path: 'why' }, typeVersion: 3 });
	let stripe: SchemeFixture;
	let node = 0;
	beforeAll(async () => {
		await harness.start();
		stripe = schemeFixtures(harness.url).find((f) => f.scheme === 'stripe')!;
	});
	afterAll(async () => harness.stop());

	const use = (mode: 'manual' | 'webhook', settings: Record<string, unknown> = {}) =>
		harness.configure({
			parameters: { path: 'why', provider: 'stripe', settings },
			credentials: { webhookSigningApi: stripe.credential },
			mode,
			nodeId: `why-${++node}`,
		});

	it('an hour-old signature: 401 with the clock offset on the test URL, and nothing more in production', async () => {
		const payload = stripe.body(stripe.eventType, 'evt_why');
		const headers = { ...stripe.sign(payload, { timestampSeconds: Math.floor(Date.now() / 1000) - 3600 }), 'content-type': 'application/json' };
		use('manual');
		const test = await harness.send({ body: payload, headers });
		expect(test.status).toBe(401);
		expect(test.json).toMatchObject({ error: 'invalid signature', diagnosis: { check: 'signature', cause: 'clock_skew' } });
		expect((test.json as { diagnosis: { hint: string } }).diagnosis.hint).toMatch(/36\d\d s in the past/);
		expectNoExecution(test);
		use('webhook');
		const production = await harness.send({ body: payload, headers });
		expect(production.json).toEqual({ error: 'invalid signature' });
	});

	it('the Rejected output carries the diagnosis on the test URL', async () => {
		use('manual', { rejectedOutput: true });
		const result = await harness.send({ body: '<a/>', headers: { 'content-type': 'text/xml' } });
		expect(result.status).toBe(415);
		expect(result.json).toMatchObject({ diagnosis: { check: 'content type', cause: 'unsupported_content_type' } });
		const rejected = result.workflowData![1][0].json;
		expect(rejected.diagnosis).toMatchObject({ cause: 'unsupported_content_type' });
		use('webhook', { rejectedOutput: true });
		const production = await harness.send({ body: '<a/>', headers: { 'content-type': 'text/xml' } });
		expect(production.json).toEqual({ error: 'unsupported content type' });
		expect(production.workflowData![1][0].json).not.toHaveProperty('diagnosis');
	});
});
