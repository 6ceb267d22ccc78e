import { InvalidPathError, parsePath, readPath, readPathSegments } from '../../../nodes/shared/jsonPath';

const payload = {
	type: 'order.created',
	id: 'evt_1',
	data: {
		object: { id: 'ord_9', amount: 0, paid: false, note: null },
		items: [{ sku: 'a' }, { sku: 'b', tags: ['x', 'y'] }],
	},
	entry: [{ changes: [{ field: 'messages' }] }],
	grid: [
		[1, 2, 3],
		[4, 5, 6],
	],
	'dotted.key': 1,
};

describe('parsePath', () => {
	it('splits names and indices', () => {
		expect(parsePath('a.b[0][1].c')).toEqual(['a', 'b', 0, 1, 'c']);
		expect(parsePath('body.data.confidence')).toEqual(['body', 'data', 'confidence']);
		expect(parsePath('choices[0].message.content')).toEqual(['choices', 0, 'message', 'content']);
		expect(parsePath('grid[1][2]')).toEqual(['grid', 1, 2]);
		expect(parsePath('items.0.sku')).toEqual(['items', '0', 'sku']);
		expect(parsePath('[0].a')).toEqual([0, 'a']);
		expect(parsePath('header-name.with-dash')).toEqual(['header-name', 'with-dash']);
		expect(parsePath('with space.$x')).toEqual(['with space', '$x']);
	});

	it('ignores surrounding spaces and a leading $. or $json.', () => {
		expect(parsePath(' $.x ')).toEqual(['x']);
		expect(parsePath('  score ')).toEqual(['score']);
		expect(parsePath('$json.body.score')).toEqual(['body', 'score']);
		expect(parsePath('$[0].a')).toEqual([0, 'a']);
		expect(parsePath('$json[0].a')).toEqual([0, 'a']);
		expect(parsePath('$')).toEqual([]);
		expect(parsePath('$json')).toEqual([]);
		expect(parsePath('')).toEqual([]);
		// Only as the whole first step: these are ordinary names.
		expect(parsePath('$jsonx.a')).toEqual(['$jsonx', 'a']);
		expect(parsePath('a.$json.b')).toEqual(['a', '$json', 'b']);
	});

	it.each([
		['a..b'],
		['a.'],
		['.a'],
		['a['],
		['a[0'],
		['a[x]'],
		['a[-1]'],
		['a[01]'],
		['a[1.5]'],
		['a[1234567890]'],
		['a]'],
		['a]b'],
		['a[0]b'],
		['a.[0]'],
		['$.'],
		['$..a'],
		['$json.'],
	])('throws an InvalidPathError naming the malformed path %p', (path) => {
		let thrown: unknown;
		try {
			parsePath(path);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(InvalidPathError);
		expect((thrown as InvalidPathError).path).toBe(path);
		expect((thrown as Error).message).toBe(
			`Invalid path "${path}": use dot notation with array indices, such as data.items[0].id`,
		);
	});

	it('shortens a long path in the message but keeps it whole on the error', () => {
		const path = `${'a'.repeat(100)}..b`;
		expect(() => parsePath(path)).toThrow(`Invalid path "${'a'.repeat(80)}…"`);
		expect(() => parsePath(path)).toThrow(expect.objectContaining({ path }));
	});
});

describe('readPathSegments', () => {
	const read = (value: unknown, path: string) => readPathSegments(value, parsePath(path));

	it('reads names and indices, parsed once and read many times', () => {
		const segments = parsePath('data.items[1].sku');
		expect(readPathSegments(payload, segments)).toBe('b');
		expect(readPathSegments({ data: { items: [{}, { sku: 'c' }] } }, segments)).toBe('c');
		expect(readPathSegments({ data: { items: [] } }, segments)).toBeUndefined();
		expect(readPathSegments(payload, [])).toBe(payload);
	});

	it('reads array length as an own property of the array, never a text length', () => {
		expect(read(payload, 'data.items.length')).toBe(2);
		expect(read([1, 2], 'length')).toBe(2);
		expect(read(payload, 'type.length')).toBeUndefined();
		expect(read('text', 'length')).toBeUndefined();
	});

	it('reads a bracket index on an object as its key, as JavaScript does', () => {
		expect(read({ a: { 0: 'zero' } }, 'a[0]')).toBe('zero');
		expect(read(payload, 'data.object[0]')).toBeUndefined();
	});

	it('follows only own data: a parsed path naming __proto__, constructor or prototype never resolves', () => {
		expect(read({}, 'constructor')).toBeUndefined();
		expect(read({}, '__proto__')).toBeUndefined();
		expect(read({ a: {} }, 'a.toString')).toBeUndefined();
		// n8n's expressions refuse `$json.constructor` even when the payload has such a key; so do paths.
		expect(read(JSON.parse('{"constructor": 5}'), 'constructor')).toBeUndefined();
		expect(read(JSON.parse('{"prototype": 5}'), 'prototype')).toBeUndefined();
		expect(read(JSON.parse('{"__proto__": 5}'), '__proto__')).toBeUndefined();
	});

	it('reads keys of every length, including as long as a forbidden key and 32 characters more', () => {
		for (const key of ['abcdefghi', 'abcdefghijk', 'a'.repeat(41), 'a'.repeat(43), 'x'.repeat(300)]) {
			expect(read({ [key]: { [key]: 1 } }, `${key}.${key}`)).toBe(1);
		}
	});
});

describe('readPath', () => {
	it('reads dot paths and array indices', () => {
		expect(readPath(payload, 'type')).toBe('order.created');
		expect(readPath(payload, 'data.object.id')).toBe('ord_9');
		expect(readPath(payload, 'data.items[1].sku')).toBe('b');
		expect(readPath(payload, 'data.items[1].tags[0]')).toBe('x');
		expect(readPath(payload, 'entry[0].changes[0].field')).toBe('messages');
		expect(readPath(payload, 'data.items.0.sku')).toBe('a');
		expect(readPath(payload, 'grid[1][2]')).toBe(6);
		expect(readPath(payload, 'grid.1.2')).toBe(6);
	});

	it('returns falsy values as they are, not as missing', () => {
		expect(readPath(payload, 'data.object.amount')).toBe(0);
		expect(readPath(payload, 'data.object.paid')).toBe(false);
		expect(readPath(payload, 'data.object.note')).toBeNull();
	});

	it('accepts a leading $ or $json and a root index', () => {
		expect(readPath(payload, '$.data.object.id')).toBe('ord_9');
		expect(readPath(payload, '$json.data.object.id')).toBe('ord_9');
		expect(readPath([{ a: 1 }], '$[0].a')).toBe(1);
		expect(readPath([{ a: 1 }], '[0].a')).toBe(1);
		expect(readPath(payload, '$')).toBe(payload);
		expect(readPath(payload, '$json')).toBe(payload);
		expect(readPath(payload, '')).toBe(payload);
	});

	it('returns undefined for anything missing or of the wrong shape', () => {
		expect(readPath(payload, 'missing')).toBeUndefined();
		expect(readPath(payload, 'data.missing.id')).toBeUndefined();
		expect(readPath(payload, 'data.items[5].sku')).toBeUndefined();
		expect(readPath(payload, 'type.length')).toBeUndefined();
		expect(readPath(payload, 'data.object[0]')).toBeUndefined();
		expect(readPath(payload, 'data.items.first')).toBeUndefined();
		expect(readPath(payload, 'data.items.01')).toBeUndefined();
		expect(readPath(payload, 'data.object.id.value')).toBeUndefined();
		expect(readPath(payload, 'data.object.note.x')).toBeUndefined();
		expect(readPath(null, 'a')).toBeUndefined();
		expect(readPath(undefined, 'a[0]')).toBeUndefined();
		expect(readPath('text', 'length')).toBeUndefined();
		expect(readPath(42, 'toFixed')).toBeUndefined();
	});

	it('always splits at dots: a key that contains a dot is not reachable by path', () => {
		expect(readPath(payload, 'dotted.key')).toBeUndefined();
	});

	it('never walks into prototypes, also when JSON.parse made __proto__ an own property', () => {
		const parsed: unknown = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": {"constructor": {"prototype": 1}}}');
		expect(readPath(parsed, '__proto__')).toBeUndefined();
		expect(readPath(parsed, '__proto__.polluted')).toBeUndefined();
		expect(readPath(parsed, 'a.constructor')).toBeUndefined();
		expect(readPath(parsed, 'a.constructor.prototype')).toBeUndefined();
		expect(readPath({}, 'constructor')).toBeUndefined();
		expect(readPath({}, 'constructor.prototype')).toBeUndefined();
		expect(readPath({}, 'toString')).toBeUndefined();
		expect(readPath({}, 'hasOwnProperty')).toBeUndefined();
		expect(readPath([], 'constructor')).toBeUndefined();
		expect(readPath([], 'map')).toBeUndefined();
		expect(readPath(Object.create({ inherited: 1 }), 'inherited')).toBeUndefined();
		// Reading must not have changed any prototype.
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it.each([['a..b'], ['a.'], ['.a'], ['a['], ['a[x]'], ['a[-1]'], ['a[01]'], ['a]'], ['a[0]b'], ['a[1.5]']])(
		'throws a clear error for the malformed path %p',
		(path) => {
			expect(() => readPath(payload, path)).toThrow(InvalidPathError);
			expect(() => readPath(payload, path)).toThrow(`Invalid path "${path}"`);
		},
	);

	it('keeps answering correctly after the parse cache fills up and is cleared', () => {
		for (let i = 0; i < 600; i++) expect(readPath({ [`k${i}`]: i }, `k${i}`)).toBe(i);
		expect(readPath(payload, 'data.object.id')).toBe('ord_9');
	});
});
