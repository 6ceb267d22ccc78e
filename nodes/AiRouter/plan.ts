import { compileCondition, ConditionConfigError, type ConditionSpec } from './conditions';
import type { Combinator, CompiledRoute, MissingFieldPolicy, RouteMode, RouterPlan } from './routeItems';

export interface RouteSpec {
	/** The output's final name, as the canvas shows it. */
	outputName: string;
	combinator: Combinator;
	conditions: ConditionSpec[];
}

export interface RulesSpec {
	routes: RouteSpec[];
	routeMode: RouteMode;
	/** Name of the output for unmatched items, or null to drop them. */
	fallbackOutputName: string | null;
	whenFieldMissing: MissingFieldPolicy;
	annotate: boolean;
}

/** A rule set that cannot run as configured; raised before any item is routed. */
export class RouterConfigError extends Error {}

export const NO_MATCH_RULE = 'no route matched';

export function compileRoute(route: RouteSpec, routeIndex: number): CompiledRoute {
	const where = `Route ${routeIndex + 1} ("${route.outputName}")`;
	if (route.conditions.length === 0) throw new RouterConfigError(`${where} has no conditions`);
	if (route.combinator !== 'and' && route.combinator !== 'or') {
		throw new RouterConfigError(`${where}: unknown combinator "${String(route.combinator)}"`);
	}
	const conditions = route.conditions.map((condition, conditionIndex) => {
		try {
			return compileCondition(condition);
		} catch (error) {
			if (error instanceof ConditionConfigError) {
				throw new RouterConfigError(`${where}, condition ${conditionIndex + 1}: ${error.message}`);
			}
			throw error;
		}
	});
	return {
		outputIndex: routeIndex,
		combinator: route.combinator,
		conditions,
		description: conditions.map((condition) => condition.description).join(route.combinator === 'and' ? ' AND ' : ' OR '),
	};
}

/** Compiles a rule set once per execution: paths parsed, numbers checked, regular expressions built. */
export function buildRulesPlan(spec: RulesSpec): RouterPlan {
	const routes = spec.routes.map(compileRoute);
	const outputNames = spec.routes.map((route) => route.outputName);
	let fallbackOutput: number | null = null;
	if (spec.fallbackOutputName !== null) {
		fallbackOutput = outputNames.length;
		outputNames.push(spec.fallbackOutputName);
	}
	return {
		outputNames,
		routes,
		routeMode: spec.routeMode,
		fallbackOutput,
		whenFieldMissing: spec.whenFieldMissing,
		annotate: spec.annotate,
		noMatchRule: NO_MATCH_RULE,
	};
}
