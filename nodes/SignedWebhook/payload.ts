import { readPath } from '../shared/jsonPath';

export type PayloadSource = 'item' | 'field';

export interface SerialisedPayload {
	/** What was serialised: the item's JSON or the chosen field's value. */
	value: unknown;
	/** The exact bytes that are signed and sent. */
	body: Buffer;
}

/**
 * Serialises an item's payload once. A string field is sent as its UTF-8 text unchanged, so a body that was
 * already serialised upstream (or is not JSON) goes out byte for byte; anything else is sent as JSON.
 */
export function serialisePayload(json: Readonly<Record<string, unknown>>, source: PayloadSource, fieldPath: string): SerialisedPayload {
	if (source === 'item') return { value: json, body: Buffer.from(JSON.stringify(json), 'utf8') };
	// The paths the trigger and the AI Router read (nodes/shared/jsonPath.ts); a malformed one (`a..b`) is refused.
	const value = fieldPath.trim() === '' ? undefined : readPath(json, fieldPath);
	if (value === undefined) throw new Error(`The item has no field "${fieldPath}"`);
	if (typeof value === 'string') return { value, body: Buffer.from(value, 'utf8') };
	return { value, body: Buffer.from(JSON.stringify(value), 'utf8') };
}
