import { createHash } from 'node:crypto';

import { headerValue } from '../http';
import { readPath } from '../jsonPath';
import type { IncomingWebhook, VerificationSuccess } from '../verify/types';
import type { EventIdRule, ValueSource } from './types';

/** What a value source reads from: the request, its parsed body, and what verification established. */
export interface ValueContext {
	request: IncomingWebhook;
	/** The parsed body (JSON, or form fields as strings / arrays of strings), undefined when it did not parse. */
	body: unknown;
	verification?: VerificationSuccess;
}

function asText(value: unknown): string | undefined {
	if (Array.isArray(value)) return asText(value[0]);
	if (typeof value === 'string') return value === '' ? undefined : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function queryValue(url: string, name: string): string | undefined {
	const queryStart = url.indexOf('?');
	if (queryStart === -1) return undefined;
	return new URLSearchParams(url.slice(queryStart + 1)).get(name) ?? undefined;
}

function jsonIn(body: unknown, field: string, path: string): unknown {
	const text = readPath(body, field);
	if (typeof text !== 'string') return undefined;
	try {
		return readPath(JSON.parse(text) as unknown, path);
	} catch {
		return undefined;
	}
}

/** The value of one source, or undefined. Never throws on the request's content (paths are checked by the catalogue tests). */
export function readValue(source: ValueSource, context: ValueContext): string | undefined {
	if ('header' in source) return asText(headerValue(context.request.headers, source.header));
	if ('body' in source) return asText(readPath(context.body, source.body));
	if ('query' in source) return asText(queryValue(context.request.url, source.query));
	if ('jsonIn' in source) return asText(jsonIn(context.body, source.jsonIn, source.path));
	if ('verified' in source) return asText(context.verification?.id);
	if ('claim' in source) return asText(context.verification?.claims?.[source.claim]);
	if ('bodyHash' in source) return createHash('sha256').update(context.request.rawBody).digest('hex');
	const [first, ...rest] = source.join;
	const head = first === undefined ? undefined : readValue(first, context);
	if (head === undefined) return undefined;
	let joined = head;
	for (const part of rest) {
		const value = readValue(part, context);
		if (value !== undefined) joined += source.separator + value;
	}
	return joined;
}

/** The first of `sources` that yields a value. */
export function readFirstValue(sources: readonly ValueSource[], context: ValueContext): string | undefined {
	for (const source of sources) {
		const value = readValue(source, context);
		if (value !== undefined) return value;
	}
	return undefined;
}

export function eventIdSources(rule: EventIdRule): readonly ValueSource[] {
	return 'none' in rule ? [] : rule;
}

/**
 * A node setting such as `header:x-event-id` or `data.object.id` (the Custom builders' Event Type From / Event ID
 * From) as a value source.
 */
export function valueSourceFromSetting(location: string): ValueSource | undefined {
	const trimmed = location.trim();
	if (trimmed === '') return undefined;
	if (trimmed.toLowerCase().startsWith('header:')) return { header: trimmed.slice('header:'.length).trim().toLowerCase() };
	return { body: trimmed };
}
