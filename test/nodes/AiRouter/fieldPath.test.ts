import { FieldPathError, parseFieldPath, readFieldPath } from '../../../nodes/AiRouter/fieldPath';

// The path syntax and reading rules themselves are tested in test/nodes/shared/jsonPath.test.ts; these cases cover
// what the router adds: its names, its messages, and that a parsed field reads through the shared reader.
describe('parseFieldPath', () => {
	test('keeps the trimmed text for messages and annotations, and the parsed segments', () => {
		expect(parseFieldPath('  score ')).toEqual({ text: 'score', segments: ['score'] });
		expect(parseFieldPath('choices[0].message.content').segments).toEqual(['choices', 0, 'message', 'content']);
		expect(parseFieldPath('$json.body.score')).toEqual({ text: '$json.body.score', segments: ['body', 'score'] });
	});

	test.each(['', '   '])('rejects the empty field %j', (text) => {
		expect(() => parseFieldPath(text)).toThrow(new FieldPathError('the field is empty'));
	});

	test.each(['a..b', '.a', 'a.', 'a[x]', 'a]b', 'a[0'])('rejects %j with the router wording', (text) => {
		expect(() => parseFieldPath(` ${text} `)).toThrow(
			new FieldPathError(`"${text}" is not a valid field path (use a.b.c or a.list[0].b)`),
		);
	});
});

describe('readFieldPath', () => {
	const json = {
		body: { data: { confidence: 0.8, zero: 0, nothing: null } },
		choices: [{ message: { content: 'hi' } }],
	};

	test('reads nested objects and arrays', () => {
		expect(readFieldPath(json, parseFieldPath('body.data.confidence'))).toBe(0.8);
		expect(readFieldPath(json, parseFieldPath('body.data.zero'))).toBe(0);
		expect(readFieldPath(json, parseFieldPath('body.data.nothing'))).toBeNull();
		expect(readFieldPath(json, parseFieldPath('choices[0].message.content'))).toBe('hi');
		expect(readFieldPath(json, parseFieldPath('choices.0.message.content'))).toBe('hi');
		expect(readFieldPath(json, parseFieldPath('choices.length'))).toBe(1);
	});

	test('is undefined when a step is absent or not an object', () => {
		expect(readFieldPath(json, parseFieldPath('body.missing.confidence'))).toBeUndefined();
		expect(readFieldPath(json, parseFieldPath('choices[3].message'))).toBeUndefined();
		expect(readFieldPath(json, parseFieldPath('body.data.confidence.value'))).toBeUndefined();
		expect(readFieldPath(json, parseFieldPath('body.data.nothing.value'))).toBeUndefined();
	});

	test('does not find inherited properties, nor a constructor key the payload has', () => {
		expect(readFieldPath({}, parseFieldPath('constructor'))).toBeUndefined();
		expect(readFieldPath({}, parseFieldPath('__proto__'))).toBeUndefined();
		expect(readFieldPath({ a: {} }, parseFieldPath('a.toString'))).toBeUndefined();
		// Changed when the router adopted the shared reader (package still 0.1.0, unreleased): n8n's own expressions
		// refuse `$json.constructor` too, so a path and an expression agree.
		expect(readFieldPath(JSON.parse('{"constructor": 5}'), parseFieldPath('constructor'))).toBeUndefined();
	});
});
