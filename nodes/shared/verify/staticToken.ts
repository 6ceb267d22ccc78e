import { readSingleHeader } from './headers';
import { safeEqualText } from './constantTime';
import { fail } from './results';
import { secretCandidates } from './secretCandidates';
import type { IncomingWebhook, SignInput, SigningSecrets, VerificationResult } from './types';

/**
 * Providers that authenticate the sender with a shared token instead of signing the payload (GitLab, many SaaS
 * "secret token" fields, HTTP Basic credentials in the URL, `?token=` in the URL). The body is not authenticated:
 * this only proves the sender knows the token, so it must travel over HTTPS. Every comparison is constant-time.
 */
export type TokenLocation =
	/**
	 * A header carrying the token. `bearer`: `required` means `Bearer <token>` (the scheme name in any case), `optional`
	 * accepts it with or without, absent means the value is the token itself.
	 */
	| { header: string; bearer?: 'required' | 'optional' }
	/** `Authorization: Basic …` whose decoded `user:password` equals the secret (written `user:password`). */
	| { basicAuth: true }
	/** A query-string parameter carrying the token. */
	| { query: string };

export interface TokenRecipe {
	kind: 'token';
	location: TokenLocation;
}

const BEARER = /^Bearer[ \t]+(\S+)$/i;
const BASIC = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})$/i;
/** Longer query values are not a token anyone configured. */
const MAX_QUERY_CHARS = 4096;

function compareCandidates(received: string, secrets: SigningSecrets): VerificationResult {
	const candidates = secretCandidates(secrets);
	if (candidates.length === 0) return fail('missing_key');
	for (const candidate of candidates) {
		if (safeEqualText(received, candidate.key)) return { ok: true, matched: candidate.matched };
	}
	return fail('invalid_signature');
}

/** The single value of a query parameter, without decoding twice; a repeated parameter is malformed. */
function queryValue(url: string, name: string): string | VerificationResult {
	const queryStart = url.indexOf('?');
	if (queryStart === -1) return fail('missing_signature');
	const query = url.slice(queryStart + 1);
	if (query.length > 8 * MAX_QUERY_CHARS) return fail('malformed_signature');
	const values = new URLSearchParams(query).getAll(name);
	if (values.length === 0 || values[0] === '') return fail('missing_signature');
	if (values.length > 1 || values[0].length > MAX_QUERY_CHARS) return fail('malformed_signature');
	return values[0];
}

function receivedToken(location: TokenLocation, request: IncomingWebhook): string | VerificationResult {
	if ('query' in location) return queryValue(request.url, location.query);
	const header = readSingleHeader(request.headers, 'basicAuth' in location ? 'authorization' : location.header);
	if (typeof header !== 'string') return header;
	// A bare token is compared exactly as received; around a scheme name, whitespace is only separation.
	const value = 'basicAuth' in location || location.bearer !== undefined ? header.trim() : header;
	if ('basicAuth' in location) {
		const basic = BASIC.exec(value);
		if (!basic) return fail('malformed_signature');
		return Buffer.from(basic[1], 'base64').toString('utf8');
	}
	if (value === '') return fail('missing_signature');
	if (location.bearer === undefined) return value;
	const bearer = BEARER.exec(value);
	if (bearer) return bearer[1];
	return location.bearer === 'required' ? fail('malformed_signature') : value;
}

/** Verifies a static token (header, Basic credentials or query parameter) against the current and previous secret. */
export function verifyTokenRecipe(recipe: TokenRecipe, request: IncomingWebhook, secrets: SigningSecrets): VerificationResult {
	if (secretCandidates(secrets).length === 0) return fail('missing_key');
	const token = receivedToken(recipe.location, request);
	if (typeof token !== 'string') return token;
	return compareCandidates(token, secrets);
}

/**
 * What a sender adds: the token header, or `Authorization: Basic`. A query-string token goes into the URL instead
 * (see `tokenQueryUrl`), so no header is returned for it.
 */
export function signTokenRecipe(recipe: TokenRecipe, input: Pick<SignInput, 'key'>): Record<string, string> {
	const location = recipe.location;
	if ('query' in location) return {};
	if ('basicAuth' in location) return { authorization: `Basic ${Buffer.from(input.key, 'utf8').toString('base64')}` };
	const name = location.header.trim().toLowerCase();
	return { [name]: location.bearer === 'required' ? `Bearer ${input.key}` : input.key };
}

/** `url` with the token as the recipe's query parameter (for query-string recipes). */
export function tokenQueryUrl(recipe: TokenRecipe, url: string, token: string): string {
	if (!('query' in recipe.location)) return url;
	return `${url}${url.includes('?') ? '&' : '?'}${encodeURIComponent(recipe.location.query)}=${encodeURIComponent(token)}`;
}

/** Headers that carry the token (redacted in outputs). */
export function tokenRecipeSensitiveHeaders(recipe: TokenRecipe): string[] {
	const location = recipe.location;
	if ('query' in location) return [];
	return ['basicAuth' in location ? 'authorization' : location.header.trim().toLowerCase()];
}
