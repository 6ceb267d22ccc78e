import { createGunzip, createInflate } from 'node:zlib';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { WebhookContext } from 'n8n-core';
import {
	Workflow,
	resolveWebhookDescriptionField,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type NodeParameterValue,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { SecureWebhookTrigger } from '../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';

export const TRIGGER_TYPE = 'n8n-nodes-ai-webhooks.secureWebhookTrigger';

/** What one request did: the HTTP answer the client saw, and what the node handed n8n to execute. */
export interface HarnessResult {
	status: number;
	headers: Record<string, string>;
	text: string;
	json: unknown;
	/** The node's workflowData: undefined means no execution is started. */
	workflowData: INodeExecutionData[][] | undefined;
	noWebhookResponse: boolean;
	/** The error webhook() threw, if any (a faithful n8n would answer 500). */
	thrown?: unknown;
	/** Time from the request's arrival to the end of its answer, in the server (ms). */
	elapsedMs?: number;
}

export interface HarnessOptions {
	parameters: IDataObject;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	mode?: WorkflowExecuteMode;
	workflowId?: string;
	nodeId?: string;
	/** The trigger's typeVersion (default 2, what the editor creates). */
	typeVersion?: number;
	/**
	 * What n8n does between the node's result and its answer to an accepted event: storing or enqueueing the
	 * execution. A rejection makes the harness answer 500, as n8n does when that fails.
	 */
	startExecution?: () => Promise<void>;
}

/** n8n's parseRequestBody for typeVersion > 1: these bodies are read and parsed before the node runs. */
const isParsableByN8n = (contentType: string) =>
	contentType.startsWith('application/json') ||
	contentType.startsWith('text/plain') ||
	contentType.startsWith('application/x-www-form-urlencoded') ||
	contentType.endsWith('/xml') ||
	contentType.endsWith('+xml');

/**
 * Drives the trigger's webhook() the way n8n does: a real HTTP server, n8n-core's own WebhookContext over a
 * real n8n-workflow Workflow (so parameter defaults and resolution are n8n's), `req.readRawBody()` as n8n's
 * raw-body middleware provides it, and credentials through additionalData.credentialsHelper.
 */
let credentialSequence = 0;

export class TriggerHarness {
	private server?: Server;
	private port = 0;
	private readonly nodeType = new SecureWebhookTrigger();
	/** What the node returned, by the client's port: concurrent requests each get their own. */
	private readonly results = new Map<number, Omit<HarnessResult, 'status' | 'headers' | 'text' | 'json'>>();
	/** What the node logged through n8n's logger, as `<level>: <message>`. */
	readonly logs: string[] = [];
	private readonly logger = {
		error: (message: string) => this.logs.push(`error: ${message}`),
		warn: (message: string) => this.logs.push(`warn: ${message}`),
		info: (message: string) => this.logs.push(`info: ${message}`),
		debug: (message: string) => this.logs.push(`debug: ${message}`),
	};

	/** How often the node read a credential from n8n, by type. */
	readonly credentialReads: Record<string, number> = {};

	/** n8n's credential ids: the trigger remembers decrypted credentials by id (secretsCache.ts). */
	private credentialIds: Record<string, string> = {};

	constructor(private options: HarnessOptions) {
		this.assignCredentialIds();
	}

	/** New options; credentials given here are new credentials, with new ids, as when a user creates one. */
	configure(options: Partial<HarnessOptions>): void {
		this.options = { ...this.options, ...options };
		if (options.credentials) this.assignCredentialIds();
	}

	/** Changes a stored credential in place, keeping its id, as when a user edits and saves it. */
	editCredential(type: string, data: ICredentialDataDecryptedObject): void {
		this.options = { ...this.options, credentials: { ...this.options.credentials, [type]: data } };
	}

	private assignCredentialIds(): void {
		this.credentialIds = Object.fromEntries(
			Object.keys(this.options.credentials ?? {}).map((type) => [type, `${type}-${++credentialSequence}`]),
		);
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/webhook/${String(this.options.parameters.path ?? 'hook')}`;
	}

	/** Sends one request with node:http, so repeated headers (arrays) and odd values reach the server as sent. */
	async send(init: {
		method?: string;
		body?: Buffer | string;
		headers?: Record<string, string | string[]>;
		query?: string;
	}): Promise<HarnessResult> {
		const body = init.body === undefined || init.method === 'GET' ? undefined : Buffer.from(init.body);
		const response = await new Promise<{ status: number; headers: Record<string, string>; text: string; port: number }>(
			(resolve, reject) => {
				const req = request(
					this.url + (init.query ?? ''),
					{ method: init.method ?? 'POST', headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
					(res) => {
						const port = res.socket.localPort ?? 0;
						const chunks: Buffer[] = [];
						res.on('data', (chunk: Buffer) => chunks.push(chunk));
						res.on('end', () =>
							resolve({
								status: res.statusCode ?? 0,
								headers: Object.fromEntries(
									Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
								),
								text: Buffer.concat(chunks).toString('utf8'),
								port,
							}),
						);
					},
				);
				req.on('error', reject);
				req.end(body);
			},
		);
		const text = response.text;
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		const result = this.results.get(response.port) ?? { workflowData: undefined, noWebhookResponse: false };
		this.results.delete(response.port);
		return { status: response.status, headers: response.headers, text, json, ...result };
	}

	private nodeTypes(): INodeTypes {
		const nodeType = this.nodeType as INodeType;
		return {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		};
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = performance.now();
		const clientPort = req.socket.remotePort ?? 0;
		try {
			await this.answer(req, res, clientPort);
		} finally {
			const result = this.results.get(clientPort) ?? { workflowData: undefined, noWebhookResponse: false };
			this.results.set(clientPort, { ...result, elapsedMs: performance.now() - started });
		}
	}

	private async answer(req: IncomingMessage, res: ServerResponse, clientPort: number): Promise<void> {
		const { parameters, credentials = {}, mode = 'webhook', workflowId = 'wf-test', nodeId = 'node-1', typeVersion = 2 } =
			this.options;
		const node: INode = {
			id: nodeId,
			name: 'Secure Webhook Trigger',
			type: TRIGGER_TYPE,
			typeVersion,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
			credentials: Object.fromEntries(Object.keys(credentials).map((type) => [type, { id: this.credentialIds[type], name: type }])),
		};
		const workflow = new Workflow({
			id: workflowId,
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes(),
		});
		const workflowNode = workflow.getNode(node.name)!;

		// n8n's raw-body middleware: the body is read on demand, once, into req.rawBody.
		const request = req as IncomingMessage & {
			rawBody?: Buffer;
			readRawBody: () => Promise<void>;
			query: IDataObject;
			originalUrl: string;
		};
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		request.originalUrl = req.url ?? '/';
		request.query = Object.fromEntries(url.searchParams);
		// As n8n's rawBodyReader (n8n/dist/middlewares/body-parser.js): gzip and deflate are decoded first.
		request.readRawBody = async () => {
			if (request.rawBody) return;
			const encoding = req.headers['content-encoding'];
			const stream = encoding === 'gzip' ? req.pipe(createGunzip()) : encoding === 'deflate' ? req.pipe(createInflate()) : req;
			const chunks: Buffer[] = [];
			for await (const chunk of stream) chunks.push(chunk as Buffer);
			request.rawBody = Buffer.concat(chunks);
		};

		if (typeVersion > 1) {
			// As n8n does before calling the node: read parsable bodies, and answer 422 itself for broken JSON.
			const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
			if (isParsableByN8n(contentType)) {
				await request.readRawBody();
				if (contentType === 'application/json' && request.rawBody!.length > 0) {
					try {
						JSON.parse(request.rawBody!.toString('utf8').replace(/^\uFEFF/, ''));
					} catch {
						this.results.set(clientPort, { workflowData: undefined, noWebhookResponse: false });
						res.writeHead(422, { 'content-type': 'application/json' });
						res.end(JSON.stringify({ code: 422, message: 'Failed to parse request body' }));
						return;
					}
				}
			}
		}

		const additionalData = {
			httpRequest: request,
			httpResponse: res,
			credentialsHelper: {
				isCredentialUsableByNode: () => true,
				getDecrypted: async (_data: unknown, _nodeCredentials: unknown, type: string) => {
					this.credentialReads[type] = (this.credentialReads[type] ?? 0) + 1;
					const found = credentials[type];
					if (!found) throw new Error(`no credential of type ${type}`);
					return found;
				},
			},
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;

		const descriptions = this.nodeType.description.webhooks ?? [];
		const webhookData: IWebhookData = {
			httpMethod: (req.method ?? 'POST') as IWebhookData['httpMethod'],
			node: node.name,
			path: String(parameters.path ?? ''),
			webhookDescription: req.method === 'GET' ? descriptions[1] : descriptions[0],
			workflowId,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(workflow, workflowNode, additionalData, mode, webhookData, [], null);
		// The node's `this.logger` is n8n's Logger from the DI container.
		Container.set(Logger, this.logger as unknown as Logger);
		const description = new WebhookDescriptionValues(workflow, workflowNode, webhookData, mode);
		const responseMode = description.simple('responseMode', 'onReceived');
		const responseCode = Number(description.simple('responseCode', 200));
		try {
			const result = await this.nodeType.webhook!.call(context);
			this.results.set(clientPort, { workflowData: result.workflowData, noWebhookResponse: result.noWebhookResponse === true });
			// n8n: the node answered itself (and may still hand n8n an execution).
			if (result.noWebhookResponse === true || res.headersSent) return;
			if (result.workflowData === undefined) {
				sendStatic(res, responseCode, result.webhookResponse ?? { message: 'Webhook call received' });
				return;
			}
			try {
				// n8n 2.x stores (queue mode: enqueues) the execution before it answers an accepted event.
				await this.options.startExecution?.();
			} catch {
				sendStatic(res, 500, { code: 0, message: 'There was a problem executing the workflow' });
				return;
			}
			sendStatic(res, responseCode, acceptedAnswer(responseMode, description, result));
		} catch (error) {
			this.results.set(clientPort, { workflowData: undefined, noWebhookResponse: false, thrown: error });
			if (!res.headersSent) {
				res.writeHead(500);
				res.end('{"error":"webhook threw"}');
			}
		}
	}
}

/**
 * The webhook description's values for this node, read as n8n's WebhookExecutionContext reads them
 * (packages/cli/src/webhooks/webhook-execution-context.ts): natively when the field has a resolver and the
 * parameters are static, through the workflow's expression otherwise.
 */
class WebhookDescriptionValues {
	constructor(
		private readonly workflow: Workflow,
		private readonly node: INode,
		private readonly webhookData: IWebhookData,
		private readonly mode: WorkflowExecuteMode,
	) {}

	simple(field: 'responseMode' | 'responseCode', fallback: string | number): unknown {
		const native = resolveWebhookDescriptionField(this.node, this.webhookData.webhookDescription, field);
		if (native.resolved) return native.value;
		const value = this.webhookData.webhookDescription[field] as string | undefined;
		return this.workflow.expression.getSimpleParameterValue(this.node, value, this.mode, {}, undefined, fallback);
	}

	complex(field: 'responseData', fallback: string): unknown {
		const native = resolveWebhookDescriptionField(this.node, this.webhookData.webhookDescription, field);
		if (native.resolved) return native.value;
		const value = this.webhookData.webhookDescription[field] as NodeParameterValue;
		return this.workflow.expression.getComplexParameterValue(this.node, value, this.mode, {}, undefined, fallback);
	}
}

/**
 * n8n's answer to a request that started an execution. "Immediately": the description's responseData, as
 * n8n's extractWebhookOnReceivedResponse picks it. "When Last Node Finishes": the harness's workflow is the
 * trigger alone, so the last node's first item is the trigger's own (extractWebhookLastNodeResponse,
 * `firstEntryJson`). A Respond to Webhook node is not part of the harness's workflow.
 */
function acceptedAnswer(responseMode: unknown, description: WebhookDescriptionValues, result: IWebhookResponseData): unknown {
	const responseData = description.complex('responseData', 'firstEntryJson');
	if (responseMode === 'onReceived') {
		if (responseData === 'noData') return undefined;
		if (responseData) return responseData;
		return result.webhookResponse ?? { message: 'Workflow was started' };
	}
	if (responseMode === 'lastNode' && responseData === 'firstEntryJson') return result.workflowData?.[0]?.[0]?.json;
	throw new Error(`The harness cannot answer responseMode ${String(responseMode)} with responseData ${String(responseData)}`);
}

/** As n8n's webhook request handler sends a static response: text as it is, anything else as JSON (express res.json). */
function sendStatic(res: ServerResponse, status: number, body: unknown): void {
	if (typeof body === 'string') {
		res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
		res.end(body);
		return;
	}
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(body === undefined ? '' : JSON.stringify(body));
}
