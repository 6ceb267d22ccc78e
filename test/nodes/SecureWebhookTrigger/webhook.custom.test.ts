import { createHmac } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { closeAllRedis } from '../../../nodes/shared/stores/redisConnection';
import { signHmacRecipe, type HmacRecipe } from '../../../nodes/shared/verify/hmacRecipe';
import { TriggerHarness, type HarnessResult } from '../../helpers/webhookHarness';

function expectNoExecution(result: HarnessResult) {
	expect(result.thrown).toBeUndefined();
	expect(result.workflowData).toBeUndefined();
}

function item(result: HarnessResult): IDataObject {
	expect(result.status).toBe(200);
	expect(result.workflowData).toHaveLength(1);
	return result.workflowData![0][0].json;
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('typeVersion 3 Custom entries: the building blocks configured in the node, through webhook()', () => {
	const harness = new TriggerHarness({ parameters: { path: 'custom' }, typeVersion: 3 });
	let node = 0;
	beforeAll(async () => harness.start());
	afterAll(async () => {
		await harness.stop();
		await closeAllRedis();
	});

	const configure = (parameters: IDataObject, secret = 'custom-secret') =>
		harness.configure({ parameters: { path: 'custom', ...parameters }, credentials: { webhookSigningApi: { secret } }, nodeId: `custom-${++node}` });

	describe('HMAC', () => {
		it('a k=v signature header with its own separators, the timestamp in milliseconds from the list, a hex secret', async () => {
			const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
			configure(
				{
					provider: 'hmac',
					hmacSignatureHeader: 'X-Acme-Signature',
					hmacSignedContent: '{timestamp}:{body}',
					hmacSignatureFormat: 'list',
					hmacListPairSeparator: 'semicolon',
					hmacSignatureKeys: 'h1, h2',
					hmacTimestampFrom: 'listKey',
					hmacTimestampKey: 'ts',
					hmacTimestampUnit: 'ms',
					hmacSecretFormat: 'hex',
					settings: { eventIdPath: 'id', eventTypePath: 'type' },
				},
				key.toString('hex'),
			);
			const body = JSON.stringify({ id: 'evt_list', type: 'order.paid' });
			const ts = String(Date.now());
			const mac = createHmac('sha256', key).update(`${ts}:${body}`).digest('hex');
			const accepted = item(await harness.send({ body, headers: { ...JSON_TYPE, 'x-acme-signature': `ts=${ts};h1=${'0'.repeat(64)};h2=${mac}` } }));
			expect(accepted).toMatchObject({ id: 'evt_list', event: 'order.paid', timestamp: Math.floor(Number(ts) / 1000) });
			expect((accepted.headers as IDataObject)['x-acme-signature']).toBe('[redacted]');
			// The same MAC with the secret read as text is another key.
			configure({ provider: 'hmac', hmacSignatureHeader: 'X-Acme-Signature', hmacSignedContent: '{timestamp}:{body}', hmacSignatureFormat: 'list', hmacListPairSeparator: 'semicolon', hmacSignatureKeys: 'h1, h2', hmacTimestampFrom: 'listKey', hmacTimestampKey: 'ts', hmacTimestampUnit: 'ms' }, key.toString('hex'));
			expectNoExecution(await harness.send({ body, headers: { ...JSON_TYPE, 'x-acme-signature': `ts=${ts};h2=${mac}` } }));
		});

		it('the window applies to a millisecond timestamp a minute old when Replay Window is 30 s', async () => {
			configure({ provider: 'hmac', hmacTimestampHeader: 'x-ts', hmacSignedContent: '{timestamp}.{body}', hmacTimestampUnit: 'ms', settings: { toleranceSeconds: 30 } });
			const body = '{"a":1}';
			const ts = String(Date.now() - 60_000);
			const result = await harness.send({ body, headers: { ...JSON_TYPE, 'x-ts': ts, 'x-signature': createHmac('sha256', 'custom-secret').update(`${ts}.${body}`).digest('hex') } });
			expect(result.status).toBe(401);
			expectNoExecution(result);
		});

		it('the timestamp from an ISO 8601 body field, checked once the signature holds', async () => {
			configure({ provider: 'hmac', hmacTimestampFrom: 'body', hmacTimestampPath: 'sent_at', hmacTimestampUnit: 'iso8601', hmacEncoding: 'base64' });
			const fresh = JSON.stringify({ sent_at: new Date().toISOString() });
			const stale = JSON.stringify({ sent_at: new Date(Date.now() - 3_600_000).toISOString() });
			const sign = (body: string) => ({ ...JSON_TYPE, 'x-signature': createHmac('sha256', 'custom-secret').update(body).digest('base64') });
			expect(item(await harness.send({ body: fresh, headers: sign(fresh) })).body).toEqual(JSON.parse(fresh));
			expect((await harness.send({ body: stale, headers: sign(stale) })).status).toBe(401);
		});

		it('{method}{url}{body}{timestamp} with the configured public URL (HubSpot-style), and {header:…}', async () => {
			const publicUrl = 'https://n8n.example.com/webhook/custom';
			configure({ provider: 'hmac', publicUrl, hmacSignatureHeader: 'x-sig', hmacEncoding: 'base64', hmacTimestampHeader: 'x-ts', hmacTimestampUnit: 'ms', hmacSignedContent: '{method}{url}{body}{timestamp}{header:x-delivery}' });
			const recipe: HmacRecipe = {
				kind: 'hmac',
				algorithm: 'sha256',
				signature: { header: 'x-sig' },
				encoding: 'base64',
				secret: 'utf8',
				signedContent: '{method}{url}{body}{timestamp}{header:x-delivery}',
				timestamp: { from: { header: 'x-ts' }, unit: 'ms', windowSeconds: 300 },
			};
			const body = Buffer.from('{"portalId":1}');
			const signed = signHmacRecipe(recipe, { payload: body, key: 'custom-secret', url: `${publicUrl}?portal=1`, headers: { 'x-delivery': 'd-1' } });
			expect(item(await harness.send({ body, query: '?portal=1', headers: { ...JSON_TYPE, 'x-delivery': 'd-1', ...signed } })).query).toEqual({ portal: '1' });
			expect((await harness.send({ body, query: '?portal=2', headers: { ...JSON_TYPE, 'x-delivery': 'd-1', ...signed } })).status).toBe(401);
			expect((await harness.send({ body, query: '?portal=1', headers: { ...JSON_TYPE, 'x-delivery': 'd-2', ...signed } })).status).toBe(401);
		});
	});

	describe('Token', () => {
		it('Bearer token in Authorization by default; the header is redacted', async () => {
			configure({ provider: 'token' });
			const accepted = item(await harness.send({ body: '{}', headers: { ...JSON_TYPE, authorization: 'Bearer custom-secret' } }));
			expect((accepted.headers as IDataObject).authorization).toBe('[redacted]');
			expect((await harness.send({ body: '{}', headers: { ...JSON_TYPE, authorization: 'custom-secret' } })).status).toBe(401);
		});

		it('any header, Bearer optional', async () => {
			configure({ provider: 'token', tokenHeader: 'X-Webhook-Token', tokenBearer: 'optional' });
			item(await harness.send({ body: '{"n":1}', headers: { ...JSON_TYPE, 'x-webhook-token': 'custom-secret' } }));
			// Another body: the same body again would be a duplicate (no signed timestamp: de-duplication on its hash).
			item(await harness.send({ body: '{"n":2}', headers: { ...JSON_TYPE, 'x-webhook-token': 'Bearer custom-secret' } }));
			expect((await harness.send({ body: '{}', headers: { ...JSON_TYPE, 'x-webhook-token': 'custom-secreT' } })).status).toBe(401);
		});

		it('HTTP Basic credentials', async () => {
			configure({ provider: 'token', tokenLocation: 'basicAuth' }, 'hook:p@ss word');
			const basic = (text: string) => ({ ...JSON_TYPE, authorization: `Basic ${Buffer.from(text).toString('base64')}` });
			item(await harness.send({ body: '{}', headers: basic('hook:p@ss word') }));
			expect((await harness.send({ body: '{}', headers: basic('hook:wrong') })).status).toBe(401);
		});

		it('a query-string secret, redacted from the item', async () => {
			configure({ provider: 'token', tokenLocation: 'query', tokenQueryParameter: 'key' });
			const accepted = item(await harness.send({ body: '{}', query: '?key=custom-secret&topic=a', headers: JSON_TYPE }));
			expect(accepted.query).toEqual({ key: '[redacted]', topic: 'a' });
			expect((await harness.send({ body: '{}', query: '?key=nope', headers: JSON_TYPE })).status).toBe(401);
		});
	});

	describe('handshakes', () => {
		it('GET query echo (Dropbox challenge): text, nosniff, no execution; GET otherwise 403', async () => {
			configure({ provider: 'token', customHandshake: 'getQuery', customHandshakeName: 'challenge' });
			const echo = await harness.send({ method: 'GET', query: '?challenge=abc123' });
			expect(echo.status).toBe(200);
			expect(echo.text).toBe('abc123');
			expect(echo.headers['x-content-type-options']).toBe('nosniff');
			expectNoExecution(echo);
			expect((await harness.send({ method: 'GET' })).status).toBe(403);
		});

		it('POST query echo (Microsoft Graph validationToken): answered before content type and signature checks', async () => {
			configure({ provider: 'token', customHandshake: 'postQuery', customHandshakeName: 'validationToken' });
			const echo = await harness.send({ body: '', query: '?validationToken=Validation%3A%20Testing', headers: { 'content-type': 'text/plain' } });
			expect(echo.status).toBe(200);
			expect(echo.text).toBe('Validation: Testing');
			expectNoExecution(echo);
		});

		it('header echo (Asana X-Hook-Secret): an empty 200 with the header', async () => {
			configure({ provider: 'hmac', customHandshake: 'header', customHandshakeName: 'X-Hook-Secret' });
			const echo = await harness.send({ body: '', headers: { 'x-hook-secret': 'asana-secret-123' } });
			expect(echo.status).toBe(200);
			expect(echo.headers['x-hook-secret']).toBe('asana-secret-123');
			expectNoExecution(echo);
		});

		it('body field echo (monday.com challenge) only once the request verified; as text (Twitch) too', async () => {
			configure({ provider: 'token', customHandshake: 'bodyField', customHandshakeName: 'challenge' });
			const body = JSON.stringify({ challenge: 'ch-1' });
			expect((await harness.send({ body, headers: JSON_TYPE })).status).toBe(401);
			const echo = await harness.send({ body, headers: { ...JSON_TYPE, authorization: 'Bearer custom-secret' } });
			expect(echo.json).toEqual({ challenge: 'ch-1' });
			expectNoExecution(echo);
			configure({ provider: 'token', customHandshake: 'bodyField', customHandshakeName: 'challenge', customHandshakeAnswer: 'text' });
			const text = await harness.send({ body, headers: { ...JSON_TYPE, authorization: 'Bearer custom-secret' } });
			expect(text.text).toBe('ch-1');
			// An ordinary event (no challenge) is an event.
			item(await harness.send({ body: '{"id":1}', headers: { ...JSON_TYPE, authorization: 'Bearer custom-secret' } }));
		});
	});
});
