export const REDACTED = '[redacted]';

/** Headers that carry credentials whatever the scheme, e.g. a custom `Authorization` the user added. */
export const ALWAYS_SENSITIVE_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

/** A copy of `headers` with the values of the sensitive ones (case-insensitive names) replaced by "[redacted]". */
export function redactHeaders(headers: Readonly<Record<string, string>>, sensitiveNames: Iterable<string>): Record<string, string> {
	const sensitive = new Set<string>(ALWAYS_SENSITIVE_HEADERS);
	for (const name of sensitiveNames) if (name) sensitive.add(name.toLowerCase());
	const redacted: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		redacted[name] = sensitive.has(name.toLowerCase()) ? REDACTED : value;
	}
	return redacted;
}

/** A URL as text, with any password in it replaced, for outputs and error messages. */
export function redactUrl(url: URL | string): string {
	let parsed: URL;
	try {
		parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
	} catch {
		return String(url);
	}
	if (parsed.password) parsed.password = 'redacted';
	return parsed.href;
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
