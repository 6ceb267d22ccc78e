import { ExecuteContext } from 'n8n-core';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { SignedWebhook } from '../../../nodes/SignedWebhook/SignedWebhook.node';

export const NODE_TYPE = 'n8n-nodes-ai-webhooks.signedWebhook';

export interface NodeRun {
	outputs?: INodeExecutionData[][];
	error?: Error;
	/** Every credential request the node made, by type. */
	credentialRequests: string[];
}

/**
 * Runs the node's `execute()` inside n8n-core's real ExecuteContext over a real n8n-workflow Workflow, so
 * parameter defaults, expressions, `continueOnFail` and credential lookup behave as in n8n. Only the credential
 * store is a stub (n8n's would decrypt from its database).
 */
export async function runSignedWebhook(options: {
	parameters: INodeParameters;
	items: INodeExecutionData[];
	credential?: ICredentialDataDecryptedObject;
	/** n8n's Redis credential, for durable delivery (otherwise n8n's queue-mode environment is used). */
	redisCredential?: ICredentialDataDecryptedObject;
	/** Items on the second input, "Resume" (durable delivery). */
	resumeItems?: INodeExecutionData[];
	continueOnFail?: boolean;
	abortSignal?: AbortSignal;
	/** Separates runs that must not share an outbox. */
	workflowId?: string;
	executionId?: string;
}): Promise<NodeRun> {
	const nodeType: INodeType = new SignedWebhook();
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'signed-webhook-1',
		name: 'Signed Webhook',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: {
			webhookSigningApi: { id: 'cred-1', name: 'Signing secret' },
			...(options.redisCredential ? { redis: { id: 'cred-2', name: 'Redis' } } : {}),
		},
		continueOnFail: options.continueOnFail,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
	};
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-1',
		name: 'Signed Webhook test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});
	// The Workflow fills in parameter defaults from the description, as n8n does for a saved node.
	const workflowNode = workflow.getNode(node.name) as INode;

	const credentialRequests: string[] = [];
	const additionalData = {
		executionId: options.executionId ?? 'execution-1',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		credentialsHelper: {
			getDecrypted: async (_additionalData: unknown, _nodeCredentials: unknown, type: string) => {
				credentialRequests.push(type);
				if (type === 'redis' && options.redisCredential) return options.redisCredential;
				if (!options.credential) throw new Error('No credential stored');
				return options.credential;
			},
			isCredentialUsableByNode: () => true,
			getCredentialsProperties: () => [],
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const inputData = { main: options.resumeItems ? [options.items, options.resumeItems] : [options.items] };
	const executeData: IExecuteData = { node: workflowNode, data: inputData, source: { main: [{ previousNode: 'Trigger' }] } };
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [executeData] } });
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalData,
		'manual',
		runExecutionData,
		0,
		options.items.length > 0 ? options.items : (options.resumeItems ?? []),
		inputData,
		executeData,
		[],
		options.abortSignal,
	);
	try {
		const outputs = (await nodeType.execute?.call(context)) as INodeExecutionData[][];
		return { outputs, credentialRequests };
	} catch (error) {
		return { error: error as Error, credentialRequests };
	}
}
