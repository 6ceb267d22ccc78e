import { setTimeout as sleepFor } from 'node:timers/promises';

import { observeDeliveries } from '../shared/metrics';
import type { ConcurrencyLimiter } from './concurrencyLimiter';
import type { AttemptResult } from './httpAttempt';
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
}

/**
 * Delivers one payload to one destination: attempts until a 2xx, a final answer, an exhausted schedule or an
 * exhausted time budget. Each attempt is signed afresh (new timestamp, same id) so that a retry minutes later
 * is still inside the receiver's tolerance window.
 */
export const deliver = observeDeliveries(deliverUnobserved);

async function deliverUnobserved(delivery: Delivery, policy: DeliveryPolicy, dependencies: DeliveryDependencies): Promise<DeliveryResult> {
	const { clock, limiter, send, signal } = dependencies;
	const attempts: AttemptRecord[] = [];
	let firstStartMs: number | undefined;
	let sentHeaders: Record<string, string> = { ...delivery.headers };
	let lastResponse: FinalResponse | undefined;
	let scheduledDelayMs: number | undefined;

	const finish = (delivered: boolean, failureReason?: string): DeliveryResult => ({
		delivered,
		attempts,
		totalTimeMs: firstStartMs === undefined ? 0 : clock.now() - firstStartMs,
		response: lastResponse,
		sentHeaders,
		failureReason,
	});

	for (let attemptNumber = 1; ; attemptNumber++) {
		if (signal?.aborted) return finish(false, 'cancelled');
		const { result, record, outcome } = await limiter.run(async () => {
			const startMs = clock.now();
			firstStartMs ??= startMs;
			const deadlineMs = policy.timeBudgetMs > 0 ? firstStartMs + policy.timeBudgetMs : Infinity;
			const attemptRecord: AttemptRecord = { attempt: attemptNumber, startedAt: new Date(startMs).toISOString(), durationMs: 0 };
			if (scheduledDelayMs !== undefined) attemptRecord.scheduledDelayMs = scheduledDelayMs;

			let signatureHeaders: Record<string, string>;
			try {
				signatureHeaders = delivery.sign(Math.floor(startMs / 1000));
			} catch {
				attemptRecord.error = 'signing failed';
				return { result: undefined, record: attemptRecord, outcome: { kind: 'fatalError' } as AttemptOutcome };
			}
			sentHeaders = { ...delivery.headers, ...signatureHeaders };
			const attemptResult = await send({
				url: delivery.url,
				method: delivery.method,
				headers: sentHeaders,
				body: delivery.body,
				timeoutMs: Math.max(1, Math.min(policy.timeoutMs, deadlineMs - startMs)),
				signal,
			});
			attemptRecord.durationMs = clock.now() - startMs;
			return { result: attemptResult, record: attemptRecord, outcome: outcomeOf(attemptResult) };
		});
		attempts.push(record);

		if (result?.kind === 'response') {
			record.status = result.status;
			lastResponse = { status: result.status, headers: result.headers, body: result.body, truncated: result.truncated };
			if (isSuccessStatus(result.status)) return finish(true);
		} else if (result?.kind === 'error') {
			record.error = result.message;
		}

		if (result?.kind === 'error' && result.type === 'cancelled') return finish(false, 'cancelled');
		if (!isRetryable(outcome)) {
			return finish(false, finalFailureReason(result, record));
		}

		const retryAfterMs = result?.kind === 'response' ? parseRetryAfter(headerText(result.headers['retry-after']), clock.now()) : undefined;
		if (retryAfterMs !== undefined) record.retryAfterMs = retryAfterMs;
		const backoffMs = delayBeforeNextAttempt(policy.schedule, attemptNumber, dependencies.random);
		if (backoffMs === undefined) return finish(false, `gave up after ${attemptNumber} attempt${attemptNumber === 1 ? '' : 's'}`);
		// At least what the receiver asked for, at most the cap, and never sooner than the schedule.
		const delayMs = retryAfterMs === undefined ? backoffMs : Math.max(backoffMs, Math.min(retryAfterMs, policy.retryAfterMaxMs));
		if (policy.timeBudgetMs > 0 && clock.now() + delayMs >= (firstStartMs ?? 0) + policy.timeBudgetMs) {
			return finish(false, `time budget of ${policy.timeBudgetMs} ms exhausted after ${attemptNumber} attempt${attemptNumber === 1 ? '' : 's'}`);
		}
		scheduledDelayMs = delayMs;
		try {
			await clock.sleep(delayMs, signal);
		} catch {
			return finish(false, 'cancelled');
		}
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
