import type { ServerResponse } from 'node:http';

import { settleClaimBeforeAnswering, type AnsweredResponse } from '../../../nodes/SecureWebhookTrigger/claimSettlement';
import type { ClaimOutcome, ReplayStore } from '../../../nodes/shared/stores/replayStore';

/** A store whose confirm and release finish only when the test says so. */
function controlledStore() {
	const calls: string[] = [];
	let finish!: (error?: Error) => void;
	const pending = () =>
		new Promise<void>((resolve, reject) => {
			finish = (error) => (error ? reject(error) : resolve());
		});
	const store: ReplayStore = {
		claim: async (): Promise<ClaimOutcome> => 'claimed',
		renew: async (id, seconds) => {
			calls.push(`renew ${id} ${seconds}`);
		},
		confirm: async (id, ttl) => {
			calls.push(`confirm ${id} ${ttl}`);
			await pending();
		},
		release: async (id) => {
			calls.push(`release ${id}`);
			await pending();
		},
	};
	return { store, calls, finish: (error?: Error) => finish(error) };
}

function fakeResponse(statusCode: number) {
	const ended: unknown[][] = [];
	const original = function end(this: unknown, ...args: unknown[]) {
		ended.push(args);
		return this;
	} as unknown as ServerResponse['end'];
	const response: AnsweredResponse = { statusCode, end: original };
	return { response, ended, original };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const LEASE = { claimSeconds: 300 };

describe('settleClaimBeforeAnswering', () => {
	it('holds n8n\'s 2xx answer until the id is confirmed, then sends it unchanged', async () => {
		const { store, calls, finish } = controlledStore();
		const { response, ended, original } = fakeResponse(200);
		settleClaimBeforeAnswering(response, { store, id: 'evt_1' }, 86400, LEASE, () => undefined);
		expect(response.end('{"status":"accepted"}', 'utf8')).toBe(response);
		await tick();
		expect(calls).toEqual(['confirm evt_1 86400']);
		expect(ended).toEqual([]);
		finish();
		await tick();
		expect(ended).toEqual([['{"status":"accepted"}', 'utf8']]);
		expect(response.end).toBe(original);
	});

	it('a 5xx from n8n (it could not take the execution) releases the id instead', async () => {
		const { store, calls, finish } = controlledStore();
		const { response, ended } = fakeResponse(500);
		settleClaimBeforeAnswering(response, { store, id: 'evt_2' }, 86400, LEASE, () => undefined);
		response.end();
		finish();
		await tick();
		expect(calls).toEqual(['release evt_2']);
		expect(ended).toHaveLength(1);
	});

	it('if the store fails, the answer still goes out and the failure is reported', async () => {
		const { store, finish } = controlledStore();
		const { response, ended } = fakeResponse(200);
		const errors: unknown[] = [];
		settleClaimBeforeAnswering(response, { store, id: 'evt_3' }, 60, LEASE, (error, action) => errors.push([action, error]));
		response.end();
		finish(new Error('Redis store unavailable'));
		await tick();
		expect(ended).toHaveLength(1);
		expect(errors).toEqual([['settle', new Error('Redis store unavailable')]]);
	});

	describe('while n8n has not answered (Respond: When Last Node Finishes), the claim is renewed', () => {
		beforeEach(() => jest.useFakeTimers());
		afterEach(() => jest.useRealTimers());

		it('every third of the claim time by default, and no more once the answer is on its way', async () => {
			const { store, calls, finish } = controlledStore();
			const { response, ended } = fakeResponse(200);
			settleClaimBeforeAnswering(response, { store, id: 'evt_4' }, 86400, LEASE, () => undefined);
			jest.advanceTimersByTime(99_999);
			expect(calls).toEqual([]);
			jest.advanceTimersByTime(1);
			jest.advanceTimersByTime(200_000);
			expect(calls).toEqual(['renew evt_4 300', 'renew evt_4 300', 'renew evt_4 300']);
			response.end();
			jest.advanceTimersByTime(1_000_000);
			expect(calls.slice(3)).toEqual(['confirm evt_4 86400']);
			finish();
			await jest.runAllTimersAsync();
			expect(ended).toHaveLength(1);
		});

		it('stops renewing after renewForMs even if n8n never answers (no timer outlives a lost response)', () => {
			const { store, calls } = controlledStore();
			const { response } = fakeResponse(200);
			settleClaimBeforeAnswering(response, { store, id: 'evt_5' }, 86400, { claimSeconds: 30, renewEveryMs: 10_000, renewForMs: 35_000 }, () => undefined);
			jest.advanceTimersByTime(60_000);
			expect(calls).toEqual(['renew evt_5 30', 'renew evt_5 30', 'renew evt_5 30']);
			expect(jest.getTimerCount()).toBe(0);
		});

		it('a failed renewal is reported as such and renewal goes on', async () => {
			const { response } = fakeResponse(200);
			const errors: unknown[] = [];
			let renewals = 0;
			const store: ReplayStore = {
				claim: async () => 'claimed',
				renew: async () => {
					renewals++;
					throw new Error('Redis store unavailable');
				},
				confirm: async () => undefined,
				release: async () => undefined,
			};
			settleClaimBeforeAnswering(response, { store, id: 'evt_6' }, 86400, LEASE, (error, action) => errors.push([action, (error as Error).message]));
			await jest.advanceTimersByTimeAsync(200_000);
			expect(renewals).toBe(2);
			expect(errors).toEqual([
				['renew', 'Redis store unavailable'],
				['renew', 'Redis store unavailable'],
			]);
		});
	});
});
