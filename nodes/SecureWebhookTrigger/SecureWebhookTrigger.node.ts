import { NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { providerById } from '../shared/providers/catalogue';
import { scrubSecrets } from '../shared/redaction';
import { optionNameSubtitle, optionsOf } from '../shared/subtitle';
import { triggerRequestMetrics } from '../shared/metrics';
import { StoreUnavailableError, type RedisCredentialData } from '../shared/stores/redisConnection';
import type { SigningSecrets } from '../shared/schemes/types';
import { checkSigningCredential, credentialProviderMismatch, type SigningCredentialFields } from './credentialCheck';
import { buildTriggerConfig, cachedTriggerConfig, type TriggerConfig } from './config';
import { CUSTOM_HANDSHAKE_PROVIDERS } from './customBuilders';
import { GET_HANDSHAKE_PROVIDERS, providerNames, triggerProperties } from './description';
import { diagnoseRejection, withDiagnosis } from './diagnose';
import { isolateNoticeProperties, logIsolateAdviceOnce } from './expressionEngineAdvice';
import { batchItems } from './batchSplit';
import { acceptedItem, rejectedItem } from './output';
import { CLAIM_SECONDS, runRequestChecks, type RequestOutcome, type TriggerRequest } from './requestChecks';
import { settleClaimBeforeAnswering } from './claimSettlement';
import { reject, type DirectResponse, type RejectionCode } from './responses';
import { publicUrlForRequest } from './publicUrl';
import { SecretsCache } from './secretsCache';
import { rateLimiterFor, replayStoreFor, type StoreScope } from './stores';
import { computedField, getUrlHiddenField, parameterField, webhookFields } from './webhookDescription';

/** Answers that are not audit events: floods, and a provider delivering an event twice at the same moment. */
const NOT_AUDITED: ReadonlySet<RejectionCode> = new Set<RejectionCode>(['rate_limited', 'event_in_progress']);

/** Per n8n process; keys name the workflow, node and credential (see secretsCache.ts). */
const secretsCache = new SecretsCache<SigningSecrets>(1000);
/** A flood of bad signatures reads the credential again at most this often. */
const RELOAD_AFTER_FAILURE_MIN_AGE_MS = 1000;

export class SecureWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Secure Webhook Trigger',
		name: 'secureWebhookTrigger',
		icon: { light: 'file:secureWebhook.svg', dark: 'file:secureWebhook.dark.svg' },
		group: ['trigger'],
		// 1: n8n leaves the body unread, the node reads the raw bytes itself, but n8n evaluates an expression per
		// request to learn that. 2: n8n reads and parses JSON, text, form and XML bodies first (keeping req.rawBody,
		// the exact bytes), with no expression evaluated per request: as fast as n8n's own Webhook node. 3 (default):
		// as 2, with a Provider from the catalogue instead of a signature scheme.
		version: [1, 2, 3],
		defaultVersion: 3,
		description:
			'Starts the workflow when a signed webhook arrives: verifies the signature over the raw body, blocks replays and duplicates, filters and validates events',
		subtitle: optionNameSubtitle(['provider', 'scheme'], [...optionsOf(triggerProperties, 'scheme'), ...providerNames]),
		eventTriggerDescription: 'Waiting for a signed request to the Test URL',
		activationMessage: 'Signed requests to the production URL now start this workflow.',
		// n8n's generic texts would read "Pull in events from Secure Webhook", as if it were a service.
		triggerPanel: {
			header: 'Send a signed test event to the Test URL',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click 'Listen for test event', then have your provider send an event to the Test URL (most have a \"send test event\" button). A verified event shows up in this editor; a rejected one is answered with the reason.<br /><br /><b>Once you're happy with your workflow</b>, publish it and give the provider the Production URL: every verified event then starts the workflow (those executions show up in the executions list, not here).",
				active:
					"<b>While building your workflow</b>, click 'Listen for test event', then have your provider send an event to the Test URL. A verified event shows up in this editor; a rejected one is answered with the reason.<br /><br /><b>The workflow is published</b>: every verified event sent to the Production URL starts it (those executions show up in the executions list, not here).",
			},
			activationHint: {
				inactive: 'Once you’ve finished building your workflow, publish it: verified requests to the Production URL then start it (you won’t see those executions here).',
				active: 'Verified requests to the Production URL also start this workflow (those executions won’t show up here).',
			},
		},
		defaults: { name: 'Secure Webhook Trigger' },
		inputs: [],
		// Self-contained and free of newer syntax: its source text becomes an editor expression.
		outputs: `={{(${String((parameters: IDataObject) =>
			parameters.settings && (parameters.settings as IDataObject).rejectedOutput === true
				? [
						{ type: 'main', displayName: 'Accepted' },
						{ type: 'main', displayName: 'Rejected' },
					]
				: [{ type: 'main', displayName: 'Accepted' }],
		)})($parameter)}}`,
		credentials: [
			{
				name: 'webhookSigningApi',
				required: true,
				// A signing secret cannot be tested against its provider: the test checks its form (credentialCheck.ts).
				testedBy: 'webhookSigningSecretFormat',
				displayOptions: { hide: { scheme: ['none'], provider: ['none'] } },
			},
			{ name: 'redis', required: false, displayOptions: { show: { dedupeStore: ['redis'] } } },
		],
		webhooks: [
			{
				name: 'default',
				isFullPath: true,
				...webhookFields({
					httpMethod: parameterField(['httpMethod'], 'POST'),
					path: parameterField(['path']),
					responseMode: parameterField(['responseMode'], 'onReceived'),
					responseCode: computedField((parameters) => {
						const settings = (parameters.settings || {}) as { responseCode?: unknown };
						const code = Number(settings.responseCode);
						return code >= 200 && code < 300 ? code : 200;
					}),
					responseData: computedField((parameters) => {
						// Like n8n's Webhook node: the first item's JSON of the last node. Otherwise n8n sends all items.
						if (parameters.responseMode === 'lastNode') return 'firstEntryJson';
						const text = ((parameters.settings || {}) as { responseBody?: unknown }).responseBody;
						const body = typeof text === 'string' ? text : '{"status":"accepted"}';
						try {
							return JSON.parse(body);
						} catch (notJson) {
							// A binding is required: the editor's expression parser has no optional catch binding.
							return body;
						}
					}),
				}),
			},
			{
				// GET on the same path: Meta's subscription check, and a 405 for everyone else.
				name: 'setup',
				isFullPath: true,
				...webhookFields({
					httpMethod: computedField(() => 'GET'),
					path: parameterField(['path']),
					responseMode: computedField(() => 'onReceived'),
					ndvHideUrl: getUrlHiddenField(GET_HANDSHAKE_PROVIDERS, CUSTOM_HANDSHAKE_PROVIDERS),
				}),
			},
		],
		properties: [...isolateNoticeProperties(), ...triggerProperties],
	};

	methods = {
		credentialTest: {
			async webhookSigningSecretFormat(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const result = checkSigningCredential((credential.data ?? {}) as SigningCredentialFields, providerById);
				return { status: result.ok ? 'OK' : 'Error', message: result.message };
			},
		},
	};

	/**
	 * Activation and listening fail with a clear message when the settings cannot work (bad schema, allow-list entry,
	 * a credential made for another provider…), and warn once when n8n's own settings make every request cost an
	 * expression isolate.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const config = buildTriggerConfig((name, fallback) => this.getNodeParameter(name, fallback), this.getNode().typeVersion);
				if (config.provider.signature.kind !== 'none' && this.getNode().credentials?.webhookSigningApi) {
					const credential = (await this.getCredentials('webhookSigningApi')) as SigningCredentialFields;
					const mismatch = credentialProviderMismatch(credential, config.provider, providerById);
					if (mismatch) throw new NodeOperationError(this.getNode(), mismatch);
				}
				logIsolateAdviceOnce(this.logger);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const metrics = triggerRequestMetrics(this);
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const node = this.getNode();
		let config: TriggerConfig | undefined;
		let outcome: RequestOutcome;
		// Every secret this request has read, so that no log line repeats one (a library may quote its input).
		const secretsSeen: Array<string | undefined> = [];
		const forLog = (error: unknown) => scrubSecrets(error instanceof Error ? error.message : String(error), secretsSeen);
		const remember = (secrets: SigningSecrets | undefined) => {
			if (secrets) secretsSeen.push(secrets.secret, secrets.previousSecret);
			return secrets;
		};
		try {
			config = cachedTriggerConfig(node, this.getWorkflow().id, (name, fallback) =>
				this.getNodeParameter(name, fallback),
			);
			secretsSeen.push(config.verifyToken);
			const redis = await redisCredential(this, config);
			if (typeof redis?.password === 'string') secretsSeen.push(redis.password);
			const scope: StoreScope = {
				scope: `${this.getWorkflow().id ?? 'unsaved'}:${node.id}:${this.getMode()}`,
				redisCredential: redis,
			};
			const request: TriggerRequest = {
				method: req.method,
				url: req.originalUrl ?? req.url,
				headers: req.headers,
				query: (req.query ?? {}) as Record<string, unknown>,
				remoteAddress: req.socket?.remoteAddress,
				readRawBody: async () => {
					if (!req.rawBody) await req.readRawBody();
					return req.rawBody ?? Buffer.alloc(0);
				},
			};
			// The Public URL names the production URL; a request to the test URL was signed over the test URL.
			if (this.getMode() === 'manual' && config.publicUrl !== '') {
				config = { ...config, publicUrl: publicUrlForRequest(config.publicUrl, request.url) };
			}
			const activeConfig = config;
			const readSecrets = async () => (await this.getCredentials('webhookSigningApi')) as unknown as SigningSecrets;
			const credentialId = node.credentials?.webhookSigningApi?.id;
			// Test URLs read the credential every time: that is where someone has just edited it.
			const cacheKey =
				credentialId && this.getMode() !== 'manual' && config.credentialCacheSeconds > 0
					? `${this.getWorkflow().id ?? 'unsaved'}:${node.id}:${credentialId}`
					: undefined;
			const cacheMs = config.credentialCacheSeconds * 1000;
			outcome = await runRequestChecks(config, request, {
				loadSecrets: async () =>
					remember(cacheKey ? await secretsCache.get(cacheKey, readSecrets, cacheMs) : await readSecrets())!,
				reloadSecrets: async () =>
					remember(cacheKey ? await secretsCache.reload(cacheKey, readSecrets, RELOAD_AFTER_FAILURE_MIN_AGE_MS) : undefined),
				rateLimiter: () => rateLimiterFor(activeConfig, scope),
				replayStore: () => replayStoreFor(activeConfig, scope),
				nowSeconds: () => Math.floor(Date.now() / 1000),
			});
		} catch (error) {
			const response =
				error instanceof StoreUnavailableError
					? reject(503, 'store_unavailable', 'temporarily unavailable', {
							headers: { 'retry-after': String(error.retryAfterSeconds) },
						})
					: reject(500, 'internal_error', 'internal error');
			if (!(error instanceof StoreUnavailableError)) {
				this.logger.error(`Secure Webhook Trigger could not process a request: ${forLog(error)}`, {
					nodeName: node.name,
				});
			}
			writeResponse(res, response);
			metrics.observe(config, response);
			return { noWebhookResponse: true };
		}

		metrics.observe(config, outcome);
		if (outcome.kind === 'respond') {
			// The test URL says why a request was rejected; production answers stay generic.
			const diagnosis = this.getMode() === 'manual' ? await diagnoseRejection(outcome.state, outcome.response, outcome.check) : undefined;
			writeResponse(res, withDiagnosis(outcome.response, diagnosis));
			if (outcome.response.rejection && config.rejectedOutput && !NOT_AUDITED.has(outcome.response.rejection)) {
				return {
					noWebhookResponse: true,
					workflowData: [[], [{ json: rejectedItem(outcome.state, outcome.response, diagnosis) }]],
				};
			}
			return { noWebhookResponse: true };
		}

		const { claim } = outcome.state;
		if (claim) {
			settleClaimBeforeAnswering(res, claim, config.dedupeTtlSeconds, { claimSeconds: CLAIM_SECONDS }, (error, action) =>
				this.logger.warn(
					action === 'settle'
						? `Secure Webhook Trigger could not record an accepted event id (it is retried as new after ${CLAIM_SECONDS} s): ${forLog(error)}`
						: `Secure Webhook Trigger could not renew the claim on an event id still being processed: ${forLog(error)}`,
					{ nodeName: node.name },
				),
			);
		}
		const accepted = outcome.state.batch
			? batchItems(acceptedItem(outcome.state), outcome.state.batch).map((json) => ({ json }))
			: [{ json: acceptedItem(outcome.state) }];
		return { workflowData: config.rejectedOutput ? [accepted, []] : [accepted] };
	}
}

async function redisCredential(
	context: IWebhookFunctions,
	config: TriggerConfig,
): Promise<RedisCredentialData | undefined> {
	if (config.dedupeStore !== 'redis' && config.rateLimitStore !== 'redis') return undefined;
	if (!context.getNode().credentials?.redis) return undefined;
	return (await context.getCredentials('redis')) as RedisCredentialData;
}

function writeResponse(res: ReturnType<IWebhookFunctions['getResponseObject']>, response: DirectResponse): void {
	if (res.headersSent) return;
	const isText = typeof response.body === 'string';
	const payload = isText ? (response.body as string) : JSON.stringify(response.body);
	res.writeHead(response.status, {
		'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
		'cache-control': 'no-store',
		...response.headers,
	});
	res.end(payload);
}
