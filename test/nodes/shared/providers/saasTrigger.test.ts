import { createHmac } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { providerSchemeById } from '../../../../nodes/shared/providers/catalogue';
import { closeAllRedis } from '../../../../nodes/shared/stores/redisConnection';
import { TriggerHarness, type HarnessResult } from '../../../helpers/webhookHarness';

/**
 * SaaS catalogue entries through the trigger's real webhook() (typeVersion 3, test/helpers/webhookHarness.ts): the
 * handshakes the trigger answers before or after verification, and the entries whose verification depends on a
 * setting (Public URL, a token in the query) or on the body (a timestamp inside it). The group test files check the
 * entries' data with the provider test kit; this file checks that the trigger runs them as the entries say.
 */

const JSON_TYPE = { 'content-type': 'application/json' };

function expectNoExecution(result: HarnessResult): void {
	expect(result.thrown).toBeUndefined();
	expect(result.workflowData).toBeUndefined();
}

describe('SaaS providers through the Secure Webhook Trigger (typeVersion 3)', () => {
	const harness = new TriggerHarness({ parameters: { path: 'saas' }, typeVersion: 3 });
	let sequence = 0;

	const use = (provider: string, secrets: { secret: string; previousSecret?: string }, parameters: IDataObject = {}) => {
		harness.configure({
			parameters: { path: 'saas', provider, ...parameters },
			credentials: { webhookSigningApi: { previousSecret: '', publicKey: '', ...secrets } },
			nodeId: `saas-${provider}-${++sequence}`,
		});
	};

	beforeAll(async () => {
		await harness.start();
	});
	afterAll(async () => {
		await harness.stop();
		await closeAllRedis();
	});

	describe('handshakes', () => {
		it('Dropbox: GET ?challenge= is echoed as nosniff plain text, and starts nothing', async () => {
			use('dropbox', { secret: 'dbx-app-secret' });
			const result = await harness.send({ method: 'GET', query: '?challenge=Zx6Jn3mAh5oX2cGZ9e7dQ' });
			expect(result.status).toBe(200);
			expect(result.text).toBe('Zx6Jn3mAh5oX2cGZ9e7dQ');
			expect(result.headers['x-content-type-options']).toBe('nosniff');
			expectNoExecution(result);
		});

		it('X: the CRC answer is sha256= + base64 HMAC of the token with the consumer secret; a digit token is refused', async () => {
			use('xAccountActivity', { secret: 'x-consumer-secret-7f3e1d2c' });
			const result = await harness.send({ method: 'GET', query: '?crc_token=iodjfgoidjgeroijgeroijgerioj' });
			expect(result.status).toBe(200);
			const expected = `sha256=${createHmac('sha256', 'x-consumer-secret-7f3e1d2c').update('iodjfgoidjgeroijgeroijgerioj').digest('base64')}`;
			expect(result.json).toEqual({ response_token: expected });
			expect(result.json).toEqual({ response_token: 'sha256=8F2mW6b6Q0cl+7vzRnsVcBX5zi/Q8pJTtSfsozW2iHw=' });
			expectNoExecution(result);
			const refused = await harness.send({ method: 'GET', query: '?crc_token=12345678' });
			expect(refused.status).toBe(403);
			expectNoExecution(refused);
		});

		it('Okta: the GET verification challenge is answered as {"verification"}', async () => {
			use('okta', { secret: 'okta-hook-shared-secret' });
			const result = await harness.send({ method: 'GET', headers: { 'x-okta-verification-challenge': 'wKkYc0vEYDr_MI8V2f0rS9TIDq1Dk3YO0bfP1D5pmUU' } });
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ verification: 'wKkYc0vEYDr_MI8V2f0rS9TIDq1Dk3YO0bfP1D5pmUU' });
			expectNoExecution(result);
		});

		it('Asana: the X-Hook-Secret handshake is answered 200 with the same header, before any signature', async () => {
			use('asana', { secret: 'unknown-yet' });
			const result = await harness.send({ method: 'POST', body: '', headers: { 'x-hook-secret': 'b537207f20cbfa02357cf448134da559' } });
			expect(result.status).toBe(200);
			expect(result.headers['x-hook-secret']).toBe('b537207f20cbfa02357cf448134da559');
			expectNoExecution(result);
		});

		it('Microsoft Graph: POST ?validationToken= is echoed as plain text before the ?code= secret is checked', async () => {
			use('microsoftGraph', { secret: 'graph-url-secret-5c8e1f' });
			const result = await harness.send({ method: 'POST', body: '', query: '?validationToken=Validation%3A%20Testing%20client%20application%20reachability' });
			expect(result.status).toBe(200);
			expect(result.text).toBe('Validation: Testing client application reachability');
			expect(result.headers['content-type']).toMatch(/^text\/plain/);
			expectNoExecution(result);
		});

		it('Twitch: the signed webhook_callback_verification is answered with the challenge; an unsigned one is refused', async () => {
			const secret = 'twitch-eventsub-secret-9d1f';
			use('twitch', { secret });
			const body = JSON.stringify({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { type: 'channel.follow' } });
			const headers = { 'twitch-eventsub-message-id': 'msg-verify-1', 'twitch-eventsub-message-type': 'webhook_callback_verification' };
			const signed = providerSchemeById('twitch').sign!({ payload: Buffer.from(body), key: secret, timestampSeconds: Math.floor(Date.now() / 1000), headers });
			const result = await harness.send({ body, headers: { ...JSON_TYPE, ...headers, ...signed } });
			expect(result.status).toBe(200);
			expect(result.text).toBe('pogchamp-kappa-360noscope-vohiyo');
			expectNoExecution(result);
			const unsigned = await harness.send({ body, headers: { ...JSON_TYPE, ...headers } });
			expect(unsigned.status).toBe(401);
			expectNoExecution(unsigned);
		});
	});

	describe('verification that depends on a setting or on the body', () => {
		it('Square: signed over the configured Public URL; the same delivery without it is refused', async () => {
			const secret = 'Ibxx_5AKakO-3qeNVR61Dw';
			const publicUrl = 'https://hooks.example.com/webhook/square';
			const body = JSON.stringify({ merchant_id: 'M', type: 'payment.updated', event_id: 'sq-event-1', data: {} });
			const headers = { ...JSON_TYPE, ...providerSchemeById('square').sign!({ payload: Buffer.from(body), key: secret, url: publicUrl }) };
			use('square', { secret }, { publicUrl });
			const accepted = await harness.send({ body, headers });
			expect(accepted.status).toBe(200);
			expect(accepted.workflowData![0][0].json).toMatchObject({ event: 'payment.updated', id: 'sq-event-1' });
			use('square', { secret });
			const refused = await harness.send({ body, headers });
			expect(refused.status).toBe(401);
			expectNoExecution(refused);
		});

		it('HubSpot: {method}{url}{body}{timestamp} with a millisecond timestamp; no event id, so a retry runs again', async () => {
			const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
			const publicUrl = 'https://hooks.example.com/webhook/hubspot';
			use('hubspot', { secret }, { publicUrl });
			const body = JSON.stringify([{ eventId: 1, subscriptionId: 2, portalId: 3, occurredAt: 1, subscriptionType: 'contact.creation', attemptNumber: 0 }]);
			const send = () =>
				harness.send({ body, headers: { ...JSON_TYPE, ...providerSchemeById('hubspot').sign!({ payload: Buffer.from(body), key: secret, url: publicUrl, method: 'POST' }) } });
			const first = await send();
			expect(first.status).toBe(200);
			expect(first.workflowData![0][0].json).toMatchObject({ event: 'contact.creation', id: null });
			const retry = await send();
			expect(retry.status).toBe(200);
			expect(retry.workflowData).toHaveLength(1);
		});

		it('Microsoft Graph: the ?code= secret in the query authenticates a notification', async () => {
			use('microsoftGraph', { secret: 'graph-url-secret-5c8e1f' });
			const body = JSON.stringify({ value: [{ subscriptionId: 's1', changeType: 'created', resource: 'Users/u/Messages/m1', clientState: 'x' }] });
			const accepted = await harness.send({ body, headers: JSON_TYPE, query: '?code=graph-url-secret-5c8e1f' });
			expect(accepted.status).toBe(200);
			expect(accepted.workflowData![0][0].json).toMatchObject({ event: 'created' });
			const refused = await harness.send({ body, headers: JSON_TYPE, query: '?code=wrong' });
			expect(refused.status).toBe(401);
			expectNoExecution(refused);
		});

		it('Linear: the signed body\'s webhookTimestamp must be within 60 s', async () => {
			const secret = 'lin_wh_secret';
			use('linear', { secret });
			const bodyAt = (milliseconds: number) =>
				JSON.stringify({ action: 'create', type: 'Issue', data: { id: `issue-${milliseconds}` }, createdAt: '2024-01-01T00:00:00.000Z', webhookTimestamp: milliseconds });
			const send = (body: string) => harness.send({ body, headers: { ...JSON_TYPE, ...providerSchemeById('linear').sign!({ payload: Buffer.from(body), key: secret }) } });
			const fresh = await send(bodyAt(Date.now()));
			expect(fresh.status).toBe(200);
			expect(fresh.workflowData![0][0].json).toMatchObject({ event: 'Issue.create' });
			const stale = await send(bodyAt(Date.now() - 5 * 60_000));
			expect(stale.status).toBe(401);
			expectNoExecution(stale);
		});

		it('Microsoft Teams: Authorization: HMAC with the base64-decoded security token', async () => {
			const token = Buffer.alloc(32, 7).toString('base64');
			use('microsoftTeams', { secret: token });
			const body = JSON.stringify({ type: 'message', id: 'activity-1', text: '<at>Bot</at> hi' });
			const authorization = `HMAC ${createHmac('sha256', Buffer.from(token, 'base64')).update(body).digest('base64')}`;
			const accepted = await harness.send({ body, headers: { ...JSON_TYPE, authorization } });
			expect(accepted.status).toBe(200);
			expect(accepted.workflowData![0][0].json).toMatchObject({ event: 'message', id: 'activity-1', headers: { authorization: '[redacted]' } });
		});
	});
});
