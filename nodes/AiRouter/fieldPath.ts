/**
 * A dot path into an item's JSON (`body.data.confidence`, `choices[0].message.content`), parsed once per
 * execution so that reading it per item is a plain loop over keys.
 */
export interface FieldPath {
	/** The path as the user wrote it, for messages and annotations. */
	readonly text: string;
	readonly keys: readonly string[];
}

export class FieldPathError extends Error {}

// `$json.` is what n8n's own expressions start with; people type it out of habit, and a path that
// silently never resolves would send every item to the fallback.
const JSON_PREFIX = /^\$json\./;
const INDEXED_KEY = /^([^[\]]*)((?:\[\d+\])+)$/;

export function parseFieldPath(text: string): FieldPath {
	const trimmed = text.trim();
	if (trimmed === '') throw new FieldPathError('the field is empty');
	const keys: string[] = [];
	for (const part of trimmed.replace(JSON_PREFIX, '').split('.')) {
		const indexed = INDEXED_KEY.exec(part);
		if (indexed) {
			if (indexed[1] !== '') keys.push(indexed[1]);
			for (const index of indexed[2].slice(1, -1).split('][')) keys.push(index);
			continue;
		}
		if (part === '' || part.includes('[') || part.includes(']')) {
			throw new FieldPathError(`"${trimmed}" is not a valid field path (use a.b.c or a.list[0].b)`);
		}
		keys.push(part);
	}
	return { text: trimmed, keys };
}

/**
 * The value at `path`, or undefined when any step is absent. Only own properties count: a payload
 * without a `constructor` key must not "have" one through Object.prototype.
 */
export function readFieldPath(root: unknown, path: FieldPath): unknown {
	const keys = path.keys;
	let current: unknown = root;
	for (let i = 0; i < keys.length; i++) {
		if (current === null || typeof current !== 'object') return undefined;
		if (!Object.hasOwn(current, keys[i])) return undefined;
		current = (current as Record<string, unknown>)[keys[i]];
	}
	return current;
}
