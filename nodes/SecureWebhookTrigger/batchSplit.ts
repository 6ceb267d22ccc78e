import type { IDataObject } from 'n8n-workflow';

import { headerValue, type HeaderMap } from '../shared/http';
import type { ReplayStore } from '../shared/stores/replayStore';
import type { EventFilter } from '../shared/checks/eventFilter';
import type { RequestState } from './requestChecks';
import { reject, respondOk, type DirectResponse } from './responses';

/**
 * The receiving side of batched webhooks (the Signed Webhook node's batches, or any sender using the same shapes):
 * a verified body that is a JSON array of events, an object with an `events` array, or NDJSON (one event per line)
 * becomes one item per event, in one execution. Each event is de-duplicated on its own `id`, so an event re-sent in
 * another batch (a retry, or a dead letter sent again alone) starts nothing twice. The batch id is recorded on every
 * item: from the `x-batch-id` header, else the body's `batchId`, else the request's event id.
 */
export const BATCH_ID_HEADER = 'x-batch-id';

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines']);

export interface BatchEvent {
	/** Position in the batch body, from 0. */
	index: number;
	id?: string;
	type?: string;
	event: unknown;
}

export type SplitResult =
	/** Not a batch: the request is one event, checked as usual. */
	| { kind: 'single' }
	| { kind: 'invalid' }
	| { kind: 'batch'; batchId?: string; events: BatchEvent[] };

/** The events of a verified body, when it is a batch. `body` is the body as parsed for its content type. */
export function splitBatchBody(body: unknown, contentType: string | undefined, headers: HeaderMap): SplitResult {
	const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
	let events: unknown[];
	let bodyBatchId: unknown;
	if (NDJSON_TYPES.has(mediaType)) {
		const lines = typeof body === 'string' ? parseLines(body) : undefined;
		if (!lines) return { kind: 'invalid' };
		events = lines;
	} else if (Array.isArray(body)) {
		events = body;
	} else if (isObject(body) && Array.isArray(body.events)) {
		events = body.events;
		bodyBatchId = body.batchId;
	} else {
		return { kind: 'single' };
	}
	const batchId = headerValue(headers, BATCH_ID_HEADER) ?? (typeof bodyBatchId === 'string' && bodyBatchId !== '' ? bodyBatchId : undefined);
	return { kind: 'batch', ...(batchId !== undefined ? { batchId } : {}), events: events.map(describeEvent) };
}

function parseLines(text: string): unknown[] | undefined {
	const events: unknown[] = [];
	for (const line of text.replace(/^\uFEFF/, '').split('\n')) {
		if (line.trim() === '') continue;
		try {
			events.push(JSON.parse(line) as unknown);
		} catch {
			return undefined;
		}
	}
	return events;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeEvent(event: unknown, index: number): BatchEvent {
	if (!isObject(event)) return { index, event };
	const { id, type } = event;
	const text = typeof id === 'string' && id !== '' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
	return { index, event, ...(text !== undefined ? { id: text } : {}), ...(typeof type === 'string' && type !== '' ? { type } : {}) };
}

export interface AcceptedBatch {
	batchId?: string;
	/** Events in the batch, duplicates and filtered ones included. */
	size: number;
	/** The events that start the workflow: new, of an accepted type. */
	events: BatchEvent[];
}

export type BatchAcceptance =
	| { kind: 'accepted'; batch: AcceptedBatch; claim?: { store: ReplayStore; id: string } }
	/** Every event was filtered out by type. */
	| { kind: 'ignored' }
	/** Every accepted event was seen before. */
	| { kind: 'duplicate' }
	/** Another request is taking one of the events: nothing is taken from this one; the sender retries it later. */
	| { kind: 'in_progress' };

/**
 * Filters a batch's events by type and claims each new event id. Repeats within the batch count as duplicates. If any
 * event is being taken by another request, the ids this call claimed are let go again and the whole batch is to be
 * retried: answering 2xx would tell the sender that event arrived, while the other request may still fail.
 */
export async function acceptBatchEvents(
	batchId: string | undefined,
	events: readonly BatchEvent[],
	options: { acceptsEvent: EventFilter; store?: ReplayStore; claimSeconds: number },
): Promise<BatchAcceptance> {
	const wanted = events.filter((event) => options.acceptsEvent(event.type));
	if (wanted.length === 0) return { kind: 'ignored' };
	const seen = new Set<string>();
	const firstOfEachId = wanted.filter((event) => {
		if (event.id === undefined) return true;
		if (seen.has(event.id)) return false;
		seen.add(event.id);
		return true;
	});
	const { store } = options;
	if (!store) return { kind: 'accepted', batch: { ...(batchId ? { batchId } : {}), size: events.length, events: firstOfEachId } };

	const withId = firstOfEachId.filter((event): event is BatchEvent & { id: string } => event.id !== undefined);
	const settled = await Promise.allSettled(withId.map(async (event) => await store.claim(event.id, options.claimSeconds)));
	const claimed = withId.filter((_, index) => settled[index].status === 'fulfilled' && (settled[index] as PromiseFulfilledResult<string>).value === 'claimed');
	const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
	const inProgress = settled.some((result) => result.status === 'fulfilled' && result.value === 'in_progress');
	if (failure || inProgress) {
		await Promise.allSettled(claimed.map(async (event) => await store.release(event.id)));
		if (failure) throw failure.reason;
		return { kind: 'in_progress' };
	}
	const claimedIds = new Set(claimed.map((event) => event.id));
	const fresh = firstOfEachId.filter((event) => event.id === undefined || claimedIds.has(event.id));
	if (fresh.length === 0) return { kind: 'duplicate' };
	return {
		kind: 'accepted',
		batch: { ...(batchId ? { batchId } : {}), size: events.length, events: fresh },
		...(claimed.length > 0 ? { claim: claimsAsOne(store, [...claimedIds]) } : {}),
	};
}

/**
 * The claims of a batch's events as the one claim the trigger settles when n8n answers: confirmed together when n8n
 * took the execution, released together when it did not, renewed together while it runs.
 */
export function claimsAsOne(store: ReplayStore, ids: readonly string[]): { store: ReplayStore; id: string } {
	const each = async (action: (id: string) => Promise<unknown>) => {
		await Promise.all(ids.map(action));
	};
	const together: ReplayStore = {
		claim: async () => 'claimed',
		renew: async (_id, claimSeconds) => await each(async (id) => await store.renew(id, claimSeconds)),
		confirm: async (_id, ttlSeconds) => await each(async (id) => await store.confirm(id, ttlSeconds)),
		release: async () => await each(async (id) => await store.release(id)),
	};
	return { store: together, id: ids.join(',') };
}

/** The items of an accepted batch: the request's accepted item, once per event, with the event's own id, type and body. */
export function batchItems(requestItem: IDataObject, batch: AcceptedBatch): IDataObject[] {
	return batch.events.map((event) => ({
		...requestItem,
		event: event.type ?? null,
		id: event.id ?? null,
		body: event.event as IDataObject,
		batch: { id: batch.batchId ?? null, index: event.index, size: batch.size },
	}));
}

/**
 * The request check: with "Split Batches" on and a batch body, events are filtered and de-duplicated one by one
 * (instead of the request's single event type and id), and the state carries the accepted batch.
 */
export async function checkBatchEvents(
	state: RequestState,
	timing: { claimSeconds: number; inProgressRetryAfterSeconds: number },
): Promise<DirectResponse | undefined> {
	if (!state.config.splitBatches) return undefined;
	const split = splitBatchBody(state.body, headerValue(state.request.headers, 'content-type'), state.request.headers);
	if (split.kind === 'single') return undefined;
	if (split.kind === 'invalid') return reject(400, 'invalid_json', 'body is not valid JSON');
	const requestId = state.verification?.id;
	const acceptance = await acceptBatchEvents(split.batchId ?? requestId, split.events, {
		acceptsEvent: state.config.acceptsEvent,
		store: state.env.replayStore(),
		claimSeconds: timing.claimSeconds,
	});
	switch (acceptance.kind) {
		case 'ignored':
			return respondOk({ status: 'ignored' });
		case 'duplicate':
			return respondOk({ status: 'duplicate' });
		case 'in_progress':
			return reject(409, 'event_in_progress', 'event is being processed, retry later', {
				headers: { 'retry-after': String(timing.inProgressRetryAfterSeconds) },
			});
		default:
			state.batch = acceptance.batch;
			if (acceptance.claim) state.claim = acceptance.claim;
			return undefined;
	}
}
