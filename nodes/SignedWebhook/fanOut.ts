import { batchBody, BATCH_CONTENT_TYPES, eventEnvelope, type BatchFormat } from './batchBody';
import {
	deliver,
	type DeliveryDependencies,
	type DeliveryOptions,
	type DeliveryPolicy,
	type DeliveryResult,
} from './deliver';
import { checkDestinationUrl } from './destinationPolicy';
import type { ExecutionSettings, ItemSettings } from './parameters';
import { redactUrl } from './redact';
import type { RedirectPolicy } from './redirects';
import { eventHeaders, signatureHeaders, type SigningSetup } from './signing';

export const USER_AGENT = 'n8n-signed-webhook/1';

/** Sent with every batch request: its id, the same on every attempt. */
export const BATCH_ID_HEADER = 'x-batch-id';

/** One input item, ready to send: serialised once, with its event identity fixed for every attempt. */
export interface OutgoingItem {
	itemIndex: number;
	eventId: string;
	eventType: string;
	/** The value that was serialised, for the dead-letter output. */
	payload: unknown;
	/** The exact bytes that are signed and sent. */
	body: Buffer;
	/** URLs as configured; each gets its own delivery, retry state and result. */
	destinations: readonly string[];
	/** Headers of a delivery of this item alone, besides the signature: content type, event and custom headers. */
	headers: Readonly<Record<string, string>>;
	/** The user's own headers (also in `headers`): they may be credentials for the destination. */
	customHeaders: Readonly<Record<string, string>>;
}

/**
 * An item's settings as a ready-to-send item. Header precedence: the node's defaults, then the event headers, then
 * the user's custom headers; the signature headers are added per attempt and override all of them.
 */
export function outgoingItem(itemIndex: number, item: ItemSettings, settings: Pick<ExecutionSettings, 'contentType' | 'signing'>): OutgoingItem {
	return {
		itemIndex,
		eventId: item.eventId,
		eventType: item.eventType,
		payload: item.payload.value,
		body: item.payload.body,
		destinations: item.destinations,
		headers: {
			'content-type': settings.contentType,
			'user-agent': USER_AGENT,
			...eventHeaders(settings.signing.scheme, item.eventType, item.eventId),
			...item.customHeaders,
		},
		customHeaders: { ...item.customHeaders },
	};
}

/** One request's worth of work: one item, or a batch of items, to one destination; the same bytes on every attempt. */
export interface PlannedDelivery {
	url: URL;
	items: readonly OutgoingItem[];
	/** Set for a batch request. */
	batch?: { id: string; format: BatchFormat };
	/** The request's id: the item's event id, or the batch id. Signed wherever the scheme signs an id. */
	requestId: string;
	body: Buffer;
	/** Every header but the signature, custom headers included. */
	headers: Readonly<Record<string, string>>;
	/** The names among `headers` the user set; a redirect to another origin drops them. */
	customHeaderNames: readonly string[];
}

export function singleDelivery(item: OutgoingItem, url: URL): PlannedDelivery {
	return {
		url,
		items: [item],
		requestId: item.eventId,
		body: item.body,
		headers: item.headers,
		customHeaderNames: Object.keys(item.customHeaders),
	};
}

/**
 * A batch of items for one destination. The items share their custom headers (items whose headers differ are never
 * batched together). The request's id headers carry the batch id; every event's own id is in the body.
 */
export function batchDelivery(
	items: readonly OutgoingItem[],
	url: URL,
	batch: { id: string; format: BatchFormat },
	scheme: SigningSetup['scheme'],
	envelopes: readonly Buffer[] = items.map((item) => eventEnvelope({ id: item.eventId, type: item.eventType, payload: item.payload, body: item.body })),
): PlannedDelivery {
	const customHeaders = items[0]?.customHeaders ?? {};
	return {
		url,
		items,
		batch,
		requestId: batch.id,
		body: batchBody(batch.format, batch.id, envelopes),
		headers: {
			'content-type': BATCH_CONTENT_TYPES[batch.format],
			'user-agent': USER_AGENT,
			...eventHeaders(scheme, '', batch.id),
			[BATCH_ID_HEADER]: batch.id,
			...customHeaders,
		},
		customHeaderNames: Object.keys(customHeaders),
	};
}

export interface FanOutSettings {
	method: string;
	signing: SigningSetup;
	policy: DeliveryPolicy;
	refuseNonPublic: boolean;
	/** What a followed redirect to another origin may carry (see redirects.ts); the default strips credentials. */
	crossOriginRedirects?: RedirectPolicy['crossOrigin'];
	/** Header names that are credentials whatever the scheme (authorization, API keys, signature headers). */
	credentialHeaders?: readonly string[];
}

/** What happened to one item at one destination. */
export interface DeliveryOutcome {
	item: OutgoingItem;
	/** The destination as text, password removed. */
	destination: string;
	result: DeliveryResult;
	/** The batch the item travelled in. */
	batch?: { id: string; size: number };
	/** Set when the delivery was continued from the outbox after the run that started it had stopped. */
	resumed?: { executionId?: string };
}

/** The destination text as a URL, or the outcome of refusing it (for each item), without sending anything. */
export function checkDestination(
	items: readonly OutgoingItem[],
	destination: string,
	refuseNonPublic: boolean,
): { ok: true; url: URL } | { ok: false; outcomes: DeliveryOutcome[] } {
	const check = checkDestinationUrl(destination, refuseNonPublic);
	if (check.ok) return check;
	return {
		ok: false,
		outcomes: items.map((item) => ({
			item,
			destination: redactUrl(destination.trim()),
			result: { delivered: false, attempts: [], totalTimeMs: 0, sentHeaders: { ...item.headers }, failureReason: `destination refused: ${check.reason}` },
		})),
	};
}

/** Runs one planned delivery to its end and returns one outcome per item in it. */
export async function runDelivery(
	planned: PlannedDelivery,
	settings: FanOutSettings,
	dependencies: DeliveryDependencies,
	options: DeliveryOptions = {},
): Promise<DeliveryOutcome[]> {
	const sign = (url: URL) => (timestampSeconds: number) =>
		signatureHeaders(settings.signing, { payload: planned.body, id: planned.requestId, timestampSeconds, url: url.href });
	const redirect: RedirectPolicy = {
		crossOrigin: settings.crossOriginRedirects ?? 'strip',
		credentialHeaders: [...(settings.credentialHeaders ?? []), ...planned.customHeaderNames],
		resign: (url) => sign(url)(Math.floor(dependencies.clock.now() / 1000)),
	};
	const result = await deliver(
		{ url: planned.url, method: settings.method, body: planned.body, headers: planned.headers, sign: sign(planned.url) },
		settings.policy,
		{ ...dependencies, send: async (request) => await dependencies.send({ ...request, redirect }) },
		options,
	);
	const destination = redactUrl(planned.url);
	const batch = planned.batch ? { id: planned.batch.id, size: planned.items.length } : undefined;
	return planned.items.map((item) => ({ item, destination, result, ...(batch ? { batch } : {}) }));
}

/**
 * Sends every item to every destination at once, one request per item and destination; the shared limiter in
 * `dependencies` keeps the number of requests in flight bounded. Results come back in input order: item by item,
 * destination by destination.
 */
export async function fanOut(
	items: readonly OutgoingItem[],
	settings: FanOutSettings,
	dependencies: DeliveryDependencies,
): Promise<DeliveryOutcome[]> {
	const deliveries: Array<Promise<DeliveryOutcome[]>> = [];
	for (const item of items) {
		for (const destination of item.destinations) {
			const checked = checkDestination([item], destination, settings.refuseNonPublic);
			deliveries.push(checked.ok ? runDelivery(singleDelivery(item, checked.url), settings, dependencies) : Promise.resolve(checked.outcomes));
		}
	}
	return (await Promise.all(deliveries)).flat();
}
