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

describe('settleClaimBeforeAnswering', () => {
	it('holds n8n\'s 2xx answer until the id is confirmed, then sends it unchanged', async () => {
		const { store, calls, finish } = controlledStore();
		const { response, ended, original } = fakeResponse(200);
		settleClaimBeforeAnswering(response, { store, id: 'evt_1' }, 86400, () => undefined);
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
		settleClaimBeforeAnswering(response, { store, id: 'evt_2' }, 86400, () => undefined);
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
		settleClaimBeforeAnswering(response, { store, id: 'evt_3' }, 60, (error) => errors.push(error));
		response.end();
		finish(new Error('Redis store unavailable'));
		await tick();
		expect(ended).toHaveLength(1);
		expect(errors).toEqual([new Error('Redis store unavailable')]);
	});
});
