import { BatchAssembler, MAX_BATCH_ITEMS, type BatchLimits } from '../../../nodes/SignedWebhook/batchAssembler';
import { batchOverheadBytes } from '../../../nodes/SignedWebhook/batchBody';

const overhead = (count: number) => batchOverheadBytes('jsonArray', count);

function assembler(limits: Partial<BatchLimits> = {}) {
	return new BatchAssembler<string>({ maxItems: 3, maxBytes: 1_000_000, lingerMs: 0, ...limits }, overhead);
}

const entry = (key: string, value: string, bytes = 10) => ({ key, bytes, value });

describe('BatchAssembler', () => {
	it('closes a batch as soon as it holds the most items, and keeps the arrival order', () => {
		const batches = assembler();
		expect(batches.add(entry('u1', 'a'), 0)).toEqual([]);
		expect(batches.add(entry('u1', 'b'), 0)).toEqual([]);
		expect(batches.add(entry('u1', 'c'), 0)).toEqual([{ key: 'u1', entries: ['a', 'b', 'c'], bytes: 30 + overhead(3) }]);
		expect(batches.add(entry('u1', 'd'), 0)).toEqual([]);
		expect(batches.flush()).toEqual([{ key: 'u1', entries: ['d'], bytes: 10 + overhead(1) }]);
		expect(batches.flush()).toEqual([]);
	});

	it('keeps keys (destinations) apart', () => {
		const batches = assembler();
		for (const [key, value] of [['u1', 'a'], ['u2', 'x'], ['u1', 'b'], ['u2', 'y']]) batches.add(entry(key, value), 0);
		expect(batches.flush().map((batch) => [batch.key, batch.entries])).toEqual([
			['u1', ['a', 'b']],
			['u2', ['x', 'y']],
		]);
	});

	it('never lets a batch body grow past the byte limit, counting the separators and brackets', () => {
		// Three 10-byte entries make 30 + 2 brackets + 2 commas = 34 bytes.
		const batches = assembler({ maxItems: 10, maxBytes: 34 });
		expect(batches.add(entry('u', 'a'), 0)).toEqual([]);
		expect(batches.add(entry('u', 'b'), 0)).toEqual([]);
		expect(batches.add(entry('u', 'c'), 0)).toEqual([{ key: 'u', entries: ['a', 'b', 'c'], bytes: 34 }]);

		const tight = assembler({ maxItems: 10, maxBytes: 33 });
		tight.add(entry('u', 'a'), 0);
		tight.add(entry('u', 'b'), 0);
		expect(tight.add(entry('u', 'c'), 0)).toEqual([{ key: 'u', entries: ['a', 'b'], bytes: 23 }]);
		expect(tight.flush()).toEqual([{ key: 'u', entries: ['c'], bytes: 12 }]);
	});

	it('sends an item larger than the limit on its own, after closing the batch it would not fit into', () => {
		const batches = assembler({ maxItems: 10, maxBytes: 50 });
		batches.add(entry('u', 'small'), 0);
		expect(batches.add(entry('u', 'huge', 400), 0)).toEqual([
			{ key: 'u', entries: ['small'], bytes: 12 },
			{ key: 'u', entries: ['huge'], bytes: 402 },
		]);
		expect(batches.flush()).toEqual([]);
	});

	it('with linger, closes a partial batch once its first item has waited that long; without, never before flush', () => {
		const lingering = assembler({ lingerMs: 100 });
		lingering.add(entry('u1', 'a'), 1000);
		lingering.add(entry('u2', 'x'), 1050);
		lingering.add(entry('u1', 'b'), 1090);
		expect(lingering.nextDueAtMs()).toBe(1100);
		expect(lingering.due(1099)).toEqual([]);
		expect(lingering.due(1100)).toEqual([{ key: 'u1', entries: ['a', 'b'], bytes: 20 + overhead(2) }]);
		expect(lingering.nextDueAtMs()).toBe(1150);
		expect(lingering.due(1200).map((batch) => batch.entries)).toEqual([['x']]);
		expect(lingering.nextDueAtMs()).toBeUndefined();

		const patient = assembler();
		patient.add(entry('u', 'a'), 0);
		expect(patient.due(1_000_000)).toEqual([]);
		expect(patient.nextDueAtMs()).toBeUndefined();
		expect(patient.flush().map((batch) => batch.entries)).toEqual([['a']]);
	});

	it('starts the linger clock afresh for the batch after a full one', () => {
		const batches = assembler({ maxItems: 2, lingerMs: 100 });
		batches.add(entry('u', 'a'), 0);
		batches.add(entry('u', 'b'), 10);
		batches.add(entry('u', 'c'), 90);
		expect(batches.due(150)).toEqual([]);
		expect(batches.due(190).map((batch) => batch.entries)).toEqual([['c']]);
	});

	it('refuses limits outside 1 to 1,000 items, no bytes, or a negative linger', () => {
		expect(() => assembler({ maxItems: 0 })).toThrow(RangeError);
		expect(() => assembler({ maxItems: MAX_BATCH_ITEMS + 1 })).toThrow('A batch holds 1 to 1000 items');
		expect(() => assembler({ maxItems: 1.5 })).toThrow(RangeError);
		expect(() => assembler({ maxBytes: 0 })).toThrow(RangeError);
		expect(() => assembler({ lingerMs: -1 })).toThrow(RangeError);
		expect(() => assembler({ maxItems: MAX_BATCH_ITEMS })).not.toThrow();
	});
});
