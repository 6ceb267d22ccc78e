'use strict';

const { randomUUID } = require('node:crypto');
const http = require('node:http');

const { freePort, nodeOutput } = require('../../../scripts/lib');
const { CREDENTIAL_TYPE, SENDER_TYPE, signing } = require('./package');

/**
 * Building blocks for the Signed Webhook end-to-end suites: a Webhook trigger that turns a posted list into items,
 * the Signed Webhook node as the editor saves it, links to either of its inputs, and a receiver that records every
 * attempt and answers by a rule.
 */

/** n8n's Webhook node answering at once, then "Split Out" of `body.items`: one item per posted element. */
function itemsFromWebhook(path, position = [0, 0]) {
	return [
		{
			id: randomUUID(),
			name: 'Items In',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position,
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		},
		{
			id: randomUUID(),
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [position[0] + 200, position[1]],
			parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
		},
	];
}

function scheduleEverySeconds(name, seconds, position) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.scheduleTrigger',
		typeVersion: 1.2,
		position,
		parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: seconds }] } },
	};
}

function senderNode({ name = 'Signed Webhook', parameters, credential, redisCredential, position = [450, 0] }) {
	const credentials = {};
	if (credential) credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
	if (redisCredential) credentials.redis = { id: redisCredential.id, name: redisCredential.name };
	return { id: randomUUID(), name, type: SENDER_TYPE, typeVersion: 1, position, parameters, credentials };
}

/** `connections` for [from, to, fromOutput, toInput] links. */
function links(list) {
	const connections = {};
	for (const [from, to, output = 0, input = 0] of list) {
		connections[from] = connections[from] ?? { main: [] };
		const outputs = connections[from].main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: input });
	}
	return connections;
}

/**
 * An HTTP receiver on 127.0.0.1 that verifies every request with the Standard Webhooks secret, records it by its
 * `webhook-id`, and answers what `answer(id, attemptNumber, request)` returns (a status).
 */
async function startRecordingReceiver(secret, answer) {
	const { verifyStandardWebhook } = signing();
	const byId = new Map();
	const requests = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const id = String(req.headers['webhook-id'] ?? '');
			let verified = false;
			try {
				verified = verifyStandardWebhook({ method: 'POST', rawBody: body, headers: req.headers, url: req.url }, { secret }, { toleranceSeconds: 300, nowSeconds: Math.floor(Date.now() / 1000) }).ok === true;
			} catch {
				verified = false;
			}
			const attempts = byId.get(id) ?? [];
			const status = answer(id, attempts.length + 1, { body, headers: req.headers });
			const entry = { id, body, headers: req.headers, verified, status, at: Date.now() };
			attempts.push(entry);
			byId.set(id, attempts);
			requests.push(entry);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ received: id }));
		});
	});
	const port = await freePort();
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		byId,
		requests,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** Every item the node put on its Delivered (0) and Dead letter (1) outputs in one execution. */
function senderOutcomes(execution, nodeName = 'Signed Webhook') {
	const runs = execution.data?.resultData?.runData?.[nodeName] ?? [];
	const outcomes = [];
	for (let run = 0; run < runs.length; run++) {
		for (const output of [0, 1]) {
			for (const json of nodeOutput(execution, nodeName, { output, run }) ?? []) outcomes.push({ ...json, output: output === 0 ? 'delivered' : 'deadLetter', executionId: execution.id });
		}
	}
	return outcomes;
}

module.exports = { itemsFromWebhook, scheduleEverySeconds, senderNode, links, startRecordingReceiver, senderOutcomes };
