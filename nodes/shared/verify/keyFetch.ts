import * as http from 'node:http';
import * as https from 'node:https';
import { rootCertificates } from 'node:tls';

import { sendAttempt, type ConnectionPool } from '../../SignedWebhook/httpAttempt';
import { LruMap } from '../stores/lruMap';

/**
 * Fetches a key document (a JWKS, an AWS SNS signing certificate) or confirms a subscription: one GET, pinned to the
 * configured URL's host. Key material comes only from https (plain http only for a loopback host, and only when the
 * caller allows it, for tests), a redirect is followed only to the same origin, and the answer must be a 200 within
 * the time and size limits. Failures are short categories, never a quote of what the server sent.
 */

export interface KeyFetchOptions {
	/** The whole fetch, redirects included. */
	timeoutMs: number;
	/** A longer answer is refused (not truncated). */
	maxBytes: number;
	/** Redirects to the same origin (scheme, host, port) followed at most; any other redirect is refused. */
	maxRedirects?: number;
	/** Plain http to a loopback host (localhost, 127.0.0.0/8, ::1). Off by default: for tests only. */
	allowLoopbackHttp?: boolean;
	/** Certificates trusted besides Node's CA store, e.g. a test server's self-signed certificate. */
	ca?: string | readonly string[];
}

export type KeyFetchFailure =
	/** Not an absolute http(s) URL, or it carries credentials. */
	| 'invalid_url'
	/** http:// to a non-loopback host, or to loopback without `allowLoopbackHttp`. */
	| 'insecure_url'
	| 'timeout'
	| 'too_large'
	/** A status other than 200. */
	| 'http_status'
	/** A redirect to another origin, or more redirects than allowed. */
	| 'redirect_refused'
	/** Connection, TLS or protocol failure. */
	| 'network';

export type KeyFetchResult = { ok: true; body: Buffer } | { ok: false; reason: KeyFetchFailure };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** `URL.hostname` keeps the brackets of an IPv6 literal. */
function bareHost(url: URL): string {
	return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export function isLoopbackHost(url: URL): boolean {
	const host = bareHost(url).toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The URL when it may be fetched under `options`, else why not. */
export function checkKeyUrl(text: string, options: Pick<KeyFetchOptions, 'allowLoopbackHttp'>): { ok: true; url: URL } | { ok: false; reason: KeyFetchFailure } {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, reason: 'invalid_url' };
	}
	if (url.username !== '' || url.password !== '') return { ok: false, reason: 'invalid_url' };
	if (url.protocol === 'https:') return { ok: true, url };
	if (url.protocol !== 'http:') return { ok: false, reason: 'invalid_url' };
	return options.allowLoopbackHttp === true && isLoopbackHost(url) ? { ok: true, url } : { ok: false, reason: 'insecure_url' };
}

/**
 * Agents per trusted-CA set. No keep-alive: these fetches are minutes apart, and an idle socket would only hold the
 * process (and a test server) open.
 */
const MAX_POOLS = 8;
const pools = new LruMap<ConnectionPool>(MAX_POOLS);

function poolFor(ca: KeyFetchOptions['ca']): ConnectionPool {
	const cas = ca === undefined ? [] : typeof ca === 'string' ? [ca] : [...ca];
	const id = cas.join('\n');
	let pool = pools.get(id);
	if (!pool) {
		const agents = {
			http: new http.Agent({ keepAlive: false }),
			// Giving `ca` replaces Node's bundled roots, so they are kept beside the extra certificates.
			https: new https.Agent({ keepAlive: false, ...(cas.length > 0 ? { ca: [...rootCertificates, ...cas] } : {}) }),
		};
		pool = {
			...agents,
			destroy() {
				agents.http.destroy();
				agents.https.destroy();
			},
		};
		pools.set(id, pool);
	}
	return pool;
}

/** GET `urlText`; the body of its 200 answer, or why there is none. Never throws. */
export async function fetchKeyDocument(urlText: string, options: KeyFetchOptions): Promise<KeyFetchResult> {
	const checked = checkKeyUrl(urlText, options);
	if (!checked.ok) return checked;
	const origin = checked.url.origin;
	const deadline = Date.now() + options.timeoutMs;
	const pool = poolFor(options.ca);
	let url = checked.url;
	for (let redirects = 0; ; redirects++) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) return { ok: false, reason: 'timeout' };
		const result = await sendAttempt({
			url,
			method: 'GET',
			headers: { accept: 'application/json, application/x-pem-file, */*' },
			body: Buffer.alloc(0),
			timeoutMs: remaining,
			maxResponseBytes: options.maxBytes,
			maxRedirects: 0,
			refuseNonPublic: false,
			pool,
		});
		if (result.kind === 'error') return { ok: false, reason: result.type === 'timeout' ? 'timeout' : 'network' };
		if (REDIRECT_STATUSES.has(result.status)) {
			const next = redirectTarget(result.headers.location, url);
			if (!next || next.origin !== origin || redirects >= (options.maxRedirects ?? 2)) return { ok: false, reason: 'redirect_refused' };
			url = next;
			continue;
		}
		if (result.status !== 200) return { ok: false, reason: 'http_status' };
		if (result.truncated) return { ok: false, reason: 'too_large' };
		return { ok: true, body: result.body };
	}
}

function redirectTarget(location: string | undefined, base: URL): URL | undefined {
	if (!location) return undefined;
	try {
		return new URL(location, base);
	} catch {
		return undefined;
	}
}
