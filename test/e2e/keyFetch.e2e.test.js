'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { generateKeyPairSync, randomUUID } = require('node:crypto');

const { sign: signToken } = require('jsonwebtoken');

const { REPO_ROOT, SCRATCH_DIR, launchLocalN8n, nodeOutput } = require('../../scripts/lib');
const { CREDENTIAL_TYPE } = require('./helpers/package');
const { send } = require('./helpers/http');
const { triggerNode, uniquePath, workflow } = require('./helpers/workflows');

/**
 * Keys the trigger fetches, through a live n8n of its own: a loopback HTTPS server (certificate for localhost, made
 * here with openssl) plays the provider. The n8n process trusts that certificate through Node's NODE_EXTRA_CA_CERTS
 * and accepts `localhost` as an AWS SNS host through N8N_AI_WEBHOOKS_TEST_SNS_HOST (loopback names only; never set
 * by a workflow), which is why this file cannot use the suite's shared n8n.
 *
 * - JWT with keys from a JWKS (the Custom JWT builder's JWKS URL): a token verifies by its kid; the provider rotates
 *   to a new kid, which is fetched (at most once a minute per URL: the test waits out that minute).
 * - AWS SNS: a signed SubscriptionConfirmation is confirmed by a GET of its SubscribeURL (only once it verified),
 *   then a Notification starts one execution; another topic, a forged signature and a SubscribeURL off the SNS host
 *   are refused and confirm nothing.
 */
const JSON_TYPE = { 'content-type': 'application/json' };
const SNS_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:e2e-topic';
const now = () => Math.floor(Date.now() / 1000);

function selfSignedCertificate(directory, name, subject) {
	const keyFile = path.join(directory, `${name}.key.pem`);
	const certificateFile = path.join(directory, `${name}.cert.pem`);
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', subject, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certificateFile],
		{ stdio: 'ignore' },
	);
	return { certificateFile, certificatePem: fs.readFileSync(certificateFile, 'utf8'), privateKeyPem: fs.readFileSync(keyFile, 'utf8') };
}

/** The package's SNS signer (the same one the unit tests check against the AWS SDK's published message). */
function signSnsMessage(fields, privateKeyPem, certificateUrl) {
	const { signSnsMessage: signMessage } = require(path.join(REPO_ROOT, 'dist', 'nodes', 'shared', 'verify', 'awsSns.js'));
	return JSON.stringify(signMessage(fields, privateKeyPem, certificateUrl, '2'));
}

describe('keys fetched by the trigger (n8n of its own, loopback HTTPS provider)', () => {
	fs.mkdirSync(SCRATCH_DIR, { recursive: true });
	const directory = fs.mkdtempSync(path.join(SCRATCH_DIR, 'e2e-key-fetch-'));
	const tls = selfSignedCertificate(directory, 'tls', '/CN=localhost');
	const snsSigning = selfSignedCertificate(directory, 'sns', '/CN=sns.amazonaws.com');
	const snsForger = selfSignedCertificate(directory, 'forger', '/CN=sns.amazonaws.com');
	/** path → { status, type, body } */
	const routes = new Map();
	const hits = [];
	const hitsFor = (route) => hits.filter((hit) => hit.split('?')[0] === route).length;
	let server;
	let origin;
	let n8n;
	let client;
	const workflows = [];

	beforeAll(async () => {
		server = https.createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (request, response) => {
			hits.push(request.url);
			const route = routes.get(request.url.split('?')[0]) ?? { status: 404, type: 'text/plain', body: 'not found' };
			response.writeHead(route.status, { 'content-type': route.type, 'content-length': Buffer.byteLength(route.body) });
			response.end(route.body);
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `https://localhost:${server.address().port}`;
		const local = await launchLocalN8n({
			userFolder: path.join(SCRATCH_DIR, `e2e-key-fetch-${process.pid}`),
			fresh: true,
			build: process.env.E2E_SKIP_BUILD !== '1',
			env: { NODE_EXTRA_CA_CERTS: tls.certificateFile, N8N_AI_WEBHOOKS_TEST_SNS_HOST: 'localhost' },
			readyTimeoutMs: 300_000,
		});
		n8n = local.n8n;
		client = local.client;
	}, 420_000);

	afterAll(async () => {
		await Promise.all(workflows.map((id) => client?.deactivateWorkflow(id).catch(() => {})));
		await n8n?.stop();
		server?.closeAllConnections();
		await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
		fs.rmSync(directory, { recursive: true, force: true });
	});

	async function trigger(name, provider, parameters) {
		const credential = await client.createCredential({ name: `e2e ${name}`, type: CREDENTIAL_TYPE, data: { secret: '' } });
		const webhookPath = uniquePath(name);
		const node = triggerNode({ path: webhookPath, credential, typeVersion: 3, parameters: { provider, ...parameters } });
		const saved = await client.createActiveWorkflow(workflow(`e2e ${name}`, [node]));
		workflows.push(saved.id);
		return { url: `${n8n.baseUrl}/webhook/${webhookPath}`, workflowId: saved.id, triggerName: node.name };
	}

	const jwk = (publicKey, kid) => ({ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' });
	const serveJwks = (route, keys) => routes.set(route, { status: 200, type: 'application/json', body: JSON.stringify({ keys }) });

	test('JWT with a JWKS: verified by kid; after a rotation the new kid is fetched and verifies', async () => {
		const first = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const second = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const route = `/jwks-${randomUUID()}.json`;
		serveJwks(route, [jwk(first.publicKey, 'k1')]);
		const setup = await trigger('jwks-rotation', 'jwt', { jwtAlgorithms: ['RS256'], jwtIssuer: 'https://issuer.example', jwtJwksUrl: `${origin}${route}` });
		const token = (key, kid, claims = {}) => signToken({ iss: 'https://issuer.example', exp: now() + 300, ...claims }, key, { algorithm: 'RS256', keyid: kid });
		const deliver = (body, key, kid, claims) => send(setup.url, { body, headers: { ...JSON_TYPE, authorization: `Bearer ${token(key, kid, claims)}` } });

		expect((await deliver('{"n":1}', first.privateKey, 'k1')).status).toBe(200);
		expect(hitsFor(route)).toBe(1);
		// Signed with another key under the known kid, or by another issuer: refused without a new fetch.
		expect((await deliver('{"n":2}', second.privateKey, 'k1')).status).toBe(401);
		expect((await deliver('{"n":3}', first.privateKey, 'k1', { iss: 'https://evil.example' })).status).toBe(401);
		const firstFetchAt = Date.now();

		// The provider rotates: k2 only. The set is fetched again for the unknown kid once a minute has passed since
		// the last fetch (so that made-up kids cannot turn into a flood of fetches).
		serveJwks(route, [jwk(second.publicKey, 'k2')]);
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstFetchAt + 61_000 - Date.now())));
		expect((await deliver('{"n":4}', second.privateKey, 'k2')).status).toBe(200);
		expect(hitsFor(route)).toBe(2);

		const executions = await client.waitForExecutions(setup.workflowId, { count: 2 });
		expect(executions).toHaveLength(2);
		const bodies = executions.map((execution) => nodeOutput(execution, setup.triggerName)[0].body.n).sort();
		expect(bodies).toEqual([1, 4]);
	}, 180_000);

	test('AWS SNS: the SubscriptionConfirmation is confirmed once it verified, then a Notification starts an execution', async () => {
		const certificateRoute = `/SimpleNotificationService-${randomUUID()}.pem`;
		routes.set(certificateRoute, { status: 200, type: 'application/x-pem-file', body: snsSigning.certificatePem });
		routes.set('/confirm', { status: 200, type: 'text/xml', body: '<ConfirmSubscriptionResponse/>' });
		const certificateUrl = `${origin}${certificateRoute}`;
		const setup = await trigger('sns', 'awsSns', { topicArn: SNS_TOPIC });
		const snsHeaders = (type) => ({ 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': type });
		const confirmation = (subscribeUrl, topic = SNS_TOPIC) => ({
			Type: 'SubscriptionConfirmation',
			MessageId: randomUUID(),
			Token: 'e2e-token',
			TopicArn: topic,
			Message: `You have chosen to subscribe to the topic ${topic}.`,
			SubscribeURL: subscribeUrl,
			Timestamp: new Date().toISOString(),
		});
		const subscribeUrl = `${origin}/confirm?Action=ConfirmSubscription&Token=e2e-token`;
		const post = (body, type) => send(setup.url, { body, headers: snsHeaders(type) });

		// Refused, and nothing confirmed: forged, another topic, a SubscribeURL off the SNS host.
		expect((await post(signSnsMessage(confirmation(subscribeUrl), snsForger.privateKeyPem, certificateUrl), 'SubscriptionConfirmation')).status).toBe(401);
		expect((await post(signSnsMessage(confirmation(subscribeUrl, `${SNS_TOPIC}-other`), snsSigning.privateKeyPem, certificateUrl), 'SubscriptionConfirmation')).status).toBe(401);
		const offHost = `https://127.0.0.2:${server.address().port}/confirm?Action=ConfirmSubscription`;
		expect((await post(signSnsMessage(confirmation(offHost), snsSigning.privateKeyPem, certificateUrl), 'SubscriptionConfirmation')).status).toBe(401);
		expect(hitsFor('/confirm')).toBe(0);

		const confirmed = await post(signSnsMessage(confirmation(subscribeUrl), snsSigning.privateKeyPem, certificateUrl), 'SubscriptionConfirmation');
		expect(confirmed.status).toBe(200);
		expect(hitsFor('/confirm')).toBe(1);
		expect(await client.listExecutions(setup.workflowId)).toHaveLength(0);

		const messageId = randomUUID();
		const notification = {
			Type: 'Notification',
			MessageId: messageId,
			TopicArn: SNS_TOPIC,
			Subject: 'e2e',
			Message: '{"order":42}',
			Timestamp: new Date().toISOString(),
			UnsubscribeURL: `${origin}/unsubscribe`,
		};
		const signed = signSnsMessage(notification, snsSigning.privateKeyPem, certificateUrl);
		expect((await post(signed.replace('{\\"order\\":42}', '{\\"order\\":43}'), 'Notification')).status).toBe(401);
		expect((await post(signed, 'Notification')).status).toBe(200);
		const executions = await client.waitForExecutions(setup.workflowId, { count: 1 });
		expect(executions).toHaveLength(1);
		expect(nodeOutput(executions[0], setup.triggerName)[0]).toMatchObject({ event: 'Notification', id: messageId, verification: { scheme: 'awsSns' } });
		expect(hitsFor(certificateRoute)).toBe(1);
	}, 120_000);
});
