import {
	compileCondition,
	ConditionConfigError,
	INVALID,
	MATCH,
	MISSING,
	NO_MATCH,
	OPERATOR_NAMES,
	operandCount,
	parseList,
	type OperatorName,
	type Outcome,
} from '../../../nodes/AiRouter/conditions';

const ABSENT = Symbol('absent');

function outcome(operator: OperatorName, field: unknown, value?: unknown, valueTo?: unknown): Outcome {
	const condition = compileCondition({
		field: { kind: 'path', path: 'f' },
		operator,
		value: { kind: 'fixed', value },
		valueTo: { kind: 'fixed', value: valueTo },
	});
	const json = field === ABSENT ? {} : { f: field };
	return condition.test(condition.read(json, 0), 0);
}

type Case = [field: unknown, value: unknown, expected: Outcome];

// Every operator meets: a match, a non-match, a missing field (absent and null), and, where the
// operator needs a type, a value of the wrong type.
const cases: Record<OperatorName, Case[]> = {
	lt: [
		[0.5, '0.7', MATCH],
		[0.7, '0.7', NO_MATCH],
		['0.69', 0.7, MATCH],
		['abc', '0.7', INVALID],
		[true, '2', INVALID],
	],
	lte: [
		[0.7, '0.7', MATCH],
		['0.7', '0.7', MATCH],
		[0.7001, '0.7', NO_MATCH],
		[[0.1], '0.7', INVALID],
	],
	gt: [
		[0.71, '0.7', MATCH],
		[0.7, '0.7', NO_MATCH],
		['', '0.7', INVALID],
	],
	gte: [
		[0.7, '0.7', MATCH],
		[0.6999, '0.7', NO_MATCH],
		[' 1 ', '0.7', MATCH],
		[NaN, '0.7', INVALID],
		[Infinity, '0.7', INVALID],
	],
	numberEquals: [
		[200, '200', MATCH],
		['200.0', 200, MATCH],
		[201, '200', NO_MATCH],
		['two hundred', '200', INVALID],
	],
	numberNotEquals: [
		[201, '200', MATCH],
		[200, '200', NO_MATCH],
		[{}, '200', INVALID],
	],
	between: [],
	equals: [
		['urgent', 'urgent', MATCH],
		['Urgent', 'urgent', NO_MATCH],
		[200, '200', MATCH],
		[true, 'true', MATCH],
		['', '', MATCH],
		[{ a: 1 }, 'x', INVALID],
	],
	notEquals: [
		['spam', 'ham', MATCH],
		['ham', 'ham', NO_MATCH],
		[['ham'], 'ham', INVALID],
	],
	contains: [
		['please refund me', 'refund', MATCH],
		['hello', 'refund', NO_MATCH],
		[12345, '234', MATCH],
		[{}, 'x', INVALID],
	],
	startsWith: [
		['evt_123', 'evt_', MATCH],
		['cus_123', 'evt_', NO_MATCH],
		[[1], 'x', INVALID],
	],
	endsWith: [
		['invoice.paid', '.paid', MATCH],
		['invoice.failed', '.paid', NO_MATCH],
		[{}, 'x', INVALID],
	],
	matchesRegex: [
		['order-123', '^order-\\d+$', MATCH],
		['order-12a', '^order-\\d+$', NO_MATCH],
		['ORDER-1', '/^order-\\d+$/i', MATCH],
		['ORDER-1', '^order-\\d+$', NO_MATCH],
		[{}, 'x', INVALID],
	],
	isOneOf: [
		['billing', 'billing, refunds, sales', MATCH],
		['refunds', '["billing","refunds"]', MATCH],
		['support', 'billing, refunds', NO_MATCH],
		[2, '1, 2, 3', MATCH],
		[1, '1.0', MATCH],
		['01234', '1234', NO_MATCH],
		[true, 'true, false', MATCH],
		[['billing'], 'billing', INVALID],
	],
	exists: [
		[0, undefined, MATCH],
		['', undefined, MATCH],
		[false, undefined, MATCH],
	],
	notExists: [
		[0, undefined, NO_MATCH],
		['', undefined, NO_MATCH],
	],
	isEmpty: [
		['', undefined, MATCH],
		['   ', undefined, MATCH],
		[[], undefined, MATCH],
		[{}, undefined, MATCH],
		[0, undefined, NO_MATCH],
		['x', undefined, NO_MATCH],
		[[0], undefined, NO_MATCH],
	],
	isTrue: [
		[true, undefined, MATCH],
		['TRUE', undefined, MATCH],
		[false, undefined, NO_MATCH],
		['false', undefined, NO_MATCH],
		[1, undefined, INVALID],
		['yes', undefined, INVALID],
	],
	isFalse: [
		[false, undefined, MATCH],
		['false', undefined, MATCH],
		[true, undefined, NO_MATCH],
		[0, undefined, INVALID],
	],
};

describe.each(OPERATOR_NAMES.filter((name) => name !== 'between'))('operator %s', (operator) => {
	test.each(cases[operator])('field %p, value %p', (field, value, expected) => {
		expect(outcome(operator, field, value)).toBe(expected);
	});

	const judgesMissing = ['exists', 'notExists', 'isEmpty'].includes(operator);
	const operand = operandCount(operator) === 0 ? undefined : operator === 'isOneOf' ? 'a' : '1';
	test('absent field', () => {
		const expected = judgesMissing ? (operator === 'exists' ? NO_MATCH : MATCH) : MISSING;
		expect(outcome(operator, ABSENT, operand)).toBe(expected);
	});
	test('null field', () => {
		const expected = judgesMissing ? (operator === 'exists' ? NO_MATCH : MATCH) : MISSING;
		expect(outcome(operator, null, operand)).toBe(expected);
	});
});

describe('operator between', () => {
	test.each([
		[0.3, MATCH],
		[0.5, MATCH],
		[0.7, MATCH],
		['0.5', MATCH],
		[0.2999, NO_MATCH],
		[0.7001, NO_MATCH],
		['x', INVALID],
		[ABSENT, MISSING],
		[null, MISSING],
	])('%p in [0.3, 0.7]', (field, expected) => {
		expect(outcome('between', field, '0.3', '0.7')).toBe(expected);
	});

	test('bounds must be numbers in order', () => {
		expect(() => outcome('between', 1, '0.7', '0.3')).toThrow(/lower bound 0.7 is greater than the upper bound 0.3/);
		expect(() => outcome('between', 1, '0.3', '')).toThrow(/upper bound "" is not a number/);
		expect(() => outcome('between', 1, 'low', '1')).toThrow(ConditionConfigError);
	});
});

test('every operator has cases here', () => {
	for (const operator of OPERATOR_NAMES) {
		expect(operator === 'between' || cases[operator].length > 0).toBe(true);
	}
	expect(OPERATOR_NAMES).toHaveLength(19);
});

describe('configuration errors are raised at compile time', () => {
	test.each([
		['gte', 'abc', /the value "abc" is not a number/],
		['lt', '', /the value "" is not a number/],
		['matchesRegex', '(unclosed', /not valid RE2 syntax/],
		['matchesRegex', '(?=lookahead)', /not valid RE2 syntax/],
		['matchesRegex', '/a/x', /flag "x" is not supported/],
		['isOneOf', '[1, {"a": 2}]', /list entries must be texts, numbers or booleans/],
		['isOneOf', '[not json', /not a JSON array/],
	] as Array<[OperatorName, string, RegExp]>)('%s with %j', (operator, value, message) => {
		expect(() =>
			compileCondition({ field: { kind: 'path', path: 'f' }, operator, value: { kind: 'fixed', value } }),
		).toThrow(message);
	});

	test('unknown operator and bad field', () => {
		expect(() =>
			compileCondition({ field: { kind: 'path', path: 'f' }, operator: 'like' as OperatorName }),
		).toThrow(/unknown operator "like"/);
		expect(() => compileCondition({ field: { kind: 'path', path: '' }, operator: 'exists' })).toThrow(
			ConditionConfigError,
		);
	});
});

describe('descriptions', () => {
	test.each([
		['gte', 'body.score', '0.9', undefined, 'body.score >= 0.9'],
		['numberNotEquals', 'n', '3', undefined, 'n ≠ 3'],
		['between', 'n', '1', '2', 'n between 1 and 2'],
		['equals', 'label', 'spam', undefined, 'label equals "spam"'],
		['exists', 'x', undefined, undefined, 'x exists'],
		['notExists', 'x', undefined, undefined, 'x does not exist'],
		['matchesRegex', 'id', '^a', undefined, 'id matches "^a"'],
	] as Array<[OperatorName, string, string | undefined, string | undefined, string]>)(
		'%s',
		(operator, path, value, valueTo, expected) => {
			const condition = compileCondition({
				field: { kind: 'path', path },
				operator,
				value: { kind: 'fixed', value },
				valueTo: { kind: 'fixed', value: valueTo },
			});
			expect(condition.description).toBe(expected);
		},
	);
});

describe('computed fields and values (expressions)', () => {
	test('a computed field is read per item, ignoring the JSON', () => {
		const seen: number[] = [];
		const condition = compileCondition({
			field: {
				kind: 'computed',
				label: '{{ $json.a + $json.b }}',
				valueAt: (itemIndex) => {
					seen.push(itemIndex);
					return itemIndex * 10;
				},
			},
			operator: 'gt',
			value: { kind: 'fixed', value: '15' },
		});
		expect(condition.field).toBe('{{ $json.a + $json.b }}');
		expect(condition.test(condition.read({}, 1), 1)).toBe(NO_MATCH);
		expect(condition.test(condition.read({}, 2), 2)).toBe(MATCH);
		expect(seen).toEqual([1, 2]);
	});

	test('a computed value is compiled again only when it changes, and a bad one names the condition', () => {
		const thresholds = ['0.5', '0.5', '0.9', 'high'];
		const condition = compileCondition({
			field: { kind: 'path', path: 'score' },
			operator: 'gte',
			value: { kind: 'computed', label: '{{ $json.min }}', valueAt: (itemIndex) => thresholds[itemIndex] },
		});
		expect(condition.description).toBe('score >= {{ $json.min }}');
		expect(condition.test(0.6, 0)).toBe(MATCH);
		expect(condition.test(0.6, 1)).toBe(MATCH);
		expect(condition.test(0.6, 2)).toBe(NO_MATCH);
		expect(() => condition.test(0.6, 3)).toThrow(/in "score >= \{\{ \$json.min \}\}", the value "high" is not a number/);
	});
});

describe('parseList', () => {
	test('comma-separated, trimmed; JSON arrays; arrays as they are', () => {
		expect(parseList(' a , b,c ')).toEqual(['a', 'b', 'c']);
		expect(parseList('["a, b", 2, true]')).toEqual(['a, b', 2, true]);
		expect(parseList(['x', 1])).toEqual(['x', 1]);
		expect(parseList('')).toEqual([]);
		expect(parseList(undefined)).toEqual([]);
	});
});
