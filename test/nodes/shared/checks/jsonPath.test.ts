import { parsePath, readPath } from '../../../../nodes/shared/checks/jsonPath';

const payload = {
	type: 'order.created',
	id: 'evt_1',
	data: {
		object: { id: 'ord_9', amount: 0, paid: false, note: null },
		items: [{ sku: 'a' }, { sku: 'b', tags: ['x', 'y'] }],
	},
	entry: [{ changes: [{ field: 'messages' }] }],
};

describe('readPath', () => {
	it('reads dot paths and array indices', () => {
		expect(readPath(payload, 'type')).toBe('order.created');
		expect(readPath(payload, 'data.object.id')).toBe('ord_9');
		expect(readPath(payload, 'data.items[1].sku')).toBe('b');
		expect(readPath(payload, 'data.items[1].tags[0]')).toBe('x');
		expect(readPath(payload, 'entry[0].changes[0].field')).toBe('messages');
		expect(readPath(payload, 'data.items.0.sku')).toBe('a');
	});

	it('returns falsy values as they are, not as missing', () => {
		expect(readPath(payload, 'data.object.amount')).toBe(0);
		expect(readPath(payload, 'data.object.paid')).toBe(false);
		expect(readPath(payload, 'data.object.note')).toBeNull();
	});

	it('accepts a leading $ and a root index', () => {
		expect(readPath(payload, '$.data.object.id')).toBe('ord_9');
		expect(readPath([{ a: 1 }], '$[0].a')).toBe(1);
		expect(readPath([{ a: 1 }], '[0].a')).toBe(1);
		expect(readPath(payload, '$')).toBe(payload);
		expect(readPath(payload, '')).toBe(payload);
	});

	it('returns undefined for anything missing or of the wrong shape', () => {
		expect(readPath(payload, 'missing')).toBeUndefined();
		expect(readPath(payload, 'data.items[5].sku')).toBeUndefined();
		expect(readPath(payload, 'type.length')).toBeUndefined();
		expect(readPath(payload, 'data.object[0]')).toBeUndefined();
		expect(readPath(payload, 'data.items.first')).toBeUndefined();
		expect(readPath(payload, 'data.items.01')).toBeUndefined();
		expect(readPath(payload, 'data.object.note.x')).toBeUndefined();
		expect(readPath(null, 'a')).toBeUndefined();
		expect(readPath(undefined, 'a[0]')).toBeUndefined();
		expect(readPath('text', 'length')).toBeUndefined();
		expect(readPath([1, 2], 'length')).toBeUndefined();
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
		expect(readPath(Object.create({ inherited: 1 }), 'inherited')).toBeUndefined();
		// Reading must not have changed any prototype.
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it.each([['a..b'], ['a.'], ['.a'], ['a['], ['a[x]'], ['a[-1]'], ['a[01]'], ['a]'], ['a[0]b'], ['a[1.5]']])(
		'throws a clear error for the malformed path %p',
		(path) => {
			expect(() => readPath(payload, path)).toThrow(`Invalid path "${path}"`);
		},
	);
});

describe('parsePath', () => {
	it('splits names and indices', () => {
		expect(parsePath('a.b[0][1].c')).toEqual(['a', 'b', 0, 1, 'c']);
		expect(parsePath(' $.x ')).toEqual(['x']);
		expect(parsePath('header-name.with-dash')).toEqual(['header-name', 'with-dash']);
	});
});
