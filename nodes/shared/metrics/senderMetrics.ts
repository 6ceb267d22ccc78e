import { BoundedLabelValues } from './boundedLabel';
import { registeredMetric } from './metricRegistry';
import type { Counter, Gauge, Histogram, MetricsSettings, PromClient } from './n8nRuntime';

/** What an attempt returned, as nodes/SignedWebhook/httpAttempt.ts describes it. */
export type ObservedAttempt = { kind: 'response'; status: number } | { kind: 'error'; type: string };

/** A finished delivery, as nodes/SignedWebhook/deliver.ts returns it. */
export interface ObservedDelivery {
	delivered: boolean;
	attempts: ReadonlyArray<{ retryAfterMs?: number; scheduledDelayMs?: number }>;
	totalTimeMs: number;
	failureReason?: string;
}

export type DeliveryOutcome = 'delivered' | 'dead_letter' | 'cancelled';

const ERROR_CLASSES: Readonly<Record<string, string>> = {
	timeout: 'timeout',
	network: 'connection_error',
	refused: 'refused',
	invalidRequest: 'invalid_request',
	cancelled: 'cancelled',
};

/** `2xx` … `5xx` for an answer, the kind of failure otherwise. A fixed set of values. */
export function attemptResultClass(attempt: ObservedAttempt): string {
	if (attempt.kind === 'error') return ERROR_CLASSES[attempt.type] ?? 'other_error';
	return attempt.status >= 100 && attempt.status < 600 ? `${Math.floor(attempt.status / 100)}xx` : 'other_status';
}

export function deliveryOutcome(result: ObservedDelivery): DeliveryOutcome {
	if (result.delivered) return 'delivered';
	return result.failureReason === 'cancelled' ? 'cancelled' : 'dead_letter';
}

/** The waits that followed an answer with `Retry-After` (each at least what it asked for, at most the cap). */
export function retryAfterWaitMs(attempts: ObservedDelivery['attempts']): number {
	let total = 0;
	for (let index = 1; index < attempts.length; index++) {
		if (attempts[index - 1].retryAfterMs !== undefined) total += attempts[index].scheduledDelayMs ?? 0;
	}
	return total;
}

/** First attempt to final outcome: 10 ms to 30 min, dense enough for p50/p95/p99 anywhere in between. */
export const DELIVERY_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800];

/** Distinct destination hosts labelled as they are; later ones are counted as host "other". */
export const HOST_LIMIT = 25;

/** The host and port, never the path or query (which may carry ids or tokens), nor a user name or password. */
export const hostLabel = (url: URL): string => url.host.toLowerCase() || 'none';

export class SenderMetrics {
	readonly names: { deliveries: string; attempts: string; duration: string; inFlight: string; retryAfterWait: string };
	private readonly deliveries: Counter;
	private readonly attempts: Counter;
	private readonly duration: Histogram;
	private readonly inFlight: Gauge;
	private readonly retryAfterWait: Counter;
	private readonly hosts = new BoundedLabelValues(HOST_LIMIT);

	constructor(client: PromClient, settings: MetricsSettings) {
		const prefix = `${settings.prefix}signed_webhook_`;
		this.names = {
			deliveries: `${prefix}deliveries_total`,
			attempts: `${prefix}attempts_total`,
			duration: `${prefix}delivery_duration_seconds`,
			inFlight: `${prefix}requests_in_flight`,
			retryAfterWait: `${prefix}retry_after_wait_seconds_total`,
		};
		this.deliveries = registeredMetric(client, 'Counter', {
			name: this.names.deliveries,
			help: 'Signed Webhook deliveries (one item to one destination) by final outcome and destination host.',
			labelNames: ['outcome', 'host'],
		});
		this.attempts = registeredMetric(client, 'Counter', {
			name: this.names.attempts,
			help: 'Signed Webhook HTTP attempts by result class (2xx, 4xx, 5xx, timeout, connection_error, refused, ...) and host.',
			labelNames: ['result', 'host'],
		});
		this.duration = registeredMetric(client, 'Histogram', {
			name: this.names.duration,
			help: 'Signed Webhook delivery time from the start of the first attempt to the final outcome, in seconds.',
			labelNames: ['outcome', 'host'],
			buckets: DELIVERY_DURATION_BUCKETS,
		});
		this.inFlight = registeredMetric(client, 'Gauge', {
			name: this.names.inFlight,
			help: 'Signed Webhook HTTP requests currently in flight, by host.',
			labelNames: ['host'],
		});
		this.retryAfterWait = registeredMetric(client, 'Counter', {
			name: this.names.retryAfterWait,
			help: 'Seconds Signed Webhook deliveries waited before a retry because the destination answered with Retry-After.',
			labelNames: ['host'],
		});
	}

	host(url: URL): string {
		return this.hosts.value(hostLabel(url));
	}

	attemptStarted(host: string): void {
		this.inFlight.inc({ host });
	}

	attemptFinished(host: string, attempt: ObservedAttempt | undefined): void {
		this.inFlight.dec({ host });
		this.attempts.inc({ result: attempt ? attemptResultClass(attempt) : 'other_error', host });
	}

	deliveryFinished(host: string, result: ObservedDelivery): void {
		const outcome = deliveryOutcome(result);
		this.deliveries.inc({ outcome, host });
		if (result.attempts.length > 0) this.duration.observe({ outcome, host }, result.totalTimeMs / 1000);
		const waitedMs = retryAfterWaitMs(result.attempts);
		if (waitedMs > 0) this.retryAfterWait.inc({ host }, waitedMs / 1000);
	}
}
