import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import {
	getSharedRedis,
	redisOptionsFromCredential,
	redisTargetFromEnv,
	StoreUnavailableError,
	type RedisCredentialData,
} from '../shared/stores/redisConnection';
import type { SigningSecrets } from '../shared/schemes/types';
import { ConcurrencyLimiter } from './concurrencyLimiter';
import { systemClock, type DeliveryDependencies } from './deliver';
import { resumeOutbox, sendItems, type Durability, type RunSettings } from './deliveryRun';
import { optionsOf, optionNameSubtitle } from '../shared/subtitle';
import { signedWebhookProperties } from './description';
import { createGuardedLookup } from './destinationPolicy';
import { outgoingItem, type DeliveryOutcome, type OutgoingItem } from './fanOut';
import { createConnectionPool, sendAttempt } from './httpAttempt';
import { ITEMS_INPUT, RESUME_INPUT } from './inputs';
import { deadLetterItem, deliveredItem, type OutputRedaction } from './outputItems';
import { ParameterError, readExecutionSettings, readItemSettings, type ParameterReader } from './parameters';
import { ALWAYS_SENSITIVE_HEADERS, redactUrl, scrubSecrets } from './redact';
import { RedisOutbox } from './redisOutbox';
import { signatureHeaderNames, signatureHeaders, type SigningSetup } from './signing';

export class SignedWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Signed Webhook',
		name: 'signedWebhook',
		icon: { light: 'file:signedWebhook.svg', dark: 'file:signedWebhook.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: optionNameSubtitle(['scheme'], optionsOf(signedWebhookProperties, 'scheme')),
		description: 'Send items as signed webhooks, with retries, fan-out and a dead letter output',
		defaults: { name: 'Signed Webhook' },
		// Self-contained and free of newer syntax: its source text becomes an editor expression. With durable delivery a
		// second input, "Resume", asks the node to continue the deliveries of executions that stopped.
		inputs: `={{(${String((parameters: IDataObject) =>
			parameters.durability === 'redis'
				? [
						{ type: 'main', displayName: 'Items' },
						{ type: 'main', displayName: 'Resume' },
					]
				: [{ type: 'main' }],
		)})($parameter)}}`,
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- two outputs by design: "Delivered" and "Dead letter"
		outputs: ['main', 'main'],
		outputNames: ['Delivered', 'Dead letter'],
		credentials: [
			{ name: 'webhookSigningApi', required: true, displayOptions: { hide: { scheme: ['none'] } } },
			{ name: 'redis', required: false, displayOptions: { show: { durability: ['redis'] } } },
		],
		properties: signedWebhookProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = inputItems(this, ITEMS_INPUT);
		const read: ParameterReader = (name, itemIndex, fallback) => this.getNodeParameter(name, itemIndex, fallback);
		const settings = withParameterErrors(this, () => readExecutionSettings(read));
		const resumeRequested = settings.durability.store === 'redis' && inputItems(this, RESUME_INPUT).length > 0;

		const secrets = settings.signing.scheme === 'none' ? undefined : await this.getCredentials<SigningSecrets>('webhookSigningApi');
		const secretTexts = [secrets?.secret, secrets?.previousSecret];
		const signing: SigningSetup = { ...settings.signing, key: secrets?.secret ?? '' };
		checkSigningWorks(this, signing, secretTexts);
		const redaction: OutputRedaction = { secrets: secretTexts, signatureHeaders: signatureHeaderNames(signing) };

		const delivered: INodeExecutionData[] = [];
		const deadLetters: INodeExecutionData[] = [];
		const outgoing: OutgoingItem[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				outgoing.push(outgoingItem(itemIndex, readItemSettings(read, itemIndex, items[itemIndex].json), settings));
			} catch (error) {
				if (!(error instanceof ParameterError)) throw error;
				const message = scrubSecrets(error.message, secretTexts);
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex });
				deadLetters.push({ json: { error: message }, pairedItem: { item: itemIndex } });
			}
		}

		const pool = createConnectionPool(settings.concurrency);
		const lookup = settings.refuseNonPublic ? createGuardedLookup() : undefined;
		const dependencies: DeliveryDependencies = {
			send: async (request) =>
				await sendAttempt({
					...request,
					maxResponseBytes: settings.maxResponseBytes,
					maxRedirects: settings.maxRedirects,
					refuseNonPublic: settings.refuseNonPublic,
					lookup,
					pool,
				}),
			limiter: new ConcurrencyLimiter(settings.concurrency),
			clock: systemClock,
			random: Math.random,
			signal: this.getExecutionCancelSignal(),
		};
		const durability = settings.durability.store === 'redis' ? await durabilityFor(this, settings.durability.leaseMs) : undefined;
		const runSettings: RunSettings = {
			method: settings.method,
			signing,
			policy: settings.policy,
			refuseNonPublic: settings.refuseNonPublic,
			crossOriginRedirects: settings.crossOriginRedirects,
			credentialHeaders: [...ALWAYS_SENSITIVE_HEADERS, ...signatureHeaderNames(signing)],
			batching: settings.batching,
			durability,
		};
		const hooks = { warn: (message: string) => this.logger.warn(`Signed Webhook: ${scrubSecrets(message, secretTexts)}`, { nodeName: this.getNode().name }) };
		const outcomes: DeliveryOutcome[] = [];
		try {
			if (outgoing.length > 0) outcomes.push(...(await sendItems(outgoing, runSettings, dependencies, hooks)));
			if (resumeRequested && durability) outcomes.push(...(await resumeOutbox({ ...runSettings, durability }, signing.key, dependencies, hooks)));
		} catch (error) {
			if (error instanceof StoreUnavailableError) {
				throw new NodeOperationError(this.getNode(), 'Pending Deliveries are kept in Redis, and Redis cannot be reached', {
					description: 'Deliveries stored before Redis became unreachable are continued by a Resume run; nothing else was sent.',
				});
			}
			throw error;
		} finally {
			pool.destroy();
		}

		for (const outcome of outcomes) {
			if (outcome.result.delivered) delivered.push(deliveredItem(outcome, redaction));
			else deadLetters.push(deadLetterItem(outcome, redaction));
		}
		const failed = outcomes.filter((outcome) => !outcome.result.delivered);
		if (settings.failOnDeadLetter && failed.length > 0 && !this.continueOnFail()) {
			const [first] = failed;
			throw new NodeOperationError(
				this.getNode(),
				`${failed.length} of ${outcomes.length} deliveries failed; first: ${redactUrl(first.destination)}: ${scrubSecrets(first.result.failureReason ?? 'failed', secretTexts)}`,
				{ itemIndex: first.resumed ? undefined : first.item.itemIndex },
			);
		}
		this.logger.debug('Signed Webhook finished', { delivered: delivered.length, deadLetters: deadLetters.length });
		return [delivered, deadLetters];
	}
}

/** An input's items; an input nothing is connected to (or that did not run) has none. */
function inputItems(context: IExecuteFunctions, input: number): INodeExecutionData[] {
	try {
		return context.getInputData(input);
	} catch {
		return [];
	}
}

/** The outbox of this node in this workflow: the runs that send and the Resume runs that continue share it. */
async function durabilityFor(context: IExecuteFunctions, leaseMs: number): Promise<Durability> {
	const node = context.getNode();
	const credential = node.credentials?.redis ? ((await context.getCredentials('redis')) as RedisCredentialData) : undefined;
	const redis = getSharedRedis(credential ? redisOptionsFromCredential(credential) : redisTargetFromEnv());
	return {
		outbox: new RedisOutbox(redis, `${context.getWorkflow().id ?? 'unsaved'}:${node.id}`),
		leaseMs,
		executionId: context.getExecutionId(),
	};
}

function withParameterErrors<T>(context: IExecuteFunctions, read: () => T): T {
	try {
		return read();
	} catch (error) {
		if (error instanceof ParameterError) throw new NodeOperationError(context.getNode(), error.message);
		throw error;
	}
}

/** A wrong key (an HMAC secret where a PEM is needed) fails every delivery the same way: say so once, up front. */
function checkSigningWorks(context: IExecuteFunctions, signing: SigningSetup, secrets: ReadonlyArray<string | undefined>): void {
	if (signing.scheme === 'none') return;
	if (!signing.key) throw new NodeOperationError(context.getNode(), 'The credential has no Secret to sign with');
	try {
		signatureHeaders(signing, { payload: Buffer.alloc(0), id: 'check', timestampSeconds: Math.floor(Date.now() / 1000), url: 'https://example.invalid/' });
	} catch (error) {
		const reason = scrubSecrets(error instanceof Error ? error.message : String(error), secrets);
		throw new NodeOperationError(context.getNode(), `Cannot sign with the ${signing.scheme} scheme: ${reason}`, {
			description: signing.scheme === 'jwt' ? 'For RS and ES algorithms the Secret of the credential must hold the private key PEM.' : undefined,
		});
	}
}
