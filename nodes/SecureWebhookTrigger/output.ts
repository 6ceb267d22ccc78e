import type { IDataObject } from 'n8n-workflow';

import type { HeaderMap } from '../shared/http';
import type { TriggerConfig } from './config';
import type { RequestState } from './requestChecks';
import type { Diagnosis, DirectResponse } from './responses';

export const REDACTED = '[redacted]';

/** Headers that carry credentials whatever the scheme. */
const ALWAYS_SENSITIVE = ['authorization', 'proxy-authorization', 'cookie', 'x-gitlab-token'];

export function redactHeaders(headers: HeaderMap, sensitive: ReadonlyArray<string | undefined>): IDataObject {
	const hidden = new Set<string>(ALWAYS_SENSITIVE);
	for (const name of sensitive) if (name) hidden.add(name.toLowerCase());
	const copy: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		copy[name] = hidden.has(name.toLowerCase()) ? REDACTED : value;
	}
	return copy;
}

/** The query with the parameters that carry a secret (a Custom token in the URL) redacted. */
export function redactQuery(query: Record<string, unknown>, sensitive: readonly string[]): IDataObject {
	if (sensitive.length === 0) return query as IDataObject;
	const copy: IDataObject = {};
	for (const [name, value] of Object.entries(query)) copy[name] = sensitive.includes(name) ? REDACTED : (value as IDataObject[string]);
	return copy;
}

/** The scheme's signature headers, plus the configurable ones of the generic schemes. */
function sensitiveHeadersOf(config: TriggerConfig): Array<string | undefined> {
	return [...config.scheme.sensitiveHeaders, config.hmac?.signatureHeader, config.jwt?.tokenHeader];
}

/** The single item an accepted event produces. */
export function acceptedItem(state: RequestState): IDataObject {
	const { config, request, verification, event } = state;
	return {
		event: event.type ?? null,
		id: event.id ?? null,
		timestamp: verification?.timestamp ?? null,
		body: state.body as IDataObject,
		headers: redactHeaders(request.headers, sensitiveHeadersOf(config)),
		query: redactQuery(request.query, config.sensitiveQueryParameters),
		verification: { scheme: config.scheme.name, matched: verification?.matched ?? 'none' },
	};
}

const MAX_REJECTED_BODY_BYTES = 64 * 1024;

/** One item for the opt-in "Rejected" output: what was refused and why, never a secret. */
export function rejectedItem(state: RequestState, response: DirectResponse, diagnosis?: Diagnosis): IDataObject {
	const { config, request } = state;
	const item: IDataObject = {
		reason: response.rejection ?? 'rejected',
		status: response.status,
		clientIp: state.clientIp ?? null,
		method: request.method,
		headers: redactHeaders(request.headers, sensitiveHeadersOf(config)),
		query: redactQuery(request.query, config.sensitiveQueryParameters),
		receivedAt: new Date().toISOString(),
	};
	// Test URL only: which check failed and why (see diagnose.ts).
	if (diagnosis) item.diagnosis = { ...diagnosis };
	const rawBody = state.incoming?.rawBody;
	if (config.includeRejectedBody && rawBody) {
		item.body = rawBody.subarray(0, MAX_REJECTED_BODY_BYTES).toString('utf8');
		item.bodyTruncated = rawBody.length > MAX_REJECTED_BODY_BYTES;
	}
	return item;
}
