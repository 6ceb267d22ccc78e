import * as http from 'node:http';
import * as https from 'node:https';

import { checkDestinationUrl, type ConnectLookup } from './destinationPolicy';
import { followRedirect, type RedirectPolicy } from './redirects';
import { ALWAYS_SENSITIVE_HEADERS } from './redact';

/** One http and one https keep-alive agent, shared by every request of one node execution. */
export interface ConnectionPool {
	http: http.Agent;
	https: https.Agent;
	destroy(): void;
}

export function createConnectionPool(maxSocketsPerHost: number): ConnectionPool {
	const options = { keepAlive: true, maxSockets: maxSocketsPerHost };
	const pool = { http: new http.Agent(options), https: new https.Agent(options) };
	return {
		...pool,
		destroy() {
			pool.http.destroy();
			pool.https.destroy();
		},
	};
}

export interface AttemptRequest {
	url: URL;
	method: string;
	headers: Readonly<Record<string, string>>;
	body: Buffer;
	/** The whole attempt: connecting, sending, redirects, and reading the response body. */
	timeoutMs: number;
	/** Response bodies are cut after this many bytes. */
	maxResponseBytes: number;
	/** 0: a 3xx is the answer. Otherwise the most redirects followed, each with the same method and body. */
	maxRedirects: number;
	/** What a redirect to another origin may carry; default: strip the credential headers (never a downgrade to http). */
	redirect?: RedirectPolicy;
	/** Refuse private, loopback and link-local destinations, also after a redirect. */
	refuseNonPublic: boolean;
	/** Set when `refuseNonPublic`: resolves host names and refuses non-public addresses. */
	lookup?: ConnectLookup;
	pool: ConnectionPool;
	signal?: AbortSignal;
}

export interface AttemptResponse {
	kind: 'response';
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	/** The body was longer than `maxResponseBytes` and was cut. */
	truncated: boolean;
	/** The URL that answered, when a redirect was followed. */
	finalUrl: URL;
}

export type AttemptError = {
	kind: 'error';
	/**
	 * timeout: the attempt ran out of time; refused: the destination is not allowed; invalidRequest: the request
	 * cannot be sent as configured; cancelled: the execution was stopped; network: anything else on the wire.
	 */
	type: 'timeout' | 'refused' | 'network' | 'invalidRequest' | 'cancelled';
	/** A short, secret-free description, e.g. "ECONNREFUSED" or "timed out after 10000 ms". */
	message: string;
};

export type AttemptResult = AttemptResponse | AttemptError;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const DEFAULT_REDIRECT_POLICY: RedirectPolicy = { crossOrigin: 'strip', credentialHeaders: ALWAYS_SENSITIVE_HEADERS };

class AttemptTimeoutError extends Error {}

/** Sends one request (following redirects when allowed) and never throws: every failure is an {@link AttemptError}. */
export async function sendAttempt(request: AttemptRequest): Promise<AttemptResult> {
	// One controller per attempt, fed by its own deadline and by the execution's cancel signal; listeners are
	// removed when the attempt ends, so a long execution does not pile them up on its signal.
	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, Math.max(1, request.timeoutMs));
	const onCancel = () => controller.abort();
	request.signal?.addEventListener('abort', onCancel, { once: true });
	if (request.signal?.aborted) controller.abort();
	const aborted = (): AttemptError =>
		timedOut
			? { kind: 'error', type: 'timeout', message: `timed out after ${request.timeoutMs} ms` }
			: { kind: 'error', type: 'cancelled', message: 'cancelled' };
	try {
		let url = request.url;
		let headers: Readonly<Record<string, string>> = request.headers;
		const policy = request.redirect ?? DEFAULT_REDIRECT_POLICY;
		for (let redirects = 0; ; redirects++) {
			const result = await sendOnce(request, url, headers, controller.signal, aborted);
			if (result.kind === 'error' || !REDIRECT_STATUSES.has(result.status) || redirects >= request.maxRedirects) return result;
			const location = result.headers.location;
			if (!location) return result;
			let next: URL;
			try {
				next = new URL(location, url);
			} catch {
				return result;
			}
			const check = checkDestinationUrl(next.href, request.refuseNonPublic);
			if (!check.ok) return { kind: 'error', type: 'refused', message: `redirect refused: ${check.reason}` };
			const step = followRedirect(request.url, url, check.url, headers, policy);
			if (!step.ok) return { kind: 'error', type: 'refused', message: step.reason };
			url = step.url;
			headers = step.headers;
		}
	} finally {
		clearTimeout(timer);
		request.signal?.removeEventListener('abort', onCancel);
	}
}

async function sendOnce(
	request: AttemptRequest,
	url: URL,
	headers: Readonly<Record<string, string>>,
	signal: AbortSignal,
	aborted: () => AttemptError,
): Promise<AttemptResult> {
	if (signal.aborted) return aborted();
	return await new Promise<AttemptResult>((resolve) => {
		let clientRequest: http.ClientRequest | undefined;
		let settled = false;
		const onAbort = () => clientRequest?.destroy(new AttemptTimeoutError());
		const settle = (result: AttemptResult) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			resolve(result);
		};
		const isHttps = url.protocol === 'https:';
		try {
			clientRequest = (isHttps ? https : http).request(url, {
				method: request.method,
				headers: { ...headers, 'content-length': String(request.body.length) },
				agent: isHttps ? request.pool.https : request.pool.http,
				lookup: request.lookup,
			});
		} catch (error) {
			// Invalid header names or values are rejected synchronously and will not get better on retry.
			settle({ kind: 'error', type: 'invalidRequest', message: errorCode(error) });
			return;
		}
		signal.addEventListener('abort', onAbort, { once: true });

		clientRequest.on('error', (error) => {
			if (error instanceof AttemptTimeoutError || signal.aborted) {
				settle(aborted());
				return;
			}
			const refused = (error as NodeJS.ErrnoException).code === 'ERR_DESTINATION_REFUSED';
			settle({ kind: 'error', type: refused ? 'refused' : 'network', message: refused ? error.message : errorCode(error) });
		});
		clientRequest.on('response', (response) => {
			const chunks: Buffer[] = [];
			let received = 0;
			let truncated = false;
			const finish = () =>
				settle({
					kind: 'response',
					status: response.statusCode ?? 0,
					headers: response.headers,
					body: Buffer.concat(chunks),
					truncated,
					finalUrl: url,
				});
			response.on('data', (chunk: Buffer) => {
				if (truncated) return;
				const room = request.maxResponseBytes - received;
				if (chunk.length > room) {
					chunks.push(chunk.subarray(0, Math.max(0, room)));
					received += Math.max(0, room);
					truncated = true;
					// The status is known and the rest of the body is not wanted: stop reading rather than download it.
					finish();
					response.destroy();
					return;
				}
				chunks.push(chunk);
				received += chunk.length;
			});
			response.on('end', finish);
			response.on('error', (error) => {
				if (signal.aborted) settle(aborted());
				else settle({ kind: 'error', type: 'network', message: errorCode(error) });
			});
			// A connection dropped halfway through the body ends with 'close' and neither 'end' nor 'error'.
			response.on('close', () => {
				if (signal.aborted) settle(aborted());
				else settle({ kind: 'error', type: 'network', message: 'ECONNRESET' });
			});
		});
		clientRequest.end(request.body);
	});
}

/** Error codes (ECONNREFUSED, ECONNRESET, ...) say what happened without quoting anything from the request. */
function errorCode(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (typeof code === 'string' && code !== '') return code;
	return error instanceof Error ? error.name : 'request failed';
}
