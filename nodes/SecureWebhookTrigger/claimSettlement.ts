import type { ServerResponse } from 'node:http';

import type { ReplayStore } from '../shared/stores/replayStore';

/** The part of Node's ServerResponse this needs. */
export type AnsweredResponse = Pick<ServerResponse, 'statusCode' | 'end'>;

/** How an accepted request holds its event id until n8n answers it. */
export interface ClaimLease {
	/** How long a claim lasts without renewal; what is left after a crash. */
	claimSeconds: number;
	/** How often a claim is renewed while n8n has not answered (default: a third of claimSeconds). */
	renewEveryMs?: number;
	/** Renewal stops after this long even if n8n never answers, so that no timer outlives a lost response. */
	renewForMs?: number;
}

/** n8n's default maximum execution timeout (EXECUTIONS_TIMEOUT_MAX): a workflow answering later is not waited for. */
export const DEFAULT_RENEW_FOR_MS = 3600 * 1000;

export type StoreAction = 'settle' | 'renew';

/**
 * Confirms or releases the event id an accepted request holds when n8n answers it, and lets the answer go out only
 * once the store has recorded that. n8n 2.x answers an accepted event ("Respond: Immediately") only after it has
 * stored the execution (queue mode: put it on the queue), so the answer tells whether n8n took it: a 5xx means it
 * did not, and the id is released for the provider's retry; anything else confirms it for the de-duplication window.
 * Holding the answer back until then (one store round trip) means that whoever has seen a 2xx for an event, and sends
 * it again, gets "duplicate" from every webhook process, never "retry later". If the store fails, the answer still
 * goes out (n8n has the execution) and `onStoreError` is told; if n8n never answers (the process died), the claim
 * expires by itself.
 *
 * Until n8n answers, the claim is renewed: with "Respond: When Last Node Finishes" the answer waits for the whole
 * workflow, and a claim that ran out meanwhile would let a provider's retry start the event a second time.
 */
export function settleClaimBeforeAnswering(
	response: AnsweredResponse,
	claim: { store: ReplayStore; id: string },
	ttlSeconds: number,
	lease: ClaimLease,
	onStoreError: (error: unknown, action: StoreAction) => void,
): void {
	const end = response.end;
	const renewal = renewWhileUnanswered(claim, lease, onStoreError);
	const endAfterSettling = (...args: unknown[]) => {
		response.end = end;
		clearInterval(renewal);
		const settled =
			response.statusCode >= 500 ? claim.store.release(claim.id) : claim.store.confirm(claim.id, ttlSeconds);
		void settled
			.catch((error: unknown) => onStoreError(error, 'settle'))
			.finally(() => (end as (...endArgs: unknown[]) => unknown).apply(response, args));
		return response;
	};
	response.end = endAfterSettling as ServerResponse['end'];
}

function renewWhileUnanswered(
	claim: { store: ReplayStore; id: string },
	lease: ClaimLease,
	onStoreError: (error: unknown, action: StoreAction) => void,
): NodeJS.Timeout {
	const renewEveryMs = lease.renewEveryMs ?? (lease.claimSeconds * 1000) / 3;
	const stopAt = Date.now() + (lease.renewForMs ?? DEFAULT_RENEW_FOR_MS);
	const timer = setInterval(() => {
		if (Date.now() >= stopAt) {
			clearInterval(timer);
			return;
		}
		claim.store.renew(claim.id, lease.claimSeconds).catch((error: unknown) => onStoreError(error, 'renew'));
	}, renewEveryMs);
	// A pending renewal never keeps the process alive on shutdown.
	timer.unref();
	return timer;
}
