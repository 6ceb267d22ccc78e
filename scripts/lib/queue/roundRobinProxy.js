'use strict';

const http = require('node:http');

/** Headers that describe one connection, not the message: a proxy does not pass them on (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Errors that mean the upstream never got the request, so another upstream may take it even for a POST. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

const DEFAULTS = {
	maxBodyBytes: 16 * 1024 * 1024,
	upstreamTimeoutMs: 30000,
	failTimeoutMs: 2000,
	// n8n listens before it has loaded its webhooks: a restarted process answers 404 until this says 200.
	healthPath: '/healthz/readiness',
	healthIntervalMs: 1000,
};

function forwardedHeaders(request) {
	const headers = {};
	const connectionListed = new Set(
		String(request.headers.connection ?? '')
			.split(',')
			.map((name) => name.trim().toLowerCase())
			.filter(Boolean),
	);
	for (let index = 0; index < request.rawHeaders.length; index += 2) {
		const name = request.rawHeaders[index];
		const lower = name.toLowerCase();
		if (HOP_BY_HOP.has(lower) || connectionListed.has(lower) || lower === 'content-length') continue;
		if (lower.startsWith('x-forwarded-')) continue;
		const value = request.rawHeaders[index + 1];
		headers[name] = headers[name] === undefined ? value : [].concat(headers[name], value);
	}
	// Like nginx's $proxy_add_x_forwarded_for: what the client sent, then the address we got it from.
	const previous = request.headers['x-forwarded-for'];
	const remote = request.socket.remoteAddress ?? 'unknown';
	headers['X-Forwarded-For'] = previous ? `${previous}, ${remote}` : remote;
	// The first proxy a request meets: scheme and host are what it received, whatever the client claims.
	headers['X-Forwarded-Proto'] = 'http';
	if (request.headers.host) headers['X-Forwarded-Host'] = request.headers.host;
	return headers;
}

function readBody(request, maxBytes) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		request.on('data', (chunk) => {
			size += chunk.length;
			if (size > maxBytes) {
				reject(Object.assign(new Error('request body too large'), { status: 413 }));
				request.destroy();
				return;
			}
			chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

/**
 * A small round-robin HTTP reverse proxy, as a load balancer in front of n8n's webhook processes:
 * one URL for senders, requests spread in turn over `upstreams` (`[{ name, port, host? }]`),
 * `X-Forwarded-For` appended (plus `-Proto`, `-Host`), hop-by-hop headers dropped, request bodies
 * buffered (so a request refused at connect can go to the next upstream: nothing was sent yet), an
 * upstream that failed a request skipped for `failTimeoutMs`, an upstream whose `healthPath` does not
 * answer 200 (checked every `healthIntervalMs`) skipped until it does, `X-Served-By` on every answer.
 * 502 when no upstream answers, 504 after `upstreamTimeoutMs`.
 */
function createRoundRobinProxy({ upstreams, ...overrides }) {
	const options = { ...DEFAULTS, ...overrides };
	const pool = upstreams.map((upstream) => ({ host: '127.0.0.1', ...upstream, healthy: true, downUntil: 0, served: 0, failed: 0 }));
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	let next = 0;

	function checkHealth(upstream) {
		const probe = http.get({ host: upstream.host, port: upstream.port, path: options.healthPath, agent: false, timeout: options.healthIntervalMs * 2 }, (response) => {
			upstream.healthy = response.statusCode === 200;
			response.resume();
		});
		// A slow answer says the process is busy, not that it is gone: only a refusal or a non-200 counts.
		probe.on('timeout', () => probe.destroy(Object.assign(new Error('health check timeout'), { code: 'ETIMEDOUT' })));
		probe.on('error', (error) => {
			if (error.code !== 'ETIMEDOUT') upstream.healthy = false;
		});
	}
	const healthTimer = options.healthIntervalMs > 0 ? setInterval(() => pool.forEach(checkHealth), options.healthIntervalMs) : undefined;
	if (healthTimer) healthTimer.unref();

	function pick(tried) {
		const now = Date.now();
		for (let step = 0; step < pool.length; step++) {
			const candidate = pool[(next + step) % pool.length];
			if (tried.has(candidate) || !candidate.healthy || candidate.downUntil > now) continue;
			next = (pool.indexOf(candidate) + 1) % pool.length;
			return candidate;
		}
		// Every upstream is marked down: try one that has not been tried yet anyway, it may be back.
		return pool.find((candidate) => !tried.has(candidate));
	}

	function forward(request, response, body, headers, tried) {
		const upstream = pick(tried);
		if (!upstream) {
			respondError(response, 502, 'no upstream available');
			return;
		}
		tried.add(upstream);
		const outgoing = http.request({
			host: upstream.host,
			port: upstream.port,
			method: request.method,
			path: request.url,
			headers: { ...headers, 'Content-Length': String(body.length) },
			agent,
			timeout: options.upstreamTimeoutMs,
		});
		outgoing.on('response', (upstreamResponse) => {
			upstream.served++;
			const responseHeaders = {};
			for (const [name, value] of Object.entries(upstreamResponse.headers)) {
				if (!HOP_BY_HOP.has(name)) responseHeaders[name] = value;
			}
			responseHeaders['x-served-by'] = upstream.name;
			// Tests read this: a request re-sent after a reset may already have been handled by the upstream that died.
			if (tried.resets) responseHeaders['x-proxy-resent'] = String(tried.resets);
			response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, responseHeaders);
			upstreamResponse.pipe(response);
			upstreamResponse.on('error', () => response.destroy());
		});
		outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' })));
		outgoing.on('error', (error) => {
			// The keep-alive race Node's docs describe: the upstream closed an idle pooled socket just as it was
			// reused. Nothing reached the upstream's handler, so sending again is safe.
			if (outgoing.reusedSocket && error.code === 'ECONNRESET' && !response.headersSent && (tried.resets ?? 0) < 3) {
				tried.resets = (tried.resets ?? 0) + 1;
				tried.delete(upstream);
				forward(request, response, body, headers, tried);
				return;
			}
			upstream.failed++;
			console.error(`[proxy] ${upstream.name}: ${error.code ?? error.message}${outgoing.reusedSocket ? ' (reused socket)' : ''}`);
			// Like nginx's max_fails=1: after an error the upstream gets no new requests for a moment.
			upstream.downUntil = Date.now() + options.failTimeoutMs;
			if (NOT_SENT.has(error.code)) {
				forward(request, response, body, headers, tried);
				return;
			}
			// The request may have reached the upstream: a POST is not sent twice (nginx does the same).
			respondError(response, error.code === 'ETIMEDOUT' ? 504 : 502, error.code === 'ETIMEDOUT' ? 'upstream timeout' : 'upstream error');
		});
		outgoing.end(body);
	}

	const server = http.createServer(async (request, response) => {
		let body;
		try {
			body = await readBody(request, options.maxBodyBytes);
		} catch (error) {
			respondError(response, error.status ?? 400, error.status === 413 ? 'request body too large' : 'bad request');
			return;
		}
		forward(request, response, body, forwardedHeaders(request), new Set());
	});
	server.keepAliveTimeout = 65000;

	return {
		server,
		listen: (port, host = '127.0.0.1') =>
			new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port ?? 0, host, () => resolve(server.address().port));
			}),
		close: () =>
			new Promise((resolve) => {
				if (healthTimer) clearInterval(healthTimer);
				agent.destroy();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
		stats: () => pool.map(({ name, port, healthy, served, failed }) => ({ name, port, healthy, served, failed })),
	};
}

function respondError(response, status, message) {
	if (response.headersSent) {
		response.destroy();
		return;
	}
	const payload = JSON.stringify({ error: message });
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), 'x-served-by': 'proxy' });
	response.end(payload);
}

/**
 * Command line, so the proxy runs as a process of its own like a real load balancer:
 *   node roundRobinProxy.js --port 8080 --upstream webhook-1=127.0.0.1:5679 --upstream webhook-2=127.0.0.1:5680
 * Prints `listening <port>` once it accepts connections.
 */
async function main(argv) {
	let port = 0;
	const upstreams = [];
	for (let index = 0; index < argv.length; index++) {
		if (argv[index] === '--port') port = Number(argv[++index]);
		else if (argv[index] === '--upstream') {
			const [name, address] = argv[++index].split('=');
			const [host, upstreamPort] = address.split(':');
			upstreams.push({ name, host, port: Number(upstreamPort) });
		} else throw new Error(`Unknown argument ${argv[index]}`);
	}
	if (upstreams.length === 0) throw new Error('At least one --upstream name=host:port is needed');
	const proxy = createRoundRobinProxy({ upstreams });
	const listening = await proxy.listen(port);
	process.stdout.write(`listening ${listening}\n`);
	const shutdown = () => proxy.close().then(() => process.exit(0));
	process.on('SIGTERM', shutdown);
	process.on('SIGINT', shutdown);
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exit(1);
	});
}

module.exports = { createRoundRobinProxy };
