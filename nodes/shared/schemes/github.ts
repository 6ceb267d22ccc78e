/** Compatibility facade: GitHub is a catalogue entry (nodes/shared/providers/groups/devtools.ts). */
import { SCHEMES } from './registry';

export const githubScheme = SCHEMES.github;

/**
 * The `X-Hub-Signature-256` value (`sha256=<hex>`) GitHub sends for `payload`: HMAC-SHA256 of the raw bytes
 * with the webhook secret. Use it to sign test deliveries.
 */
export function signGithubPayload(payload: Buffer, secret: string): string {
	return githubScheme.sign!({ payload, key: secret })['x-hub-signature-256'];
}
