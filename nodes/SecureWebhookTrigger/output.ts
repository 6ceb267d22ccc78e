import type { IDataObject } from 'n8n-workflow';

import { redactHeaders, redactQuery } from '../shared/redaction';
import type { TriggerConfig } from './config';
import type { RequestState } from './requestChecks';
import type { Diagnosis, DirectResponse } from './responses';

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
