'use strict';

const { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } = require('node:crypto');

const { sign: signToken } = require('jsonwebtoken');

const { nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE, signing } = require('./helpers/package');
const { productionUrl, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * The key-based recipe kinds through a live n8n (typeVersion 3, shared n8n): an Ed25519, an ECDSA P-256 and an RSA
 * public key in the credential (Telnyx, SendGrid, Wise), an HS256 JWT with the node's Audience (monday.com), and a JWKS
 * that cannot be fetched (503 + Retry-After, no execution). Requests are signed with the catalogue's own signers
 * (providerSchemeById(id).sign), which the unit tests cross-check against the providers' published vectors and SDKs.
 * JWKS key rotation and the AWS SNS handshake need a loopback HTTPS server the n8n process trusts: they are in
 * keyFetch.e2e.test.js, which starts an n8n of its own.
 */
const client = restClient();
const JSON_TYPE = { 'content-type': 'application/json' };
const now = () => Math.floor(Date.now() / 1000);
/** PKCS#8 DER of an Ed25519 private key, up to its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const workflows = [];
afterAll(async () => {
	await Promise.all(workflows.map((id) => client.deactivateWorkflow(id).catch(() => {})));
});

/** A published workflow with one typeVersion 3 trigger for `provider`; `url` is its production URL. */
async function trigger(name, provider, credentialData, parameters = {}) {
	const credential = await client.createCredential({ name: `e2e ${name}`, type: CREDENTIAL_TYPE, data: credentialData });
	const path = uniquePath(name);
	const node = triggerNode({ path, credential, typeVersion: 3, parameters: { provider, ...parameters } });
	const saved = await client.createActiveWorkflow(workflow(`e2e ${name}`, [node]));
	workflows.push(saved.id);
	return { url: productionUrl(path), workflowId: saved.id, triggerName: node.name };
}

async function expectExecutions(setup, count) {
	const executions = await client.waitForExecutions(setup.workflowId, { count });
	expect(executions).toHaveLength(count);
	return executions.map((execution) => nodeOutput(execution, setup.triggerName)[0]);
}

const sign = (provider, input) => signing().providerSchemeById(provider).sign({ timestampSeconds: now(), ...input });

/**
 * One public-key provider end to end: a delivery it signs starts one execution with its event type and id; the same
 * delivery with a changed body, and one signed with another private key, are 401 without an execution.
 */
async function publicKeyRoundTrip({ name, provider, publicKey, privateKey, otherPrivateKey, body, expected }) {
	const setup = await trigger(name, provider, { secret: '', publicKey });
	const payload = Buffer.from(body);
	const signed = sign(provider, { payload, key: privateKey });
	const tampered = Buffer.from(body.replace(expected.id, `${expected.id}x`));
	expect(tampered.equals(payload)).toBe(false);
	expect((await send(setup.url, { body: tampered, headers: { ...JSON_TYPE, ...signed } })).status).toBe(401);
	const forged = sign(provider, { payload, key: otherPrivateKey });
	expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...forged } })).status).toBe(401);
	const accepted = await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...signed } });
	expect(accepted.status).toBe(200);
	const [item] = await expectExecutions(setup, 1);
	expect(item).toMatchObject({ event: expected.type, id: expected.id, verification: { scheme: provider, matched: 'publicKey' } });
	return item;
}

describe('public keys in the credential (live n8n)', () => {
	it('Ed25519 (Telnyx): "timestamp|body" signed with a 32-byte seed verifies with the base64 public key', async () => {
		const seed = (byte) => Buffer.alloc(32, byte).toString('hex');
		// The raw 32-byte public key of the seed (the last 32 bytes of its SPKI DER), base64 as Telnyx shows it.
		const publicKeyOf = (byte) =>
			createPublicKey(createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.alloc(32, byte)]), format: 'der', type: 'pkcs8' }))
				.export({ format: 'der', type: 'spki' })
				.subarray(-32)
				.toString('base64');
		const id = `ev-${randomUUID()}`;
		const item = await publicKeyRoundTrip({
			name: 'telnyx-ed25519',
			provider: 'telnyx',
			publicKey: publicKeyOf(0x2a),
			privateKey: seed(0x2a),
			otherPrivateKey: seed(0x2b),
			body: JSON.stringify({ data: { event_type: 'message.finalized', id }, meta: { attempt: 1 } }),
			expected: { type: 'message.finalized', id },
		});
		expect(item.headers['telnyx-signature-ed25519']).toBe('[redacted]');
	});

	it('ECDSA P-256 (SendGrid): a DER signature over timestamp + body verifies with the base64 SPKI key', async () => {
		const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const id = `sg-${randomUUID()}`;
		await publicKeyRoundTrip({
			name: 'sendgrid-p256',
			provider: 'sendgrid',
			publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
			privateKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
			otherPrivateKey: other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
			body: JSON.stringify([{ email: 'a@example.com', event: 'delivered', sg_event_id: id, sg_message_id: 'm1' }]),
			expected: { type: 'delivered', id },
		});
	});

	it('RSA PKCS#1 v1.5 SHA-256 (Wise): the raw body verifies with the PEM public key', async () => {
		const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const resource = randomUUID();
		const body = JSON.stringify({
			data: { resource: { id: resource, profile_id: 1, type: 'transfer' }, current_state: 'processing', previous_state: 'incoming_payment_waiting', occurred_at: '2024-05-01T10:00:00Z' },
			event_type: 'transfers#state-change',
			schema_version: '2.0.0',
		});
		const setup = await trigger('wise-rsa', 'wise', { secret: '', publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString() });
		const payload = Buffer.from(body);
		const signed = sign('wise', { payload, key: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
		const forged = sign('wise', { payload, key: other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...forged } })).status).toBe(401);
		expect((await send(setup.url, { body: Buffer.from(body.replace('processing', 'processed')), headers: { ...JSON_TYPE, ...signed } })).status).toBe(401);
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...signed } })).status).toBe(200);
		const [item] = await expectExecutions(setup, 1);
		expect(item).toMatchObject({
			event: 'transfers#state-change',
			id: `transfers#state-change:${resource}:processing:2024-05-01T10:00:00Z`,
			verification: { scheme: 'wise', matched: 'publicKey' },
		});
	});
});

describe('JWT (live n8n)', () => {
	it('HS256 with the node\'s Audience (monday.com): a bare token in Authorization; another audience or secret is 401', async () => {
		const secret = `monday-${randomUUID()}`;
		const audience = `https://hooks.example.com/webhook/${randomUUID()}`;
		const setup = await trigger('monday-jwt', 'monday', { secret }, { audience });
		const triggerUuid = randomUUID();
		const payload = Buffer.from(JSON.stringify({ event: { type: 'create_item', triggerUuid, boardId: 1 } }));
		const token = (key, aud) => sign('monday', { payload, key, jwtClaims: { aud } });
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...token(secret, 'https://other.example.com/') } })).status).toBe(401);
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...token(`${secret}x`, audience) } })).status).toBe(401);
		const signed = token(secret, audience);
		expect(signed.authorization).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
		expect((await send(setup.url, { body: payload, headers: { ...JSON_TYPE, ...signed } })).status).toBe(200);
		const [item] = await expectExecutions(setup, 1);
		expect(item).toMatchObject({ event: 'create_item', id: triggerUuid, verification: { scheme: 'monday', matched: 'current' } });
		expect(item.headers.authorization).toBe('[redacted]');
	});

	it('a JWKS that cannot be fetched: 503 with Retry-After (the sender retries), never 401, no execution', async () => {
		const setup = await trigger('jwks-unreachable', 'jwt', { secret: '' }, { jwtAlgorithms: ['RS256'], jwtJwksUrl: 'https://127.0.0.1:9/.well-known/jwks.json' });
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const token = signToken({ sub: 'sender', exp: now() + 300 }, privateKey, { algorithm: 'RS256', keyid: 'k1' });
		const answer = await send(setup.url, { body: '{"n":1}', headers: { ...JSON_TYPE, authorization: `Bearer ${token}` } });
		expect(answer.status).toBe(503);
		expect(answer.headers.get('retry-after')).toBe('60');
		const unsigned = await send(setup.url, { body: '{"n":2}', headers: JSON_TYPE });
		expect(unsigned.status).toBe(401);
		expect(await client.listExecutions(setup.workflowId)).toHaveLength(0);
	});
});
