/**
 * When to try a failed delivery again. Two shapes: exponential backoff with jitter, or an explicit list of
 * delays (the providers' classic `5s, 15s, 1m, 5m, 15m`). Delays are milliseconds throughout.
 */
export type RetrySchedule =
	| {
			kind: 'exponential';
			/** Delay before the first retry, before jitter. */
			baseDelayMs: number;
			factor: number;
			/** No single delay exceeds this, before jitter. */
			maxDelayMs: number;
			/** Attempts in total, the first one included. */
			maxAttempts: number;
			/** 0 = none; 0.5 = each delay is drawn uniformly from [50 %, 100 %] of the computed delay. */
			jitter: number;
	  }
	| { kind: 'explicit'; delaysMs: readonly number[] };

export function maxAttemptsOf(schedule: RetrySchedule): number {
	return schedule.kind === 'explicit' ? schedule.delaysMs.length + 1 : Math.max(1, Math.floor(schedule.maxAttempts));
}

/**
 * The wait before the next attempt once `failedAttempts` attempts have failed, or undefined when the schedule
 * is exhausted. `random` returns a number in [0, 1) (injected so tests are deterministic).
 */
export function delayBeforeNextAttempt(
	schedule: RetrySchedule,
	failedAttempts: number,
	random: () => number,
): number | undefined {
	if (failedAttempts < 1 || failedAttempts >= maxAttemptsOf(schedule)) return undefined;
	if (schedule.kind === 'explicit') return schedule.delaysMs[failedAttempts - 1];
	const unjittered = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * schedule.factor ** (failedAttempts - 1));
	const jitter = Math.min(1, Math.max(0, schedule.jitter));
	// "Equal jitter": never below (1 - jitter) of the computed delay, so a schedule keeps its shape while
	// spreading a burst of failures that happened at the same moment.
	return Math.round(unjittered * (1 - jitter * random()));
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a delay list such as `5s, 15s, 1m, 5m, 15m` (units ms, s, m, h; a bare number is seconds;
 * separated by commas, semicolons or whitespace). Throws with the offending entry on bad input.
 */
export function parseDelayList(text: string): number[] {
	const entries = text
		.split(/[\s,;]+/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	return entries.map((entry) => {
		const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/i.exec(entry);
		if (!match) throw new Error(`"${entry}" is not a delay (use e.g. 500ms, 5s, 1m, 2h)`);
		const unit = (match[2] ?? 's').toLowerCase();
		return Math.round(Number(match[1]) * UNIT_MS[unit]);
	});
}

/**
 * The wait a `Retry-After` header asks for (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), in ms, or
 * undefined when absent or unparseable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	// Only the HTTP-date shapes, so that something like "1.5" or "soon" is not handed to Date.parse's guesswork.
	if (!/^[A-Za-z]{3,9},? /.test(text)) return undefined;
	// HTTP-dates are always GMT; the asctime form does not say so and would otherwise be read as local time.
	const dateMs = Date.parse(/\b(GMT|UTC)\b/i.test(text) ? text : `${text} GMT`);
	if (Number.isNaN(dateMs)) return undefined;
	return Math.max(0, dateMs - nowMs);
}
