'use strict';

const lib = require('../../../scripts/lib');

async function post(request, body = request.body) {
	const response = await lib.httpRequest(request.url, { method: 'POST', headers: request.headers, body });
	return { status: response.status, text: response.body.toString('utf8') };
}

/**
 * Imports the example workflows (all three nodes, with their credentials) into `handle`'s n8n, publishes them,
 * and sends each one's signed demo event, plus one with a body changed after signing. Returns, per example,
 * the answers and the executions that followed: `[{ title, tampered, accepted, executions }]`.
 */
async function sendSignedAndTampered(handle, suffix) {
	const imported = await lib.importExamples(handle.client, { baseUrl: handle.n8n.baseUrl, suffix });
	const results = [];
	for (const entry of imported) {
		const tamperedRequest = lib.demoRequest(entry);
		const tampered = await post(tamperedRequest, Buffer.concat([tamperedRequest.body, Buffer.from(' ')]));
		// The signed event goes second: had the tampered one started an execution, there would be two.
		const accepted = await post(lib.demoRequest(entry));
		const executions = accepted.status === 200 ? await handle.client.waitForExecutions(entry.workflowId, { count: 1 }) : [];
		results.push({ title: entry.example.title, tampered, accepted, executions });
	}
	return results;
}

module.exports = { sendSignedAndTampered };
