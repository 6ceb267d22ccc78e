'use strict';

const http = require('node:http');
const https = require('node:https');

/**
 * HTTP for the harness's calls to n8n, without the keep-alive race that global fetch has: a server may close an
 * idle keep-alive socket at the moment the client sends the next request on it, and the request then fails with
 * `other side closed` / `socket hang up` although the server never saw it (seen when a suite created 12
 * workflows in parallel). Two rules:
 * - Safe methods (GET, HEAD, OPTIONS) share keep-alive sockets and are sent once more, on a new socket, when the
 *   connection closed before a single response byte arrived. Sending them twice changes nothing on the server.
 * - Every other method gets a connection of its own (no reuse, so no race). It is never retried: had the server
 *   acted on it before the connection broke, a second send would act twice.
 */
const RETRY_SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Errors that mean "the connection went away", as opposed to a malformed answer or a refused connection. */
const CONNECTION_CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

const keepAliveAgents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

class ConnectionClosedError extends Error {
	constructor(method, url, cause, { reusedSocket }) {
		super(`${method} ${url}: connection closed before any response byte (${cause.code ?? cause.message}${reusedSocket ? ', on a reused keep-alive socket' : ''})`);
		this.code = cause.code;
		this.cause = cause;
		this.reusedSocket = reusedSocket;
	}
}

/**
 * One exchange. Resolves `{ status, headers, body }` (body a Buffer) or rejects; a rejection for a connection that
 * closed before any byte of the answer arrived is a ConnectionClosedError.
 */
function exchange(url, { method, headers, body, agent, timeoutMs }) {
	return new Promise((resolve, reject) => {
		const transport = url.protocol === 'https:' ? https : http;
		const request = transport.request(url, { method, headers, agent });
		let bytesBefore;
		let answered = false;
		request.on('socket', (socket) => {
			bytesBefore = socket.bytesRead;
		});
		request.on('response', (response) => {
			answered = true;
			const chunks = [];
			response.on('data', (chunk) => chunks.push(chunk));
			response.on('error', reject);
			response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
		});
		request.on('error', (error) => {
			const socket = request.socket;
			const nothingArrived = !answered && (socket === null || socket === undefined || socket.bytesRead === bytesBefore);
			if (nothingArrived && CONNECTION_CLOSED_CODES.has(error.code)) {
				reject(new ConnectionClosedError(method, url.href, error, { reusedSocket: request.reusedSocket }));
			} else {
				reject(error);
			}
		});
		if (timeoutMs) request.setTimeout(timeoutMs, () => request.destroy(new Error(`${method} ${url.href}: no answer within ${timeoutMs} ms`)));
		request.end(body);
	});
}

/**
 * Sends one request to n8n (or any local server) and returns `{ status, headers, body }` (body a Buffer,
 * headers Node's lower-cased object, `set-cookie` an array). `url` is a string or URL; `body` a string or
 * Buffer. Safe methods are retried once after a connection closed before any answer; see above.
 */
async function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs } = {}) {
	const target = typeof url === 'string' ? new URL(url) : url;
	const upper = method.toUpperCase();
	const retrySafe = RETRY_SAFE_METHODS.has(upper);
	const options = {
		method: upper,
		headers: body !== undefined ? { 'content-length': String(Buffer.byteLength(body)), ...headers } : headers,
		body,
		// agent false: a socket of this request's own, closed after the answer.
		agent: retrySafe ? keepAliveAgents[target.protocol] : false,
		timeoutMs,
	};
	try {
		return await exchange(target, options);
	} catch (error) {
		if (!retrySafe || !(error instanceof ConnectionClosedError)) throw error;
		return exchange(target, { ...options, agent: false });
	}
}

module.exports = { httpRequest, ConnectionClosedError, RETRY_SAFE_METHODS };
