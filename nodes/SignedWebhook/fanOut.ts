import { deliver, type DeliveryDependencies, type DeliveryPolicy, type DeliveryResult } from './deliver';
import { checkDestinationUrl } from './destinationPolicy';
import type { ExecutionSettings, ItemSettings } from './parameters';
import { redactUrl } from './redact';
import { eventHeaders, signatureHeaders, type SigningSetup } from './signing';

export const USER_AGENT = 'n8n-signed-webhook/1';

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
	/** Headers besides the signature: content type, event headers, custom headers. Lower-case names. */
	headers: Readonly<Record<string, string>>;
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
	};
}

export interface FanOutSettings {
	method: string;
	signing: SigningSetup;
	policy: DeliveryPolicy;
	refuseNonPublic: boolean;
}

export interface DeliveryOutcome {
	item: OutgoingItem;
	/** The destination as text, password removed. */
	destination: string;
	result: DeliveryResult;
}

/**
 * Sends every item to every destination at once; the shared limiter in `dependencies` keeps the number of
 * requests in flight bounded. Results come back in input order: item by item, destination by destination.
 */
export async function fanOut(
	items: readonly OutgoingItem[],
	settings: FanOutSettings,
	dependencies: DeliveryDependencies,
): Promise<DeliveryOutcome[]> {
	const deliveries: Array<Promise<DeliveryOutcome>> = [];
	for (const item of items) {
		for (const destination of item.destinations) deliveries.push(deliverToDestination(item, destination, settings, dependencies));
	}
	return await Promise.all(deliveries);
}

async function deliverToDestination(
	item: OutgoingItem,
	destination: string,
	settings: FanOutSettings,
	dependencies: DeliveryDependencies,
): Promise<DeliveryOutcome> {
	const check = checkDestinationUrl(destination, settings.refuseNonPublic);
	if (!check.ok) {
		return {
			item,
			destination: redactUrl(destination.trim()),
			result: { delivered: false, attempts: [], totalTimeMs: 0, sentHeaders: { ...item.headers }, failureReason: `destination refused: ${check.reason}` },
		};
	}
	const url = check.url;
	const result = await deliver(
		{
			url,
			method: settings.method,
			body: item.body,
			headers: item.headers,
			sign: (timestampSeconds) =>
				signatureHeaders(settings.signing, { payload: item.body, id: item.eventId, timestampSeconds, url: url.href }),
		},
		settings.policy,
		dependencies,
	);
	return { item, destination: redactUrl(url), result };
}
