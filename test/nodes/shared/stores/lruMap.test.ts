import fc from 'fast-check';
import { LruMap } from '../../../../nodes/shared/stores/lruMap';

describe('LruMap', () => {
	it('orders entries by last use', () => {
		const map = new LruMap<number>();
		map.set('a', 1);
		map.set('b', 2);
		map.set('c', 3);
		expect(map.get('a')).toBe(1); // a is now newest: b, c, a
		map.set('b', 20); // c, a, b
		expect(map.peekOldest()).toEqual({ key: 'c', value: 3 });
		expect(map.removeOldest()).toEqual({ key: 'c', value: 3 });
		expect(map.removeOldest()).toEqual({ key: 'a', value: 1 });
		expect(map.removeOldest()).toEqual({ key: 'b', value: 20 });
		expect(map.removeOldest()).toBeUndefined();
		expect(map.size).toBe(0);
	});

	it('deletes from anywhere and clears', () => {
		const map = new LruMap<string>();
		for (const key of ['a', 'b', 'c', 'd']) map.set(key, key);
		expect(map.delete('b')).toBe(true);
		expect(map.delete('b')).toBe(false);
		expect(map.delete('d')).toBe(true);
		expect(map.delete('a')).toBe(true);
		expect(map.peekOldest()).toEqual({ key: 'c', value: 'c' });
		map.clear();
		expect(map.size).toBe(0);
		expect(map.get('c')).toBeUndefined();
		expect(map.peekOldest()).toBeUndefined();
	});

	it('behaves like a reference model under random operations', () => {
		type Operation = { kind: 'get' | 'set' | 'delete' | 'removeOldest'; key: string; value: number };
		const operation = fc.record({
			kind: fc.constantFrom<Operation['kind']>('get', 'set', 'delete', 'removeOldest'),
			key: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
			value: fc.integer(),
		});
		fc.assert(
			fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
				const map = new LruMap<number>();
				// Reference: an array from least to most recently used.
				let model: Array<[string, number]> = [];
				const touch = (key: string, value: number) => {
					model = model.filter(([k]) => k !== key);
					model.push([key, value]);
				};
				for (const { kind, key, value } of operations) {
					if (kind === 'set') {
						map.set(key, value);
						touch(key, value);
					} else if (kind === 'get') {
						const found = model.find(([k]) => k === key);
						expect(map.get(key)).toBe(found?.[1]);
						if (found) touch(key, found[1]);
					} else if (kind === 'delete') {
						expect(map.delete(key)).toBe(model.some(([k]) => k === key));
						model = model.filter(([k]) => k !== key);
					} else {
						const first = model.shift();
						expect(map.removeOldest()).toEqual(first === undefined ? undefined : { key: first[0], value: first[1] });
					}
					expect(map.size).toBe(model.length);
					const oldest = model[0];
					expect(map.peekOldest()).toEqual(oldest === undefined ? undefined : { key: oldest[0], value: oldest[1] });
				}
			}),
		);
	});

	it('with a bound, forgets the least recently used entry (not the first added: a used entry stays)', () => {
		const map = new LruMap<number>(3);
		map.set('a', 1);
		map.set('b', 2);
		map.set('c', 3);
		expect(map.get('a')).toBe(1);
		map.set('d', 4);
		expect(map.size).toBe(3);
		expect(map.peek('b')).toBeUndefined();
		expect(map.values()).toEqual([3, 1, 4]);
		map.set('c', 30);
		map.set('e', 5);
		expect(map.values()).toEqual([4, 30, 5]);
	});

	it('refuses a bound below one', () => {
		expect(() => new LruMap(0)).toThrow(RangeError);
	});
});

