import { isEmptyValue, isMissing, toBooleanValue, toFiniteNumber, toText } from './coercion';
import { parseFieldPath, readFieldPath } from './fieldPath';
import { compileSafeRegex, type SafeRegex } from './safeRegex';

/** What one condition says about one item. Numbers, not objects: this runs once per item per condition. */
export const MATCH = 0;
export const NO_MATCH = 1;
/** The field is absent or null. */
export const MISSING = 2;
/** The field has a value the operator cannot compare (a word where a number is needed, an object, ...). */
export const INVALID = 3;
export type Outcome = typeof MATCH | typeof NO_MATCH | typeof MISSING | typeof INVALID;

export type OperatorName =
	| 'lt'
	| 'lte'
	| 'gt'
	| 'gte'
	| 'numberEquals'
	| 'numberNotEquals'
	| 'between'
	| 'equals'
	| 'notEquals'
	| 'contains'
	| 'startsWith'
	| 'endsWith'
	| 'matchesRegex'
	| 'isOneOf'
	| 'exists'
	| 'notExists'
	| 'isEmpty'
	| 'isTrue'
	| 'isFalse';

/** The kind of value an operator compares, named in "is not a …" reports. */
export type Expectation = 'number' | 'text' | 'boolean' | 'any';

/** Where a condition's field comes from. */
export type FieldSource =
	/** A dot path read from the item's JSON. */
	| { kind: 'path'; path: string }
	/** A value n8n computed for each item (an expression); `label` names it in messages. */
	| { kind: 'computed'; label: string; valueAt: (itemIndex: number) => unknown };

/** Where an operator's comparison value comes from: fixed for the execution, or computed per item. */
export type OperandSource =
	| { kind: 'fixed'; value: unknown }
	| { kind: 'computed'; label: string; valueAt: (itemIndex: number) => unknown };

export interface ConditionSpec {
	field: FieldSource;
	operator: OperatorName;
	/** The comparison value; for `between` the lower bound. Unused by the operators that take none. */
	value?: OperandSource;
	/** The upper bound of `between`. */
	valueTo?: OperandSource;
}

export interface CompiledCondition {
	/** The field as the user wrote it. */
	readonly field: string;
	/** Readable form, e.g. `body.score >= 0.9`, used in annotations. */
	readonly description: string;
	readonly expects: Expectation;
	/** The field's value for one item. */
	read(json: unknown, itemIndex: number): unknown;
	/** The outcome for a value returned by `read`. */
	test(value: unknown, itemIndex: number): Outcome;
}

/** A condition that cannot run as configured; raised once, before any item is routed. */
export class ConditionConfigError extends Error {}

type ValueTest = (value: unknown) => Outcome;

interface OperatorDefinition {
	/** How the operator reads in a description, between the field and the value. */
	readonly symbol: string;
	readonly expects: Expectation;
	readonly operands: 0 | 1 | 2;
	/** Whether the operator itself decides about absent fields (exists, is empty...). */
	readonly judgesMissing?: boolean;
	/** Checks and compiles the comparison value(s) once, returning the per-value test. */
	prepare(operand: unknown, operandTo: unknown): ValueTest;
}

function requireNumber(operand: unknown, role = 'value'): number {
	const number = toFiniteNumber(operand);
	if (number === undefined) throw new ConditionConfigError(`the ${role} "${String(operand)}" is not a number`);
	return number;
}

function requireText(operand: unknown): string {
	if (isMissing(operand)) return '';
	const text = toText(operand);
	if (text === undefined) throw new ConditionConfigError('the value must be a text, a number or a boolean');
	return text;
}

function numeric(symbol: string, holds: (field: number, value: number) => boolean): OperatorDefinition {
	return {
		symbol,
		expects: 'number',
		operands: 1,
		prepare(operand) {
			const expected = requireNumber(operand);
			return (value) => {
				const actual = toFiniteNumber(value);
				if (actual === undefined) return INVALID;
				return holds(actual, expected) ? MATCH : NO_MATCH;
			};
		},
	};
}

function textual(symbol: string, holds: (field: string, value: string) => boolean): OperatorDefinition {
	return {
		symbol,
		expects: 'text',
		operands: 1,
		prepare(operand) {
			const expected = requireText(operand);
			return (value) => {
				const actual = toText(value);
				if (actual === undefined) return INVALID;
				return holds(actual, expected) ? MATCH : NO_MATCH;
			};
		},
	};
}

function booleanIs(wanted: boolean): OperatorDefinition {
	return {
		symbol: wanted ? 'is true' : 'is false',
		expects: 'boolean',
		operands: 0,
		prepare() {
			return (value) => {
				const actual = toBooleanValue(value);
				if (actual === undefined) return INVALID;
				return actual === wanted ? MATCH : NO_MATCH;
			};
		},
	};
}

/**
 * The list of `is one of`: a JSON array (`["a", 2]`) or comma-separated entries (`a, b, 2`), each trimmed.
 * Entries are compared as text; a field that is a JSON number also matches a numerically equal entry
 * (1 matches "1.0"), while a text field is never read as a number ("01234" does not match "1234").
 */
export function parseList(operand: unknown): Array<string | number | boolean> {
	if (Array.isArray(operand)) return operand.map(listEntry);
	const text = requireText(operand).trim();
	if (text.startsWith('[')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			throw new ConditionConfigError('the list starts with "[" but is not a JSON array');
		}
		if (!Array.isArray(parsed)) throw new ConditionConfigError('the list is not a JSON array');
		return parsed.map(listEntry);
	}
	if (text === '') return [];
	return text.split(',').map((entry) => entry.trim());
}

function listEntry(entry: unknown): string | number | boolean {
	if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') return entry;
	throw new ConditionConfigError('list entries must be texts, numbers or booleans');
}

const OPERATORS: Record<OperatorName, OperatorDefinition> = {
	lt: numeric('<', (field, value) => field < value),
	lte: numeric('<=', (field, value) => field <= value),
	gt: numeric('>', (field, value) => field > value),
	gte: numeric('>=', (field, value) => field >= value),
	numberEquals: numeric('=', (field, value) => field === value),
	numberNotEquals: numeric('≠', (field, value) => field !== value),
	between: {
		symbol: 'between',
		expects: 'number',
		operands: 2,
		prepare(operand, operandTo) {
			const low = requireNumber(operand, 'lower bound');
			const high = requireNumber(operandTo, 'upper bound');
			if (low > high) throw new ConditionConfigError(`the lower bound ${low} is greater than the upper bound ${high}`);
			return (value) => {
				const actual = toFiniteNumber(value);
				if (actual === undefined) return INVALID;
				return actual >= low && actual <= high ? MATCH : NO_MATCH;
			};
		},
	},
	equals: textual('equals', (field, value) => field === value),
	notEquals: textual('not equals', (field, value) => field !== value),
	contains: textual('contains', (field, value) => field.includes(value)),
	startsWith: textual('starts with', (field, value) => field.startsWith(value)),
	endsWith: textual('ends with', (field, value) => field.endsWith(value)),
	matchesRegex: {
		symbol: 'matches',
		expects: 'text',
		operands: 1,
		prepare(operand) {
			let regex: SafeRegex;
			try {
				regex = compileSafeRegex(requireText(operand));
			} catch (error) {
				throw new ConditionConfigError((error as Error).message);
			}
			return (value) => {
				const actual = toText(value);
				if (actual === undefined) return INVALID;
				return regex.test(actual) ? MATCH : NO_MATCH;
			};
		},
	},
	isOneOf: {
		symbol: 'is one of',
		expects: 'text',
		operands: 1,
		prepare(operand) {
			const entries = parseList(operand);
			const texts = new Set(entries.map(String));
			const numbers = new Set<number>();
			for (const entry of entries) {
				const number = toFiniteNumber(entry);
				if (number !== undefined) numbers.add(number);
			}
			return (value) => {
				const actual = toText(value);
				if (actual === undefined) return INVALID;
				if (texts.has(actual)) return MATCH;
				return typeof value === 'number' && numbers.has(value) ? MATCH : NO_MATCH;
			};
		},
	},
	exists: {
		symbol: 'exists',
		expects: 'any',
		operands: 0,
		judgesMissing: true,
		prepare: () => (value) => (isMissing(value) ? NO_MATCH : MATCH),
	},
	notExists: {
		symbol: 'does not exist',
		expects: 'any',
		operands: 0,
		judgesMissing: true,
		prepare: () => (value) => (isMissing(value) ? MATCH : NO_MATCH),
	},
	isEmpty: {
		symbol: 'is empty',
		expects: 'any',
		operands: 0,
		judgesMissing: true,
		prepare: () => (value) => (isEmptyValue(value) ? MATCH : NO_MATCH),
	},
	isTrue: booleanIs(true),
	isFalse: booleanIs(false),
};

export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

export function isOperatorName(name: unknown): name is OperatorName {
	return typeof name === 'string' && Object.hasOwn(OPERATORS, name);
}

/** How many comparison values an operator takes: 0 (exists, is true...), 1, or 2 (between). */
export function operandCount(operator: OperatorName): 0 | 1 | 2 {
	return OPERATORS[operator].operands;
}

function describeOperand(source: OperandSource | undefined, expects: Expectation): string {
	if (!source) return '';
	if (source.kind === 'computed') return source.label;
	const value = source.value;
	if (expects === 'number') return String(value);
	return JSON.stringify(typeof value === 'string' ? value : String(value));
}

function describe(spec: ConditionSpec, field: string, definition: OperatorDefinition): string {
	if (definition.operands === 0) return `${field} ${definition.symbol}`;
	const value = describeOperand(spec.value, definition.expects);
	if (definition.operands === 2) return `${field} between ${value} and ${describeOperand(spec.valueTo, 'number')}`;
	return `${field} ${definition.symbol} ${value}`;
}

/**
 * Prepares the per-item test once. A fixed comparison value is checked and compiled here (a regex once
 * per execution); a computed one is compiled when it changes from one item to the next.
 */
function prepareTest(
	spec: ConditionSpec,
	definition: OperatorDefinition,
	description: string,
): (itemIndex: number) => ValueTest {
	const value = spec.value ?? { kind: 'fixed', value: undefined };
	const valueTo = spec.valueTo ?? { kind: 'fixed', value: undefined };
	if (definition.operands === 0 || (value.kind === 'fixed' && valueTo.kind === 'fixed')) {
		const fixedTest = definition.prepare(
			value.kind === 'fixed' ? value.value : undefined,
			valueTo.kind === 'fixed' ? valueTo.value : undefined,
		);
		return () => fixedTest;
	}
	let lastOperand: unknown;
	let lastOperandTo: unknown;
	let lastTest: ValueTest | undefined;
	return (itemIndex) => {
		const operand = value.kind === 'fixed' ? value.value : value.valueAt(itemIndex);
		const operandTo = valueTo.kind === 'fixed' ? valueTo.value : valueTo.valueAt(itemIndex);
		if (lastTest === undefined || operand !== lastOperand || operandTo !== lastOperandTo) {
			try {
				lastTest = definition.prepare(operand, operandTo);
			} catch (error) {
				if (error instanceof ConditionConfigError) {
					throw new ConditionConfigError(`in "${description}", ${error.message}`);
				}
				throw error;
			}
			lastOperand = operand;
			lastOperandTo = operandTo;
		}
		return lastTest;
	};
}

/** Compiles a condition; throws ConditionConfigError when its field, operator or fixed value cannot work. */
export function compileCondition(spec: ConditionSpec): CompiledCondition {
	if (!isOperatorName(spec.operator)) throw new ConditionConfigError(`unknown operator "${String(spec.operator)}"`);
	const definition = OPERATORS[spec.operator];
	const judgesMissing = definition.judgesMissing === true;
	const fieldSource = spec.field;
	let field: string;
	let read: CompiledCondition['read'];
	if (fieldSource.kind === 'path') {
		let path;
		try {
			path = parseFieldPath(fieldSource.path);
		} catch (error) {
			throw new ConditionConfigError((error as Error).message);
		}
		field = path.text;
		read = (json) => readFieldPath(json, path);
	} else {
		field = fieldSource.label;
		read = (_json, itemIndex) => fieldSource.valueAt(itemIndex);
	}
	const description = describe(spec, field, definition);
	const testAt = prepareTest(spec, definition, description);
	return {
		field,
		description,
		expects: definition.expects,
		read,
		test(value, itemIndex) {
			if (!judgesMissing && (value === undefined || value === null)) return MISSING;
			return testAt(itemIndex)(value);
		},
	};
}
