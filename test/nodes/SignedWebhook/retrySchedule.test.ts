import {
	delayBeforeNextAttempt,
	maxAttemptsOf,
	parseDelayList,
	parseRetryAfter,
	type RetrySchedule,
} from '../../../nodes/SignedWebhook/retrySchedule';

const exponential = (overrides: Partial<Extract<RetrySchedule, { kind: 'exponential' }>> = {}): RetrySchedule => ({
	kind: 'exponential',
	baseDelayMs: 1000,
	factor: 2,
	maxDelayMs: 60_000,
	maxAttempts: 5,
	jitter: 0,
	...overrides,
});

describe('exponential schedule', () => {
	it('grows by the factor from the base delay, without jitter', () => {
		const delays = [1, 2, 3, 4].map((failed) => delayBeforeNextAttempt(exponential(), failed, () => 0.999));
		expect(delays).toEqual([1000, 2000, 4000, 8000]);
	});

	it('stops after maxAttempts attempts in total', () => {
		expect(maxAttemptsOf(exponential())).toBe(5);
		expect(delayBeforeNextAttempt(exponential(), 5, () => 0)).toBeUndefined();
		expect(delayBeforeNextAttempt(exponential({ maxAttempts: 1 }), 1, () => 0)).toBeUndefined();
	});

	it('caps each delay at maxDelayMs', () => {
		const schedule = exponential({ maxAttempts: 20, maxDelayMs: 5000 });
		expect(delayBeforeNextAttempt(schedule, 10, () => 0)).toBe(5000);
	});

	it('with jitter 0.5 draws each delay from [50 %, 100 %] of the computed delay', () => {
		const schedule = exponential({ jitter: 0.5 });
		expect(delayBeforeNextAttempt(schedule, 3, () => 0)).toBe(4000);
		expect(delayBeforeNextAttempt(schedule, 3, () => 0.5)).toBe(3000);
		expect(delayBeforeNextAttempt(schedule, 3, () => 0.999_999)).toBe(2000);
		for (let i = 0; i < 200; i++) {
			const delay = delayBeforeNextAttempt(schedule, 2, Math.random) ?? -1;
			expect(delay).toBeGreaterThanOrEqual(1000);
			expect(delay).toBeLessThanOrEqual(2000);
		}
	});

	it('spreads simultaneous failures apart', () => {
		const delays = new Set(Array.from({ length: 50 }, () => delayBeforeNextAttempt(exponential({ jitter: 1 }), 4, Math.random)));
		expect(delays.size).toBeGreaterThan(10);
	});
});

describe('explicit schedule', () => {
	const classic: RetrySchedule = { kind: 'explicit', delaysMs: parseDelayList('5s, 15s, 1m, 5m, 15m') };

	it('uses the list in order, one attempt more than delays', () => {
		expect(maxAttemptsOf(classic)).toBe(6);
		expect([1, 2, 3, 4, 5, 6].map((failed) => delayBeforeNextAttempt(classic, failed, Math.random))).toEqual([
			5000,
			15_000,
			60_000,
			300_000,
			900_000,
			undefined,
		]);
	});

	it('an empty list means a single attempt', () => {
		expect(delayBeforeNextAttempt({ kind: 'explicit', delaysMs: [] }, 1, Math.random)).toBeUndefined();
	});
});

describe('parseDelayList', () => {
	it('reads units ms, s, m, h, bare seconds, and any separator', () => {
		expect(parseDelayList('250ms 1.5s;2 1M,1h')).toEqual([250, 1500, 2000, 60_000, 3_600_000]);
		expect(parseDelayList('  ')).toEqual([]);
	});

	it('names the entry it cannot read', () => {
		expect(() => parseDelayList('5s, soon, 1m')).toThrow('"soon"');
		expect(() => parseDelayList('-5s')).toThrow('"-5s"');
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2025-01-01T00:00:00Z');

	it('reads delay-seconds', () => {
		expect(parseRetryAfter('120', now)).toBe(120_000);
		expect(parseRetryAfter(' 0 ', now)).toBe(0);
	});

	it('reads the three HTTP-date forms of RFC 9110 §5.6.7', () => {
		const inTwoMinutes = new Date(now + 120_000);
		expect(parseRetryAfter(inTwoMinutes.toUTCString(), now)).toBe(120_000);
		expect(parseRetryAfter('Wednesday, 01-Jan-25 00:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Wed Jan  1 00:01:00 2025', now)).toBe(60_000);
	});

	it('treats a date in the past as now', () => {
		expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
	});

	it('ignores missing and unreadable values', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('', now)).toBeUndefined();
		expect(parseRetryAfter('1.5', now)).toBeUndefined();
		expect(parseRetryAfter('-3', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter('Mon, 99 Foo 2025 00:00:00 GMT', now)).toBeUndefined();
	});
});
