import { generateKeyPairSync } from 'node:crypto';

import { sign as signToken } from 'jsonwebtoken';

import { providerSchemeById } from '../../../nodes/shared/providers/catalogue';
import { closeAllRedis } from '../../../nodes/shared/stores/redisConnection';
import { TriggerHarness } from '../../helpers/webhookHarness';

/**
 * The key-based kinds through the node's webhook() (typeVersion 3): a public key in the credential, a JWT with the
 * node's Audience, and a key set that cannot be fetched (503 + Retry-After, not 401: the sender retries).
 */
describe('Secure Webhook Trigger: key-based providers', () => {
	const harness = new TriggerHarness({ parameters: { path: 'keys' }, typeVersion: 3 });
	beforeAll(async () => await harness.start());
	afterAll(async () => {
		await harness.stop();
		await closeAllRedis();
	});
	const now = () => Math.floor(Date.now() / 1000);
	const JSON_TYPE = { 'content-type': 'application/json' };

	it('Ed25519 in the credential (Telnyx): a signed event starts one execution, another key is 401 without one', async () => {
		const seed = Buffer.alloc(32, 0x2a).toString('hex');
		const telnyx = providerSchemeById('telnyx');
		const publicKey = 'GX9rI+FshTLGq8g4+s1ep4m+DHaykgM0A5v6iz02jWE=';
		harness.configure({ parameters: { path: 'keys', provider: 'telnyx' }, credentials: { webhookSigningApi: { secret: '', publicKey } }, nodeId: `telnyx-${Math.random()}` });
		const body = JSON.stringify({ data: { event_type: 'message.finalized', id: 'ev-1' }, meta: { attempt: 1 } });
		const signed = telnyx.sign!({ payload: Buffer.from(body), key: seed, timestampSeconds: now() });
		const accepted = await harness.send({ body, headers: { ...JSON_TYPE, ...signed } });
		expect(accepted.status).toBe(200);
		expect(accepted.workflowData![0][0].json).toMatchObject({ event: 'message.finalized', id: 'ev-1', verification: { scheme: 'telnyx', matched: 'publicKey' } });
		const forged = telnyx.sign!({ payload: Buffer.from(body), key: Buffer.alloc(32, 0x2b).toString('hex'), timestampSeconds: now() });
		const refused = await harness.send({ body, headers: { ...JSON_TYPE, ...forged } });
		expect(refused.status).toBe(401);
		expect(refused.workflowData).toBeUndefined();
	});

	it('a JWT with the node\'s Audience (monday.com): an empty Audience verifies nothing', async () => {
		const audience = 'https://hooks.example.com/webhook/monday';
		const body = JSON.stringify({ event: { type: 'create_item', triggerUuid: 'u-1' } });
		const headers = providerSchemeById('monday').sign!({ payload: Buffer.from(body), key: 'monday-secret', jwtClaims: { aud: audience } });
		harness.configure({ parameters: { path: 'keys', provider: 'monday', audience: '' }, credentials: { webhookSigningApi: { secret: 'monday-secret' } }, nodeId: `monday-${Math.random()}` });
		expect((await harness.send({ body, headers: { ...JSON_TYPE, ...headers } })).status).toBe(401);
		harness.configure({ parameters: { path: 'keys', provider: 'monday', audience }, credentials: { webhookSigningApi: { secret: 'monday-secret' } }, nodeId: `monday-${Math.random()}` });
		const accepted = await harness.send({ body, headers: { ...JSON_TYPE, ...headers } });
		expect(accepted.status).toBe(200);
		expect(accepted.workflowData![0][0].json).toMatchObject({ event: 'create_item', id: 'u-1' });
	});

	it('a JWKS that cannot be fetched: 503 with Retry-After and no execution, never 401', async () => {
		harness.configure({
			parameters: { path: 'keys', provider: 'jwt', jwtAlgorithms: ['RS256'], jwtJwksUrl: 'https://127.0.0.1:9/jwks.json' },
			credentials: { webhookSigningApi: { secret: '' } },
			nodeId: `jwks-${Math.random()}`,
		});
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const token = signToken({ exp: now() + 300 }, privateKey, { algorithm: 'RS256', keyid: 'k1' });
		const answer = await harness.send({ body: '{"n":1}', headers: { ...JSON_TYPE, authorization: `Bearer ${token}` } });
		expect(answer.status).toBe(503);
		expect(answer.headers['retry-after']).toBe('60');
		expect(answer.workflowData).toBeUndefined();
	});
});
