import { headerValue } from '../http';
import { asRecord, asString, fail, readSingleHeader, safeEqualText, secretCandidates } from './hmacPrimitives';
import type { IncomingWebhook, SignatureScheme, SigningSecrets, VerificationResult } from './types';

const TOKEN_HEADER = 'x-gitlab-token';

/**
 * GitLab does not sign: it sends the configured secret token itself in `X-Gitlab-Token`. The body is not
 * authenticated, so this only proves the sender knows the token (use HTTPS).
 */
export function verifyGitlabToken(request: IncomingWebhook, secrets: SigningSecrets): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return fail('missing_key');
	const token = readSingleHeader(request.headers, TOKEN_HEADER);
	if (typeof token !== 'string') return token;
	for (const candidate of candidates) {
		if (safeEqualText(token, candidate.key)) return { ok: true, matched: candidate.matched };
	}
	return fail('invalid_signature');
}

/** The header GitLab sends: `X-Gitlab-Token` carrying the secret token as configured. */
export function signGitlabRequest(secretToken: string): Record<string, string> {
	return { [TOKEN_HEADER]: secretToken };
}

export const gitlabScheme: SignatureScheme = {
	name: 'gitlab',
	sensitiveHeaders: [TOKEN_HEADER],
	timestamped: false,
	verify: verifyGitlabToken,
	describeEvent(request, body) {
		return {
			type: asString(asRecord(body)?.object_kind) ?? asString(headerValue(request.headers, 'x-gitlab-event')),
			id: asString(headerValue(request.headers, 'x-gitlab-event-uuid')),
		};
	},
	sign: (input) => signGitlabRequest(input.key),
};
