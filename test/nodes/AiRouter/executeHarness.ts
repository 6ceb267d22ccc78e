/**
 * Runs a node's execute() the way n8n does: n8n-core's own ExecuteContext over a real Workflow, so
 * parameter defaults, expression resolution ($json, $itemIndex), continueOnFail and item access are
 * n8n's code, not a mock. Only the parts of IWorkflowExecuteAdditionalData that resolving parameters
 * reads are filled in (ids and base URLs); routing touches no credentials, sub-workflows or HTTP.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecuteContext, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	NodeHelpers,
	Workflow,
	type IConnections,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

// n8n-core's InstanceSettings creates its settings file on first use; keep it out of the home folder.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'ai-router-n8n-'));

export const ROUTER_TYPE = 'n8n-nodes-ai-webhooks.aiRouter';
export const ROUTER_NODE_NAME = 'AI Router';
export const SOURCE_NODE_NAME = 'Webhook';

/** The node types a test workflow knows, looked up by type name like n8n's NodeTypes. */
export class StaticNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`unknown node type ${nodeType}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

export function additionalData(): IWorkflowExecuteAdditionalData {
	return {
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface ExecuteOptions {
	parameters: INodeParameters;
	items: INodeExecutionData[];
	nodeType: INodeType;
	typeName?: string;
	continueOnFail?: boolean;
}

export interface PreparedExecution {
	workflow: Workflow;
	node: INode;
	context: ExecuteContext;
}

/**
 * A Workflow with a source node feeding the node under test, and the ExecuteContext n8n would build to
 * run it on `items`. The source node has run data, so expressions such as $('Webhook').item resolve.
 */
export function prepareExecution(options: ExecuteOptions): PreparedExecution {
	const typeName = options.typeName ?? ROUTER_TYPE;
	const sourceType: INodeType = {
		description: {
			displayName: 'Source',
			name: 'source',
			group: ['trigger'],
			version: 1,
			description: 'Test source',
			defaults: { name: 'Source' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
	};
	const nodeTypes = new StaticNodeTypes({ [typeName]: options.nodeType, 'test.source': sourceType });
	const nodes: INode[] = [
		{ id: 'source', name: SOURCE_NODE_NAME, type: 'test.source', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'router',
			name: ROUTER_NODE_NAME,
			type: typeName,
			typeVersion: options.nodeType.description.version as number,
			position: [200, 0],
			parameters: options.parameters,
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const connections: IConnections = {
		[SOURCE_NODE_NAME]: { main: [[{ node: ROUTER_NODE_NAME, type: 'main', index: 0 }]] },
	};
	const workflow = new Workflow({ id: 'wf', name: 'router test', nodes, connections, active: false, nodeTypes });
	const node = workflow.getNode(ROUTER_NODE_NAME) as INode;
	const runExecutionData = createRunExecutionData({
		resultData: {
			runData: {
				[SOURCE_NODE_NAME]: [
					{
						startTime: 0,
						executionIndex: 0,
						executionTime: 0,
						source: [],
						data: { main: [options.items] },
					},
				],
			},
		},
	});
	const inputData = { main: [options.items] };
	const executeData = { node, data: inputData, source: { main: [{ previousNode: SOURCE_NODE_NAME }] } };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(),
		'manual',
		runExecutionData,
		0,
		options.items,
		inputData,
		executeData,
		[],
	);
	return { workflow, node, context };
}

/** Runs execute() of the node under test in n8n's ExecuteContext. */
export async function executeNode(options: ExecuteOptions): Promise<INodeExecutionData[][]> {
	const { context } = prepareExecution(options);
	const execute = options.nodeType.execute;
	if (!execute) throw new Error('node has no execute()');
	const result = await execute.call(context);
	return result as INodeExecutionData[][];
}

/** The output names n8n computes for the canvas: the node's `outputs` expression, evaluated by n8n-workflow. */
export function outputNamesOf(nodeType: INodeType, parameters: INodeParameters): string[] {
	const { workflow, node } = prepareExecution({ parameters, items: [], nodeType });
	const outputs = NodeHelpers.getNodeOutputs(workflow, node, nodeType.description);
	return outputs.map((output) => (typeof output === 'string' ? output : (output.displayName ?? '')));
}

export interface WorkflowRunOptions {
	routerType: INodeType;
	routerParameters: INodeParameters;
	items: INodeExecutionData[];
	/** For each router output index, the name of a downstream node that evaluates `linkExpression` per item. */
	downstream: Record<number, string>;
	/** An expression the downstream nodes resolve per item, e.g. `={{ $('Webhook').item.json.id }}`. */
	linkExpression: string;
}

/**
 * Runs Webhook → AI Router → downstream nodes with n8n-core's WorkflowExecute, the engine n8n itself
 * runs workflows with, and returns its run data. The downstream nodes echo `linkExpression` resolved for
 * each of their items, which is how a test sees whether n8n's item linking survived the router.
 */
export async function runWorkflow(options: WorkflowRunOptions) {
	const source: INodeType = {
		description: {
			displayName: 'Source',
			name: 'source',
			group: ['input'],
			version: 1,
			description: 'Emits the test items',
			defaults: { name: 'Source' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			return [options.items];
		},
	};
	const echo: INodeType = {
		description: {
			displayName: 'Echo',
			name: 'echo',
			group: ['transform'],
			version: 1,
			description: 'Resolves an expression per item',
			defaults: { name: 'Echo' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'Linked', name: 'linked', type: 'string', default: '' }],
		},
		async execute(this: IExecuteFunctions) {
			return [
				this.getInputData().map((item, itemIndex) => ({
					json: { linked: this.getNodeParameter('linked', itemIndex) as string, own: item.json },
					pairedItem: { item: itemIndex },
				})),
			];
		},
	};
	const nodeTypes = new StaticNodeTypes({ 'test.source': source, 'test.echo': echo, [ROUTER_TYPE]: options.routerType });
	const nodes: INode[] = [
		{ id: 'source', name: SOURCE_NODE_NAME, type: 'test.source', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'router',
			name: ROUTER_NODE_NAME,
			type: ROUTER_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.routerParameters,
		},
		...Object.values(options.downstream).map(
			(name, index): INode => ({
				id: `echo-${index}`,
				name,
				type: 'test.echo',
				typeVersion: 1,
				position: [400, index * 200],
				parameters: { linked: options.linkExpression },
			}),
		),
	];
	const outputCount = Math.max(...Object.keys(options.downstream).map(Number)) + 1;
	const routerOutputs = Array.from({ length: outputCount }, (_, outputIndex) =>
		options.downstream[outputIndex] ? [{ node: options.downstream[outputIndex], type: 'main' as const, index: 0 }] : [],
	);
	const connections: IConnections = {
		[SOURCE_NODE_NAME]: { main: [[{ node: ROUTER_NODE_NAME, type: 'main', index: 0 }]] },
		[ROUTER_NODE_NAME]: { main: routerOutputs },
	};
	const workflow = new Workflow({ id: 'wf', name: 'router run', nodes, connections, active: false, nodeTypes });
	const data = additionalData();
	const workflowData = { id: 'wf', name: 'router run', nodes, connections, active: false, settings: {} };
	data.hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData as unknown as IWorkflowBase);
	const run = await new WorkflowExecute(data, 'manual').run({
		workflow,
		startNode: workflow.getNode(SOURCE_NODE_NAME) as INode,
	});
	return run.data.resultData;
}
