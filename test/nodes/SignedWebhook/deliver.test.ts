import { ConcurrencyLimiter } from '../../../nodes/SignedWebhook/concurrencyLimiter';
import { deliver, type Clock, type Delivery, type DeliveryDependencies, type DeliveryPolicy, type DeliveryProgress } from '../../../nodes/SignedWebhook/deliver';
import { createConnectionPool, sendAttempt, type ConnectionPool } from '../../../nodes/SignedWebhook/httpAttempt';
import { parseDelayList } from '../../../nodes/SignedWebhook/retrySchedule';
import { signatureHeaders, type SigningSetup } from '../../../nodes/SignedWebhook/signing';
import { SCHEMES } from '../../../nodes/shared/schemes/registry';
import { sequence, startLocalReceiver, type LocalReceiver } from './localReceiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const START_MS = Date.parse('2025-06-01T12:00:00Z');

/** A clock whose sleeps return at once and move time forward, so hours of backoff take no time. */
function fakeClock(): Clock & { sleeps: number[] } {
	let now = START_MS;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		sleep: async (ms, signal) => {
			if (signal?.aborted) throw new Error('aborted');
			sleeps.push(ms);
			now += ms;
		},
	};
}

describe('deliver', () => {
	let receiver: LocalReceiver;
	let pool: ConnectionPool;

	beforeAll(async () => {
		receiver = await startLocalReceiver({
			'/flaky': sequence(503, 503, 200),
			'/rate-limited': sequence({ status: 429, headers: { 'retry-after': '7' } }, 200),
			'/rate-limited-long': sequence({ status: 429, headers: { 'retry-after': '3600' } }, 200),
			'/rate-limited-date': sequence({ status: 503, headers: { 'retry-after': new Date(START_MS + 90_000).toUTCString() } }, 200),
			'/bad-request': sequence(400, 200),
			'/hang': () => 'hang',
			'/down': () => ({ status: 500, body: 'internal error' }),
			'/moved': () => ({ status: 301, headers: { location: '/elsewhere' } }),
			'/reset-then-ok': sequence('reset', 202),
			'/third-time': sequence(503, 200),
			'/observed': sequence(503, 429, 200),
		});
		pool = createConnectionPool(4);
	});

	afterAll(async () => {
		pool.destroy();
		await receiver.close();
	});

	const setup: SigningSetup = { scheme: 'standardWebhooks', key: SECRET };

	function delivery(path: string, id = 'msg_fixed_1'): Delivery {
		const body = Buffer.from(JSON.stringify({ type: 'order.created', path }), 'utf8');
		const url = new URL(receiver.url(path));
		return {
			url,
			method: 'POST',
			body,
			headers: { 'content-type': 'application/json' },
			sign: (timestampSeconds) => signatureHeaders(setup, { payload: body, id, timestampSeconds, url: url.href }),
		};
	}

	function policy(overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
		return {
			schedule: { kind: 'exponential', baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000, maxAttempts: 5, jitter: 0 },
			retryAfterMaxMs: 300_000,
			timeBudgetMs: 0,
			timeoutMs: 2000,
			...overrides,
		};
	}

	function dependencies(clock: Clock, signal?: AbortSignal): DeliveryDependencies {
		return { send: async (request) => await sendAttempt({ ...request, maxResponseBytes: 65_536, maxRedirects: 0, refuseNonPublic: false, pool }), limiter: new ConcurrencyLimiter(4), clock, random: () => 0.5, signal };
	}

	it('retries 503 twice, then delivers: 3 attempts, the same event id each time, a fresh signed timestamp each time', async () => {
		const clock = fakeClock();
		const result = await deliver(delivery('/flaky'), policy(), dependencies(clock));

		expect(result.delivered).toBe(true);
		expect(result.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
		expect(result.attempts.map((attempt) => attempt.scheduledDelayMs)).toEqual([undefined, 1000, 2000]);
		expect(clock.sleeps).toEqual([1000, 2000]);

		const received = receiver.requestsTo('/flaky');
		expect(received).toHaveLength(3);
		expect(new Set(received.map((request) => request.headers['webhook-id']))).toEqual(new Set(['msg_fixed_1']));
		const timestamps = received.map((request) => Number(request.headers['webhook-timestamp']));
		expect(timestamps).toEqual([START_MS / 1000, START_MS / 1000 + 1, START_MS / 1000 + 3]);
		// Every attempt verifies in the trigger at the time it was sent, and the bytes never change.
		for (const request of received) {
			expect(request.body.equals(received[0].body)).toBe(true);
			const verification = SCHEMES.standardWebhooks.verify(
				{ method: 'POST', rawBody: request.body, headers: request.headers, url: '/flaky' },
				{ secret: SECRET },
				{ toleranceSeconds: 300, nowSeconds: Number(request.headers['webhook-timestamp']) },
			);
			expect(verification).toMatchObject({ ok: true, id: 'msg_fixed_1' });
		}
	});

	it('re-signs so that a retry many minutes later is inside the receiver tolerance', async () => {
		const clock = fakeClock();
		const slowSchedule = policy({ schedule: { kind: 'explicit', delaysMs: parseDelayList('10m, 10m') } });
		const path = '/flaky-late';
		const late = await startLocalReceiver({ [path]: sequence(503, 503, 200) });
		try {
			const body = Buffer.from('{"late":true}');
			const url = new URL(late.url(path));
			await deliver(
				{ url, method: 'POST', body, headers: {}, sign: (timestampSeconds) => signatureHeaders(setup, { payload: body, id: 'msg_late', timestampSeconds, url: url.href }) },
				slowSchedule,
				dependencies(clock),
			);
			const last = late.requests[2];
			const whenSent = START_MS / 1000 + 20 * 60;
			expect(Number(last.headers['webhook-timestamp'])).toBe(whenSent);
			const verify = (nowSeconds: number) =>
				SCHEMES.standardWebhooks.verify({ method: 'POST', rawBody: last.body, headers: last.headers, url: path }, { secret: SECRET }, { toleranceSeconds: 300, nowSeconds });
			expect(verify(whenSent).ok).toBe(true);
			// Had the first attempt's signature been reused, this is how it would look 20 minutes on:
			const first = late.requests[0];
			expect(
				SCHEMES.standardWebhooks.verify({ method: 'POST', rawBody: first.body, headers: first.headers, url: path }, { secret: SECRET }, { toleranceSeconds: 300, nowSeconds: whenSent }),
			).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
		} finally {
			await late.close();
		}
	});

	it('honours Retry-After in seconds instead of a shorter backoff', async () => {
		const clock = fakeClock();
		const result = await deliver(delivery('/rate-limited'), policy({ schedule: { kind: 'explicit', delaysMs: [10] } }), dependencies(clock));
		expect(result.delivered).toBe(true);
		expect(result.attempts[0]).toMatchObject({ status: 429, retryAfterMs: 7000 });
		expect(clock.sleeps).toEqual([7000]);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const clock = fakeClock();
		const result = await deliver(delivery('/rate-limited-date'), policy({ schedule: { kind: 'explicit', delaysMs: [10] } }), dependencies(clock));
		expect(result.delivered).toBe(true);
		expect(clock.sleeps).toEqual([90_000]);
	});

	it('caps Retry-After', async () => {
		const clock = fakeClock();
		const result = await deliver(delivery('/rate-limited-long'), policy({ retryAfterMaxMs: 60_000 }), dependencies(clock));
		expect(result.delivered).toBe(true);
		expect(result.attempts[0].retryAfterMs).toBe(3_600_000);
		expect(clock.sleeps).toEqual([60_000]);
	});

	it('does not retry a 400', async () => {
		const clock = fakeClock();
		const result = await deliver(delivery('/bad-request'), policy(), dependencies(clock));
		expect(result).toMatchObject({ delivered: false, failureReason: 'HTTP 400 is not retried', response: { status: 400 } });
		expect(result.attempts).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
		expect(receiver.requestsTo('/bad-request')).toHaveLength(1);
	});

	it('does not follow a redirect by default, and does not retry it', async () => {
		const result = await deliver(delivery('/moved'), policy(), dependencies(fakeClock()));
		expect(result).toMatchObject({ delivered: false, failureReason: 'HTTP 301: redirect not followed' });
		expect(result.attempts).toHaveLength(1);
	});

	it('retries timeouts until the schedule is exhausted', async () => {
		const clock = fakeClock();
		const result = await deliver(
			delivery('/hang'),
			policy({ timeoutMs: 100, schedule: { kind: 'explicit', delaysMs: [10] } }),
			dependencies(clock),
		);
		expect(result.delivered).toBe(false);
		expect(result.failureReason).toBe('gave up after 2 attempts');
		expect(result.attempts.map((attempt) => attempt.error)).toEqual(['timed out after 100 ms', 'timed out after 100 ms']);
		expect(result.response).toBeUndefined();
	});

	it('retries a dropped connection', async () => {
		const result = await deliver(delivery('/reset-then-ok'), policy(), dependencies(fakeClock()));
		expect(result.delivered).toBe(true);
		expect(result.attempts.map((attempt) => attempt.error ?? attempt.status)).toEqual(['ECONNRESET', 202]);
	});

	it('gives up on a destination that never succeeds, with the full attempt history, on the classic schedule', async () => {
		const clock = fakeClock();
		const result = await deliver(delivery('/down'), policy({ schedule: { kind: 'explicit', delaysMs: parseDelayList('5s, 15s, 1m, 5m, 15m') } }), dependencies(clock));
		expect(result.delivered).toBe(false);
		expect(result.failureReason).toBe('gave up after 6 attempts');
		expect(result.attempts).toHaveLength(6);
		expect(result.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(result.attempts.map((attempt) => attempt.status)).toEqual([500, 500, 500, 500, 500, 500]);
		expect(result.attempts.map((attempt) => attempt.scheduledDelayMs)).toEqual([undefined, 5000, 15_000, 60_000, 300_000, 900_000]);
		expect(result.attempts.map((attempt) => Date.parse(attempt.startedAt) - START_MS)).toEqual([0, 5000, 20_000, 80_000, 380_000, 1_280_000]);
		expect(result.totalTimeMs).toBe(1_280_000);
		expect(result.response?.body.toString()).toBe('internal error');
		expect(result.sentHeaders['webhook-signature']).toMatch(/^v1,/);
	});

	it('stops when the next attempt would start after the time budget', async () => {
		const clock = fakeClock();
		const result = await deliver(
			delivery('/down'),
			policy({ timeBudgetMs: 60_000, schedule: { kind: 'explicit', delaysMs: parseDelayList('5s, 15s, 1m, 5m') } }),
			dependencies(clock),
		);
		expect(result.attempts).toHaveLength(3);
		expect(result.failureReason).toBe('time budget of 60000 ms exhausted after 3 attempts');
		expect(clock.sleeps).toEqual([5000, 15_000]);
	});

	it('stops waiting when the execution is cancelled', async () => {
		const controller = new AbortController();
		const clock = fakeClock();
		const cancellingClock: Clock = {
			now: clock.now,
			sleep: async (ms, signal) => {
				controller.abort();
				await clock.sleep(ms, signal);
			},
		};
		const result = await deliver(delivery('/down'), policy(), dependencies(cancellingClock, controller.signal));
		expect(result).toMatchObject({ delivered: false, failureReason: 'cancelled' });
		expect(result.attempts).toHaveLength(1);
	});

	it('fails without sending when the request cannot be signed', async () => {
		const before = receiver.requests.length;
		const unsignable: Delivery = {
			...delivery('/flaky'),
			sign: () => {
				throw new Error('bad key');
			},
		};
		const result = await deliver(unsignable, policy(), dependencies(fakeClock()));
		expect(result).toMatchObject({ delivered: false, failureReason: 'signing failed' });
		expect(receiver.requests.length).toBe(before);
	});
	it('continues from recorded progress: the next attempt number, at the recorded time, on the same schedule', async () => {
		const clock = fakeClock();
		const earlier: DeliveryProgress = {
			attempts: [
				{ attempt: 1, startedAt: new Date(START_MS - 9000).toISOString(), durationMs: 5, status: 503 },
				{ attempt: 2, startedAt: new Date(START_MS - 8000).toISOString(), scheduledDelayMs: 1000, durationMs: 5, status: 503 },
			],
			firstStartMs: START_MS - 9000,
			nextAttemptAtMs: START_MS + 4000,
			scheduledDelayMs: 2000,
			sentHeaders: { 'content-type': 'application/json' },
		};
		const result = await deliver(delivery('/third-time', 'msg_resumed'), policy({ schedule: { kind: 'explicit', delaysMs: [1000, 2000, 4000] } }), dependencies(clock), {
			progress: earlier,
		});
		expect(result.delivered).toBe(true);
		expect(result.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.scheduledDelayMs])).toEqual([
			[1, 503, undefined],
			[2, 503, 1000],
			[3, 503, 2000],
			[4, 200, 4000],
		]);
		// First the rest of the recorded wait, then the schedule's next delay.
		expect(clock.sleeps).toEqual([4000, 4000]);
		expect(result.totalTimeMs).toBe(17_000);
		expect(new Set(receiver.requestsTo('/third-time').map((request) => request.headers['webhook-id']))).toEqual(new Set(['msg_resumed']));
		expect(earlier.attempts).toHaveLength(2);
	});

	it('ends a continued delivery whose time budget ran out while it was stopped, without sending', async () => {
		const before = receiver.requestsTo('/third-time').length;
		const result = await deliver(delivery('/third-time'), policy({ timeBudgetMs: 60_000 }), dependencies(fakeClock()), {
			progress: {
				attempts: [{ attempt: 1, startedAt: new Date(START_MS - 120_000).toISOString(), durationMs: 5, status: 503 }],
				firstStartMs: START_MS - 120_000,
				nextAttemptAtMs: START_MS - 119_000,
				sentHeaders: {},
			},
		});
		expect(result).toMatchObject({ delivered: false, failureReason: 'time budget of 60000 ms exhausted after 1 attempt' });
		expect(receiver.requestsTo('/third-time').length).toBe(before);
	});

	it('tells its observer when each attempt ends (and when the next is due) and when the delivery is final', async () => {
		const clock = fakeClock();
		const ended: Array<{ attempts: number; next?: number }> = [];
		const finished: boolean[] = [];
		const result = await deliver(delivery('/observed'), policy(), dependencies(clock), {
			observer: {
				attemptEnded: (progress) => ended.push({ attempts: progress.attempts.length, next: progress.nextAttemptAtMs }),
				finished: (outcome) => finished.push(outcome.delivered),
			},
		});
		expect(result.delivered).toBe(true);
		expect(ended).toEqual([
			{ attempts: 1, next: START_MS + 1000 },
			{ attempts: 2, next: START_MS + 1000 + 2000 },
			{ attempts: 3, next: undefined },
		]);
		expect(finished).toEqual([true]);
	});

	it('marks a delivery stopped by the execution as cancelled, not failed', async () => {
		const controller = new AbortController();
		controller.abort();
		const result = await deliver(delivery('/down'), policy(), dependencies(fakeClock(), controller.signal));
		expect(result).toMatchObject({ delivered: false, cancelled: true, failureReason: 'cancelled', attempts: [] });
	});
});
