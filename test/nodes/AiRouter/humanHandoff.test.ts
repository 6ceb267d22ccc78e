import { AUTOMATED_OUTPUT, buildHumanHandoffPlan, HUMAN_HANDOFF_OUTPUT } from '../../../nodes/AiRouter/humanHandoff';
import { RouterConfigError } from '../../../nodes/AiRouter/plan';
import { routeItems } from '../../../nodes/AiRouter/routeItems';

const preset = buildHumanHandoffPlan({
	confidence: { kind: 'path', path: 'confidence' },
	threshold: { kind: 'fixed', value: 0.7 },
	annotate: true,
});

function routeOne(json: Record<string, unknown>) {
	const [automated, handoff] = routeItems([{ json }], preset);
	expect(automated.length + handoff.length).toBe(1);
	const item = automated[0] ?? handoff[0];
	return { output: automated.length === 1 ? AUTOMATED_OUTPUT : HUMAN_HANDOFF_OUTPUT, route: item.json._route };
}

test('two outputs, Automated first', () => {
	expect(preset.outputNames).toEqual(['Automated', 'Human handoff']);
});

describe('boundary values at threshold 0.7', () => {
	test.each([
		[0.7, 'Automated', 'confidence >= 0.7'],
		['0.7', 'Automated', 'confidence >= 0.7'],
		['0.70', 'Automated', 'confidence >= 0.7'],
		[' 0.7 ', 'Automated', 'confidence >= 0.7'],
		[1, 'Automated', 'confidence >= 0.7'],
		['7e-1', 'Automated', 'confidence >= 0.7'],
		[0.6999, 'Human handoff', 'confidence < 0.7'],
		['0.6999', 'Human handoff', 'confidence < 0.7'],
		[0, 'Human handoff', 'confidence < 0.7'],
		[-1, 'Human handoff', 'confidence < 0.7'],
		[null, 'Human handoff', 'confidence is missing'],
		[NaN, 'Human handoff', 'confidence is not a number'],
		[Infinity, 'Human handoff', 'confidence is not a number'],
		[-Infinity, 'Human handoff', 'confidence is not a number'],
		['', 'Human handoff', 'confidence is not a number'],
		[' ', 'Human handoff', 'confidence is not a number'],
		['high', 'Human handoff', 'confidence is not a number'],
		['Infinity', 'Human handoff', 'confidence is not a number'],
		[true, 'Human handoff', 'confidence is not a number'],
		[false, 'Human handoff', 'confidence is not a number'],
		[[0.9], 'Human handoff', 'confidence is not a number'],
		[[], 'Human handoff', 'confidence is not a number'],
		[{ value: 0.9 }, 'Human handoff', 'confidence is not a number'],
	])('confidence %p goes to %s (%s)', (confidence, output, rule) => {
		const { output: actual, route } = routeOne({ confidence });
		expect(actual).toBe(output);
		expect(route).toMatchObject({ output, rule, field: 'confidence' });
	});

	test('missing confidence goes to Human handoff', () => {
		expect(routeOne({ other: 0.9 })).toEqual({
			output: 'Human handoff',
			route: { output: 'Human handoff', rule: 'confidence is missing', field: 'confidence', value: null },
		});
	});

	test('annotation values stay JSON-safe', () => {
		expect(routeOne({ confidence: NaN }).route).toMatchObject({ value: 'NaN' });
		expect(routeOne({ confidence: Infinity }).route).toMatchObject({ value: 'Infinity' });
		expect(routeOne({ confidence: [0.9] }).route).toMatchObject({ value: '[array]' });
		expect(routeOne({ confidence: { v: 1 } }).route).toMatchObject({ value: '[object]' });
		expect(routeOne({ confidence: '0.7' }).route).toMatchObject({ value: '0.7' });
	});
});

test('a nested confidence field and another threshold', () => {
	const nested = buildHumanHandoffPlan({
		confidence: { kind: 'path', path: 'message.content.confidence' },
		threshold: { kind: 'fixed', value: '0.85' },
		annotate: false,
	});
	const [automated, handoff] = routeItems(
		[
			{ json: { message: { content: { confidence: 0.9 } } } },
			{ json: { message: { content: { confidence: 0.8 } } } },
			{ json: { message: { content: '{"confidence":0.99}' } } },
		],
		nested,
	);
	expect(automated).toHaveLength(1);
	expect(handoff).toHaveLength(2);
	expect(automated[0].json).not.toHaveProperty('_route');
	expect(nested.noMatchRule).toBe('message.content.confidence < 0.85');
});

test('the preset never fails or drops an item, whatever the payload', () => {
	const payloads: unknown[] = [undefined, null, 0, 'x', [], {}, { confidence: { nested: true } }, 'confidence'];
	const input = payloads.map((json) => ({ json: (json ?? {}) as object }));
	const [automated, handoff] = routeItems(input, preset);
	expect(automated).toHaveLength(0);
	expect(handoff).toHaveLength(input.length);
});

test('configuration errors name the parameter', () => {
	expect(() =>
		buildHumanHandoffPlan({ confidence: { kind: 'path', path: 'c' }, threshold: { kind: 'fixed', value: 'x' }, annotate: true }),
	).toThrow(new RouterConfigError('Threshold: "x" is not a number'));
	expect(() =>
		buildHumanHandoffPlan({ confidence: { kind: 'path', path: ' ' }, threshold: { kind: 'fixed', value: 0.7 }, annotate: true }),
	).toThrow(new RouterConfigError('Confidence Field: the field is empty'));
});
