import fc from 'fast-check';

import { SCHEMES } from '../../../nodes/shared/schemes/registry';
import { closeAllRedis } from '../../../nodes/shared/stores/redisConnection';
import { schemeFixtures, type SchemeFixture } from '../../helpers/signedRequests';
import { TriggerHarness, type HarnessResult } from '../../helpers/webhookHarness';

/** Every status the trigger documents. Anything else (500 included) is a defect. */
const DOCUMENTED_STATUSES = new Set([200, 400, 401, 403, 405, 409, 413, 415, 422, 429]);
const SECRET_MARKERS = ['whsec_', 'demo-secret', 'demo_secret', 'auth-token', 'secret-token', 'gitlab-token', 'app-secret', 'enough-length'];

const SIGNATURE_HEADERS = [
	'webhook-id', 'webhook-timestamp', 'webhook-signature', 'svix-id', 'svix-timestamp', 'svix-signature',
	'stripe-signature', 'x-hub-signature-256', 'x-slack-signature', 'x-slack-request-timestamp',
	'x-shopify-hmac-sha256', 'x-twilio-signature', 'x-zm-signature', 'x-zm-request-timestamp',
	'x-signature-ed25519', 'x-signature-timestamp', 'x-gitlab-token', 'authorization', 'x-acme-signature', 'x-acme-timestamp',
];

/** Header values a careless parser chokes on: separators, prefixes of real formats, huge and unicode values. */
const headerValue = fc.oneof(
	fc.string({ maxLength: 80 }),
	fc.constantFrom('', ' ', ',', '=', 't=', 'v1=', 't=1,v1=', 'v1,', 'v1a,', 'sha256=', 'v0=', 'Bearer ', 'Bearer a.b.c', 'Bearer ...', 'whsec_', 't=abc,v1=zz', '0', '-1', '1e309', 'NaN'),
	fc.stringMatching(/^[0-9a-f]{0,140}$/),
	fc.stringMatching(/^[A-Za-z0-9+/=]{0,100}$/),
	fc.integer().map(String),
).map((value) => value.replace(/[\r\n\0]/g, '').replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));

const bodyArbitrary = fc.oneof(
	fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
	fc.json().map((text) => Buffer.from(text)),
	fc.string({ unit: 'grapheme', maxLength: 300 }).map((text) => Buffer.from(text)),
	fc.constantFrom(
		'{"__proto__":{"polluted":true},"type":"x","id":"1"}',
		'{"constructor":{"prototype":{"polluted":true}}}',
		'{"type":{"__proto__":null},"id":[]}',
		'[]', 'null', '"', '{', '{"a":' + '['.repeat(5000), '\uFEFF{}',
	).map((text) => Buffer.from(text)),
	fc.json().map((text) => Buffer.from(text).subarray(0, Math.max(0, text.length - 3))),
);

const requestArbitrary = fc.record({
	method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE'),
	contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', ''),
	body: bodyArbitrary,
	signatureHeaders: fc.dictionary(fc.constantFrom(...SIGNATURE_HEADERS), fc.oneof(headerValue, fc.array(headerValue, { minLength: 2, maxLength: 3 })), { maxKeys: 6 }),
	otherHeaders: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerValue, { maxKeys: 5 }),
	// One huge header at most: beyond Node's 16 KiB header limit the HTTP server itself answers 431, before n8n.
	hugeHeader: fc.option(fc.stringMatching(/^[ -~]{2000,8000}$/), { nil: undefined }),
	query: fc.constantFrom('', '?a=1', '?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1', '?__proto__[x]=1', '?bodySHA256=00'),
});

function assertSafe(result: HarnessResult) {
	expect(result.thrown).toBeUndefined();
	expect(DOCUMENTED_STATUSES.has(result.status)).toBe(true);
	for (const marker of SECRET_MARKERS) expect(result.text).not.toContain(marker);
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('Secure Webhook Trigger under random and adversarial requests', () => {
	const harness = new TriggerHarness({ parameters: { path: 'fuzz' } });
	let fixtures: SchemeFixture[];
	let delivery = 0;
	beforeAll(async () => {
		await harness.start();
		fixtures = schemeFixtures(harness.url);
	});
	afterAll(async () => {
		await harness.stop();
		await closeAllRedis();
	});

	/** Any fixture: as many as there are (the count is whatever schemeFixtures returns). */
	const fixtureIndex = () => fc.nat({ max: fixtures.length - 1 });

	it('has a fixture for every signing scheme of the registry', () => {
		const signing = Object.keys(SCHEMES).filter((name) => name !== 'none');
		expect(fixtures.map((fixture) => fixture.scheme).sort()).toEqual(signing.sort());
	});

	const configure = (fixture: SchemeFixture, settings: Record<string, unknown> = {}, typeVersion = 2) =>
		harness.configure({
			typeVersion,
			parameters: {
				path: 'fuzz',
				scheme: fixture.scheme,
				...fixture.parameters,
				settings: { allowedContentTypes: 'application/json, application/x-www-form-urlencoded, text/plain', maxBodyBytes: 4096, schema: '{"type":"object"}', ...settings },
			},
			credentials: { webhookSigningApi: fixture.credential },
			nodeId: `fuzz-${fixture.scheme}`,
		});

	it('never throws, answers only documented statuses, never executes an unsigned request, never leaks a secret', async () => {
		await fc.assert(
			fc.asyncProperty(fixtureIndex(), fc.constantFrom(1, 2), requestArbitrary, async (schemeIndex, typeVersion, random) => {
				const fixture = fixtures[schemeIndex];
				configure(fixture, {}, typeVersion);
				const result = await harness.send({
					method: random.method,
					body: random.body,
					query: random.query,
					headers: {
						...random.otherHeaders,
						...random.signatureHeaders,
						...(random.hugeHeader === undefined ? {} : { 'x-huge': random.hugeHeader }),
						...(random.contentType ? { 'content-type': random.contentType } : {}),
					},
				});
				assertSafe(result);
				expect(result.workflowData).toBeUndefined();
			}),
			{ numRuns: 400 },
		);
	}, 180_000);

	it('a correctly signed request with random JSON and random extra headers starts exactly one execution', async () => {
		await fc.assert(
			fc.asyncProperty(
				fixtureIndex(),
				fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
				fc.dictionary(fc.stringMatching(/^x-extra-[a-z]{1,8}$/), headerValue, { maxKeys: 3 }),
				fc.uuid(),
				async (schemeIndex, fields, extraHeaders, uuid) => {
					const id = `${uuid}-${++delivery}`; // shrinking repeats values: keep ids unique so no run is a duplicate
					const fixture = fixtures[schemeIndex];
					configure(fixture);
					const preset = fixture.body(fixture.eventType, id);
					const payload =
						fixture.contentType === 'application/json'
							? Buffer.from(JSON.stringify({ ...fields, ...(JSON.parse(preset.toString()) as object) }))
							: preset;
					const result = await harness.send({
						body: payload,
						headers: { ...extraHeaders, ...fixture.sign(payload, { id }), 'content-type': fixture.contentType },
					});
					assertSafe(result);
					expect(result.status).toBe(200);
					expect(result.workflowData?.[0]).toHaveLength(1);
				},
			),
			{ numRuns: 150 },
		);
	}, 120_000);

	it('a signed request with one flipped body byte never executes', async () => {
		await fc.assert(
			fc.asyncProperty(fixtureIndex(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (schemeIndex, position, flip) => {
				const fixture = fixtures[schemeIndex];
				fc.pre(fixture.scheme !== 'gitlab'); // a shared token, no signature over the body
				configure(fixture);
				const payload = fixture.body(fixture.eventType, `flip-${position}`);
				const headers = fixture.sign(payload);
				const tampered = Buffer.from(payload);
				tampered[position % tampered.length] ^= flip;
				const result = await harness.send({ body: tampered, headers: { ...headers, 'content-type': fixture.contentType } });
				assertSafe(result);
				expect(result.workflowData).toBeUndefined();
			}),
			{ numRuns: 300 },
		);
	}, 120_000);
});
