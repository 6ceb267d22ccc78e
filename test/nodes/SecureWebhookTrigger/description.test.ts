import {
	NodeHelpers,
	WEBHOOK_RESOLVERS,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeType,
	type IWebhookDescription,
} from 'n8n-workflow';

import { eventTypesPlaceholder } from '../../../nodes/SecureWebhookTrigger/description';
import { SecureWebhookTrigger } from '../../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';
import { PROVIDERS, providerById } from '../../../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../../../nodes/shared/providers/providerScheme';
import { PROVIDER_GROUPS } from '../../../nodes/shared/providers/types';

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
	{ path: 'hook', scheme: 'meta' },
	{ path: 'hook', provider: 'meta' },
	{ path: 'hook', provider: 'stripe' },
	{ path: 'hook', provider: 'hmac', customHandshake: 'getQuery' },
	{ path: 'hook', provider: 'hmac', customHandshake: 'postQuery' },
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

	it('with an empty Path listens on the node\'s webhook ID, as n8n\'s Webhook node does', () => {
		const { workflow, node } = workflowWith({});
		const withId: INode = { ...node, webhookId: '3f1c0c9e-5d7b-4a55-9a4e-2d5f0f3b6a11' };
		const paths = descriptions.map((d) => {
			const path = workflow.expression.getSimpleParameterValue(withId, d.path, 'webhook', {}) as string;
			return NodeHelpers.getNodeWebhookPath('wf', withId, path, d.isFullPath === true);
		});
		expect(paths).toEqual([withId.webhookId, withId.webhookId]);
		const pathProperty = nodeType.description.properties.find((property) => property.name === 'path')!;
		expect(pathProperty.required).not.toBe(true);
	});

	it('the editor lists the GET URL only where a GET handshake exists', () => {
		const [, setup] = descriptions;
		const hidden = (parameters: INodeParameters, typeVersion = 3) => {
			const { workflow, node } = workflowWith({ path: 'hook', ...parameters }, typeVersion);
			return workflow.expression.getSimpleParameterValue(node, setup.ndvHideUrl as string, 'webhook', {});
		};
		expect(hidden({ provider: 'meta' })).toBe(false);
		expect(hidden({ provider: 'stripe' })).toBe(true);
		expect(hidden({})).toBe(true);
		expect(hidden({ provider: 'hmac', customHandshake: 'getQuery' })).toBe(false);
		expect(hidden({ provider: 'hmac', customHandshake: 'bodyField' })).toBe(true);
		expect(hidden({ scheme: 'meta' }, 2)).toBe(false);
		expect(hidden({ scheme: 'github' }, 2)).toBe(true);
		// Every catalogue provider with a GET handshake is listed.
		const withGet = PROVIDERS.filter(isProviderAvailable).filter((entry) => entry.handshakes?.some((rule) => rule.method === 'GET'));
		expect(withGet.length).toBeGreaterThan(0);
		for (const entry of withGet) expect(hidden({ provider: entry.id })).toBe(false);
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

const activate = (parameters: INodeParameters, typeVersion = 2) => {
	const context = {
		getNodeParameter: (name: string, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
		getNode: () => ({ typeVersion }),
		logger: { warn: () => undefined },
	};
	return nodeType.webhookMethods.default.checkExists.call(context as never);
};

describe('activation checks the settings', () => {
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

describe('activation and listening refuse a credential made for another provider', () => {
	const listen = (provider: string, credential: Record<string, string>) => {
		const node = { name: 'Trigger', typeVersion: 3, credentials: { webhookSigningApi: { id: '1', name: 'GitHub secret' } } };
		const context = {
			getNodeParameter: (name: string, fallback: unknown) => (name === 'provider' ? provider : name === 'path' ? 'hook' : fallback),
			getNode: () => node,
			getCredentials: async () => credential,
			logger: { warn: () => undefined },
		};
		return nodeType.webhookMethods.default.checkExists.call(context as never);
	};
	it('names both providers', async () => {
		await expect(listen('openai', { provider: 'github', secret: 's' })).rejects.toThrow(/made for GitHub, but this trigger verifies OpenAI/);
	});
	it('accepts its own provider\'s credential and one tied to none', async () => {
		await expect(listen('github', { provider: 'github', secret: 's' })).resolves.toBe(true);
		await expect(listen('github', { secret: 's' })).resolves.toBe(true);
	});
});

describe('typeVersion 3: the Provider parameter', () => {
	const parametersOf = (parameters: INodeParameters, typeVersion: number) =>
		NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, { typeVersion } as INode, nodeType.description)!;

	it('is the default version', () => {
		expect(nodeType.description.defaultVersion).toBe(3);
		expect(nodeType.description.version).toEqual([1, 2, 3]);
	});

	it('offers every available catalogue entry once, named "<Group>: <Provider>" and sorted by name', () => {
		const provider = nodeType.description.properties.find((property) => property.name === 'provider')!;
		const options = provider.options as Array<{ name: string; value: string; description: string }>;
		const offered = PROVIDERS.filter(isProviderAvailable);
		expect(options.map((option) => option.value).sort()).toEqual(offered.map((entry) => entry.id).sort());
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
		for (const option of options) {
			const entry = providerById(option.value)!;
			expect(option.name).toBe(`${PROVIDER_GROUPS[entry.group]}: ${entry.displayName}`);
			expect(option.description.length).toBeGreaterThan(10);
		}
		expect(names).toContain('Payments: Stripe');
		expect(names).toContain('Custom: HMAC (Any Header, Algorithm and Template)');
	});

	it('v3 saves a provider and no scheme; v1 and v2 keep their scheme and have no provider', () => {
		const v3 = parametersOf({ path: 'hook' }, 3);
		expect(v3.provider).toBe('standardWebhooks');
		expect(v3).not.toHaveProperty('scheme');
		expect(v3).not.toHaveProperty('toleranceSeconds');
		for (const typeVersion of [1, 2]) {
			const legacy = parametersOf({ path: 'hook', scheme: 'stripe' }, typeVersion);
			expect(legacy.scheme).toBe('stripe');
			expect(legacy.toleranceSeconds).toBe(300);
			expect(legacy).not.toHaveProperty('provider');
		}
	});

	it('shows the settings a provider needs, and the Custom builders\' own, only when chosen', () => {
		const twilio = parametersOf({ path: 'hook', provider: 'twilio' }, 3);
		expect(twilio).toHaveProperty('publicUrl', '');
		expect(twilio).not.toHaveProperty('verifyToken');
		expect(parametersOf({ path: 'hook', provider: 'meta' }, 3)).toHaveProperty('verifyToken', '');
		const hmac = parametersOf({ path: 'hook', provider: 'hmac' }, 3);
		expect(hmac).toMatchObject({ hmacAlgorithm: 'sha256', hmacSignatureHeader: 'x-signature', publicUrl: '' });
		expect(hmac).not.toHaveProperty('eventTypePath');
		expect(parametersOf({ path: 'hook', provider: 'jwt' }, 3)).toMatchObject({ jwtTokenHeader: 'authorization' });
		expect(parametersOf({ path: 'hook', provider: 'stripe' }, 3)).not.toHaveProperty('hmacAlgorithm');
	});

	it('has a notice per provider saying what to paste into the credential', () => {
		for (const entry of PROVIDERS.filter(isProviderAvailable)) {
			const notice = nodeType.description.properties.find((property) => property.name === `providerNotice_${entry.id}`);
			expect(notice?.type).toBe('notice');
			expect(notice?.displayName).toContain(entry.secretHelp);
			expect(notice?.displayOptions?.show).toEqual({ provider: [entry.id], '@version': [3] });
		}
	});

	it('needs no credential for the None provider only', () => {
		const credential = nodeType.description.credentials!.find((c) => c.name === 'webhookSigningApi')!;
		const shown = (parameters: INodeParameters, typeVersion: number) =>
			NodeHelpers.displayParameter(parameters, credential, { typeVersion } as INode, nodeType.description);
		expect(shown({ provider: 'none' }, 3)).toBe(false);
		expect(shown({ provider: 'stripe' }, 3)).toBe(true);
		expect(shown({ scheme: 'none' }, 2)).toBe(false);
		expect(shown({ scheme: 'github' }, 2)).toBe(true);
	});

	it('activation refuses an unknown provider and accepts the others', async () => {
		await expect(activate({ path: 'hook', provider: 'nope' }, 3)).rejects.toThrow('Unknown provider "nope"');
		await expect(activate({ path: 'hook', provider: 'twilio', settings: { eventIdPath: 'MessageSid' } }, 3)).resolves.toBe(true);
		await expect(activate({ path: 'hook', provider: 'hmac', settings: { eventIdPath: 'a..b' } }, 3)).rejects.toThrow(/path/i);
	});
});

describe('JWT (issue 14): expiry required by default, a maximum age, a notice without a body-hash claim', () => {
	const parametersOf = (parameters: INodeParameters, typeVersion: number) =>
		NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, { typeVersion } as INode, nodeType.description)!;
	const notice = nodeType.description.properties.find((property) => property.name === 'jwtNoBodyHashNotice' && property.displayOptions?.show?.provider)!;

	it.each([
		[2, { scheme: 'jwt' }],
		[3, { provider: 'jwt' }],
	] as const)('typeVersion %i requires exp and sets no maximum age by default', (typeVersion, choice) => {
		expect(parametersOf({ path: 'hook', ...choice }, typeVersion)).toMatchObject({ jwtRequireExp: true, jwtMaxAgeSeconds: 0 });
	});

	it('shows the notice only while no body-hash claim is set', () => {
		const shown = (parameters: INodeParameters) => NodeHelpers.displayParameter(parameters, notice, { typeVersion: 3 } as INode, nodeType.description);
		expect(shown({ provider: 'jwt', jwtBodyHashClaim: '' })).toBe(true);
		expect(shown({ provider: 'jwt', jwtBodyHashClaim: 'body_sha256' })).toBe(false);
		expect(shown({ provider: 'stripe', jwtBodyHashClaim: '' })).toBe(false);
	});

	it('reads the settings into the JWT options', async () => {
		await expect(activate({ path: 'hook', provider: 'jwt', jwtRequireExp: false, jwtMaxAgeSeconds: 60 }, 3)).resolves.toBe(true);
	});
});

describe('Event Types: a placeholder per provider from the catalogue', () => {
	const offered = PROVIDERS.filter(isProviderAvailable);
	const eventFields = nodeType.description.properties.filter((property) => property.name === 'events');

	it('every typeVersion 3 provider sees exactly one Event Types field, with its own placeholder', () => {
		for (const entry of offered) {
			const shown = eventFields.filter((property) => (property.displayOptions?.show?.provider as string[] | undefined)?.includes(entry.id));
			expect(shown).toHaveLength(1);
			expect(shown[0].placeholder).toBe(eventTypesPlaceholder(entry));
		}
		// typeVersion 1 and 2 keep their one field.
		expect(eventFields.filter((property) => property.displayOptions?.show?.['@version']?.includes(2))).toHaveLength(1);
	});

	it('names where the type is read, or says there is none', () => {
		expect(eventTypesPlaceholder(providerById('stripe')!)).toBe('Values of body.type, comma-separated; * wildcards');
		expect(eventTypesPlaceholder(providerById('shopify')!)).toBe('Values of header x-shopify-topic, comma-separated; * wildcards');
		expect(eventTypesPlaceholder(providerById('github')!)).toBe('Values of x-github-event.action, comma-separated; * wildcards');
		const withoutType = offered.find((entry) => entry.group !== 'custom' && entry.eventType.length === 0)!;
		expect(eventTypesPlaceholder(withoutType)).toBe(`${withoutType.displayName} sends no event type: leave empty`);
	});
});
