import { InvalidPathError, parsePath, readPathSegments, type PathSegment } from '../shared/jsonPath';

/**
 * A condition's field written as a dot path (`body.data.confidence`, `choices[0].message.content`): the shared
 * path syntax of nodes/shared/jsonPath.ts, parsed once per execution, with the router's names and messages.
 */
export interface FieldPath {
	/** The path as the user wrote it, for messages and annotations. */
	readonly text: string;
	readonly segments: readonly PathSegment[];
}

export class FieldPathError extends Error {}

export function parseFieldPath(text: string): FieldPath {
	const trimmed = text.trim();
	if (trimmed === '') throw new FieldPathError('the field is empty');
	try {
		return { text: trimmed, segments: parsePath(trimmed) };
	} catch (error) {
		if (error instanceof InvalidPathError) {
			throw new FieldPathError(`"${trimmed}" is not a valid field path (use a.b.c or a.list[0].b)`);
		}
		throw error;
	}
}

export function readFieldPath(root: unknown, path: FieldPath): unknown {
	return readPathSegments(root, path.segments);
}
