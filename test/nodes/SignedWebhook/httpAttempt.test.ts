import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createConnectionPool, sendAttempt, type AttemptRequest, type ConnectionPool } from '../../../nodes/SignedWebhook/httpAttempt';
import { startLocalReceiver, type LocalReceiver } from './localReceiver';

describe('sendAttempt', () => {
	let receiver: LocalReceiver;
	let pool: ConnectionPool;

	beforeAll(async () => {
		receiver = await startLocalReceiver({
			'/ok': () => ({ status: 201, headers: { 'content-type': 'application/json' }, body: '{"received":true}' }),
			'/big': () => ({ status: 200, body: Buffer.alloc(200_000, 0x61) }),
			'/hang': () => 'hang',
			'/reset': () => 'reset',
			'/moved': () => ({ status: 307, headers: { location: '/ok' } }),
			'/loop': () => ({ status: 302, headers: { location: '/loop' } }),
			'/to-private': () => ({ status: 308, headers: { location: 'http://10.0.0.1/hook' } }),
			'/to-ftp': () => ({ status: 301, headers: { location: 'ftp://example.com/hook' } }),
		});
	});

	afterAll(async () => {
		await receiver.close();
	});

	beforeEach(() => {
		pool = createConnectionPool(4);
	});

	afterEach(() => {
		pool.destroy();
	});

	const attempt = (path: string, overrides: Partial<AttemptRequest> = {}): AttemptRequest => ({
		url: new URL(receiver.url(path)),
		method: 'POST',
		headers: { 'content-type': 'application/json', 'webhook-signature': 'v1,abc' },
		body: Buffer.from('{"n":"Grüße"}', 'utf8'),
		timeoutMs: 2000,
		maxResponseBytes: 65_536,
		maxRedirects: 0,
		refuseNonPublic: false,
		pool,
		...overrides,
	});

	it('sends the exact bytes and headers, and returns status, headers and body', async () => {
		const result = await sendAttempt(attempt('/ok'));
		expect(result).toMatchObject({ kind: 'response', status: 201, truncated: false });
		if (result.kind !== 'response') throw new Error('no response');
		expect(result.body.toString()).toBe('{"received":true}');
		const received = receiver.requestsTo('/ok').at(-1);
		expect(received?.body.equals(Buffer.from('{"n":"Grüße"}', 'utf8'))).toBe(true);
		expect(received?.headers['content-length']).toBe(String(Buffer.byteLength('{"n":"Grüße"}')));
		expect(received?.headers['webhook-signature']).toBe('v1,abc');
	});

	it('cuts the response body at the cap', async () => {
		const result = await sendAttempt(attempt('/big', { maxResponseBytes: 1000 }));
		expect(result).toMatchObject({ kind: 'response', status: 200, truncated: true });
		if (result.kind === 'response') expect(result.body.length).toBe(1000);
	});

	it('times out a receiver that never answers', async () => {
		expect(await sendAttempt(attempt('/hang', { timeoutMs: 150 }))).toEqual({ kind: 'error', type: 'timeout', message: 'timed out after 150 ms' });
	});

	it('reports a dropped connection and a refused port as network errors', async () => {
		expect(await sendAttempt(attempt('/reset'))).toMatchObject({ kind: 'error', type: 'network', message: 'ECONNRESET' });
		const closedPort = await freePort();
		expect(await sendAttempt(attempt('/ok', { url: new URL(`http://127.0.0.1:${closedPort}/ok`) }))).toMatchObject({
			kind: 'error',
			type: 'network',
			message: 'ECONNREFUSED',
		});
	});

	it('does not follow redirects unless allowed', async () => {
		const before = receiver.requestsTo('/ok').length;
		expect(await sendAttempt(attempt('/moved'))).toMatchObject({ kind: 'response', status: 307 });
		expect(receiver.requestsTo('/ok').length).toBe(before);
	});

	it('follows an allowed redirect with the same method, body and signed headers', async () => {
		const result = await sendAttempt(attempt('/moved', { maxRedirects: 5 }));
		expect(result).toMatchObject({ kind: 'response', status: 201 });
		if (result.kind === 'response') expect(result.finalUrl.pathname).toBe('/ok');
		const received = receiver.requestsTo('/ok').at(-1);
		expect(received?.method).toBe('POST');
		expect(received?.body.toString('utf8')).toBe('{"n":"Grüße"}');
		expect(received?.headers['webhook-signature']).toBe('v1,abc');
	});

	it('stops following a redirect loop after maxRedirects', async () => {
		const before = receiver.requestsTo('/loop').length;
		expect(await sendAttempt(attempt('/loop', { maxRedirects: 3 }))).toMatchObject({ kind: 'response', status: 302 });
		expect(receiver.requestsTo('/loop').length - before).toBe(4);
	});

	it('refuses redirects to non-http schemes, and to private addresses when those are refused', async () => {
		expect(await sendAttempt(attempt('/to-ftp', { maxRedirects: 5 }))).toMatchObject({ kind: 'error', type: 'refused' });
		expect(await sendAttempt(attempt('/to-private', { maxRedirects: 5, refuseNonPublic: true }))).toMatchObject({
			kind: 'error',
			type: 'refused',
			message: 'redirect refused: private, loopback and link-local destinations are refused',
		});
	});

	it('reuses the keep-alive connection across attempts', async () => {
		const before = receiver.requestsTo('/ok').length;
		for (let i = 0; i < 5; i++) await sendAttempt(attempt('/ok'));
		const ports = new Set(receiver.requestsTo('/ok').slice(before).map((request) => request.remotePort));
		expect(ports.size).toBe(1);
	});

	it('rejects a header value that cannot be sent, without sending anything', async () => {
		const before = receiver.requests.length;
		const result = await sendAttempt(attempt('/ok', { headers: { 'x-bad': 'a\r\nb' } }));
		expect(result).toMatchObject({ kind: 'error', type: 'invalidRequest' });
		expect(receiver.requests.length).toBe(before);
	});

	it('leaves no listeners on the execution signal once attempts end', async () => {
		const execution = new AbortController();
		for (let i = 0; i < 20; i++) await sendAttempt(attempt('/ok', { signal: execution.signal }));
		await sendAttempt(attempt('/hang', { signal: execution.signal, timeoutMs: 20 }));
		expect(getEventListeners(execution.signal, 'abort')).toHaveLength(0);
	});

	it('stops when the execution is cancelled', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 50);
		expect(await sendAttempt(attempt('/hang', { signal: controller.signal }))).toEqual({ kind: 'error', type: 'cancelled', message: 'cancelled' });
	});
});

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
