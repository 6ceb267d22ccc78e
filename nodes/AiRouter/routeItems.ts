import {
	ConditionConfigError,
	INVALID,
	MATCH,
	MISSING,
	NO_MATCH,
	type CompiledCondition,
	type Expectation,
	type Outcome,
} from './conditions';

export type RouteMode = 'firstMatch' | 'allMatches';
export type MissingFieldPolicy = 'fallback' | 'noMatch' | 'fail';
export type Combinator = 'and' | 'or';

export interface CompiledRoute {
	readonly outputIndex: number;
	readonly combinator: Combinator;
	readonly conditions: readonly CompiledCondition[];
	/** Readable form of the whole route, e.g. `score >= 0.9 AND lang equals "en"`. */
	readonly description: string;
}

/** Everything routing needs, compiled once per execution. Free of n8n types on purpose. */
export interface RouterPlan {
	/** One name per output, in output order. */
	readonly outputNames: readonly string[];
	readonly routes: readonly CompiledRoute[];
	readonly routeMode: RouteMode;
	/** Output index for items that match no route, or null to drop them. */
	readonly fallbackOutput: number | null;
	readonly whenFieldMissing: MissingFieldPolicy;
	readonly annotate: boolean;
	/** The `rule` written into the annotation of an item that matched no route. */
	readonly noMatchRule: string;
}

/** The item shape the router needs; n8n's INodeExecutionData fits it. */
export interface RoutableItem {
	json: object;
	binary?: object;
	pairedItem?: unknown;
}

/** Why an item went where it went, added as `_route` when annotation is on. */
export interface RouteAnnotation {
	output: string;
	rule: string;
	field: string | null;
	value: string | number | boolean | null;
}

export const ANNOTATION_KEY = '_route';

/** A routing problem tied to one item: a field missing under the `fail` policy, or a bad computed value. */
export class RoutingError extends Error {
	constructor(
		message: string,
		readonly itemIndex: number,
		readonly field?: string,
		readonly cause?: unknown,
	) {
		super(message);
	}
}

export interface RouteItemsOptions<T> {
	/**
	 * When given (n8n's "continue on fail"), a failing item becomes this item on the fallback output (or
	 * the first output when there is none) instead of stopping the execution.
	 */
	makeErrorItem?: (error: RoutingError) => T;
}

const PROBLEM_WORDS: Record<Expectation, string> = {
	number: 'is not a number',
	text: 'is not a text, number or boolean',
	boolean: 'is not a boolean (true or false)',
	any: 'is not usable',
};

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	const type = typeof value;
	return type === 'object' ? 'an object' : `a ${type}`;
}

function problemRule(condition: CompiledCondition, outcome: Outcome): string {
	return outcome === MISSING ? `${condition.field} is missing` : `${condition.field} ${PROBLEM_WORDS[condition.expects]}`;
}

/** Annotation values are JSON-safe primitives: structures are named, never copied (the field may be the whole item). */
function annotationValue(value: unknown): RouteAnnotation['value'] {
	if (value === undefined || value === null) return null;
	if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'bigint') return String(value);
	return Array.isArray(value) ? '[array]' : '[object]';
}

/** The condition that settled a route and the value it saw; reused across items to avoid allocation. */
interface Verdict {
	condition: CompiledCondition | undefined;
	value: unknown;
}

function evaluateRoute(
	route: CompiledRoute,
	json: object,
	itemIndex: number,
	missingIsNoMatch: boolean,
	verdict: Verdict,
): Outcome {
	const conditions = route.conditions;
	const all = route.combinator === 'and';
	for (let c = 0; c < conditions.length; c++) {
		const condition = conditions[c];
		const value = condition.read(json, itemIndex);
		let outcome = condition.test(value, itemIndex);
		if (outcome === MISSING || outcome === INVALID) {
			if (!missingIsNoMatch) {
				verdict.condition = condition;
				verdict.value = value;
				return outcome;
			}
			outcome = NO_MATCH;
		}
		// AND reports its first condition when it matches, OR the condition that made it match; a failed
		// route reports the condition that failed last.
		if (all ? c === 0 || outcome === NO_MATCH : outcome === MATCH || c === conditions.length - 1) {
			verdict.condition = condition;
			verdict.value = value;
		}
		if (all ? outcome === NO_MATCH : outcome === MATCH) return outcome;
	}
	return all ? MATCH : NO_MATCH;
}

/**
 * Sends each item to its output(s). Items keep their binary data; each output item points back to its
 * input item through `pairedItem`. An item sent to several outputs is copied for each (own item, own
 * top-level `json` and `binary` objects), so changing one copy's fields leaves the others and the input
 * alone; nested objects stay shared, as between any two n8n nodes.
 */
export function routeItems<T extends RoutableItem>(
	items: readonly T[],
	plan: RouterPlan,
	options: RouteItemsOptions<T> = {},
): T[][] {
	const outputs: T[][] = plan.outputNames.map(() => []);
	const { routes, annotate, fallbackOutput, outputNames } = plan;
	const firstMatch = plan.routeMode === 'firstMatch';
	const missingIsNoMatch = plan.whenFieldMissing === 'noMatch';
	const failOnMissing = plan.whenFieldMissing === 'fail';
	const verdict: Verdict = { condition: undefined, value: undefined };
	const matchedRoutes: number[] = [];
	const matchedConditions: Array<CompiledCondition | undefined> = [];
	const matchedValues: unknown[] = [];

	const emit = (
		item: T,
		itemIndex: number,
		outputIndex: number,
		copy: boolean,
		rule: string,
		condition: CompiledCondition | undefined,
		value: unknown,
	): void => {
		const routed: RoutableItem = { ...item, pairedItem: { item: itemIndex } };
		if (annotate) {
			const annotation: RouteAnnotation = {
				output: outputNames[outputIndex],
				rule,
				field: condition ? condition.field : null,
				value: annotationValue(value),
			};
			routed.json = { ...item.json, [ANNOTATION_KEY]: annotation };
		} else if (copy) {
			routed.json = { ...item.json };
		}
		if (copy && item.binary) routed.binary = { ...item.binary };
		outputs[outputIndex].push(routed as T);
	};

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const item = items[itemIndex];
		const json = item.json;
		let problem: Outcome = MATCH;
		let routed = false;
		matchedRoutes.length = 0;
		try {
			for (let r = 0; r < routes.length; r++) {
				const outcome = evaluateRoute(routes[r], json, itemIndex, missingIsNoMatch, verdict);
				if (outcome === MATCH) {
					if (firstMatch) {
						emit(item, itemIndex, routes[r].outputIndex, false, routes[r].description, verdict.condition, verdict.value);
						routed = true;
						break;
					}
					matchedRoutes.push(r);
					matchedConditions[matchedRoutes.length - 1] = verdict.condition;
					matchedValues[matchedRoutes.length - 1] = verdict.value;
				} else if (outcome !== NO_MATCH) {
					problem = outcome;
					break;
				}
			}
		} catch (error) {
			const failure =
				error instanceof ConditionConfigError
					? new RoutingError(`Item ${itemIndex}: ${error.message}`, itemIndex)
					: new RoutingError(`Item ${itemIndex}: ${(error as Error).message}`, itemIndex, undefined, error);
			if (!options.makeErrorItem) throw failure;
			emitError(outputs, fallbackOutput, options.makeErrorItem(failure), itemIndex);
			continue;
		}
		if (routed) continue;

		if (problem !== MATCH) {
			// An item whose field is missing or unusable is never sent to a route, even one it matched before.
			const condition = verdict.condition as CompiledCondition;
			const rule = problemRule(condition, problem);
			if (failOnMissing) {
				const problemText =
					problem === MISSING ? 'is missing' : `${PROBLEM_WORDS[condition.expects]} (found ${kindOf(verdict.value)})`;
				const failure = new RoutingError(
					`Item ${itemIndex}: field "${condition.field}" ${problemText}`,
					itemIndex,
					condition.field,
				);
				if (!options.makeErrorItem) throw failure;
				emitError(outputs, fallbackOutput, options.makeErrorItem(failure), itemIndex);
				continue;
			}
			if (fallbackOutput !== null) emit(item, itemIndex, fallbackOutput, false, rule, condition, verdict.value);
			continue;
		}

		if (matchedRoutes.length > 0) {
			const copy = matchedRoutes.length > 1;
			for (let m = 0; m < matchedRoutes.length; m++) {
				const route = routes[matchedRoutes[m]];
				emit(item, itemIndex, route.outputIndex, copy, route.description, matchedConditions[m], matchedValues[m]);
			}
			continue;
		}

		if (fallbackOutput !== null) {
			emit(item, itemIndex, fallbackOutput, false, plan.noMatchRule, verdict.condition, verdict.value);
		}
	}
	return outputs;
}

function emitError<T extends RoutableItem>(
	outputs: T[][],
	fallbackOutput: number | null,
	errorItem: T,
	itemIndex: number,
): void {
	const target = outputs[fallbackOutput ?? 0];
	if (!target) return;
	target.push({ ...errorItem, pairedItem: { item: itemIndex } });
}
