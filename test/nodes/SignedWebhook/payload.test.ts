import { serialisePayload } from '../../../nodes/SignedWebhook/payload';

describe('serialisePayload', () => {
	const item = { id: 7, data: { order: { total: 12.5, note: 'Grüße' }, raw: '{"a": 1}' }, list: [{ x: 1 }] };

	it('sends the whole item as JSON by default', () => {
		const payload = serialisePayload(item, 'item', '');
		expect(payload.body.toString('utf8')).toBe(JSON.stringify(item));
		expect(payload.value).toBe(item);
	});

	it('sends a chosen field as JSON, with UTF-8 bytes', () => {
		const payload = serialisePayload(item, 'field', 'data.order');
		expect(payload.body.equals(Buffer.from('{"total":12.5,"note":"Grüße"}', 'utf8'))).toBe(true);
		expect(payload.value).toEqual({ total: 12.5, note: 'Grüße' });
	});

	it('sends a string field as it is, so pre-serialised bodies go out byte for byte', () => {
		expect(serialisePayload(item, 'field', 'data.raw').body.toString('utf8')).toBe('{"a": 1}');
	});

	it('names a missing field', () => {
		expect(() => serialisePayload(item, 'field', 'data.missing')).toThrow('"data.missing"');
	});
});

describe('the field path (the same syntax as the trigger and the AI Router: nodes/shared/jsonPath.ts)', () => {
	const field = (root: Record<string, unknown>, path: string) => serialisePayload(root, 'field', path).value;
	it('follows dots and array indexes, and only own properties', () => {
		const root = { a: { b: [{ c: 1 }] } };
		expect(field(root, 'a.b[0].c')).toBe(1);
		expect(field(root, 'a.b.0.c')).toBe(1);
		expect(field(root, '$json.a.b[0].c')).toBe(1);
		expect(() => field(root, 'a.x.c')).toThrow('no field');
		expect(() => field(root, 'constructor')).toThrow('no field');
		expect(() => field(root, '')).toThrow('no field');
	});

	it.each(['a..b', 'a.', 'a[x]', 'a.[0]'])('refuses the malformed path %s, as the other nodes do', (path) => {
		expect(() => field({ a: { b: 1 } }, path)).toThrow(/Invalid path/);
	});
});
