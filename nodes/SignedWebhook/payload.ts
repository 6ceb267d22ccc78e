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
	const value = valueAtPath(json, fieldPath);
	if (value === undefined) throw new Error(`The item has no field "${fieldPath}"`);
	if (typeof value === 'string') return { value, body: Buffer.from(value, 'utf8') };
	return { value, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** `a.b[0].c` style paths; undefined when any step is missing. */
export function valueAtPath(root: unknown, path: string): unknown {
	const steps = path
		.trim()
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((step) => step !== '');
	if (steps.length === 0) return undefined;
	let current: unknown = root;
	for (const step of steps) {
		if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, step)) return undefined;
		current = (current as Record<string, unknown>)[step];
	}
	return current;
}
