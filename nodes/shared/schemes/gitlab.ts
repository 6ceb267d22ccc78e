/** Compatibility facade: GitLab is a catalogue entry (nodes/shared/providers/groups/devtools.ts). */
import { SCHEMES } from './registry';

export const gitlabScheme = SCHEMES.gitlab;

/**
 * GitLab does not sign: it sends the configured secret token itself in `X-Gitlab-Token`. The body is not
 * authenticated, so this only proves the sender knows the token (use HTTPS).
 */
export const verifyGitlabToken = gitlabScheme.verify;

/** The header GitLab sends: `X-Gitlab-Token` carrying the secret token as configured. */
export function signGitlabRequest(secretToken: string): Record<string, string> {
	return gitlabScheme.sign!({ payload: Buffer.alloc(0), key: secretToken });
}
