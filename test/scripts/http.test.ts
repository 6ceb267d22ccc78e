import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const { N8nRestClient } = require('../../scripts/lib/restClient') as {
	N8nRestClient: new (baseUrl: string) => { request(method: string, path: string, options?: { body?: unknown }): Promise<unknown> };
};
const { httpRequest, ConnectionClosedError } = require('../../scripts/lib/http') as {
	httpRequest(url: string, options?: { method?: string; body?: string }): Promise<{ status: number; body: Buffer }>;
	ConnectionClosedError: new (...args: never[]) => Error;
};

interface Seen {
	method: string;
	path: string;
	socket: number;
	/** The how-manieth request on its socket (1 = the socket's first). */
	onSocket: number;
	answered: boolean;
}

type Behaviour = (request: IncomingMessage, response: ServerResponse, seen: Seen) => void;

/**
 * A server that keeps connections alive and records every request with the socket it came on. `behaviour`
 * decides the answer; by default a second request on a socket is dropped without a byte, which is what n8n's
 * server does when it closes an idle keep-alive socket just as the client reuses it.
 */
async function recordingServer(behaviour: Behaviour = closeReusedSockets): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
	const seen: Seen[] = [];
	const socketIds = new WeakMap<Socket, { id: number; requests: number }>();
	let nextSocket = 0;
	const server: Server = createServer((request, response) => {
		let socket = socketIds.get(request.socket);
		if (!socket) {
			socket = { id: ++nextSocket, requests: 0 };
			socketIds.set(request.socket, socket);
		}
		socket.requests += 1;
		const entry: Seen = { method: request.method ?? '', path: request.url ?? '', socket: socket.id, onSocket: socket.requests, answered: false };
		seen.push(entry);
		request.resume();
		request.on('end', () => behaviour(request, response, entry));
	});
	server.keepAliveTimeout = 60_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function answer(response: ServerResponse, seen: Seen): void {
	seen.answered = true;
	response.setHeader('content-type', 'application/json');
	response.end(JSON.stringify({ data: { path: seen.path, method: seen.method } }));
}

function closeReusedSockets(request: IncomingMessage, response: ServerResponse, seen: Seen): void {
	if (seen.onSocket > 1) request.socket.destroy();
	else answer(response, seen);
}

/** Lets the client's agent put the socket of a finished exchange back into its pool. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('scripts/lib HTTP to n8n: keep-alive sockets the server closes', () => {
	it('a GET sent on a keep-alive socket the server drops is sent once more on a new connection and succeeds', async () => {
		const server = await recordingServer();
		try {
			const client = new N8nRestClient(server.url);
			await expect(client.request('GET', '/rest/first')).resolves.toEqual({ path: '/rest/first', method: 'GET' });
			await settle();
			await expect(client.request('GET', '/rest/second')).resolves.toEqual({ path: '/rest/second', method: 'GET' });
			// The race really happened: the second GET went out on the first socket, was dropped, then went out again.
			expect(server.seen.map(({ path, socket, answered }) => ({ path, socket, answered }))).toEqual([
				{ path: '/rest/first', socket: 1, answered: true },
				{ path: '/rest/second', socket: 1, answered: false },
				{ path: '/rest/second', socket: 2, answered: true },
			]);
		} finally {
			await server.close();
		}
	});

	it('a POST never goes out on a reused socket, so the race cannot hit it, and is sent exactly once', async () => {
		const server = await recordingServer();
		try {
			const client = new N8nRestClient(server.url);
			await client.request('GET', '/rest/warm');
			await settle();
			for (const path of ['/rest/workflows', '/rest/credentials', '/rest/workflows']) {
				await expect(client.request('POST', path, { body: { name: 'x' } })).resolves.toEqual({ path, method: 'POST' });
				await settle();
			}
			const posts = server.seen.filter((entry) => entry.method === 'POST');
			expect(posts).toHaveLength(3);
			expect(posts.every((entry) => entry.onSocket === 1 && entry.answered)).toBe(true);
			expect(new Set(server.seen.map((entry) => entry.socket)).size).toBe(4);
		} finally {
			await server.close();
		}
	});

	it('many calls in parallel after the pool filled (12 workflows created at once, then read back) all succeed', async () => {
		const server = await recordingServer();
		try {
			const client = new N8nRestClient(server.url);
			await Promise.all(Array.from({ length: 12 }, (_, index) => client.request('GET', `/rest/warm/${index}`)));
			await settle();
			const paths = Array.from({ length: 12 }, (_, index) => `/rest/workflows/${index}`);
			const results = await Promise.all(paths.flatMap((path) => [client.request('POST', path, { body: {} }), client.request('GET', path)]));
			expect(results).toHaveLength(24);
			expect(server.seen.some((entry) => !entry.answered)).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('a GET is sent at most twice: a server that drops every request fails the call after one retry', async () => {
		const server = await recordingServer((request) => request.socket.destroy());
		try {
			await expect(httpRequest(`${server.url}/rest/down`)).rejects.toBeInstanceOf(ConnectionClosedError);
			expect(server.seen).toHaveLength(2);
		} finally {
			await server.close();
		}
	});

	it('a GET is not repeated once a byte of the answer arrived (the server did act on it)', async () => {
		const server = await recordingServer((request) => {
			request.socket.write('HTTP/1.1 2');
			request.socket.destroy();
		});
		try {
			const failure = httpRequest(`${server.url}/rest/partial`);
			await expect(failure).rejects.toThrow();
			await expect(failure).rejects.not.toBeInstanceOf(ConnectionClosedError);
			expect(server.seen).toHaveLength(1);
		} finally {
			await server.close();
		}
	});

	it('a POST whose connection breaks before any answer is not repeated (its effect is unknown)', async () => {
		const server = await recordingServer((request) => request.socket.destroy());
		try {
			await expect(httpRequest(`${server.url}/rest/workflows`, { method: 'POST', body: '{}' })).rejects.toBeInstanceOf(ConnectionClosedError);
			expect(server.seen).toHaveLength(1);
		} finally {
			await server.close();
		}
	});
});
