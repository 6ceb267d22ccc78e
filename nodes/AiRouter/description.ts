import type { ExpressionString, INodeProperties } from 'n8n-workflow';
import { configuredOutputs } from './outputs';

/**
 * What the code assumes when a parameter is absent (collection options are absent until the user adds
 * them). The `default` literals below must say the same; a test checks that they do.
 */
export const DEFAULTS = {
	mode: 'humanHandoff',
	confidenceField: 'confidence',
	threshold: 0.7,
	presetAnnotate: true,
	routeMode: 'firstMatch',
	combinator: 'and',
	operator: 'gte',
	fallback: 'output',
	fallbackOutputName: 'Other',
	whenFieldMissing: 'fallback',
	rulesAnnotate: false,
} as const;

/** Operators that take no comparison value. */
const VALUELESS_OPERATORS = ['exists', 'notExists', 'isEmpty', 'isTrue', 'isFalse'];

const humanHandoffProperties: INodeProperties[] = [
	{
		displayName: 'Confidence Field',
		name: 'confidenceField',
		type: 'string',
		default: 'confidence',
		placeholder: 'e.g. body.data.confidence',
		required: true,
		displayOptions: { show: { mode: ['humanHandoff'] } },
		description:
			"Dot path into the item's JSON (a.b.c, list[0].b) holding a number, or an expression that returns it",
		hint: 'OpenAI-style payloads: message.content.confidence (OpenAI node with JSON output) or, for a raw Chat Completions response, the expression {{ JSON.parse($json.choices[0].message.content).confidence }}',
	},
	{
		displayName: 'Threshold',
		name: 'threshold',
		type: 'number',
		default: 0.7,
		typeOptions: { numberPrecision: 4 },
		displayOptions: { show: { mode: ['humanHandoff'] } },
		description:
			'Items whose confidence is at least this go to Automated; below it, missing or not a number go to Human handoff',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { mode: ['humanHandoff'] } },
		options: [
			{
				displayName: 'Annotate Items',
				name: 'annotate',
				type: 'boolean',
				default: true,
				description:
					'Whether to add _route: { output, rule, field, value } to each item so later nodes can tell why it went where it went',
			},
		],
	},
];

const conditionValues: INodeProperties[] = [
	{
		displayName: 'Field',
		name: 'field',
		type: 'string',
		default: '',
		placeholder: 'e.g. body.data.confidence',
		description:
			"Dot path into the item's JSON (a.b.c, list[0].b), or an expression whose result is the value to test",
	},
	{
		displayName: 'Operator',
		name: 'operator',
		type: 'options',
		noDataExpression: true,
		default: 'gte',
		options: [
			{ name: 'Boolean: Is False', value: 'isFalse', description: 'False or the text "false"' },
			{ name: 'Boolean: Is True', value: 'isTrue', description: 'True or the text "true"' },
			{ name: 'Field: Does Not Exist', value: 'notExists', description: 'Absent or null' },
			{ name: 'Field: Exists', value: 'exists', description: 'Present and not null' },
			{
				name: 'Field: Is Empty',
				value: 'isEmpty',
				description: 'Absent, null, blank text, empty list or empty object',
			},
			{
				name: 'List: Is One Of',
				value: 'isOneOf',
				description: 'Equals one entry of a comma-separated list or a JSON array',
			},
			{ name: 'Number: Between', value: 'between', description: 'From the value to the upper value, both included' },
			{ name: 'Number: Equals (=)', value: 'numberEquals' },
			{ name: 'Number: Is Greater Than (>)', value: 'gt' },
			{ name: 'Number: Is Greater Than or Equal (>=)', value: 'gte' },
			{ name: 'Number: Is Less Than (<)', value: 'lt' },
			{ name: 'Number: Is Less Than or Equal (<=)', value: 'lte' },
			{ name: 'Number: Not Equals (≠)', value: 'numberNotEquals' },
			{ name: 'Text: Contains', value: 'contains' },
			{ name: 'Text: Ends With', value: 'endsWith' },
			{ name: 'Text: Equals', value: 'equals' },
			{
				name: 'Text: Matches Regex',
				value: 'matchesRegex',
				description: 'RE2 syntax, linear time; pattern or /pattern/flags (flags i, m, s)',
			},
			{ name: 'Text: Not Equals', value: 'notEquals' },
			{ name: 'Text: Starts With', value: 'startsWith' },
		],
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		displayOptions: { hide: { operator: VALUELESS_OPERATORS } },
		description: 'The value to compare with; for Between, the lower bound',
	},
	{
		displayName: 'Upper Value',
		name: 'valueTo',
		type: 'string',
		default: '',
		displayOptions: { show: { operator: ['between'] } },
		description: 'The upper bound of Between',
	},
];

const rulesProperties: INodeProperties[] = [
	{
		displayName: 'Routes',
		name: 'routes',
		placeholder: 'Add Route',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: { show: { mode: ['rules'] } },
		description: 'Checked in order; each route is one output, named after it',
		options: [
			{
				name: 'values',
				displayName: 'Route',
				values: [
					{
						displayName: 'Output Name',
						name: 'outputName',
						type: 'string',
						noDataExpression: true,
						default: '',
						placeholder: 'e.g. High confidence',
						description: 'Label of this route\'s output on the canvas; "Route N" when empty',
					},
					{
						displayName: 'Combine Conditions',
						name: 'combinator',
						type: 'options',
						noDataExpression: true,
						default: 'and',
						options: [
							{ name: 'AND', value: 'and', description: 'All conditions must match' },
							{ name: 'OR', value: 'or', description: 'At least one condition must match' },
						],
					},
					{
						displayName: 'Conditions',
						name: 'conditions',
						placeholder: 'Add Condition',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true, sortable: true },
						default: { values: [{ field: '', operator: 'gte', value: '' }] },
						options: [{ name: 'values', displayName: 'Condition', values: conditionValues }],
					},
				],
			},
		],
	},
	{
		displayName: 'Route Mode',
		name: 'routeMode',
		type: 'options',
		noDataExpression: true,
		default: 'firstMatch',
		displayOptions: { show: { mode: ['rules'] } },
		options: [
			{
				name: 'All Matches',
				value: 'allMatches',
				description: 'Send a copy of the item to every route that matches',
			},
			{
				name: 'First Match',
				value: 'firstMatch',
				description: 'Send the item to the first route that matches, in route order',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { mode: ['rules'] } },
		options: [
			{
				displayName: 'Annotate Items',
				name: 'annotate',
				type: 'boolean',
				default: false,
				description:
					'Whether to add _route: { output, rule, field, value } to each item so later nodes can tell why it went where it went',
			},
			{
				displayName: 'Fallback',
				name: 'fallback',
				type: 'options',
				noDataExpression: true,
				default: 'output',
				options: [
					{ name: 'Drop Items', value: 'drop', description: 'Items that match no route are discarded' },
					{
						name: 'Send to Fallback Output',
						value: 'output',
						description: 'Items that match no route go to an extra output, last',
					},
				],
			},
			{
				displayName: 'Fallback Output Name',
				name: 'fallbackOutputName',
				type: 'string',
				noDataExpression: true,
				default: 'Other',
				// Not tied to Fallback with displayOptions: the fallback output exists by default, before
				// anyone adds the Fallback option, and its name must be editable then.
				description: 'Name of the output for items that match no route; unused when Fallback is Drop Items',
			},
			{
				displayName: 'When Field Missing or Invalid',
				name: 'whenFieldMissing',
				type: 'options',
				noDataExpression: true,
				default: 'fallback',
				description:
					'What to do when a condition\'s field is absent or null, or holds a value its operator cannot compare (a word for a number operator)',
				options: [
					{
						name: 'Fail the Execution',
						value: 'fail',
						description: 'Stop with an error naming the item index and the field',
					},
					{
						name: 'Send to Fallback',
						value: 'fallback',
						description: 'Send the item to the fallback output (or drop it when Fallback is Drop Items)',
					},
					{
						name: 'Treat as Not Matching',
						value: 'noMatch',
						description: 'The condition is false; the other conditions and routes still decide',
					},
				],
			},
		],
	},
];

/**
 * The node's outputs as an expression n8n evaluates against the node's parameters, the way Switch V3
 * does, so the canvas shows one named handle per route.
 */
export const outputsExpression: ExpressionString = `={{(${configuredOutputs})($parameter)}}`;

export const aiRouterProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		default: 'humanHandoff',
		options: [
			{
				name: 'Human Handoff',
				value: 'humanHandoff',
				description: 'Two outputs: Automated (confidence at or above a threshold) and Human handoff',
			},
			{
				name: 'Rules',
				value: 'rules',
				description: 'An ordered list of routes, each with its own output and conditions',
			},
		],
	},
	...humanHandoffProperties,
	...rulesProperties,
];
