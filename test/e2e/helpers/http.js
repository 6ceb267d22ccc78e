'use strict';

/** Sends one webhook request and returns `{ status, body, text, headers }` (body parsed when it is JSON). */
async function send(url, { method = 'POST', body, headers = {} } = {}) {
	const response = await fetch(url, { method, body, headers, redirect: 'manual' });
	const text = await response.text();
	let parsed;
	try {
		parsed = text === '' ? undefined : JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	return { status: response.status, body: parsed, text, headers: response.headers };
}

module.exports = { send };
