import { isContentTypeAllowed, parseAllowedContentTypes } from '../../../../nodes/shared/checks/contentType';

describe('parseAllowedContentTypes', () => {
	it('splits on commas and new lines, lower-cases, drops parameters and duplicates', () => {
		expect(
			parseAllowedContentTypes(
				'Application/JSON; charset=utf-8,\n application/x-www-form-urlencoded \r\n\n text/* , application/json',
			),
		).toEqual(['application/json', 'application/x-www-form-urlencoded', 'text/*']);
	});

	it('returns an empty list for empty text', () => {
		expect(parseAllowedContentTypes('')).toEqual([]);
		expect(parseAllowedContentTypes(' ,\n, ')).toEqual([]);
	});

	it('keeps vendor and suffix types intact', () => {
		expect(parseAllowedContentTypes('application/vnd.github+json, application/cloudevents+json')).toEqual([
			'application/vnd.github+json',
			'application/cloudevents+json',
		]);
	});

	it.each([['json'], ['application/'], ['/json'], ['*/json'], ['application/json/extra'], ['text/ html'], ['a b/c']])(
		'rejects %p and names it',
		(entry) => {
			expect(() => parseAllowedContentTypes(`application/json, ${entry}`)).toThrow(
				`Invalid content type "${entry.trim()}"`,
			);
		},
	);
});

describe('isContentTypeAllowed', () => {
	const json = parseAllowedContentTypes('application/json');

	it('accepts the media type regardless of parameters, case and surrounding space', () => {
		expect(isContentTypeAllowed('application/json', json)).toBe(true);
		expect(isContentTypeAllowed('application/json; charset=utf-8', json)).toBe(true);
		expect(isContentTypeAllowed('Application/JSON;charset="UTF-8"', json)).toBe(true);
		expect(isContentTypeAllowed('  application/json  ; boundary=x', json)).toBe(true);
	});

	it('refuses other media types, including look-alikes', () => {
		expect(isContentTypeAllowed('text/plain', json)).toBe(false);
		expect(isContentTypeAllowed('application/jsonx', json)).toBe(false);
		expect(isContentTypeAllowed('application/json-patch+json', json)).toBe(false);
		expect(isContentTypeAllowed('application/vnd.api+json', json)).toBe(false);
		expect(isContentTypeAllowed('xapplication/json', json)).toBe(false);
	});

	it('refuses a missing, empty or malformed header when a list is set', () => {
		expect(isContentTypeAllowed(undefined, json)).toBe(false);
		expect(isContentTypeAllowed('', json)).toBe(false);
		expect(isContentTypeAllowed('application', json)).toBe(false);
		expect(isContentTypeAllowed('; charset=utf-8', json)).toBe(false);
		expect(isContentTypeAllowed('application/json/x', json)).toBe(false);
	});

	it('accepts anything, even no header, when the list is empty', () => {
		expect(isContentTypeAllowed(undefined, [])).toBe(true);
		expect(isContentTypeAllowed('text/plain', [])).toBe(true);
		expect(isContentTypeAllowed('garbage', [])).toBe(true);
	});

	it('supports type/* wildcards for that type only', () => {
		const allowed = parseAllowedContentTypes('text/*');
		expect(isContentTypeAllowed('text/plain; charset=utf-8', allowed)).toBe(true);
		expect(isContentTypeAllowed('TEXT/CSV', allowed)).toBe(true);
		expect(isContentTypeAllowed('application/json', allowed)).toBe(false);
		expect(isContentTypeAllowed('textual/plain', allowed)).toBe(false);
	});

	it('treats */* as anything, including a missing header', () => {
		const allowed = parseAllowedContentTypes('application/json, */*');
		expect(isContentTypeAllowed('image/png', allowed)).toBe(true);
		expect(isContentTypeAllowed(undefined, allowed)).toBe(true);
	});

	it('accepts any of several allowed types', () => {
		const allowed = parseAllowedContentTypes('application/json\napplication/x-www-form-urlencoded');
		expect(isContentTypeAllowed('application/x-www-form-urlencoded', allowed)).toBe(true);
		expect(isContentTypeAllowed('application/json', allowed)).toBe(true);
		expect(isContentTypeAllowed('multipart/form-data; boundary=abc', allowed)).toBe(false);
	});
});
