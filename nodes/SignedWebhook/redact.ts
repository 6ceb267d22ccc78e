import { REDACTED } from '../shared/redaction';

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
