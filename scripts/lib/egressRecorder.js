'use strict';

const http = require('node:http');

const { freePort } = require('./freePort');

/**
 * An HTTP(S) proxy on 127.0.0.1 that forwards nothing: each request or CONNECT tunnel is answered 403 and
 * recorded. Given to n8n as HTTP_PROXY/HTTPS_PROXY (n8n's outbound HTTP honours them, and NO_PROXY keeps loopback
 * direct), it keeps a test's n8n off the internet and shows what n8n tried to reach.
 * Returns `{ url, attempts, env, stop() }`; `attempts` lists `{ method, target }`.
 */
async function startEgressRecorder() {
	const attempts = [];
	const refuse = (socketOrResponse) => socketOrResponse.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
	const server = http.createServer((request, response) => {
		attempts.push({ method: request.method, target: request.url });
		response.writeHead(403, { 'content-length': '0', connection: 'close' });
		response.end();
	});
	server.on('connect', (request, socket) => {
		attempts.push({ method: 'CONNECT', target: request.url });
		socket.on('error', () => {});
		refuse(socket);
	});
	const port = await freePort();
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		attempts,
		/** The variables that route a process's outbound HTTP here. */
		env: { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
		/** The hosts that were asked for, without repeats. */
		hosts: () => [...new Set(attempts.map((attempt) => (attempt.method === 'CONNECT' ? attempt.target : new URL(attempt.target).host)))],
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startEgressRecorder };
