/** The outcome of one attempt, as far as the decision to retry is concerned. */
export type AttemptOutcome =
	| { kind: 'response'; status: number }
	| { kind: 'networkError' }
	| { kind: 'timeout' }
	/** The request could never succeed as configured: refused destination, invalid header, signing failure. */
	| { kind: 'fatalError' };

export function isSuccessStatus(status: number): boolean {
	return status >= 200 && status < 300;
}

/**
 * Network errors, timeouts, 408, 429 and 5xx are worth another try; every other status is the receiver's
 * final word (a 400 or 401 will not change by sending the same bytes again).
 */
export function isRetryable(outcome: AttemptOutcome): boolean {
	switch (outcome.kind) {
		case 'networkError':
		case 'timeout':
			return true;
		case 'fatalError':
			return false;
		case 'response':
			return outcome.status === 408 || outcome.status === 429 || (outcome.status >= 500 && outcome.status <= 599);
	}
}
