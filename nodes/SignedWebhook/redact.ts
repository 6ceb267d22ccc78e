// One implementation for both nodes (nodes/shared/redaction.ts); re-exported for the sender's modules.
export { ALWAYS_SENSITIVE_HEADERS, REDACTED, redactHeaders, scrubSecrets } from '../shared/redaction';

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
