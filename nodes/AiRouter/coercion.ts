/**
 * How the router reads a field's value as a number, a boolean or a text. Each reader returns undefined
 * for a value it does not accept, so the caller can report the field as invalid instead of guessing.
 */

// Plain decimal notation only: `Number()` would also take '', ' ', '0x1F', 'Infinity', which are not
// what a confidence score or an amount looks like.
const DECIMAL_NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A finite number from a number or a numeric string. Booleans, arrays, NaN and Infinity are refused. */
export function toFiniteNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && DECIMAL_NUMBER.test(value)) {
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : undefined;
	}
	return undefined;
}

/** true/false from a boolean or the strings "true"/"false" (any case, surrounding spaces ignored). */
export function toBooleanValue(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const word = value.trim().toLowerCase();
		if (word === 'true') return true;
		if (word === 'false') return false;
	}
	return undefined;
}

/** Text for the string operators: strings as they are, numbers and booleans as JavaScript prints them. */
export function toText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return undefined;
}

/** Absent: the path does not resolve, or resolves to null. */
export function isMissing(value: unknown): value is null | undefined {
	return value === undefined || value === null;
}

function isPlainObject(value: object): boolean {
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/** Missing, a blank string, an empty array or a plain object without keys. 0, false and
 * dates are values, not empty. */
export function isEmptyValue(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object' && isPlainObject(value)) return Object.keys(value).length === 0;
	return false;
}
