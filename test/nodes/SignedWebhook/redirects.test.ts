import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

import { createConnectionPool, sendAttempt, type AttemptRequest, type ConnectionPool } from '../../../nodes/SignedWebhook/httpAttempt';
import { followRedirect, type RedirectPolicy } from '../../../nodes/SignedWebhook/redirects';
import { makeSelfSignedCertificate } from '../shared/verify/keyServer';
import { startLocalReceiver, type LocalReceiver } from './localReceiver';

const CREDENTIAL_HEADERS = ['webhook-signature', 'authorization', 'x-api-key', 'x-tenant-token'];
const SENT_HEADERS = {
	'content-type': 'application/json',
	'webhook-id': 'msg_1',
	'webhook-signature': 'v1,original',
	authorization: 'Bearer for-the-original-origin',
	'x-api-key': 'key-for-the-original-origin',
	'x-tenant-token': 'custom-credential',
};

describe('followRedirect', () => {
	const original = new URL('https://hooks.example.com/in');
	const strip: RedirectPolicy = { crossOrigin: 'strip', credentialHeaders: CREDENTIAL_HEADERS };

	it('keeps every header on a redirect within the origin', () => {
		expect(followRedirect(original, original, new URL('https://hooks.example.com/v2/in'), SENT_HEADERS, strip)).toEqual({
			ok: true,
			url: new URL('https://hooks.example.com/v2/in'),
			headers: SENT_HEADERS,
		});
	});

	it('takes the signature and credential headers off on a redirect to another origin (host, port or scheme)', () => {
		for (const target of ['https://attacker.example/in', 'https://hooks.example.com:8443/in']) {
			const step = followRedirect(original, original, new URL(target), SENT_HEADERS, strip);
			expect(step).toEqual({ ok: true, url: new URL(target), headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' } });
		}
		const fromHttp = new URL('http://hooks.example.com/in');
		const upgraded = followRedirect(fromHttp, fromHttp, new URL('https://hooks.example.com/in'), SENT_HEADERS, strip);
		expect(upgraded).toMatchObject({ ok: true, headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' } });
		expect(upgraded.ok && 'webhook-signature' in upgraded.headers).toBe(false);
	});

	it('re-signs for the new URL only when the policy says so, still without the credential headers', () => {
		const resign: RedirectPolicy = {
			crossOrigin: 'resign',
			credentialHeaders: CREDENTIAL_HEADERS,
			resign: (url) => ({ 'webhook-signature': `v1,for-${url.host}` }),
		};
		expect(followRedirect(original, original, new URL('https://other.example/in'), SENT_HEADERS, resign)).toEqual({
			ok: true,
			url: new URL('https://other.example/in'),
			headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-signature': 'v1,for-other.example' },
		});
	});

	it('refuses another origin when the policy says so', () => {
		expect(followRedirect(original, original, new URL('https://other.example/in'), SENT_HEADERS, { ...strip, crossOrigin: 'refuse' })).toEqual({
			ok: false,
			reason: 'redirect to another origin refused',
		});
	});

	it('refuses a downgrade from https to http, even within the same host', () => {
		for (const policy of [strip, { ...strip, crossOrigin: 'resign' as const }]) {
			expect(followRedirect(original, original, new URL('http://hooks.example.com/in'), SENT_HEADERS, policy)).toEqual({
				ok: false,
				reason: 'redirect from https to http refused',
			});
		}
	});

	it('does not put credentials back when a later redirect returns to the original origin', () => {
		const away = followRedirect(original, original, new URL('https://other.example/in'), SENT_HEADERS, strip);
		if (!away.ok) throw new Error('expected to follow');
		const back = followRedirect(original, away.url, original, away.headers, strip);
		expect(back.ok && back.headers).toEqual({ 'content-type': 'application/json', 'webhook-id': 'msg_1' });
	});
});

describe('sendAttempt following redirects between real servers', () => {
	let origin: LocalReceiver;
	let other: LocalReceiver;
	let pool: ConnectionPool;

	beforeAll(async () => {
		other = await startLocalReceiver({ '/in': () => ({ status: 200 }) });
		origin = await startLocalReceiver({
			'/same': () => ({ status: 307, headers: { location: '/landing' } }),
			'/landing': () => ({ status: 200 }),
			'/away': () => ({ status: 307, headers: { location: other.url('/in') } }),
		});
		pool = createConnectionPool(4);
	});

	afterAll(async () => {
		pool.destroy();
		await Promise.all([origin.close(), other.close()]);
	});

	const attempt = (path: string, redirect: RedirectPolicy): AttemptRequest => ({
		url: new URL(origin.url(path)),
		method: 'POST',
		headers: SENT_HEADERS,
		body: Buffer.from('{"n":1}'),
		timeoutMs: 2000,
		maxResponseBytes: 1024,
		maxRedirects: 5,
		refuseNonPublic: false,
		redirect,
		pool,
	});

	it('forwards the signed request unchanged within the origin', async () => {
		expect(await sendAttempt(attempt('/same', { crossOrigin: 'strip', credentialHeaders: CREDENTIAL_HEADERS }))).toMatchObject({ status: 200 });
		const landed = origin.requestsTo('/landing').at(-1);
		expect(landed?.headers).toMatchObject(SENT_HEADERS);
	});

	it('arrives at another origin (another port) without signature, Authorization, API key or custom credential headers', async () => {
		const before = other.requests.length;
		const result = await sendAttempt(attempt('/away', { crossOrigin: 'strip', credentialHeaders: CREDENTIAL_HEADERS }));
		expect(result).toMatchObject({ kind: 'response', status: 200 });
		const [received] = other.requests.slice(before);
		expect(received.body.toString()).toBe('{"n":1}');
		expect(received.headers['webhook-id']).toBe('msg_1');
		for (const name of CREDENTIAL_HEADERS) expect(received.headers[name]).toBeUndefined();
	});

	it('re-signs for the other origin when allowed', async () => {
		const before = other.requests.length;
		await sendAttempt(
			attempt('/away', { crossOrigin: 'resign', credentialHeaders: CREDENTIAL_HEADERS, resign: (url) => ({ 'webhook-signature': `v1,${url.port}` }) }),
		);
		const [received] = other.requests.slice(before);
		expect(received.headers['webhook-signature']).toBe(`v1,${new URL(other.url('/in')).port}`);
		expect(received.headers.authorization).toBeUndefined();
	});

	it('does not contact the other origin when cross-origin redirects are refused', async () => {
		const before = other.requests.length;
		const result = await sendAttempt(attempt('/away', { crossOrigin: 'refuse', credentialHeaders: CREDENTIAL_HEADERS }));
		expect(result).toEqual({ kind: 'error', type: 'refused', message: 'redirect to another origin refused' });
		expect(other.requests.length).toBe(before);
	});

	it('refuses an https endpoint redirecting to plain http, and sends nothing there', async () => {
		const tls = makeSelfSignedCertificate();
		const secure = https.createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (_request, response) => {
			response.writeHead(308, { location: other.url('/in') });
			response.end();
		});
		await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
		const trustingPool = createConnectionPool(2);
		trustingPool.https.options.ca = tls.certificatePem;
		try {
			const before = other.requests.length;
			const { port } = secure.address() as AddressInfo;
			const result = await sendAttempt({
				...attempt('/unused', { crossOrigin: 'resign', credentialHeaders: CREDENTIAL_HEADERS, resign: () => ({}) }),
				url: new URL(`https://localhost:${port}/in`),
				pool: trustingPool,
			});
			expect(result).toEqual({ kind: 'error', type: 'refused', message: 'redirect from https to http refused' });
			expect(other.requests.length).toBe(before);
		} finally {
			trustingPool.destroy();
			secure.closeAllConnections();
			await new Promise<void>((resolve) => secure.close(() => resolve()));
		}
	});
});
