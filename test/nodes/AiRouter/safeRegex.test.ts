import { compileSafeRegex, MAX_PATTERN_LENGTH, RegexConfigError } from '../../../nodes/AiRouter/safeRegex';

describe('compileSafeRegex', () => {
	test('bare patterns and /pattern/flags', () => {
		expect(compileSafeRegex('^evt_\\w+$').test('evt_123')).toBe(true);
		expect(compileSafeRegex('refund').test('I want a REFUND')).toBe(false);
		expect(compileSafeRegex('/refund/i').test('I want a REFUND')).toBe(true);
		expect(compileSafeRegex('/^b$/m').test('a\nb\nc')).toBe(true);
		expect(compileSafeRegex('/a.c/s').test('a\nc')).toBe(true);
		expect(compileSafeRegex('/a.c/').test('a\nc')).toBe(false);
		// Copied from JavaScript with g or u: accepted, meaningless for a yes/no test.
		expect(compileSafeRegex('/x/gu').test('xyz')).toBe(true);
		// A slash inside a bare pattern is just a character.
		expect(compileSafeRegex('a/b').test('path a/b')).toBe(true);
	});

	test('unicode text', () => {
		expect(compileSafeRegex('^caf.$').test('café')).toBe(true);
		expect(compileSafeRegex('\\p{Greek}').test('α')).toBe(true);
	});

	test('rejects what RE2 cannot run in linear time, and overlong patterns', () => {
		expect(() => compileSafeRegex('(a)\\1')).toThrow(RegexConfigError);
		expect(() => compileSafeRegex('a(?=b)')).toThrow(/not valid RE2 syntax/);
		expect(() => compileSafeRegex('a(?!b)')).toThrow(RegexConfigError);
		expect(() => compileSafeRegex('x'.repeat(MAX_PATTERN_LENGTH + 1))).toThrow(/longer than 2000 characters/);
		expect(compileSafeRegex('x'.repeat(MAX_PATTERN_LENGTH)).test('x'.repeat(MAX_PATTERN_LENGTH))).toBe(true);
	});

	// Each of these takes a backtracking engine (JavaScript's RegExp) exponential or high polynomial time
	// on the input below; RE2 answers in one linear pass. If the engine ever backtracked, the test would
	// hang until Jest's timeout and fail.
	const attack = 'a'.repeat(100_000) + '!';
	test.each([
		['(a+)+$', attack],
		['^(a|a)*$', attack],
		['^(a|aa)+$', attack],
		['^(\\w+\\s?)*$', attack],
		['^(.*a){12}$', attack],
		['(x+x+)+y', 'x'.repeat(100_000)],
	])(
		'catastrophic pattern %s on a 100 000-character string is answered, not stalled',
		(pattern, input) => {
			expect(compileSafeRegex(pattern).test(input)).toBe(false);
		},
		10_000,
	);

	test('still matches what it should on long input', () => {
		expect(compileSafeRegex('(a+)+$').test('a'.repeat(100_000))).toBe(true);
		expect(compileSafeRegex('(x+x+)+y').test('x'.repeat(30_000) + 'y')).toBe(true);
	});
});
