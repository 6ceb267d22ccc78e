import { LruMap } from './stores/lruMap';

/** A property name or an array index in a parsed path. */
export type PathSegment = string | number;

/** A path that cannot be parsed: a configuration error, never caused by the payload. */
export class InvalidPathError extends Error {
	/** The path as written. */
	readonly path: string;

	constructor(path: string) {
		super(`Invalid path "${shorten(path)}": use dot notation with array indices, such as data.items[0].id`);
		this.name = 'InvalidPathError';
		this.path = path;
	}
}

// Reading these would step from the payload into JavaScript's object machinery instead of its data. n8n's own
// expressions refuse them too (`$json.constructor` fails "due to security concerns"), own property or not.
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
// One bit per length of a forbidden key (`1 << length` wraps for 32 and more, which only costs a set lookup): testing
// the length first keeps the set lookup, measurably slower, off the AI Router's per-item reads.
const FORBIDDEN_KEY_LENGTHS = [...FORBIDDEN_KEYS].reduce((bits, key) => bits | (1 << key.length), 0);
// `$` is the JSONPath habit, `$json` the n8n one: both name the value itself.
const ROOT = /^\$(?:json)?(?=$|[.[])/;
const NAME = /^[^.[\]]+/;
const INDEX = /^\[(0|[1-9]\d{0,8})\]/;
const MAX_CACHED_PATHS = 256;
const parsedPaths = new LruMap<readonly PathSegment[]>(MAX_CACHED_PATHS);

/**
 * Splits a dot path such as `data.object.id`, `entries[0].changes[1].field` or `$json.body.score` into property names
 * and array indices (`['entries', 0, 'changes', 1, 'field']`). Surrounding spaces, a leading `$.` or `$json.` are
 * ignored; `''`, `$` and `$json` give no segments (the value itself). Dots always separate names, so a key that
 * contains a dot or a bracket cannot be reached. Throws InvalidPathError on a malformed path.
 */
export function parsePath(path: string): PathSegment[] {
	let rest = path.trim();
	const root = ROOT.exec(rest);
	if (root !== null) {
		rest = rest.slice(root[0].length);
		if (rest.startsWith('.')) {
			rest = rest.slice(1);
			if (rest === '') throw new InvalidPathError(path);
		}
	}

	const segments: PathSegment[] = [];
	if (rest === '') return segments;
	let position = 0;
	let expectName = !rest.startsWith('[');
	while (position < rest.length) {
		if (expectName) {
			const match = NAME.exec(rest.slice(position));
			if (match === null) throw new InvalidPathError(path);
			segments.push(match[0]);
			position += match[0].length;
		}
		while (rest[position] === '[') {
			const match = INDEX.exec(rest.slice(position));
			if (match === null) throw new InvalidPathError(path);
			segments.push(Number(match[1]));
			position += match[0].length;
		}
		if (position === rest.length) break;
		if (rest[position] !== '.') throw new InvalidPathError(path);
		position++;
		if (position === rest.length) throw new InvalidPathError(path);
		expectName = true;
	}
	return segments;
}

/**
 * The value at parsed `segments`, or undefined when any step is missing. Only own properties are followed: on
 * arrays, indices (`[0]` or `.0`) and `length`; `__proto__`, `constructor` and `prototype` never, even when
 * `JSON.parse` made them own properties. No segments return the value itself. Never throws.
 */
export function readPathSegments(value: unknown, segments: readonly PathSegment[]): unknown {
	let current = value;
	// A plain loop: the AI Router calls this per item and condition.
	for (let i = 0; i < segments.length; i++) {
		if (current === null || typeof current !== 'object') return undefined;
		const segment = segments[i];
		// Own properties of an array are exactly its indices in canonical form and `length`, so `items.01` and
		// `items[5]` of a shorter array are absent without a separate index check.
		if (!Object.hasOwn(current, segment) || isForbiddenKey(segment)) return undefined;
		current = (current as Record<PathSegment, unknown>)[segment];
	}
	return current;
}

/** `readPathSegments(value, parsePath(path))`, with the parsed paths cached. Throws InvalidPathError like parsePath. */
export function readPath(value: unknown, path: string): unknown {
	return readPathSegments(value, parsePathCached(path));
}

function isForbiddenKey(segment: PathSegment): boolean {
	return (
		typeof segment === 'string' &&
		(FORBIDDEN_KEY_LENGTHS & (1 << segment.length)) !== 0 &&
		FORBIDDEN_KEYS.has(segment)
	);
}

function parsePathCached(path: string): readonly PathSegment[] {
	let segments = parsedPaths.get(path);
	if (segments === undefined) {
		segments = parsePath(path);
		parsedPaths.set(path, segments);
	}
	return segments;
}

function shorten(text: string): string {
	return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
