'use strict';

const { randomUUID } = require('node:crypto');

const { CREDENTIAL_TYPE, ROUTER_TYPE, TRIGGER_TYPE, triggerOptionsCollection } = require('./package');

/** A unique webhook path per test workflow, readable in n8n's logs. */
function uniquePath(prefix) {
	return `e2e-${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A Secure Webhook Trigger node as the editor saves it. `options` go into the node's options collection. */
function triggerNode({ name = 'Secure Webhook Trigger', path, scheme, credential, parameters = {}, options, position = [0, 0], typeVersion = 2 }) {
	const node = {
		id: randomUUID(),
		name,
		type: TRIGGER_TYPE,
		typeVersion,
		position,
		webhookId: randomUUID(),
		parameters: { path, scheme, ...parameters },
	};
	if (options) node.parameters[triggerOptionsCollection()] = options;
	if (credential) node.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
	return node;
}

/** The AI Router with the human-handoff preset. */
function routerNode({ name = 'AI Router', confidenceField = 'body.confidence', threshold = 0.7, position = [300, 0] } = {}) {
	return {
		id: randomUUID(),
		name,
		type: ROUTER_TYPE,
		typeVersion: 1,
		position,
		parameters: { mode: 'humanHandoff', confidenceField, threshold },
	};
}

/** A built-in NoOp node: makes a branch visible in the execution data. */
function noOpNode(name, position) {
	return { id: randomUUID(), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position, parameters: {} };
}

/** `connections` for a list of [from, to, fromOutput] links on the main input. */
function connect(links) {
	const connections = {};
	for (const [from, to, output = 0] of links) {
		connections[from] = connections[from] ?? { main: [] };
		const outputs = connections[from].main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

function workflow(name, nodes, links = []) {
	return { name, nodes, connections: connect(links), settings: { executionOrder: 'v1' } };
}

module.exports = { uniquePath, triggerNode, routerNode, noOpNode, connect, workflow };
