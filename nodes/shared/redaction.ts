/** What a removed secret, signature or token is replaced with, in outputs, errors and logs. */
export const REDACTED = '[redacted]';

// Shorter fragments would turn ordinary words into "[redacted]" without protecting anything.
const MIN_SECRET_FRAGMENT_LENGTH = 12;

/**
 * Removes secrets from a text bound for an output, error or log. Libraries sometimes quote their input in error
 * messages; this is the last line of defence, not the first. Multi-line secrets (PEM keys) are also removed
 * line by line, so that a message quoting one line of a key does not leak it.
 */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	const fragments = new Set<string>();
	for (const secret of secrets) {
		if (!secret) continue;
		fragments.add(secret);
		for (const line of secret.split(/\r?\n/)) {
			const trimmed = line.trim();
			if (trimmed.length >= MIN_SECRET_FRAGMENT_LENGTH && !trimmed.startsWith('-----')) fragments.add(trimmed);
		}
	}
	let scrubbed = text;
	// Longest first, so that a whole secret is replaced before any of its lines.
	for (const fragment of [...fragments].sort((a, b) => b.length - a.length)) {
		scrubbed = scrubbed.split(fragment).join(REDACTED);
	}
	return scrubbed;
}
