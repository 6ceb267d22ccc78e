import type { ReplayStore } from '../shared/stores/replayStore';

/** The part of Node's ServerResponse this needs. */
export interface EndedResponse {
	readonly statusCode: number;
	once(event: 'prefinish', listener: () => void): unknown;
}

/**
 * Confirms or releases the event id an accepted request holds, once n8n has answered it. n8n 2.x answers an accepted
 * event ("Respond: Immediately") only after it has stored the execution (queue mode: put it on the queue), so the
 * answer tells whether n8n took it: a 5xx means it did not, and the id is released for the provider's retry; anything
 * else confirms it for the de-duplication window. `prefinish` is emitted when the response is ended, also when the
 * client has already gone. If it never comes (the process died), the claim expires by itself.
 */
export function settleClaimWhenAnswered(
	response: EndedResponse,
	claim: { store: ReplayStore; id: string },
	ttlSeconds: number,
	onStoreError: (error: unknown) => void,
): void {
	response.once('prefinish', () => {
		const settled =
			response.statusCode >= 500 ? claim.store.release(claim.id) : claim.store.confirm(claim.id, ttlSeconds);
		settled.catch(onStoreError);
	});
}
