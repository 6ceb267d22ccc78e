import { toFiniteNumber } from './coercion';
import { compileCondition, ConditionConfigError, type FieldSource, type OperandSource } from './conditions';
import { RouterConfigError } from './plan';
import type { RouterPlan } from './routeItems';

export const AUTOMATED_OUTPUT = 'Automated';
export const HUMAN_HANDOFF_OUTPUT = 'Human handoff';

export interface HumanHandoffSpec {
	confidence: FieldSource;
	threshold: OperandSource;
	annotate: boolean;
}

/**
 * The preset: confidence ≥ threshold goes to "Automated", everything else to "Human handoff". A missing
 * or non-numeric confidence goes to a person and is never auto-approved, whatever the rules mode would do.
 */
export function buildHumanHandoffPlan(spec: HumanHandoffSpec): RouterPlan {
	if (spec.threshold.kind === 'fixed' && toFiniteNumber(spec.threshold.value) === undefined) {
		throw new RouterConfigError(`Threshold: "${String(spec.threshold.value)}" is not a number`);
	}
	let condition;
	try {
		condition = compileCondition({ field: spec.confidence, operator: 'gte', value: spec.threshold });
	} catch (error) {
		if (error instanceof ConditionConfigError) throw new RouterConfigError(`Confidence Field: ${error.message}`);
		throw error;
	}
	const threshold = spec.threshold.kind === 'fixed' ? String(spec.threshold.value) : spec.threshold.label;
	return {
		outputNames: [AUTOMATED_OUTPUT, HUMAN_HANDOFF_OUTPUT],
		routes: [{ outputIndex: 0, combinator: 'and', conditions: [condition], description: condition.description }],
		routeMode: 'firstMatch',
		fallbackOutput: 1,
		whenFieldMissing: 'fallback',
		annotate: spec.annotate,
		noMatchRule: `${condition.field} < ${threshold}`,
	};
}
