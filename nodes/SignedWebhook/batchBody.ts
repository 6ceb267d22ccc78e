/**
 * The bytes of a batch request. Every event travels in an envelope with its own id, so a receiver can split the
 * batch and de-duplicate event by event; the batch has an id of its own (stable across retries) for the request.
 *
 * - `jsonArray`: `[{"id":…,"type":…,"data":…},…]` (the batch id travels in the `x-batch-id` header)
 * - `eventsObject`: `{"batchId":"…","events":[{"id":…,"type":…,"data":…},…]}`
 * - `ndjson`: one envelope per line, each line ending in `\n` (`application/x-ndjson`)
 */
export type BatchFormat = 'jsonArray' | 'eventsObject' | 'ndjson';

export const BATCH_FORMATS: readonly BatchFormat[] = ['jsonArray', 'eventsObject', 'ndjson'];

export const BATCH_CONTENT_TYPES: Readonly<Record<BatchFormat, string>> = {
	jsonArray: 'application/json',
	eventsObject: 'application/json',
	ndjson: 'application/x-ndjson',
};

/** Batch ids are UUIDs: their fixed length lets a batch's size be known before its id is drawn. */
export const BATCH_ID_LENGTH = 36;

export interface BatchEvent {
	id: string;
	/** Empty: the envelope has no `type`. */
	type: string;
	/** The item's payload. */
	payload: unknown;
	/** The bytes a single delivery of the item would send: JSON for any value, the text itself for a string field. */
	body: Buffer;
}

/**
 * `{"id":…,"type":…,"data":…}`. `data` is the payload's JSON: the item's own serialised bytes, unchanged, for any JSON
 * value; a string payload (sent as raw text on its own) becomes a JSON string.
 */
export function eventEnvelope(event: BatchEvent): Buffer {
	const head = `{"id":${JSON.stringify(event.id)}${event.type === '' ? '' : `,"type":${JSON.stringify(event.type)}`},"data":`;
	const data = typeof event.payload === 'string' ? Buffer.from(JSON.stringify(event.payload), 'utf8') : event.body;
	return Buffer.concat([Buffer.from(head, 'utf8'), data, CLOSE_BRACE]);
}

const CLOSE_BRACE = Buffer.from('}');
const COMMA = Buffer.from(',');
const NEWLINE = Buffer.from('\n');

/** The batch body around already built envelopes. */
export function batchBody(format: BatchFormat, batchId: string, envelopes: readonly Buffer[]): Buffer {
	if (format === 'ndjson') return Buffer.concat(envelopes.flatMap((envelope) => [envelope, NEWLINE]));
	const list = Buffer.concat(envelopes.flatMap((envelope, index) => (index === 0 ? [envelope] : [COMMA, envelope])));
	if (format === 'jsonArray') return Buffer.concat([Buffer.from('['), list, Buffer.from(']')]);
	return Buffer.concat([Buffer.from(`{"batchId":${JSON.stringify(batchId)},"events":[`, 'utf8'), list, Buffer.from(']}')]);
}

/** The bytes a batch of `count` envelopes adds around them, for a batch id of {@link BATCH_ID_LENGTH} ASCII characters. */
export function batchOverheadBytes(format: BatchFormat, count: number): number {
	if (format === 'ndjson') return count;
	const separators = Math.max(0, count - 1);
	if (format === 'jsonArray') return 2 + separators;
	return '{"batchId":"'.length + BATCH_ID_LENGTH + '","events":['.length + separators + ']}'.length;
}
