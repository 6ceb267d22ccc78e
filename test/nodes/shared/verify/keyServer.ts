import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SnsCertificateCache } from '../../../../nodes/shared/verify/awsSns';
import { JwksCache } from '../../../../nodes/shared/verify/jwks';
import type { KeySources } from '../../../../nodes/shared/verify/keySources';

/**
 * A real loopback HTTP(S) server for the key-fetching tests: routes by path, counts requests per path, and lets a
 * test swap a route's answer (rotation) or make it hang (timeout).
 */

export type Route = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export interface KeyServer {
	/** `http://127.0.0.1:<port>` or `https://localhost:<port>`. */
	origin: string;
	port: number;
	routes: Map<string, Route>;
	/** Requests per path (query included), in arrival order. */
	hits: string[];
	hitsFor(path: string): number;
	close(): Promise<void>;
}

export function json(body: unknown, status = 200): Route {
	const text = JSON.stringify(body);
	return (_request, response) => {
		response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
		response.end(text);
	};
}

export function text(body: string, status = 200, contentType = 'text/plain'): Route {
	return (_request, response) => {
		response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
		response.end(body);
	};
}

export function redirect(location: string, status = 302): Route {
	return (_request, response) => {
		response.writeHead(status, { location, 'content-length': 0 });
		response.end();
	};
}

/** Answers nothing until the socket is destroyed (the client's timeout). */
export const hang: Route = () => undefined;

async function listen(server: http.Server, host: string, scheme: 'http' | 'https', originHost: string): Promise<KeyServer> {
	const routes = new Map<string, Route>();
	const hits: string[] = [];
	const sockets = new Set<import('node:net').Socket>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
		const path = request.url ?? '/';
		hits.push(path);
		const route = routes.get(path.split('?')[0]);
		if (route) route(request, response);
		else text('not found', 404)(request, response);
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `${scheme}://${originHost}:${port}`,
		port,
		routes,
		hits,
		hitsFor: (path) => hits.filter((hit) => hit.split('?')[0] === path).length,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export async function startHttpKeyServer(): Promise<KeyServer> {
	return await listen(http.createServer(), '127.0.0.1', 'http', '127.0.0.1');
}

/** A self-signed certificate for `localhost` made with openssl, and its RSA-2048 private key (PEM). */
export interface SelfSignedCertificate {
	certificatePem: string;
	privateKeyPem: string;
}

export function makeSelfSignedCertificate(subject = '/CN=localhost', days = 2): SelfSignedCertificate {
	const directory = mkdtempSync(join(tmpdir(), 'key-server-'));
	try {
		const keyFile = join(directory, 'key.pem');
		const certificateFile = join(directory, 'cert.pem');
		execFileSync(
			'openssl',
			[
				'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', String(days),
				'-subj', subject, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
				'-keyout', keyFile, '-out', certificateFile,
			],
			{ stdio: 'ignore' },
		);
		return { certificatePem: readFileSync(certificateFile, 'utf8'), privateKeyPem: readFileSync(keyFile, 'utf8') };
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
}

/** An https server on 127.0.0.1 presenting `tls` for `localhost`; clients must trust `tls.certificatePem`. */
export async function startHttpsKeyServer(tls: SelfSignedCertificate): Promise<KeyServer> {
	return await listen(https.createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }), '127.0.0.1', 'https', 'localhost');
}

/**
 * Key sources for a test (what the trigger takes from processKeySources()): fresh caches that trust `tls` (or plain
 * http on loopback), and `localhost` as the only SNS host.
 */
export function testKeySources(tls?: SelfSignedCertificate): KeySources {
	const ca = tls?.certificatePem;
	return {
		jwks: new JwksCache({ ca, allowLoopbackHttp: true, timeoutMs: 2000 }),
		snsCertificates: new SnsCertificateCache({ ca, timeoutMs: 2000 }),
		snsHostPattern: /^localhost$/,
		snsConfirmCa: ca,
	};
}
