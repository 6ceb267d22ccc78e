'use strict';

const http = require('node:http');

const { createRoundRobinProxy } = require('../../scripts/lib/queue');
const { waitFor } = require('../../scripts/lib');

/**
 * A tiny upstream that records what it received; `ready` decides its /healthz/readiness answer,
 * `dieOnNextRequest` drops the connection after reading the next request.
 */
async function startUpstream(name) {
	const upstream = { name, received: [], ready: true };
	upstream.server = http.createServer((request, response) => {
		if (request.url === '/healthz/readiness') {
			response.writeHead(upstream.ready ? 200 : 503).end();
			return;
		}
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			upstream.received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
			if (upstream.dieOnNextRequest) {
				// Like a process killed while handling the request: the connection drops with no answer.
				upstream.dieOnNextRequest = false;
				request.socket.destroy();
				return;
			}
			response.writeHead(201, { 'content-type': 'text/plain', connection: 'keep-alive', 'x-upstream-name': name });
			response.end(name);
		});
	});
	await new Promise((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
	upstream.port = upstream.server.address().port;
	upstream.close = () =>
		new Promise((resolve) => {
			upstream.server.close(() => resolve());
			upstream.server.closeAllConnections();
		});
	return upstream;
}

/** The load balancer in front of the webhook processes (scripts/lib/queue/roundRobinProxy.js), on its own. */
describe('round-robin proxy', () => {
	let upstreams;
	let proxy;
	let url;

	beforeEach(async () => {
		upstreams = await Promise.all([startUpstream('a'), startUpstream('b')]);
		proxy = createRoundRobinProxy({ upstreams: upstreams.map(({ name, port }) => ({ name, port })), healthIntervalMs: 100, failTimeoutMs: 500 });
		url = `http://127.0.0.1:${await proxy.listen(0)}`;
	});

	afterEach(async () => {
		await proxy.close();
		await Promise.all(upstreams.map((upstream) => upstream.close()));
	});

	test('alternates between upstreams and names the one that answered in X-Served-By', async () => {
		const servedBy = [];
		for (let index = 0; index < 6; index++) {
			const response = await fetch(`${url}/webhook/x`, { method: 'POST', body: 'x' });
			expect(response.status).toBe(201);
			servedBy.push(response.headers.get('x-served-by'));
			expect(await response.text()).toBe(response.headers.get('x-served-by'));
		}
		expect(servedBy).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
	});

	test('passes method, path, query and body bytes unchanged; appends the client address to X-Forwarded-For', async () => {
		const body = Buffer.from([0x7b, 0x22, 0xff, 0x00, 0x22, 0x7d]);
		await fetch(`${url}/webhook/path?q=1&r=%20`, {
			method: 'PUT',
			body,
			headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'webhook-signature': 'v1,abc' },
		});
		const [received] = upstreams.flatMap((upstream) => upstream.received);
		expect(received.method).toBe('PUT');
		expect(received.url).toBe('/webhook/path?q=1&r=%20');
		expect(received.body.equals(body)).toBe(true);
		expect(received.headers['content-length']).toBe(String(body.length));
		expect(received.headers['webhook-signature']).toBe('v1,abc');
		// What the client claimed stays (left), the address the proxy saw is appended (right).
		expect(received.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
		expect(received.headers['x-forwarded-proto']).toBe('http');
		expect(received.headers['x-forwarded-host']).toBe(new URL(url).host);
	});

	test('drops hop-by-hop headers, including those named in Connection', async () => {
		await new Promise((resolve, reject) => {
			const request = http.request(`${url}/webhook/x`, { method: 'POST', headers: { connection: 'keep-alive, x-hop', 'x-hop': '1', 'keep-alive': 'timeout=5', te: 'trailers', 'x-kept': '1' } }, (response) => {
				response.resume();
				response.on('end', resolve);
			});
			request.on('error', reject);
			request.end('x');
		});
		const [received] = upstreams.flatMap((upstream) => upstream.received);
		expect(received.headers['x-kept']).toBe('1');
		expect(received.headers['x-hop']).toBeUndefined();
		expect(received.headers['keep-alive']).toBeUndefined();
		expect(received.headers.te).toBeUndefined();
	});

	test('an upstream that refuses connections: its requests go to the other one, none is lost', async () => {
		await upstreams[0].close();
		const statuses = [];
		for (let index = 0; index < 6; index++) statuses.push((await fetch(`${url}/webhook/x`, { method: 'POST', body: String(index) })).status);
		expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
		expect(upstreams[1].received.map((request) => request.body.toString())).toEqual(['0', '1', '2', '3', '4', '5']);
	});

	test('a reset on a reused connection is sent to the other upstream and marked X-Proxy-Resent, though the first may have handled it', async () => {
		const first = await fetch(`${url}/webhook/x`, { method: 'POST', body: 'warm a' });
		expect(first.headers.get('x-served-by')).toBe('a');
		expect(first.headers.get('x-proxy-resent')).toBeNull();
		await fetch(`${url}/webhook/x`, { method: 'POST', body: 'warm b' });
		upstreams[0].dieOnNextRequest = true;
		const resent = await fetch(`${url}/webhook/x`, { method: 'POST', body: 'event' });
		expect(resent.status).toBe(201);
		expect(resent.headers.get('x-served-by')).toBe('b');
		expect(resent.headers.get('x-proxy-resent')).toBe('1');
		expect(upstreams[0].received.map((request) => request.body.toString())).toEqual(['warm a', 'event']);
		expect(upstreams[1].received.map((request) => request.body.toString())).toEqual(['warm b', 'event']);
	});

	test('a reset on a new connection is not sent again: 502, as nginx answers for a POST', async () => {
		upstreams[0].dieOnNextRequest = true;
		const response = await fetch(`${url}/webhook/x`, { method: 'POST', body: 'event' });
		expect(response.status).toBe(502);
		expect(await response.json()).toEqual({ error: 'upstream error' });
		expect(upstreams[1].received).toHaveLength(0);
	});

	test('no upstream reachable → 502 {"error":"no upstream available"}', async () => {
		await Promise.all(upstreams.map((upstream) => upstream.close()));
		const response = await fetch(`${url}/webhook/x`, { method: 'POST', body: 'x' });
		expect(response.status).toBe(502);
		expect(await response.json()).toEqual({ error: 'no upstream available' });
	});

	test('an upstream that is not ready (health check) gets no traffic until it is', async () => {
		upstreams[0].ready = false;
		await waitFor(() => proxy.stats()[0].healthy === false, { timeoutMs: 5000, description: 'a marked unhealthy' });
		for (let index = 0; index < 4; index++) await fetch(`${url}/webhook/x`, { method: 'POST', body: 'x' });
		expect(upstreams[0].received).toHaveLength(0);
		expect(upstreams[1].received).toHaveLength(4);
		upstreams[0].ready = true;
		await waitFor(() => proxy.stats()[0].healthy === true, { timeoutMs: 5000, description: 'a healthy again' });
		for (let index = 0; index < 4; index++) await fetch(`${url}/webhook/x`, { method: 'POST', body: 'x' });
		expect(upstreams[0].received.length).toBeGreaterThan(0);
	});
});
