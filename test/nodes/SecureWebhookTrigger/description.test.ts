import {
	NodeHelpers,
	WEBHOOK_RESOLVERS,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeType,
	type IWebhookDescription,
} from 'n8n-workflow';

import { SecureWebhookTrigger } from '../../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';

const nodeType = new SecureWebhookTrigger();

function workflowWith(parameters: INodeParameters, typeVersion = 2) {
	const node: INode = {
		id: 'n1',
		name: 'Trigger',
		type: 'n8n-nodes-ai-webhooks.secureWebhookTrigger',
		typeVersion,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({
		id: 'wf',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType as INodeType,
			getByNameAndVersion: () => nodeType as INodeType,
			getKnownTypes: () => ({}),
		},
	});
	// The Workflow constructor applies the node's parameter defaults, as n8n does when it loads a workflow.
	return { workflow, node: workflow.getNode('Trigger')! };
}

const parameterSets: INodeParameters[] = [
	{ path: 'hook' },
	{ path: 'hook', httpMethod: 'PUT', responseMode: 'lastNode' },
	{ path: 'hook', settings: { responseCode: 202, responseBody: '{"ok":true}' } },
	{ path: 'hook', settings: { responseBody: 'plain text' } },
	{ path: 'hook', settings: { responseCode: 500 } },
];

describe('webhook description: editor templates and native resolvers agree', () => {
	const descriptions = nodeType.description.webhooks as IWebhookDescription[];

	it.each(parameterSets)('for %j', (parameters) => {
		const { workflow, node } = workflowWith(parameters);
		for (const description of descriptions) {
			const resolvers = description[WEBHOOK_RESOLVERS] ?? {};
			expect(Object.keys(resolvers).length).toBeGreaterThan(0);
			for (const [field, resolver] of Object.entries(resolvers)) {
				const template = description[field] as string;
				expect(template).toBe(resolver.template);
				const viaEngine = workflow.expression.getSimpleParameterValue(node, template, 'webhook', {});
				expect(viaEngine).toEqual(resolver.resolve(node.parameters));
			}
		}
	});

	it('answers 200 {"status":"accepted"} by default and only 2xx codes', () => {
		const [main] = descriptions;
		const resolvers = main[WEBHOOK_RESOLVERS]!;
		const { node } = workflowWith({ path: 'hook' });
		expect(resolvers.responseCode.resolve(node.parameters)).toBe(200);
		expect(resolvers.responseData.resolve(node.parameters)).toEqual({ status: 'accepted' });
		expect(resolvers.responseCode.resolve({ settings: { responseCode: 500 } })).toBe(200);
	});

	it('with Respond: When Last Node Finishes, answers the last node\'s first item, as n8n\'s Webhook node does', () => {
		const resolvers = descriptions[0][WEBHOOK_RESOLVERS]!;
		expect(resolvers.responseData.resolve({ path: 'hook', responseMode: 'lastNode' })).toBe('firstEntryJson');
		expect(resolvers.responseData.resolve({ path: 'hook', responseMode: 'responseNode' })).toEqual({ status: 'accepted' });
	});

	it('listens on the chosen method and on GET, both as full paths', () => {
		const { workflow, node } = workflowWith({ path: 'orders', httpMethod: 'PATCH' });
		const methods = descriptions.map((d) => workflow.expression.getSimpleParameterValue(node, d.httpMethod, 'webhook', {}));
		expect(methods).toEqual(['PATCH', 'GET']);
		expect(descriptions.every((d) => d.isFullPath === true)).toBe(true);
	});

	it('typeVersion 1 tells n8n not to parse the body (n8n reads options.binaryData); typeVersion 2 does not', () => {
		const skipParse = (typeVersion: number) => {
			const { workflow, node } = workflowWith({ path: 'hook' }, typeVersion);
			return workflow.expression.getSimpleParameterValue(node, '={{$parameter["options"]["binaryData"]}}', 'webhook', {});
		};
		expect(skipParse(1)).toBe(true);
		expect(skipParse(2)).toBeUndefined();
	});
});

describe('outputs shown on the canvas', () => {
	const names = (parameters: INodeParameters) => {
		const { workflow, node } = workflowWith(parameters);
		return NodeHelpers.getNodeOutputs(workflow, node, nodeType.description).map((output) =>
			typeof output === 'string' ? output : output.displayName,
		);
	};
	it('one output by default, a second "Rejected" output when opted in', () => {
		expect(names({ path: 'hook' })).toEqual(['Accepted']);
		expect(names({ path: 'hook', settings: { rejectedOutput: true } })).toEqual(['Accepted', 'Rejected']);
	});
});

describe('activation checks the settings', () => {
	const activate = (parameters: INodeParameters) => {
		const context = { getNodeParameter: (name: string, fallback: unknown) => (name in parameters ? parameters[name] : fallback) };
		return nodeType.webhookMethods.default.checkExists.call(context as never);
	};
	it('accepts valid settings', async () => {
		await expect(activate({ path: 'hook', scheme: 'hmac', eventTypePath: 'data.type', eventIdPath: 'header:x-id' })).resolves.toBe(true);
	});
	it.each([
		['a malformed event path', { scheme: 'hmac', eventTypePath: 'data..type' }, /path/i],
		['an invalid allow-list entry', { settings: { ipAllowList: '10.0.0.0/33' } }, /10\.0\.0\.0\/33/],
		['an invalid JSON Schema', { settings: { schema: '{"type": 5}' } }, /schema/i],
	])('refuses %s with a message that names it', async (_name, parameters, message) => {
		await expect(activate({ path: 'hook', ...parameters })).rejects.toThrow(message);
	});
});
