'use strict';

const { randomUUID } = require('node:crypto');

const { signedRequest } = require('../../e2e/helpers/schemeFixtures');

const SCHEME = 'standardWebhooks';

const newEventId = () => `msg_${randomUUID().replace(/-/g, '')}`;

/** A Standard Webhooks request (OpenAI's scheme) signed now with the package's own helper. */
function signedEvent({ key, url, id = newEventId(), tamper = false, timestampSeconds }) {
	const request = signedRequest(SCHEME, { key, url, id, tamper, timestampSeconds });
	return { id, body: request.body, headers: request.headers };
}

/**
 * POSTs one request; resolves `{ status, body, text, servedBy, resent, retryAfter }` (`resent`: how often
 * the proxy sent it again after a connection reset). A connection error is
 * returned as status 0 (the sender saw no answer), never thrown.
 */
async function post(url, { body, headers }, { timeoutMs = 30000 } = {}) {
	try {
		const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
		const text = await response.text();
		let parsed;
		try {
			parsed = text === '' ? undefined : JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		return {
			status: response.status,
			body: parsed,
			text,
			servedBy: response.headers.get('x-served-by'),
			resent: Number(response.headers.get('x-proxy-resent') ?? 0),
			retryAfter: response.headers.get('retry-after'),
		};
	} catch (error) {
		return { status: 0, body: undefined, text: String(error.cause?.code ?? error.name), servedBy: null, resent: 0, retryAfter: null };
	}
}

/** Counts of a list of values, as a plain object: `{ 200: 48, 429: 310 }`. */
function tally(values) {
	const counts = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

module.exports = { SCHEME, newEventId, signedEvent, post, tally };
