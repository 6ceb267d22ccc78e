import {
	BATCH_CONTENT_TYPES,
	BATCH_FORMATS,
	BATCH_ID_LENGTH,
	batchBody,
	batchOverheadBytes,
	eventEnvelope,
	type BatchEvent,
} from '../../../nodes/SignedWebhook/batchBody';

const BATCH_ID = '0b7f6c1e-2a4d-4c3e-9f10-5d6e7f8a9b0c';

function event(id: string, payload: unknown, type = 'order.created'): BatchEvent {
	const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(JSON.stringify(payload), 'utf8');
	return { id, type, payload, body };
}

describe('eventEnvelope', () => {
	it('wraps the item with its own id and type, its JSON bytes unchanged as data', () => {
		const envelope = eventEnvelope(event('evt_1', { total: 9.5, note: 'Grüße ✓' }));
		expect(envelope.toString('utf8')).toBe('{"id":"evt_1","type":"order.created","data":{"total":9.5,"note":"Grüße ✓"}}');
		expect(JSON.parse(envelope.toString('utf8'))).toEqual({ id: 'evt_1', type: 'order.created', data: { total: 9.5, note: 'Grüße ✓' } });
	});

	it('leaves the type out when the item has none, and makes a string payload a JSON string', () => {
		expect(eventEnvelope(event('evt_2', 'raw "text"\n', '')).toString()).toBe('{"id":"evt_2","data":"raw \\"text\\"\\n"}');
	});

	it('escapes ids and types as JSON', () => {
		expect(JSON.parse(eventEnvelope(event('a"b\\c', null, 'x\u2028y')).toString())).toEqual({ id: 'a"b\\c', type: 'x\u2028y', data: null });
	});
});

describe('batchBody', () => {
	const envelopes = [event('e1', { n: 1 }), event('e2', [1, 2]), event('e3', 'text', '')].map(eventEnvelope);

	it('JSON array: the envelopes in order', () => {
		expect(JSON.parse(batchBody('jsonArray', BATCH_ID, envelopes).toString())).toEqual([
			{ id: 'e1', type: 'order.created', data: { n: 1 } },
			{ id: 'e2', type: 'order.created', data: [1, 2] },
			{ id: 'e3', data: 'text' },
		]);
	});

	it('object with events: the batch id and the envelopes', () => {
		const parsed = JSON.parse(batchBody('eventsObject', BATCH_ID, envelopes).toString()) as { batchId: string; events: Array<{ id: string }> };
		expect(parsed.batchId).toBe(BATCH_ID);
		expect(parsed.events.map((entry) => entry.id)).toEqual(['e1', 'e2', 'e3']);
	});

	it('NDJSON: one envelope per line, every line ending in a newline', () => {
		const text = batchBody('ndjson', BATCH_ID, envelopes).toString();
		expect(text.endsWith('\n')).toBe(true);
		expect(text.split('\n').slice(0, -1).map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['e1', 'e2', 'e3']);
		expect(BATCH_CONTENT_TYPES.ndjson).toBe('application/x-ndjson');
	});

	it('knows the exact size of every format before the batch exists, for any number of events', () => {
		expect(BATCH_ID).toHaveLength(BATCH_ID_LENGTH);
		for (const format of BATCH_FORMATS) {
			for (let count = 1; count <= envelopes.length; count++) {
				const some = envelopes.slice(0, count);
				const size = some.reduce((sum, envelope) => sum + envelope.length, 0) + batchOverheadBytes(format, count);
				expect(batchBody(format, BATCH_ID, some).length).toBe(size);
			}
		}
	});
});
