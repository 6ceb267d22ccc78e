import { FieldPathError, parseFieldPath, readFieldPath } from '../../../nodes/AiRouter/fieldPath';

describe('parseFieldPath', () => {
	test('splits dots and bracket indices into keys', () => {
		expect(parseFieldPath('body.data.confidence').keys).toEqual(['body', 'data', 'confidence']);
		expect(parseFieldPath('choices[0].message.content').keys).toEqual(['choices', '0', 'message', 'content']);
		expect(parseFieldPath('grid[1][2]').keys).toEqual(['grid', '1', '2']);
		expect(parseFieldPath('  score ').text).toBe('score');
	});

	test('accepts a leading $json. as people type it from expressions', () => {
		expect(parseFieldPath('$json.body.score').keys).toEqual(['body', 'score']);
	});

	test.each(['', '   ', 'a..b', '.a', 'a.', 'a[x]', 'a]b', 'a[0'])('rejects %j', (text) => {
		expect(() => parseFieldPath(text)).toThrow(FieldPathError);
	});
});

describe('readFieldPath', () => {
	const json = {
		body: { data: { confidence: 0.8, zero: 0, nothing: null } },
		choices: [{ message: { content: 'hi' } }],
		'dotted.key': 1,
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
		// Dots always separate keys: a key that contains a dot is not reachable by path.
		expect(readFieldPath(json, parseFieldPath('dotted.key'))).toBeUndefined();
	});

	test('does not find inherited properties', () => {
		expect(readFieldPath({}, parseFieldPath('constructor'))).toBeUndefined();
		expect(readFieldPath({}, parseFieldPath('__proto__'))).toBeUndefined();
		expect(readFieldPath({ a: {} }, parseFieldPath('a.toString'))).toBeUndefined();
		expect(readFieldPath(JSON.parse('{"constructor": 5}'), parseFieldPath('constructor'))).toBe(5);
	});
});
