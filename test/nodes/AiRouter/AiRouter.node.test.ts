import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import { AiRouter } from '../../../nodes/AiRouter/AiRouter.node';
import { executeNode, outputNamesOf, ROUTER_NODE_NAME, runWorkflow } from './executeHarness';

// execute() runs inside n8n-core's ExecuteContext over a real Workflow (see executeHarness.ts), so
// defaults, expressions ($json, $itemIndex) and continue-on-fail are resolved by n8n itself.
const router = new AiRouter();

function run(parameters: INodeParameters, items: INodeExecutionData[], continueOnFail = false) {
	return executeNode({ nodeType: router, parameters, items, continueOnFail });
}

const json = (output: INodeExecutionData[]) => output.map((item) => item.json);

function rule(outputName: string, field: string, operator: string, value = '', valueTo = '') {
	return { outputName, combinator: 'and', conditions: { values: [{ field, operator, value, valueTo }] } };
}

const threeRoutes = {
	mode: 'rules',
	routes: {
		values: [
			rule('High', 'body.data.confidence', 'gte', '0.9'),
			rule('Spam', 'body.data.label', 'equals', 'spam'),
			rule('Low', 'body.data.confidence', 'lt', '0.5'),
		],
	},
};

const payloads: INodeExecutionData[] = [
	{ json: { id: 1, body: { data: { confidence: 0.95, label: 'ok' } } } },
	{ json: { id: 2, body: { data: { confidence: 0.93, label: 'spam' } } } },
	{ json: { id: 3, body: { data: { confidence: '0.1', label: 'spam' } } } },
	{ json: { id: 4, body: { data: { confidence: 0.2, label: 'ok' } } } },
	{ json: { id: 5, body: { data: { confidence: 0.6, label: 'ok' } } } },
	{ json: { id: 6, body: { data: { label: 'ok' } } } },
];
const idsOf = (output: INodeExecutionData[]) => output.map((item) => item.json.id);

describe('human-handoff preset (the default when dropped on the canvas)', () => {
	const boundary: Array<[IDataObject[string], 'Automated' | 'Human handoff']> = [
		[0.7, 'Automated'],
		[0.6999, 'Human handoff'],
		['0.7', 'Automated'],
		[null, 'Human handoff'],
		[NaN, 'Human handoff'],
		['', 'Human handoff'],
		[' ', 'Human handoff'],
		[Infinity, 'Human handoff'],
		[true, 'Human handoff'],
		[false, 'Human handoff'],
		[[0.9], 'Human handoff'],
		[1, 'Automated'],
	];

	test('boundary values with default parameters: confidence, 0.7, annotated', async () => {
		const items = [...boundary.map(([confidence]) => ({ json: { confidence } })), { json: { note: 'no confidence' } }];
		const [automated, handoff] = await run({}, items);
		const expectedAutomated = boundary.flatMap(([, output], index) => (output === 'Automated' ? [index] : []));
		const expectedHandoff = [
			...boundary.flatMap(([, output], index) => (output === 'Human handoff' ? [index] : [])),
			boundary.length,
		];
		expect(automated.map((item) => item.pairedItem)).toEqual(expectedAutomated.map((item) => ({ item })));
		expect(handoff.map((item) => item.pairedItem)).toEqual(expectedHandoff.map((item) => ({ item })));
		expect(automated[0].json._route).toEqual({ output: 'Automated', rule: 'confidence >= 0.7', field: 'confidence', value: 0.7 });
		expect(handoff.map((item) => (item.json._route as { rule: string }).rule)).toEqual([
			'confidence < 0.7',
			'confidence is missing',
			'confidence is not a number',
			'confidence is not a number',
			'confidence is not a number',
			'confidence is not a number',
			'confidence is not a number',
			'confidence is not a number',
			'confidence is not a number',
			'confidence is missing',
		]);
	});

	test('the parameters: confidence field path, threshold, annotation off', async () => {
		const [automated, handoff] = await run(
			{ mode: 'humanHandoff', confidenceField: 'message.content.confidence', threshold: 0.85, options: { annotate: false } },
			[{ json: { message: { content: { confidence: 0.9 } } } }, { json: { message: { content: { confidence: 0.8 } } } }],
		);
		expect(json(automated)).toEqual([{ message: { content: { confidence: 0.9 } } }]);
		expect(json(handoff)).toEqual([{ message: { content: { confidence: 0.8 } } }]);
	});

	test('confidence and threshold as expressions are resolved by n8n for each item', async () => {
		const items = [
			{ json: { choices: [{ message: { content: '{"confidence": 0.91}' } }], min: 0.9 } },
			{ json: { choices: [{ message: { content: '{"confidence": 0.91}' } }], min: 0.95 } },
			{ json: { choices: [{ message: { content: '{"other": 1}' } }], min: 0.5 } },
		];
		const [automated, handoff] = await run(
			{
				confidenceField: '={{ JSON.parse($json.choices[0].message.content).confidence }}',
				threshold: '={{ $json.min }}',
			},
			items,
		);
		expect(automated.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(handoff.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(automated[0].json._route).toEqual({
			output: 'Automated',
			rule: '{{ JSON.parse($json.choices[0].message.content).confidence }} >= {{ $json.min }}',
			field: '{{ JSON.parse($json.choices[0].message.content).confidence }}',
			value: 0.91,
		});
		expect(handoff[1].json._route).toMatchObject({ rule: '{{ JSON.parse($json.choices[0].message.content).confidence }} is missing' });
	});

	test('a threshold that is not a number stops the execution before routing', async () => {
		await expect(run({ threshold: '={{ "high" }}' }, [{ json: { confidence: 0.9 } }])).rejects.toThrow(
			/the value "high" is not a number/,
		);
		await expect(run({ confidenceField: '' }, [{ json: { confidence: 0.9 } }])).rejects.toThrow(
			'Confidence Field: the field is empty',
		);
	});
});

describe('rules mode', () => {
	test('first match through n8n', async () => {
		const [high, spam, low, other] = await run(threeRoutes, payloads);
		expect(idsOf(high)).toEqual([1, 2]);
		expect(idsOf(spam)).toEqual([3]);
		expect(idsOf(low)).toEqual([4]);
		// 5 matches nothing; 6 has no confidence: the default policy sends it to the fallback.
		expect(idsOf(other)).toEqual([5, 6]);
		expect(high[0].json).not.toHaveProperty('_route');
	});

	test('all matches, annotated', async () => {
		const [high, spam, low, other] = await run(
			{ ...threeRoutes, routeMode: 'allMatches', options: { annotate: true } },
			payloads,
		);
		expect(idsOf(high)).toEqual([1, 2]);
		expect(idsOf(spam)).toEqual([2, 3]);
		expect(idsOf(low)).toEqual([3, 4]);
		expect(idsOf(other)).toEqual([5, 6]);
		expect(spam[0].json._route).toEqual({ output: 'Spam', rule: 'body.data.label equals "spam"', field: 'body.data.label', value: 'spam' });
		expect(other[1].json._route).toEqual({
			output: 'Other',
			rule: 'body.data.confidence is missing',
			field: 'body.data.confidence',
			value: null,
		});
	});

	test('fallback dropped', async () => {
		const outputs = await run({ ...threeRoutes, options: { fallback: 'drop' } }, payloads);
		expect(outputs).toHaveLength(3);
		expect(outputs.flat().map((item) => item.json.id)).toEqual([1, 2, 3, 4]);
	});

	test('when a field is missing: treat as not matching', async () => {
		const [high, spam, low, other] = await run(
			{
				mode: 'rules',
				routes: { values: [rule('High', 'body.data.confidence', 'gte', '0.9'), rule('Ok', 'body.data.label', 'equals', 'ok')] },
				options: { whenFieldMissing: 'noMatch' },
			},
			payloads,
		);
		expect(idsOf(high)).toEqual([1, 2]);
		expect(idsOf(spam)).toEqual([4, 5, 6]);
		expect(idsOf(other ?? low)).toEqual([3]);
	});

	test('when a field is missing: fail the execution, naming the item index and the field', async () => {
		const error = await run({ ...threeRoutes, options: { whenFieldMissing: 'fail' } }, payloads).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('Item 5: field "body.data.confidence" is missing');
		expect((error as NodeOperationError).context.itemIndex).toBe(5);
	});

	test('fail with continue-on-fail (On Error: Continue): an error item on the fallback output', async () => {
		const [, , , other] = await run({ ...threeRoutes, options: { whenFieldMissing: 'fail' } }, payloads, true);
		expect(other).toEqual([
			{ json: { id: 5, body: { data: { confidence: 0.6, label: 'ok' } } }, pairedItem: { item: 4 } },
			{ json: { error: 'Item 5: field "body.data.confidence" is missing' }, pairedItem: { item: 5 } },
		]);
	});

	test('fields and values as expressions, resolved per item by n8n', async () => {
		const [even, odd] = await run(
			{
				mode: 'rules',
				routes: {
					values: [
						rule('Even index', '={{ $itemIndex % 2 }}', 'numberEquals', '0'),
						rule('Above own limit', '={{ $json.score }}', 'gt', '={{ $json.limit }}'),
					],
				},
				options: { fallback: 'drop' },
			},
			[
				{ json: { score: 1, limit: 5 } },
				{ json: { score: 9, limit: 5 } },
				{ json: { score: 1, limit: 5 } },
				{ json: { score: 3, limit: 2 } },
				{ json: { score: 3, limit: 4 } },
			],
		);
		expect(even.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 4 }]);
		expect(odd.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
	});

	test('an expression field that resolves to nothing counts as missing', async () => {
		const [present, other] = await run(
			{ mode: 'rules', routes: { values: [rule('Has x', '={{ $json.x }}', 'exists')] } },
			[{ json: { x: 0 } }, { json: {} }],
		);
		expect(present.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(other.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
	});

	test('an expression that throws for one item fails with that item index', async () => {
		const error = await run(
			{ mode: 'rules', routes: { values: [rule('Linked', "={{ $json.ok ? 1 : $('No such node').item.json.x }}", 'gt', '0')] } },
			[{ json: { ok: true } }, { json: { ok: true } }, { json: { ok: false } }],
		).catch((e: unknown) => e);
		// n8n's own ExpressionError is passed on unchanged (its message and description explain it best).
		expect((error as Error).constructor.name).toBe('ExpressionError');
		expect((error as Error).message).toBe("Referenced node doesn't exist");
		expect((error as { context: { itemIndex: number } }).context.itemIndex).toBe(2);
	});

	test('every operator through n8n parameters', async () => {
		const cases: Array<[string, string, string, IDataObject[string], boolean]> = [
			['lt', '5', '', 4, true],
			['lte', '5', '', 5, true],
			['gt', '5', '', 5, false],
			['gte', '5', '', '5', true],
			['numberEquals', '5', '', '5.0', true],
			['numberNotEquals', '5', '', 5, false],
			['between', '1', '5', 3, true],
			['equals', 'a', '', 'a', true],
			['notEquals', 'a', '', 'a', false],
			['contains', 'ell', '', 'hello', true],
			['startsWith', 'he', '', 'hello', true],
			['endsWith', 'lo', '', 'hello', true],
			['matchesRegex', '/^HEL+O$/i', '', 'hello', true],
			['isOneOf', 'x, hello', '', 'hello', true],
			['exists', '', '', 'hello', true],
			['notExists', '', '', 'hello', false],
			['isEmpty', '', '', '  ', true],
			['isTrue', '', '', 'true', true],
			['isFalse', '', '', 'true', false],
		];
		const parameters = {
			mode: 'rules',
			routeMode: 'allMatches',
			routes: { values: cases.map(([operator, value, valueTo]) => rule(operator, 'v', operator, value, valueTo)) },
			// Each value is of the wrong type for some other route (4 is not a boolean): treat those as not matching.
			options: { fallback: 'drop', whenFieldMissing: 'noMatch' },
		};
		for (const [index, [operator, , , fieldValue, matches]] of cases.entries()) {
			const routed = await run(parameters, [{ json: { v: fieldValue } }]);
			expect([operator, routed[index].length]).toEqual([operator, matches ? 1 : 0]);
		}
	});

	test('a bad rule stops the execution with a message naming the route', async () => {
		await expect(
			run({ mode: 'rules', routes: { values: [rule('High', 'score', 'gte', 'lots')] } }, payloads),
		).rejects.toThrow('Route 1 ("High"), condition 1: the value "lots" is not a number');
		await expect(
			run({ mode: 'rules', routes: { values: [rule('Re', 'text', 'matchesRegex', '(a)\\1')] } }, payloads),
		).rejects.toThrow(/Route 1 \("Re"\), condition 1: the regular expression is not valid RE2 syntax/);
	});

	test('execute() returns as many outputs as the editor shows, in the same order', async () => {
		const cases: INodeParameters[] = [
			{},
			threeRoutes,
			{ ...threeRoutes, options: { fallback: 'drop' } },
			{ mode: 'rules' },
			{ mode: 'rules', routes: { values: [rule('', 'a', 'exists')] }, options: { fallbackOutputName: 'Review' } },
		];
		for (const parameters of cases) {
			const outputs = await run(parameters, [{ json: { confidence: 1, a: 1 } }]);
			expect(outputs.length).toBe(Math.max(outputNamesOf(router, parameters).length, 1));
		}
	});
});

describe('item linking and binary data survive the router in a real workflow run', () => {
	const binary = { attachment: { data: 'aGVsbG8=', mimeType: 'text/plain', fileName: 'a.txt' } };
	const items: INodeExecutionData[] = [
		{ json: { id: 'a', confidence: 0.95 }, binary },
		{ json: { id: 'b', confidence: 0.2 } },
		{ json: { id: 'c', confidence: 0.99 } },
		{ json: { id: 'd' }, binary },
	];

	test.each([
		['preset', {}],
		['rules, all matches', { mode: 'rules', routeMode: 'allMatches', routes: { values: [rule('Auto', 'confidence', 'gte', '0.7'), rule('Also', 'id', 'exists')] } }],
	])("$('Webhook').item resolves to the right source item after the router (%s)", async (_name, parameters) => {
		const result = await runWorkflow({
			routerType: router,
			routerParameters: parameters as INodeParameters,
			items,
			downstream: { 0: 'First', 1: 'Second' },
			linkExpression: "={{ $('Webhook').item.json.id }}",
		});
		expect(result.error).toBeUndefined();
		for (const name of ['First', 'Second']) {
			const echoed = result.runData[name][0].data?.main[0] ?? [];
			expect(echoed.length).toBeGreaterThan(0);
			for (const item of echoed) expect(item.json.linked).toBe((item.json.own as { id: string }).id);
		}
		const routerOutput = result.runData[ROUTER_NODE_NAME][0].data?.main ?? [];
		const routed = routerOutput.flatMap((output) => output ?? []);
		const withBinary = routed.filter((item) => item.binary);
		expect(withBinary.length).toBeGreaterThan(0);
		for (const item of withBinary) {
			expect(['a', 'd']).toContain(item.json.id);
			expect(item.binary).toEqual(binary);
		}
	});
});
