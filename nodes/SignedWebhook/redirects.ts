/**
 * What a followed redirect may carry. A signature, an `Authorization` header or an API key was meant for the origin
 * the request was sent to; a redirect to another origin must not hand them over, and an https URL must not be
 * downgraded to plain http, where anyone on the path reads the body and its headers.
 */
export type CrossOriginRedirects =
	/** Follow without the credentials: no signature, no credential or custom headers. */
	| 'strip'
	/** Follow without the credential and custom headers, signed afresh for the new URL with the same secret. */
	| 'resign'
	/** Do not follow: a final failure. */
	| 'refuse';

export const CROSS_ORIGIN_REDIRECTS: readonly CrossOriginRedirects[] = ['strip', 'resign', 'refuse'];

export interface RedirectPolicy {
	crossOrigin: CrossOriginRedirects;
	/** Lower-case names of the headers that are credentials for the original origin. */
	credentialHeaders: readonly string[];
	/** The signature headers for the same bytes sent to `url`; used when `crossOrigin` is `resign`. */
	resign?: (url: URL) => Record<string, string>;
}

export type RedirectStep = { ok: true; url: URL; headers: Record<string, string> } | { ok: false; reason: string };

/**
 * The request to send after a redirect from `from` to `to`, for a delivery first sent to `original`, or why it is not
 * sent. Once credentials have been taken off they stay off, even if a later redirect leads back.
 */
export function followRedirect(
	original: URL,
	from: URL,
	to: URL,
	headers: Readonly<Record<string, string>>,
	policy: RedirectPolicy,
): RedirectStep {
	if (from.protocol === 'https:' && to.protocol === 'http:') return { ok: false, reason: 'redirect from https to http refused' };
	if (to.origin === original.origin) return { ok: true, url: to, headers: { ...headers } };
	if (policy.crossOrigin === 'refuse') return { ok: false, reason: 'redirect to another origin refused' };
	const stripped = withoutHeaders(headers, policy.credentialHeaders);
	if (policy.crossOrigin === 'resign' && policy.resign) return { ok: true, url: to, headers: { ...stripped, ...policy.resign(to) } };
	return { ok: true, url: to, headers: stripped };
}

function withoutHeaders(headers: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
	const removed = new Set(names.map((name) => name.toLowerCase()));
	const kept: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) if (!removed.has(name.toLowerCase())) kept[name] = value;
	return kept;
}
