import { readableResponseBody } from '../../../nodes/SignedWebhook/responseBody';

describe('readableResponseBody', () => {
	it('parses JSON bodies', () => {
		expect(readableResponseBody(Buffer.from('{"ok":true}'), 'application/json; charset=utf-8')).toEqual({ ok: true });
		expect(readableResponseBody(Buffer.from('[1]'), 'application/problem+json')).toEqual([1]);
	});

	it('keeps other bodies, and JSON cut at the size cap, as text', () => {
		expect(readableResponseBody(Buffer.from('{"ok":true}'), 'text/plain')).toBe('{"ok":true}');
		expect(readableResponseBody(Buffer.from('{"ok":tr'), 'application/json')).toBe('{"ok":tr');
		expect(readableResponseBody(Buffer.alloc(0), 'application/json')).toBe('');
		expect(readableResponseBody(Buffer.from('hi'), undefined)).toBe('hi');
	});
});
