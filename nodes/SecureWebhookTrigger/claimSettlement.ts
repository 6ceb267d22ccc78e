import type { ServerResponse } from 'node:http';

import type { ReplayStore } from '../shared/stores/replayStore';

/** The part of Node's ServerResponse this needs. */
export type AnsweredResponse = Pick<ServerResponse, 'statusCode' | 'end'>;

/**
 * Confirms or releases the event id an accepted request holds when n8n answers it, and lets the answer go out only
 * once the store has recorded that. n8n 2.x answers an accepted event ("Respond: Immediately") only after it has
 * stored the execution (queue mode: put it on the queue), so the answer tells whether n8n took it: a 5xx means it
 * did not, and the id is released for the provider's retry; anything else confirms it for the de-duplication window.
 * Holding the answer back until then (one store round trip) means that whoever has seen a 2xx for an event, and sends
 * it again, gets "duplicate" from every webhook process, never "retry later". If the store fails, the answer still
 * goes out (n8n has the execution) and `onStoreError` is told; if n8n never answers (the process died), the claim
 * expires by itself.
 */
export function settleClaimBeforeAnswering(
	response: AnsweredResponse,
	claim: { store: ReplayStore; id: string },
	ttlSeconds: number,
	onStoreError: (error: unknown) => void,
): void {
	const end = response.end;
	const endAfterSettling = (...args: unknown[]) => {
		response.end = end;
		const settled =
			response.statusCode >= 500 ? claim.store.release(claim.id) : claim.store.confirm(claim.id, ttlSeconds);
		void settled.catch(onStoreError).finally(() => (end as (...endArgs: unknown[]) => unknown).apply(response, args));
		return response;
	};
	response.end = endAfterSettling as ServerResponse['end'];
}
