import { randomUUID } from 'node:crypto';
import { validateHeaderName, validateHeaderValue } from 'node:http';

import { readGenericHmacOptions } from '../shared/genericHmacParameters';
import type { JwtAlgorithm } from '../shared/schemes/types';
import { MAX_BATCH_ITEMS, type BatchLimits } from './batchAssembler';
import { BATCH_FORMATS, type BatchFormat } from './batchBody';
import type { DeliveryPolicy } from './deliver';
import { signedWebhookProperties } from './description';
import { serialisePayload, type PayloadSource, type SerialisedPayload } from './payload';
import { CROSS_ORIGIN_REDIRECTS, type CrossOriginRedirects } from './redirects';
import { parseDelayList, type RetrySchedule } from './retrySchedule';
import { isSenderSchemeName, type SenderSchemeName, type SigningSetup } from './signing';

/** `getNodeParameter` as far as this module needs it, so the reading can be tested without n8n. */
export type ParameterReader = (name: string, itemIndex: number, fallback?: unknown) => unknown;

/** A parameter value the user has to fix; the node turns it into a NodeOperationError. */
export class ParameterError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ParameterError';
	}
}

/** Settings that hold for the whole execution (read from the first item's parameters). */
export interface ExecutionSettings {
	method: string;
	signing: Omit<SigningSetup, 'key'>;
	policy: DeliveryPolicy;
	concurrency: number;
	maxResponseBytes: number;
	maxRedirects: number;
	refuseNonPublic: boolean;
	contentType: string;
	failOnDeadLetter: boolean;
	crossOriginRedirects: CrossOriginRedirects;
	/** Absent: one request per item and destination. */
	batching?: { limits: BatchLimits; format: BatchFormat };
	/** `redis`: every delivery is in the outbox before its first attempt, and continued by a Resume run after a crash. */
	durability: { store: 'memory' } | { store: 'redis'; leaseMs: number };
}

/** Settings that may differ per item (expressions). */
export interface ItemSettings {
	destinations: string[];
	payload: SerialisedPayload;
	eventType: string;
	eventId: string;
	customHeaders: Record<string, string>;
}

interface Options {
	contentType?: string;
	crossOriginRedirects?: string;
	failOnDeadLetter?: boolean;
	followRedirects?: boolean;
	concurrency?: number;
	maxResponseBytes?: number;
	retryAfterMaxSeconds?: number;
	refusePrivateDestinations?: boolean;
	timeBudgetSeconds?: number;
	timeoutMs?: number;
}

const HTTP_METHODS = ['POST', 'PUT', 'PATCH'];

/** With Follow Redirects on: enough for a moved endpoint, too few for a loop to matter. */
const MAX_REDIRECTS = 5;

/** Every parameter's and option's default, from the description: one place states them. */
const DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
	signedWebhookProperties.flatMap((property) => [
		[property.name, property.default],
		...(property.type === 'collection' ? (property.options ?? []).map((option) => ['name' in option ? option.name : '', 'default' in option ? option.default : undefined]) : []),
	]),
);

/** The default of `name` as a number or string; the description is the single source. */
function defaultOf(name: string): number | string {
	const value = DEFAULTS[name];
	if (typeof value !== 'number' && typeof value !== 'string') throw new Error(`No default for ${name}`);
	return value;
}

/** Headers the node computes itself; letting a custom header override them would corrupt the request. */
const RESERVED_HEADERS = new Set(['content-length', 'transfer-encoding']);

export function readExecutionSettings(read: ParameterReader): ExecutionSettings {
	const scheme = String(read('scheme', 0, 'standardWebhooks'));
	if (!isSenderSchemeName(scheme)) throw new ParameterError(`Unknown signature scheme "${scheme}"`);
	const method = String(read('method', 0, 'POST')).toUpperCase();
	if (!HTTP_METHODS.includes(method)) throw new ParameterError(`Method must be one of ${HTTP_METHODS.join(', ')}`);
	const options = (read('options', 0, {}) ?? {}) as Options;

	const concurrency = wholeNumber(options.concurrency ?? defaultOf('concurrency'), 'Max Requests in Flight', 1);
	return {
		method,
		signing: { scheme, ...schemeOptions(read, scheme) },
		policy: {
			schedule: readRetrySchedule(read),
			retryAfterMaxMs: nonNegative(options.retryAfterMaxSeconds ?? defaultOf('retryAfterMaxSeconds'), 'Max Retry-After') * 1000,
			timeBudgetMs: nonNegative(options.timeBudgetSeconds ?? defaultOf('timeBudgetSeconds'), 'Time Budget') * 1000,
			timeoutMs: Math.max(1, nonNegative(options.timeoutMs ?? defaultOf('timeoutMs'), 'Timeout')),
		},
		concurrency,
		maxResponseBytes: wholeNumber(options.maxResponseBytes ?? defaultOf('maxResponseBytes'), 'Max Response Size', 0),
		maxRedirects: options.followRedirects === true ? MAX_REDIRECTS : 0,
		refuseNonPublic: options.refusePrivateDestinations === true,
		contentType: options.contentType || String(defaultOf('contentType')),
		failOnDeadLetter: options.failOnDeadLetter === true,
		crossOriginRedirects: oneOf(options.crossOriginRedirects ?? defaultOf('crossOriginRedirects'), CROSS_ORIGIN_REDIRECTS, 'Redirects to Another Origin'),
		...(read('batching', 0, false) === true ? { batching: readBatching(read) } : {}),
		durability: readDurability(read),
	};
}

function readBatching(read: ParameterReader): { limits: BatchLimits; format: BatchFormat } {
	const maxItems = wholeNumber(read('batchMaxItems', 0, defaultOf('batchMaxItems')), 'Max Items per Batch', 1);
	if (maxItems > MAX_BATCH_ITEMS) throw new ParameterError(`Max Items per Batch must be at most ${MAX_BATCH_ITEMS}`);
	return {
		limits: {
			maxItems,
			maxBytes: wholeNumber(read('batchMaxBytes', 0, defaultOf('batchMaxBytes')), 'Max Batch Size', 1),
			lingerMs: nonNegative(read('batchLingerMs', 0, defaultOf('batchLingerMs')), 'Linger'),
		},
		format: oneOf(read('batchFormat', 0, defaultOf('batchFormat')), BATCH_FORMATS, 'Batch Format'),
	};
}

function readDurability(read: ParameterReader): ExecutionSettings['durability'] {
	const store = String(read('durability', 0, defaultOf('durability')));
	if (store === 'memory') return { store };
	if (store !== 'redis') throw new ParameterError(`Pending Deliveries must be memory or redis, not "${store}"`);
	return { store, leaseMs: wholeNumber(read('takeOverAfterSeconds', 0, defaultOf('takeOverAfterSeconds')), 'Take Over After', 1) * 1000 };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], label: string): T {
	const text = String(value);
	if (!(allowed as readonly string[]).includes(text)) throw new ParameterError(`${label} must be one of ${allowed.join(', ')}`);
	return text as T;
}

function schemeOptions(read: ParameterReader, scheme: SenderSchemeName): Pick<SigningSetup, 'hmac' | 'jwt'> {
	if (scheme === 'hmac') {
		const hmac = readGenericHmacOptions((name, fallback) => read(name, 0, fallback));
		if (hmac.signatureHeader === '') throw new ParameterError('Signature Header must not be empty');
		return { hmac };
	}
	if (scheme === 'jwt') {
		return {
			jwt: {
				algorithm: String(read('jwtAlgorithm', 0, 'HS256')) as JwtAlgorithm,
				tokenHeader: String(read('jwtTokenHeader', 0, 'authorization')).trim().toLowerCase() || 'authorization',
				issuer: String(read('jwtIssuer', 0, '')),
				audience: String(read('jwtAudience', 0, '')),
				bodyHashClaim: String(read('jwtBodyHashClaim', 0, defaultOf('jwtBodyHashClaim'))).trim(),
				expiresInSeconds: wholeNumber(read('jwtExpiresInSeconds', 0, defaultOf('jwtExpiresInSeconds')), 'Token Lifetime', 1),
			},
		};
	}
	return {};
}

export function readRetrySchedule(read: ParameterReader): RetrySchedule {
	const kind = String(read('retrySchedule', 0, 'exponential'));
	if (kind === 'explicit') {
		try {
			return { kind: 'explicit', delaysMs: parseDelayList(String(read('retryDelays', 0, defaultOf('retryDelays')))) };
		} catch (error) {
			throw new ParameterError(`Delays: ${(error as Error).message}`);
		}
	}
	return {
		kind: 'exponential',
		maxAttempts: wholeNumber(read('retryMaxAttempts', 0, defaultOf('retryMaxAttempts')), 'Max Attempts', 1),
		baseDelayMs: nonNegative(read('retryBaseDelayMs', 0, defaultOf('retryBaseDelayMs')), 'Base Delay'),
		factor: Math.max(1, nonNegative(read('retryFactor', 0, defaultOf('retryFactor')), 'Factor')),
		maxDelayMs: nonNegative(read('retryMaxDelayMs', 0, defaultOf('retryMaxDelayMs')), 'Max Delay'),
		jitter: Math.min(1, nonNegative(read('retryJitter', 0, defaultOf('retryJitter')), 'Jitter')),
	};
}

export function readItemSettings(read: ParameterReader, itemIndex: number, json: Readonly<Record<string, unknown>>): ItemSettings {
	const destinations = parseUrlList(read('urls', itemIndex, ''));
	if (destinations.length === 0) throw new ParameterError('No URL to send to');
	const source = String(read('payloadSource', itemIndex, 'item')) as PayloadSource;
	const field = source === 'field' ? String(read('payloadField', itemIndex, '')) : '';
	let payload: SerialisedPayload;
	try {
		payload = serialisePayload(json, source, field);
	} catch (error) {
		throw new ParameterError((error as Error).message);
	}
	const eventId = String(read('eventId', itemIndex, '') ?? '').trim();
	return {
		destinations,
		payload,
		eventType: String(read('eventType', itemIndex, '') ?? '').trim(),
		eventId: eventId === '' ? randomUUID() : eventId,
		customHeaders: customHeadersFrom(read('customHeaders', itemIndex, {})),
	};
}

/**
 * URLs from a string (separated by new lines, whitespace, or commas that are followed by another URL, so a
 * comma inside a query string survives) or from an array an expression returned. Duplicates are sent once.
 */
export function parseUrlList(value: unknown): string[] {
	const texts = Array.isArray(value) ? value.map((entry) => String(entry)) : [String(value ?? '')];
	const urls = texts
		.flatMap((text) => text.split(/\s+|,\s*(?=[a-z][a-z0-9+.-]*:\/\/)/i))
		.map((text) => text.trim())
		.filter((text) => text !== '');
	return [...new Set(urls)];
}

/** The `customHeaders` fixed collection as lower-case name → value; names and values are validated here. */
export function customHeadersFrom(value: unknown): Record<string, string> {
	const entries = (value as { header?: Array<{ name?: unknown; value?: unknown }> } | undefined)?.header ?? [];
	const headers: Record<string, string> = {};
	for (const entry of entries) {
		const name = String(entry.name ?? '').trim().toLowerCase();
		if (name === '') continue;
		const headerText = String(entry.value ?? '');
		try {
			validateHeaderName(name);
		} catch {
			throw new ParameterError(`"${name}" is not a valid header name`);
		}
		try {
			validateHeaderValue(name, headerText);
		} catch {
			// The value is not quoted: custom headers often carry API keys.
			throw new ParameterError(`The value of header "${name}" contains characters that are not allowed`);
		}
		if (RESERVED_HEADERS.has(name)) throw new ParameterError(`The header "${name}" is set by the node and cannot be overridden`);
		headers[name] = headerText;
	}
	return headers;
}

function nonNegative(value: unknown, label: string): number {
	const number = Number(value);
	if (!Number.isFinite(number) || number < 0) throw new ParameterError(`${label} must be a number of at least 0`);
	return number;
}

function wholeNumber(value: unknown, label: string, minimum: number): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < minimum) throw new ParameterError(`${label} must be a whole number of at least ${minimum}`);
	return number;
}
