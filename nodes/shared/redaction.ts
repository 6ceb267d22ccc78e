/** What a removed secret, signature or token is replaced with, in outputs, errors and logs. */
export const REDACTED = '[redacted]';

/**
 * Headers that carry credentials whatever the scheme: HTTP authentication, cookies, the usual API-key header, and
 * GitLab's token, which a request may carry to a trigger set up for another provider.
 */
export const ALWAYS_SENSITIVE_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-gitlab-token'];

/**
 * A copy of `headers` with the values of the sensitive ones (`sensitiveNames` and ALWAYS_SENSITIVE_HEADERS, names
 * compared case-insensitively) replaced by "[redacted]", for the trigger's items and the sender's outputs alike.
 * Absent values are left out.
 */
export function redactHeaders<Value>(
	headers: Readonly<Record<string, Value | undefined>>,
	sensitiveNames: Iterable<string | undefined>,
): Record<string, Value | typeof REDACTED> {
	const sensitive = new Set<string>(ALWAYS_SENSITIVE_HEADERS);
	for (const name of sensitiveNames) if (name) sensitive.add(name.toLowerCase());
	const redacted: Record<string, Value | typeof REDACTED> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		redacted[name] = sensitive.has(name.toLowerCase()) ? REDACTED : value;
	}
	return redacted;
}

/** The query with the parameters that carry a secret (a Custom token in the URL) redacted. */
export function redactQuery<Value>(query: Readonly<Record<string, Value>>, sensitiveNames: readonly string[]): Record<string, Value | typeof REDACTED> {
	if (sensitiveNames.length === 0) return { ...query };
	const redacted: Record<string, Value | typeof REDACTED> = {};
	for (const [name, value] of Object.entries(query)) redacted[name] = sensitiveNames.includes(name) ? REDACTED : value;
	return redacted;
}

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
