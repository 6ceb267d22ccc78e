'use strict';

const fs = require('node:fs');
const net = require('node:net');

/** Where ports for our listeners are drawn from when the ephemeral range leaves no room below it. */
const FALLBACK_RANGE = [20000, 32767];
const LOWEST_PORT = 10000;
const ATTEMPTS = 200;

/** Ports handed out by this process, so two callers never get the same one before either listens. */
const handedOut = new Set();

/**
 * Linux's ephemeral range (ip_local_port_range), from which the kernel takes the local port of every outgoing
 * connection and of every `listen(0)`.
 */
function ephemeralRange() {
	try {
		const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
		if (Number.isInteger(low) && Number.isInteger(high) && low <= high) return [low, high];
	} catch {
		// Not Linux: the usual IANA dynamic range.
	}
	return [49152, 65535];
}

/** Ports below the ephemeral range (or the fallback range when there is no room below it). */
function listenerRange() {
	const [ephemeralLow] = ephemeralRange();
	return ephemeralLow - 1 - LOWEST_PORT >= 1000 ? [LOWEST_PORT, ephemeralLow - 1] : FALLBACK_RANGE;
}

/**
 * A TCP port that is free on 127.0.0.1 right now, for a server that will listen on it a little later (often a
 * child process, seconds later). Not `listen(0)`: the kernel picks that port from the ephemeral range, where
 * any outgoing connection made in the meantime (to Postgres, Redis, another n8n) can take it and make the later
 * listen fail with EADDRINUSE. Ports below that range are only ever taken by listeners.
 */
async function freePort() {
	const [low, high] = listenerRange();
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		const port = low + Math.floor(Math.random() * (high - low + 1));
		if (handedOut.has(port)) continue;
		if (await isPortFree(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error(`No free port found in ${low}-${high} after ${ATTEMPTS} attempts`);
}

/** True when nothing listens on 127.0.0.1:port. */
function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

module.exports = { freePort, isPortFree, listenerRange };
