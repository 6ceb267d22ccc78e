/** What the node answers without starting the main output: a rejection, a handshake, "ignored" or "duplicate". */
export interface DirectResponse {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	/** Set for rejections: a short machine-readable reason, also used by the "Rejected" output. */
	rejection?: RejectionCode;
}

/**
 * Why a request was rejected, for the test URL only (production answers stay generic): which check failed, the most
 * likely cause, and what to do. Never a secret, an expected signature, or a token from the request.
 */
export interface Diagnosis {
	check: string;
	cause: string;
	hint: string;
}

export type RejectionCode =
	| 'rate_limited'
	| 'method_not_allowed'
	| 'ip_not_allowed'
	| 'payload_too_large'
	| 'unsupported_content_type'
	| 'invalid_signature'
	| 'invalid_json'
	/** The body could not be read: a Content-Encoding it does not match, or a client that aborted. */
	| 'unreadable_body'
	| 'schema_mismatch'
	| 'invalid_verify_token'
	/** A key the verifier must fetch (JWKS, SNS certificate) could not be had: 503, the sender retries. */
	| 'key_unavailable'
	/** A verified AWS SNS SubscriptionConfirmation whose SubscribeURL could not be fetched: 503, SNS retries. */
	| 'confirmation_failed'
	| 'event_in_progress'
	| 'store_unavailable'
	| 'internal_error';

export function reject(
	status: number,
	rejection: RejectionCode,
	error: string,
	extra: { headers?: Record<string, string>; details?: unknown } = {},
): DirectResponse {
	const body = extra.details === undefined ? { error } : { error, details: extra.details };
	return { status, body, headers: extra.headers, rejection };
}

export const respondOk = (body: unknown, headers?: Record<string, string>): DirectResponse => ({
	status: 200,
	body,
	headers,
});
