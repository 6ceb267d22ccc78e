import { createHash } from 'node:crypto';

import { eventIdSources, readFirstValue, readValue, valueSourceFromSetting, type ValueContext } from '../../../../nodes/shared/providers/eventValues';

function context(init: { headers?: Record<string, string | string[]>; body?: unknown; url?: string; rawBody?: string; id?: string; claims?: Record<string, unknown> }): ValueContext {
	return {
		request: { method: 'POST', url: init.url ?? '/webhook/x', headers: init.headers ?? {}, rawBody: Buffer.from(init.rawBody ?? '') },
		body: init.body,
		verification: { ok: true, matched: 'current', id: init.id, claims: init.claims },
	};
}

describe('eventValues: one source', () => {
	it('reads headers (first value), body paths, query parameters', () => {
		const ctx = context({ headers: { 'x-event': ['a', 'b'] }, body: { data: { items: [{ id: 'i1' }] } }, url: '/webhook/x?topic=t%201' });
		expect(readValue({ header: 'X-Event' }, ctx)).toBe('a');
		expect(readValue({ body: 'data.items[0].id' }, ctx)).toBe('i1');
		expect(readValue({ query: 'topic' }, ctx)).toBe('t 1');
		expect(readValue({ query: 'missing' }, ctx)).toBeUndefined();
	});

	it('reads strings and finite numbers, a repeated form field by its first value, nothing else', () => {
		const ctx = context({ body: { n: 2, s: '', f: ['x', 'y'], o: {}, inf: Infinity, b: true } });
		expect(readValue({ body: 'n' }, ctx)).toBe('2');
		expect(readValue({ body: 's' }, ctx)).toBeUndefined();
		expect(readValue({ body: 'f' }, ctx)).toBe('x');
		expect(readValue({ body: 'o' }, ctx)).toBeUndefined();
		expect(readValue({ body: 'inf' }, ctx)).toBeUndefined();
		expect(readValue({ body: 'b' }, ctx)).toBeUndefined();
	});

	it('reads into a body field that holds JSON text, and tolerates garbage there', () => {
		expect(readValue({ jsonIn: 'payload', path: 'type' }, context({ body: { payload: '{"type":"block_actions"}' } }))).toBe('block_actions');
		expect(readValue({ jsonIn: 'payload', path: 'type' }, context({ body: { payload: '{not json' } }))).toBeUndefined();
		expect(readValue({ jsonIn: 'payload', path: 'type' }, context({ body: { payload: 5 } }))).toBeUndefined();
	});

	it('reads the verified id and claims', () => {
		expect(readValue({ verified: 'id' }, context({ id: 'msg_1' }))).toBe('msg_1');
		expect(readValue({ claim: 'sub' }, context({ claims: { sub: 'u1' } }))).toBe('u1');
		expect(readValue({ claim: 'sub' }, context({}))).toBeUndefined();
	});

	it('joins: the first part required, the others appended when present', () => {
		const join = { join: [{ header: 'x-github-event' }, { body: 'action' }], separator: '.' };
		expect(readValue(join, context({ headers: { 'x-github-event': 'issues' }, body: { action: 'opened' } }))).toBe('issues.opened');
		expect(readValue(join, context({ headers: { 'x-github-event': 'push' }, body: {} }))).toBe('push');
		expect(readValue(join, context({ body: { action: 'opened' } }))).toBeUndefined();
	});

	it('hashes the raw body bytes', () => {
		expect(readValue({ bodyHash: 'sha256' }, context({ rawBody: 'abc' }))).toBe(createHash('sha256').update('abc').digest('hex'));
	});

	it('never throws on bodies of any shape', () => {
		for (const body of [undefined, null, 'text', 42, [1, 2], { a: null }]) {
			expect(readValue({ body: 'a.b[0]' }, context({ body }))).toBeUndefined();
		}
	});
});

describe('eventValues: lists and settings', () => {
	it('takes the first source that yields a value', () => {
		const ctx = context({ headers: { 'x-b': 'b' }, body: { c: 'c' } });
		expect(readFirstValue([{ header: 'x-a' }, { header: 'x-b' }, { body: 'c' }], ctx)).toBe('b');
		expect(readFirstValue([], ctx)).toBeUndefined();
		expect(eventIdSources({ none: 'why' })).toEqual([]);
	});

	it('turns a node setting into a source', () => {
		expect(valueSourceFromSetting('header:X-Request-Id')).toEqual({ header: 'x-request-id' });
		expect(valueSourceFromSetting(' data.id ')).toEqual({ body: 'data.id' });
		expect(valueSourceFromSetting('  ')).toBeUndefined();
	});
});
