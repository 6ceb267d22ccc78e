import type { ConditionSpec, OperatorName } from '../../../nodes/AiRouter/conditions';
import { buildRulesPlan, RouterConfigError, type RouteSpec, type RulesSpec } from '../../../nodes/AiRouter/plan';
import { routeItems, RoutingError, type RoutableItem } from '../../../nodes/AiRouter/routeItems';

interface Item extends RoutableItem {
	json: Record<string, unknown>;
	binary?: Record<string, { data: string; mimeType: string }>;
}

function when(path: string, operator: OperatorName, value?: string, valueTo?: string): ConditionSpec {
	return {
		field: { kind: 'path', path },
		operator,
		value: { kind: 'fixed', value },
		valueTo: { kind: 'fixed', value: valueTo },
	};
}

function route(outputName: string, ...conditions: ConditionSpec[]): RouteSpec {
	return { outputName, combinator: 'and', conditions };
}

function anyOf(outputName: string, ...conditions: ConditionSpec[]): RouteSpec {
	return { outputName, combinator: 'or', conditions };
}

function plan(routes: RouteSpec[], overrides: Partial<RulesSpec> = {}) {
	return buildRulesPlan({
		routes,
		routeMode: 'firstMatch',
		fallbackOutputName: 'Other',
		whenFieldMissing: 'fallback',
		annotate: false,
		...overrides,
	});
}

const ids = (output: Item[]) => output.map((item) => item.json.id);

// The three-route rule set used across these tests (and in the benchmark).
const threeRoutes = [
	route('High', when('body.data.confidence', 'gte', '0.9')),
	route('Spam', when('body.data.label', 'equals', 'spam')),
	route('Low', when('body.data.confidence', 'lt', '0.5')),
];

const items: Item[] = [
	{ json: { id: 'high', body: { data: { confidence: 0.95, label: 'ok' } } } },
	{ json: { id: 'high-spam', body: { data: { confidence: 0.92, label: 'spam' } } } },
	{ json: { id: 'spam-low', body: { data: { confidence: 0.1, label: 'spam' } } } },
	{ json: { id: 'low', body: { data: { confidence: '0.2', label: 'ok' } } } },
	{ json: { id: 'middle', body: { data: { confidence: 0.7, label: 'ok' } } } },
];

describe('route modes', () => {
	test('first match: each item goes to exactly one output, the first route that matches', () => {
		const [high, spam, low, other] = routeItems(items, plan(threeRoutes));
		expect(ids(high)).toEqual(['high', 'high-spam']);
		expect(ids(spam)).toEqual(['spam-low']);
		expect(ids(low)).toEqual(['low']);
		expect(ids(other)).toEqual(['middle']);
	});

	test('all matches: an item goes to every matching output, each a separate copy', () => {
		const [high, spam, low, other] = routeItems(items, plan(threeRoutes, { routeMode: 'allMatches' }));
		expect(ids(high)).toEqual(['high', 'high-spam']);
		expect(ids(spam)).toEqual(['high-spam', 'spam-low']);
		expect(ids(low)).toEqual(['spam-low', 'low']);
		expect(ids(other)).toEqual(['middle']);

		const first = high[1];
		const second = spam[0];
		expect(first).not.toBe(second);
		expect(first.json).not.toBe(second.json);
		first.json.flag = 'changed';
		expect(second.json.flag).toBeUndefined();
		expect(items[1].json.flag).toBeUndefined();
	});

	test('routes are checked in order; a later duplicate never sees first-match items', () => {
		const [a, b] = routeItems(items, plan([route('A', when('id', 'exists')), route('B', when('id', 'exists'))]));
		expect(a).toHaveLength(items.length);
		expect(b).toHaveLength(0);
	});

	test('numeric operators accept numeric strings', () => {
		const [match, other] = routeItems(
			[{ json: { id: 'a', s: '0.80' } }, { json: { id: 'b', s: ' 1 ' } }, { json: { id: 'c', s: '0.69' } }],
			plan([route('Match', when('s', 'gte', '0.7'))]),
		);
		expect(ids(match)).toEqual(['a', 'b']);
		expect(ids(other)).toEqual(['c']);
	});
});

describe('AND and OR', () => {
	test('AND needs every condition, OR any', () => {
		const rules = plan([
			route('Both', when('a', 'isTrue'), when('b', 'isTrue')),
			anyOf('Either', when('a', 'isTrue'), when('b', 'isTrue')),
		]);
		const input: Item[] = [
			{ json: { id: 'tt', a: true, b: true } },
			{ json: { id: 'tf', a: true, b: false } },
			{ json: { id: 'ft', a: false, b: 'true' } },
			{ json: { id: 'ff', a: 'false', b: false } },
		];
		const [both, either, other] = routeItems(input, rules);
		expect(ids(both)).toEqual(['tt']);
		expect(ids(either)).toEqual(['tf', 'ft']);
		expect(ids(other)).toEqual(['ff']);
	});

	test('evaluation stops once the route is decided, so a later missing field does not matter', () => {
		const rules = plan([
			anyOf('Or', when('a', 'isTrue'), when('missing', 'gt', '1')),
			route('And', when('a', 'isFalse'), when('missing', 'gt', '1')),
		]);
		const [or, and, other] = routeItems([{ json: { id: 'x', a: true } }, { json: { id: 'y', a: 'maybe' } }], rules);
		expect(ids(or)).toEqual(['x']);
		expect(and).toEqual([]);
		// 'maybe' is not a boolean: invalid, so under the default policy the item goes to the fallback.
		expect(ids(other)).toEqual(['y']);
	});
});

describe('fallback', () => {
	const unmatched: Item[] = [{ json: { id: 'n', n: 5 } }];

	test('on (default): unmatched items go to the last output', () => {
		const routed = routeItems(unmatched, plan([route('Big', when('n', 'gt', '10'))]));
		expect(routed).toHaveLength(2);
		expect(ids(routed[1])).toEqual(['n']);
	});

	test('off: unmatched items are dropped and there is no fallback output', () => {
		const routed = routeItems(unmatched, plan([route('Big', when('n', 'gt', '10'))], { fallbackOutputName: null }));
		expect(routed).toEqual([[]]);
	});
});

describe('when a field is missing or invalid', () => {
	const rules = [route('Score', when('score', 'gte', '0.5')), route('Tagged', when('tag', 'exists'))];
	const input: Item[] = [
		{ json: { id: 'ok', score: 0.9 } },
		{ json: { id: 'word', score: 'high', tag: 't' } },
		{ json: { id: 'absent', tag: 't' } },
		{ json: { id: 'null', score: null } },
		{ json: { id: 'low', score: 0.1, tag: 't' } },
	];

	test('send to fallback (default): the item goes to the fallback even if a later route matches', () => {
		const [score, tagged, other] = routeItems(input, plan(rules));
		expect(ids(score)).toEqual(['ok']);
		expect(ids(tagged)).toEqual(['low']);
		expect(ids(other)).toEqual(['word', 'absent', 'null']);
	});

	test('send to fallback with all matches: routes matched before the problem are discarded too', () => {
		const reversed = plan([route('Tagged', when('tag', 'exists')), route('Score', when('score', 'gte', '0.5'))], {
			routeMode: 'allMatches',
		});
		const [tagged, score, other] = routeItems(input, reversed);
		expect(ids(tagged)).toEqual(['low']);
		expect(ids(score)).toEqual(['ok']);
		expect(ids(other)).toEqual(['word', 'absent', 'null']);
	});

	test('send to fallback while the fallback is off drops the item', () => {
		const [score, tagged] = routeItems(input, plan(rules, { fallbackOutputName: null }));
		expect(ids(score)).toEqual(['ok']);
		expect(ids(tagged)).toEqual(['low']);
	});

	test('treat as not matching: the condition is false and the other routes decide', () => {
		const [score, tagged, other] = routeItems(input, plan(rules, { whenFieldMissing: 'noMatch' }));
		expect(ids(score)).toEqual(['ok']);
		expect(ids(tagged)).toEqual(['word', 'absent', 'low']);
		expect(ids(other)).toEqual(['null']);
	});

	test('treat as not matching makes even "not equals" false for a missing field', () => {
		const [notSpam, other] = routeItems(
			[{ json: { id: 'none' } }, { json: { id: 'ham', label: 'ham' } }],
			plan([route('NotSpam', when('label', 'notEquals', 'spam'))], { whenFieldMissing: 'noMatch' }),
		);
		expect(ids(notSpam)).toEqual(['ham']);
		expect(ids(other)).toEqual(['none']);
	});

	test('fail: an error names the item index and the field', () => {
		const failing = plan(rules, { whenFieldMissing: 'fail' });
		expect(() => routeItems(input, failing)).toThrow('Item 1: field "score" is not a number (found a string)');
		expect(() => routeItems(input.slice(2), failing)).toThrow('Item 0: field "score" is missing');
		try {
			routeItems([input[0], input[0], input[3]], failing);
			throw new Error('did not fail');
		} catch (error) {
			expect(error).toBeInstanceOf(RoutingError);
			expect((error as RoutingError).itemIndex).toBe(2);
			expect((error as RoutingError).field).toBe('score');
			expect((error as RoutingError).message).toBe('Item 2: field "score" is missing');
		}
	});

	test('fail with continue-on-fail: the failing item becomes an error item on the fallback output', () => {
		const [score, tagged, other] = routeItems(input, plan(rules, { whenFieldMissing: 'fail' }), {
			makeErrorItem: (error) => ({ json: { error: error.message } }),
		});
		expect(ids(score)).toEqual(['ok']);
		expect(ids(tagged)).toEqual(['low']);
		expect(other).toEqual([
			{ json: { error: 'Item 1: field "score" is not a number (found a string)' }, pairedItem: { item: 1 } },
			{ json: { error: 'Item 2: field "score" is missing' }, pairedItem: { item: 2 } },
			{ json: { error: 'Item 3: field "score" is missing' }, pairedItem: { item: 3 } },
		]);
	});

	test.each([
		[NaN, 'NaN'],
		[[1], 'an array'],
		[{}, 'an object'],
		[true, 'a boolean'],
	])('fail reports what it found: %p', (score, found) => {
		expect(() => routeItems([{ json: { score } }], plan(rules, { whenFieldMissing: 'fail' }))).toThrow(
			`Item 0: field "score" is not a number (found ${found})`,
		);
	});
});

describe('items keep their links and binary data', () => {
	const binary = { file: { data: 'aGVsbG8=', mimeType: 'text/plain' } };
	const input: Item[] = [
		{ json: { id: 'a', n: 1 }, binary, pairedItem: { item: 7 } },
		{ json: { id: 'b', n: 20 } },
		{ json: { id: 'c', n: 30 }, binary },
	];

	test('pairedItem points at the input item; binary is passed through', () => {
		const [big, other] = routeItems(input, plan([route('Big', when('n', 'gt', '10'))]));
		expect(big.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(other.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(other[0].binary).toBe(binary);
		expect(big[1].binary).toBe(binary);
		expect(big[0].binary).toBeUndefined();
		// The input items are not touched.
		expect(input[0].pairedItem).toEqual({ item: 7 });
	});

	test('copies in all-matches mode have their own binary map holding the same data', () => {
		const [x, y] = routeItems([input[2]], plan([route('X', when('n', 'gt', '1')), route('Y', when('n', 'gt', '2'))], {
			routeMode: 'allMatches',
		}));
		expect(x[0].binary).toEqual(binary);
		expect(y[0].binary).toEqual(binary);
		expect(x[0].binary).not.toBe(y[0].binary);
		expect(x[0].binary?.file).toBe(y[0].binary?.file);
		expect(x[0].pairedItem).toEqual({ item: 0 });
		expect(y[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('annotation', () => {
	const rules = [route('High', when('score', 'gte', '0.9'), when('lang', 'equals', 'en')), route('Low', when('score', 'lt', '0.3'))];

	test('adds _route with output, rule, field and value, without touching the input', () => {
		const input: Item[] = [
			{ json: { id: 'h', score: 0.95, lang: 'en' } },
			{ json: { id: 'l', score: '0.1' } },
			{ json: { id: 'm', score: 0.5 } },
			{ json: { id: 'x', score: 'n/a' } },
			{ json: { id: 'g', score: 0.95, lang: 'de' } },
		];
		const [high, low, other] = routeItems(input, plan(rules, { annotate: true }));
		expect(high[0].json._route).toEqual({
			output: 'High',
			rule: 'score >= 0.9 AND lang equals "en"',
			field: 'score',
			value: 0.95,
		});
		expect(low[0].json._route).toEqual({ output: 'Low', rule: 'score < 0.3', field: 'score', value: '0.1' });
		expect(other.map((item) => item.json._route)).toEqual([
			{ output: 'Other', rule: 'no route matched', field: 'score', value: 0.5 },
			{ output: 'Other', rule: 'score is not a number', field: 'score', value: 'n/a' },
			{ output: 'Other', rule: 'no route matched', field: 'score', value: 0.95 },
		]);
		expect(input.every((item) => !('_route' in item.json))).toBe(true);
	});

	test('each copy names its own output', () => {
		const [a, b] = routeItems<Item>(
			[{ json: { n: 5 } }],
			plan([route('A', when('n', 'gt', '1')), route('B', when('n', 'gt', '2'))], { routeMode: 'allMatches', annotate: true }),
		);
		expect(a[0].json._route).toMatchObject({ output: 'A', rule: 'n > 1' });
		expect(b[0].json._route).toMatchObject({ output: 'B', rule: 'n > 2' });
	});

	test('OR reports the condition that matched; structures are named, not copied', () => {
		const [hit] = routeItems<Item>(
			[{ json: { tags: ['a'], flag: 'true' } }],
			plan([anyOf('Hit', when('nothing', 'exists'), when('tags', 'exists'))], { annotate: true }),
		);
		expect(hit[0].json._route).toEqual({ output: 'Hit', rule: 'nothing exists OR tags exists', field: 'tags', value: '[array]' });
	});

	test('off: no _route and the same json object is passed on', () => {
		const input: Item[] = [{ json: { n: 5 } }];
		const [a] = routeItems(input, plan([route('A', when('n', 'gt', '1'))]));
		expect(a[0].json).toBe(input[0].json);
		expect(a[0].json).not.toHaveProperty('_route');
	});
});

describe('computed values and configuration errors', () => {
	test('an error while reading a computed field is tied to its item', () => {
		const rules = buildRulesPlan({
			routes: [
				{
					outputName: 'A',
					combinator: 'and',
					conditions: [
						{
							field: {
								kind: 'computed',
								label: '{{ $json.x.y }}',
								valueAt: (itemIndex) => {
									if (itemIndex === 1) throw new Error('Cannot read properties of undefined');
									return itemIndex;
								},
							},
							operator: 'gte',
							value: { kind: 'fixed', value: '0' },
						},
					],
				},
			],
			routeMode: 'firstMatch',
			fallbackOutputName: 'Other',
			whenFieldMissing: 'fallback',
			annotate: false,
		});
		expect(() => routeItems([{ json: {} }, { json: {} }], rules)).toThrow(
			expect.objectContaining({ itemIndex: 1, message: 'Item 1: Cannot read properties of undefined' }),
		);
	});

	test('bad routes are rejected before any item is routed, naming the route and condition', () => {
		expect(() => plan([route('A', when('n', 'gt', 'ten'))])).toThrow(
			new RouterConfigError('Route 1 ("A"), condition 1: the value "ten" is not a number'),
		);
		expect(() => plan([route('A', when('n', 'exists')), route('B')])).toThrow('Route 2 ("B") has no conditions');
		expect(() => plan([route('A', when('n', 'exists'), when('', 'exists'))])).toThrow(
			'Route 1 ("A"), condition 2: the field is empty',
		);
		expect(() => plan([{ outputName: 'A', combinator: 'xor' as 'and', conditions: [when('n', 'exists')] }])).toThrow(
			'unknown combinator "xor"',
		);
	});

	test('no routes: everything goes to the fallback', () => {
		const [other] = routeItems(items, plan([]));
		expect(other).toHaveLength(items.length);
	});
});
