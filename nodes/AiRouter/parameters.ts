import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';
import type { ConditionSpec, FieldSource, OperandSource, OperatorName } from './conditions';
import { DEFAULTS } from './description';
import { buildHumanHandoffPlan } from './humanHandoff';
import { configuredOutputs, type OutputParameters } from './outputs';
import { buildRulesPlan, RouterConfigError, type RouteSpec } from './plan';
import type { Combinator, MissingFieldPolicy, RouteMode, RouterPlan } from './routeItems';

/**
 * Reads the node's parameters into a RouterPlan, once per execution. A value the user typed is read
 * once; a value written as an expression is left to n8n to resolve for each item (`getNodeParameter`
 * with that item's index), because only then does `$json` mean that item.
 */

function isExpression(raw: unknown): raw is string {
	return typeof raw === 'string' && raw.startsWith('=');
}

const MAX_LABEL_LENGTH = 120;

/** How an expression is named in messages and annotations: its text without the leading "=". */
function expressionLabel(raw: string): string {
	const text = raw.slice(1).trim();
	return text.length > MAX_LABEL_LENGTH ? `${text.slice(0, MAX_LABEL_LENGTH - 1)}…` : text;
}

function fieldSource(context: IExecuteFunctions, raw: unknown, parameterPath: string): FieldSource {
	if (isExpression(raw)) {
		return {
			kind: 'computed',
			label: expressionLabel(raw),
			valueAt: (itemIndex) => context.getNodeParameter(parameterPath, itemIndex, undefined),
		};
	}
	return { kind: 'path', path: typeof raw === 'string' ? raw : '' };
}

function operandSource(context: IExecuteFunctions, raw: unknown, parameterPath: string): OperandSource {
	if (isExpression(raw)) {
		return {
			kind: 'computed',
			label: expressionLabel(raw),
			valueAt: (itemIndex) => context.getNodeParameter(parameterPath, itemIndex, undefined),
		};
	}
	return { kind: 'fixed', value: raw };
}

function asObject(value: unknown): INodeParameters {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as INodeParameters) : {};
}

function asList(value: unknown): INodeParameters[] {
	return Array.isArray(value) ? value.map(asObject) : [];
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new RouterConfigError(`${what}: unknown value "${String(value)}"`);
}

function readRulesPlan(context: IExecuteFunctions, parameters: INodeParameters): RouterPlan {
	const outputNames = configuredOutputs(parameters as OutputParameters).map((output) => output.displayName);
	const rawRoutes = asList(asObject(parameters.routes).values);
	const routes: RouteSpec[] = rawRoutes.map((route, routeIndex) => {
		const base = `routes.values[${routeIndex}]`;
		const conditions: ConditionSpec[] = asList(asObject(route.conditions).values).map((condition, conditionIndex) => {
			const path = `${base}.conditions.values[${conditionIndex}]`;
			return {
				field: fieldSource(context, condition.field, `${path}.field`),
				operator: (condition.operator ?? DEFAULTS.operator) as OperatorName,
				value: operandSource(context, condition.value, `${path}.value`),
				valueTo: operandSource(context, condition.valueTo, `${path}.valueTo`),
			};
		});
		return {
			outputName: outputNames[routeIndex],
			combinator: (route.combinator ?? DEFAULTS.combinator) as Combinator,
			conditions,
		};
	});
	const options = asObject(context.getNodeParameter('options', 0, {}));
	const fallback = oneOf(options.fallback ?? DEFAULTS.fallback, ['output', 'drop'], 'Fallback');
	return buildRulesPlan({
		routes,
		routeMode: oneOf(
			context.getNodeParameter('routeMode', 0, DEFAULTS.routeMode),
			['firstMatch', 'allMatches'] as RouteMode[],
			'Route Mode',
		),
		fallbackOutputName: fallback === 'output' ? outputNames[routes.length] : null,
		whenFieldMissing: oneOf(
			options.whenFieldMissing ?? DEFAULTS.whenFieldMissing,
			['fallback', 'noMatch', 'fail'] as MissingFieldPolicy[],
			'When Field Missing or Invalid',
		),
		annotate: options.annotate === undefined ? DEFAULTS.rulesAnnotate : options.annotate === true,
	});
}

function readHumanHandoffPlan(context: IExecuteFunctions, parameters: INodeParameters): RouterPlan {
	const rawThreshold = parameters.threshold;
	const options = asObject(context.getNodeParameter('options', 0, {}));
	return buildHumanHandoffPlan({
		confidence: fieldSource(context, parameters.confidenceField ?? DEFAULTS.confidenceField, 'confidenceField'),
		threshold: isExpression(rawThreshold)
			? operandSource(context, rawThreshold, 'threshold')
			: { kind: 'fixed', value: context.getNodeParameter('threshold', 0, DEFAULTS.threshold) },
		annotate: options.annotate === undefined ? DEFAULTS.presetAnnotate : options.annotate === true,
	});
}

/** The plan for this execution; throws RouterConfigError when the parameters cannot work. */
export function readRouterPlan(context: IExecuteFunctions): RouterPlan {
	// getNode() returns a copy of the node with its parameters as saved: expressions still start with "=".
	const parameters = context.getNode().parameters;
	const mode = context.getNodeParameter('mode', 0, DEFAULTS.mode);
	if (mode === 'rules') return readRulesPlan(context, parameters);
	if (mode === 'humanHandoff') return readHumanHandoffPlan(context, parameters);
	throw new RouterConfigError(`Mode: unknown value "${String(mode)}"`);
}
