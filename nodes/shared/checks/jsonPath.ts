export type PathSegment = string | number;

// Reading these would step from the payload into JavaScript's object machinery instead of its data.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_CACHED_PATHS = 256;
const parsedPaths = new Map<string, readonly PathSegment[]>();

/**
 * The value at a dot path such as `data.object.id` or `entries[0].changes[1].field` (an optional leading `$.` is
 * accepted), or undefined when any step is missing. Only own properties of plain objects and indices of arrays are
 * followed; `__proto__`, `constructor` and `prototype` are never followed. An empty path returns the value itself.
 * Throws on a malformed path (a configuration error), never on the value.
 */
export function readPath(value: unknown, path: string): unknown {
	let current: unknown = value;
	for (const segment of parsePathCached(path)) {
		if (typeof segment === 'number') {
			if (!Array.isArray(current) || segment >= current.length) return undefined;
			current = current[segment];
			continue;
		}
		if (typeof current !== 'object' || current === null) return undefined;
		if (Array.isArray(current)) {
			// `items.0` reads like `items[0]`.
			if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
			const index = Number(segment);
			if (index >= current.length) return undefined;
			current = current[index];
			continue;
		}
		if (FORBIDDEN_KEYS.has(segment) || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

/** Splits a path into property names and array indices; throws an Error naming the path when it is malformed. */
export function parsePath(path: string): PathSegment[] {
	let rest = path.trim();
	if (rest === '$') rest = '';
	else if (rest.startsWith('$.') || rest.startsWith('$[')) rest = rest.slice(1).replace(/^\./, '');

	const segments: PathSegment[] = [];
	if (rest === '') return segments;
	let position = 0;
	let expectName = !rest.startsWith('[');
	while (position < rest.length) {
		if (expectName) {
			const match = /^[^.[\]]+/.exec(rest.slice(position));
			if (match === null) throw malformed(path);
			const name = match[0];
			segments.push(name);
			position += name.length;
		}
		while (rest[position] === '[') {
			const match = /^\[(0|[1-9]\d{0,8})\]/.exec(rest.slice(position));
			if (match === null) throw malformed(path);
			segments.push(Number(match[1]));
			position += match[0].length;
		}
		if (position === rest.length) break;
		if (rest[position] !== '.') throw malformed(path);
		position++;
		if (position === rest.length) throw malformed(path);
		expectName = true;
	}
	return segments;
}

function parsePathCached(path: string): readonly PathSegment[] {
	let segments = parsedPaths.get(path);
	if (segments === undefined) {
		segments = parsePath(path);
		if (parsedPaths.size >= MAX_CACHED_PATHS) parsedPaths.clear();
		parsedPaths.set(path, segments);
	}
	return segments;
}

function malformed(path: string): Error {
	return new Error(`Invalid path "${shorten(path)}": use dot notation with array indices, such as data.items[0].id`);
}

function shorten(text: string): string {
	return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
