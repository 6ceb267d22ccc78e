import { setTimeout as sleepFor } from 'node:timers/promises';

import { observeDeliveries } from '../shared/metrics';
import type { ConcurrencyLimiter } from './concurrencyLimiter';
import type { AttemptResult } from './httpAttempt';
import type { RedirectPolicy } from './redirects';
import { isRetryable, isSuccessStatus, type AttemptOutcome } from './retryPolicy';
import { delayBeforeNextAttempt, parseRetryAfter, type RetrySchedule } from './retrySchedule';

/** One item's payload on its way to one destination. */
export interface Delivery {
	url: URL;
	method: string;
	/** The exact bytes that are signed and sent, on every attempt. */
	body: Buffer;
	/** Headers that are the same on every attempt: content type, event headers, the user's custom headers. */
	headers: Readonly<Record<string, string>>;
	/** The signature headers for an attempt made at `timestampSeconds` (the id stays the same, the time does not). */
	sign(timestampSeconds: number): Record<string, string>;
}

export interface DeliveryPolicy {
	schedule: RetrySchedule;
	/** The longest wait a `Retry-After` header can impose. */
	retryAfterMaxMs: number;
	/** From the start of the first attempt; no attempt starts after it. 0: no budget. */
	timeBudgetMs: number;
	/** Per attempt; shortened so that an attempt does not run past the time budget. */
	timeoutMs: number;
}

/** What one attempt needs from the transport; {@link sendAttempt} with the execution's pool and limits bound in. */
export type SendAttempt = (request: {
	url: URL;
	method: string;
	headers: Readonly<Record<string, string>>;
	body: Buffer;
	timeoutMs: number;
	signal?: AbortSignal;
	redirect?: RedirectPolicy;
}) => Promise<AttemptResult>;

export interface Clock {
	/** Milliseconds since the epoch. */
	now(): number;
	/** Resolves after `ms`; rejects when `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => {
		await sleepFor(ms, undefined, { signal });
	},
};

export interface DeliveryDependencies {
	send: SendAttempt;
	/** Shared by all deliveries of an execution: bounds the requests in flight, not the waits between them. */
	limiter: ConcurrencyLimiter;
	clock: Clock;
	/** In [0, 1), for jitter. */
	random: () => number;
	/** The execution's cancel signal. */
	signal?: AbortSignal;
}

export interface AttemptRecord {
	/** 1 for the first attempt. */
	attempt: number;
	startedAt: string;
	/** The wait before this attempt as scheduled (backoff or Retry-After); absent on the first attempt. */
	scheduledDelayMs?: number;
	durationMs: number;
	status?: number;
	error?: string;
	/** What the response's Retry-After asked for, in ms. */
	retryAfterMs?: number;
}

export interface FinalResponse {
	status: number;
	headers: Readonly<Record<string, string | string[] | undefined>>;
	body: Buffer;
	truncated: boolean;
}

export interface DeliveryResult {
	delivered: boolean;
	attempts: AttemptRecord[];
	/** From the start of the first attempt to the end of the last. */
	totalTimeMs: number;
	/** The last response received, if any attempt got one. */
	response?: FinalResponse;
	/** The headers of the last attempt, signature included: redact before they go anywhere. */
	sentHeaders: Record<string, string>;
	/** Why the delivery failed for good. */
	failureReason?: string;
	/** The execution was stopped before the delivery ended: it did not fail, it was interrupted. */
	cancelled?: boolean;
}

/**
 * Where a delivery stands between attempts: enough to continue it later, in another process, as if it had never
 * stopped (same attempt numbers, same schedule, same time budget).
 */
export interface DeliveryProgress {
	attempts: AttemptRecord[];
	/** When the first attempt started (ms since the epoch); absent before it. */
	firstStartMs?: number;
	/** When the next attempt is due (ms since the epoch); absent: at once. */
	nextAttemptAtMs?: number;
	/** The wait before the next attempt as scheduled (backoff or Retry-After). */
	scheduledDelayMs?: number;
	response?: FinalResponse;
	sentHeaders: Record<string, string>;
}

/**
 * Told about the two moments that matter: an attempt has ended, and the delivery has its final outcome. The durable
 * outbox records both; metrics can count them.
 */
export interface DeliveryObserver {
	/** `progress` includes the attempt that just ended and, when another one follows, when it is due. */
	attemptEnded?(progress: Readonly<DeliveryProgress>): void;
	finished?(result: DeliveryResult): void;
}

export interface DeliveryOptions {
	/** Continue a delivery that made attempts before (in this process or another). */
	progress?: DeliveryProgress;
	observer?: DeliveryObserver;
}

const plural = (count: number) => `${count} attempt${count === 1 ? '' : 's'}`;

/**
 * Delivers one payload to one destination: attempts until a 2xx, a final answer, an exhausted schedule or an
 * exhausted time budget. Each attempt is signed afresh (new timestamp, same id) so that a retry minutes later
 * is still inside the receiver's tolerance window.
 */
export const deliver = observeDeliveries(deliverUnobserved);

async function deliverUnobserved(
	delivery: Delivery,
	policy: DeliveryPolicy,
	dependencies: DeliveryDependencies,
	options: DeliveryOptions = {},
): Promise<DeliveryResult> {
	const { clock, limiter, send, signal } = dependencies;
	const progress: DeliveryProgress = options.progress
		? { ...options.progress, attempts: [...options.progress.attempts], sentHeaders: { ...options.progress.sentHeaders } }
		: { attempts: [], sentHeaders: { ...delivery.headers } };
	const deadlineMs = () => (policy.timeBudgetMs > 0 && progress.firstStartMs !== undefined ? progress.firstStartMs + policy.timeBudgetMs : Infinity);

	/** The one place a delivery reaches its final outcome. */
	const finish = (delivered: boolean, failureReason?: string): DeliveryResult => {
		const result: DeliveryResult = {
			delivered,
			attempts: progress.attempts,
			totalTimeMs: progress.firstStartMs === undefined ? 0 : clock.now() - progress.firstStartMs,
			response: progress.response,
			sentHeaders: progress.sentHeaders,
			failureReason,
		};
		if (failureReason === 'cancelled') result.cancelled = true;
		options.observer?.finished?.(result);
		return result;
	};
	/** The one place an attempt ends; `nextDelayMs` when another attempt follows. */
	const endAttempt = (record: AttemptRecord, nextDelayMs?: number) => {
		progress.attempts.push(record);
		progress.scheduledDelayMs = nextDelayMs;
		progress.nextAttemptAtMs = nextDelayMs === undefined ? undefined : clock.now() + nextDelayMs;
		options.observer?.attemptEnded?.(progress);
	};

	for (let attemptNumber = progress.attempts.length + 1; ; attemptNumber++) {
		if (progress.nextAttemptAtMs !== undefined) {
			const waitMs = progress.nextAttemptAtMs - clock.now();
			try {
				if (waitMs > 0) await clock.sleep(waitMs, signal);
			} catch {
				return finish(false, 'cancelled');
			}
		}
		if (signal?.aborted) return finish(false, 'cancelled');
		// A delivery continued after a long outage may be past its budget before its next attempt.
		if (clock.now() >= deadlineMs()) {
			return finish(false, `time budget of ${policy.timeBudgetMs} ms exhausted after ${plural(progress.attempts.length)}`);
		}
		const scheduledDelayMs = progress.scheduledDelayMs;
		const { result, record, outcome } = await limiter.run(async () => {
			const startMs = clock.now();
			progress.firstStartMs ??= startMs;
			const attemptRecord: AttemptRecord = { attempt: attemptNumber, startedAt: new Date(startMs).toISOString(), durationMs: 0 };
			if (scheduledDelayMs !== undefined) attemptRecord.scheduledDelayMs = scheduledDelayMs;

			let signatureHeaders: Record<string, string>;
			try {
				signatureHeaders = delivery.sign(Math.floor(startMs / 1000));
			} catch {
				attemptRecord.error = 'signing failed';
				return { result: undefined, record: attemptRecord, outcome: { kind: 'fatalError' } as AttemptOutcome };
			}
			progress.sentHeaders = { ...delivery.headers, ...signatureHeaders };
			const attemptResult = await send({
				url: delivery.url,
				method: delivery.method,
				headers: progress.sentHeaders,
				body: delivery.body,
				timeoutMs: Math.max(1, Math.min(policy.timeoutMs, deadlineMs() - startMs)),
				signal,
			});
			attemptRecord.durationMs = clock.now() - startMs;
			return { result: attemptResult, record: attemptRecord, outcome: outcomeOf(attemptResult) };
		});

		if (result?.kind === 'response') {
			record.status = result.status;
			progress.response = { status: result.status, headers: result.headers, body: result.body, truncated: result.truncated };
		} else if (result?.kind === 'error') {
			record.error = result.message;
		}
		const retryAfterMs = result?.kind === 'response' ? parseRetryAfter(headerText(result.headers['retry-after']), clock.now()) : undefined;
		if (retryAfterMs !== undefined) record.retryAfterMs = retryAfterMs;

		const next = nextStep(result, outcome, record, attemptNumber, retryAfterMs);
		endAttempt(record, next.retryInMs);
		if (next.retryInMs === undefined) return finish(next.delivered, next.failureReason);
	}

	function nextStep(
		result: AttemptResult | undefined,
		outcome: AttemptOutcome,
		record: AttemptRecord,
		attemptNumber: number,
		retryAfterMs: number | undefined,
	): { retryInMs?: number; delivered: boolean; failureReason?: string } {
		if (result?.kind === 'response' && isSuccessStatus(result.status)) return { delivered: true };
		if (result?.kind === 'error' && result.type === 'cancelled') return { delivered: false, failureReason: 'cancelled' };
		if (!isRetryable(outcome)) return { delivered: false, failureReason: finalFailureReason(result, record) };
		const backoffMs = delayBeforeNextAttempt(policy.schedule, attemptNumber, dependencies.random);
		if (backoffMs === undefined) return { delivered: false, failureReason: `gave up after ${plural(attemptNumber)}` };
		// At least what the receiver asked for, at most the cap, and never sooner than the schedule.
		const delayMs = retryAfterMs === undefined ? backoffMs : Math.max(backoffMs, Math.min(retryAfterMs, policy.retryAfterMaxMs));
		if (clock.now() + delayMs >= deadlineMs()) {
			return { delivered: false, failureReason: `time budget of ${policy.timeBudgetMs} ms exhausted after ${plural(attemptNumber)}` };
		}
		return { retryInMs: delayMs, delivered: false };
	}
}

function outcomeOf(result: AttemptResult): AttemptOutcome {
	if (result.kind === 'response') return { kind: 'response', status: result.status };
	switch (result.type) {
		case 'timeout':
			return { kind: 'timeout' };
		case 'network':
			return { kind: 'networkError' };
		default:
			return { kind: 'fatalError' };
	}
}

function finalFailureReason(result: AttemptResult | undefined, record: AttemptRecord): string {
	if (result?.kind !== 'response') return record.error ?? 'failed';
	if (result.status >= 300 && result.status < 400) return `HTTP ${result.status}: redirect not followed`;
	return `HTTP ${result.status} is not retried`;
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
