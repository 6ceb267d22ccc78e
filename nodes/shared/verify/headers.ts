import type { HeaderMap } from '../http';
import { fail } from './results';
import type { VerificationFailure } from './types';

/** Real signature headers are short; anything longer is garbage we refuse to parse. */
export const MAX_HEADER_CHARS = 8192;

/**
 * The one value of a header. A missing header is `missing_signature`; a repeated or oversized one is
 * `malformed_signature`, because two competing values leave no honest way to pick one.
 */
export function readSingleHeader(headers: HeaderMap, name: string): string | VerificationFailure {
	let value = headers[name.toLowerCase()];
	if (Array.isArray(value)) {
		if (value.length > 1) return fail('malformed_signature');
		value = value[0];
	}
	if (typeof value !== 'string' || value === '') return fail('missing_signature');
	if (value.length > MAX_HEADER_CHARS) return fail('malformed_signature');
	return value;
}

/** What String.prototype.trim removes among the characters an HTTP header can hold (Node reads headers as Latin-1). */
export function isLatin1Whitespace(code: number): boolean {
	return code === 32 || (code >= 9 && code <= 13) || code === 160;
}
