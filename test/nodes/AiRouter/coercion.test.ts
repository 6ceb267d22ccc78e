import { isEmptyValue, isMissing, toBooleanValue, toFiniteNumber, toText } from '../../../nodes/AiRouter/coercion';

describe('toFiniteNumber', () => {
	test.each([
		[0.7, 0.7],
		[0, 0],
		[-3, -3],
		['0.7', 0.7],
		[' 0.7 ', 0.7],
		['+1', 1],
		['-.5', -0.5],
		['5.', 5],
		['1e-3', 0.001],
		['2E2', 200],
	])('%j is %j', (input, expected) => {
		expect(toFiniteNumber(input)).toBe(expected);
	});

	test.each([
		[NaN],
		[Infinity],
		[-Infinity],
		[''],
		[' '],
		['abc'],
		['0.7abc'],
		['0x10'],
		['Infinity'],
		['NaN'],
		['1e400'],
		['1,5'],
		[true],
		[false],
		[null],
		[undefined],
		[[0.9]],
		[{ value: 1 }],
		[BigInt(1)],
	])('%p is not a number', (input) => {
		expect(toFiniteNumber(input)).toBeUndefined();
	});
});

describe('toBooleanValue', () => {
	test.each([
		[true, true],
		[false, false],
		['true', true],
		[' TRUE ', true],
		['False', false],
	])('%j is %j', (input, expected) => {
		expect(toBooleanValue(input)).toBe(expected);
	});

	test.each([[1], [0], ['yes'], [''], [null], [[true]], [{}]])('%p is not a boolean', (input) => {
		expect(toBooleanValue(input)).toBeUndefined();
	});
});

describe('toText', () => {
	test('texts, numbers and booleans', () => {
		expect(toText('a')).toBe('a');
		expect(toText(200)).toBe('200');
		expect(toText(false)).toBe('false');
		expect(toText(BigInt(7))).toBe('7');
	});

	test('structures are not text', () => {
		expect(toText({})).toBeUndefined();
		expect(toText(['a'])).toBeUndefined();
		expect(toText(null)).toBeUndefined();
	});
});

describe('isMissing and isEmptyValue', () => {
	test('missing means undefined or null', () => {
		expect(isMissing(undefined)).toBe(true);
		expect(isMissing(null)).toBe(true);
		expect(isMissing('')).toBe(false);
		expect(isMissing(0)).toBe(false);
	});

	test.each([[undefined], [null], [''], ['  \n'], [[]], [{}], [Object.create(null)]])('%p is empty', (value) => {
		expect(isEmptyValue(value)).toBe(true);
	});

	test.each([[0], [false], ['a'], [[0]], [{ a: undefined }], [new Date(0)]])('%p is not empty', (value) => {
		expect(isEmptyValue(value)).toBe(false);
	});
});
