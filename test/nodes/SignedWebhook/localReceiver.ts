import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the receiver got it: the exact bytes and headers. */
export interface ReceivedRequest {
	path: string;
	method: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	receivedAtMs: number;
	/** Which TCP connection carried it (the client's port), to observe keep-alive reuse. */
	remotePort: number;
}

export type Reply =
	| { status: number; headers?: Record<string, string>; body?: string | Buffer; delayMs?: number }
	/** Never answer (the client's timeout must fire). */
	| 'hang'
	/** Drop the connection without a response. */
	| 'reset';

/** Decides the reply to the n-th request (0-based) on a path. */
export type Responder = (request: ReceivedRequest, indexOnPath: number) => Reply;

export interface LocalReceiver {
	/** Absolute URL of `path` on this receiver. */
	url(path: string): string;
	requests: ReceivedRequest[];
	requestsTo(path: string): ReceivedRequest[];
	/** Requests being handled right now, and the most at any moment. */
	readonly inFlight: number;
	readonly peakInFlight: number;
	/** TCP connections open right now (keep-alive ones included). */
	readonly openConnections: number;
	close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a free port; `routes` maps a path (no query) to its responder. */
export async function startLocalReceiver(routes: Record<string, Responder>): Promise<LocalReceiver> {
	const requests: ReceivedRequest[] = [];
	const countByPath = new Map<string, number>();
	const sockets = new Set<Socket>();
	const hanging = new Set<ServerResponse>();
	let inFlight = 0;
	let peakInFlight = 0;

	const server: Server = createServer((req, res) => {
		inFlight++;
		peakInFlight = Math.max(peakInFlight, inFlight);
		let done = false;
		const markDone = () => {
			if (!done) {
				done = true;
				inFlight--;
			}
		};
		res.on('close', markDone);
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const path = (req.url ?? '/').split('?')[0];
			const received: ReceivedRequest = {
				path,
				method: req.method ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
				receivedAtMs: Date.now(),
				remotePort: req.socket.remotePort ?? 0,
			};
			requests.push(received);
			const index = countByPath.get(path) ?? 0;
			countByPath.set(path, index + 1);
			const responder = routes[path];
			const reply: Reply = responder ? responder(received, index) : { status: 404 };
			if (reply === 'hang') {
				hanging.add(res);
				return;
			}
			if (reply === 'reset') {
				req.socket.destroy();
				return;
			}
			const send = () => {
				res.writeHead(reply.status, reply.headers);
				res.end(reply.body);
			};
			if (reply.delayMs) setTimeout(send, reply.delayMs);
			else send();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		requests,
		requestsTo: (path) => requests.filter((request) => request.path === path),
		get inFlight() {
			return inFlight;
		},
		get peakInFlight() {
			return peakInFlight;
		},
		get openConnections() {
			return sockets.size;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Replies from a list, the last one repeating: `sequence(503, 503, 200)`. */
export function sequence(...statuses: Array<number | Reply>): Responder {
	return (_request, index) => {
		const entry = statuses[Math.min(index, statuses.length - 1)];
		return typeof entry === 'number' ? { status: entry } : entry;
	};
}
