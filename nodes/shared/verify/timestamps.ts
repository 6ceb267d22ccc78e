import { readPath } from '../jsonPath';
import type { VerifyOptions } from './types';

/**
 * How a provider writes its signed timestamp:
 * - `s`: Unix seconds, digits only (Stripe, Slack, Standard Webhooks)
 * - `ms`: Unix milliseconds, digits only
 * - `auto`: seconds, or milliseconds when the value is at least 10¹¹ (no real timestamp is ambiguous: as seconds
 *   that is after the year 5000, as milliseconds after March 1973); a decimal fraction is allowed
 * - `iso8601`: `2024-05-01T12:00:00Z` or with an offset, optionally with fractional seconds
 */
export type TimestampUnit = 's' | 'ms' | 'auto' | 'iso8601';

const FIRST_MILLISECOND_TIMESTAMP = 100_000_000_000;
const DECIMAL_TIMESTAMP = /^\d{1,16}(\.\d{1,9})?$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_ISO_CHARS = 40;

/** A Unix timestamp written as plain digits (no sign, no exponent, no fraction), or undefined. */
export function parseUnixTimestamp(text: string): number | undefined {
	// A digit loop rather than /^\d{1,15}$/ and Number(): this runs on every verification. 15 digits stay exact.
	if (text.length === 0 || text.length > 15) return undefined;
	let value = 0;
	for (let index = 0; index < text.length; index++) {
		const digit = text.charCodeAt(index) - 48;
		if (digit < 0 || digit > 9) return undefined;
		value = value * 10 + digit;
	}
	return value;
}

/** Unix seconds (possibly fractional) from a timestamp written in `unit`, or undefined when it is not one. */
export function parseTimestamp(text: string, unit: TimestampUnit): number | undefined {
	switch (unit) {
		case 's':
			return parseUnixTimestamp(text);
		case 'ms': {
			const value = parseUnixTimestamp(text);
			return value === undefined ? undefined : value / 1000;
		}
		case 'auto': {
			if (text.length > 26 || !DECIMAL_TIMESTAMP.test(text)) return undefined;
			const value = Number(text);
			if (!Number.isFinite(value)) return undefined;
			return value >= FIRST_MILLISECOND_TIMESTAMP ? value / 1000 : value;
		}
		case 'iso8601': {
			if (text.length > MAX_ISO_CHARS || !ISO_8601.test(text)) return undefined;
			const milliseconds = Date.parse(text);
			return Number.isFinite(milliseconds) ? milliseconds / 1000 : undefined;
		}
		default:
			return undefined;
	}
}

/** `seconds` written the way `unit` reads it back (what a sender puts in its header). */
export function formatTimestamp(seconds: number, unit: TimestampUnit): string {
	switch (unit) {
		case 'ms':
			return String(Math.round(seconds * 1000));
		case 'iso8601':
			return new Date(Math.round(seconds * 1000)).toISOString();
		default:
			return String(Math.floor(seconds));
	}
}

/** Rejects stale deliveries (replays) and ones dated in the future (skewed or forged clocks) alike. */
export function isWithinTolerance(timestampSeconds: number, options: Pick<VerifyOptions, 'nowSeconds' | 'toleranceSeconds'>): boolean {
	return Math.abs(options.nowSeconds - timestampSeconds) <= options.toleranceSeconds;
}

export function nowInSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

/** A timestamp a provider signs inside its JSON body (Linear's `webhookTimestamp`), as text; undefined if absent or not JSON. */
export function timestampFromBody(rawBody: Buffer, path: string): string | undefined {
	try {
		const value = readPath(JSON.parse(rawBody.toString('utf8')) as unknown, path);
		if (typeof value === 'string') return value;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	} catch {
		// Not JSON: no timestamp (the recipe reports the signature as malformed).
	}
	return undefined;
}
