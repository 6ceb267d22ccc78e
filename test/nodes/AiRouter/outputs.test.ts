import type { INodeParameters } from 'n8n-workflow';
import { AiRouter } from '../../../nodes/AiRouter/AiRouter.node';
import { configuredOutputs } from '../../../nodes/AiRouter/outputs';
import { outputNamesOf } from './executeHarness';

// These evaluate the node's `outputs` expression with n8n-workflow's own machinery
// (NodeHelpers.getNodeOutputs over a real Workflow, as the editor and the engine do), not by calling
// configuredOutputs directly. getNodeOutputs returns [] when the expression throws, so a broken
// expression fails these tests rather than passing silently.
const node = new AiRouter();

function rule(outputName: string, field: string, operator: string, value: string) {
	return { outputName, combinator: 'and', conditions: { values: [{ field, operator, value }] } };
}

const threeRoutes: INodeParameters = {
	mode: 'rules',
	routes: {
		values: [
			rule('High', 'body.data.confidence', 'gte', '0.9'),
			rule('Spam', 'body.data.label', 'equals', 'spam'),
			rule('Low', 'body.data.confidence', 'lt', '0.5'),
		],
	},
};

describe('outputs computed for the editor', () => {
	test('the preset, as dropped on the canvas (no parameters set)', () => {
		expect(outputNamesOf(node, {})).toEqual(['Automated', 'Human handoff']);
	});

	test('the preset, chosen explicitly', () => {
		expect(outputNamesOf(node, { mode: 'humanHandoff', confidenceField: 'score', threshold: 0.5 })).toEqual([
			'Automated',
			'Human handoff',
		]);
	});

	test('a three-route rule set: one output per route, then the fallback', () => {
		expect(outputNamesOf(node, threeRoutes)).toEqual(['High', 'Spam', 'Low', 'Other']);
	});

	test('fallback dropped: no fallback output', () => {
		expect(outputNamesOf(node, { ...threeRoutes, options: { fallback: 'drop' } })).toEqual(['High', 'Spam', 'Low']);
	});

	test('renamed fallback and unnamed routes', () => {
		const parameters: INodeParameters = {
			mode: 'rules',
			routes: { values: [rule('', 'a', 'exists', ''), rule('  ', 'b', 'exists', ''), rule('Named', 'c', 'exists', '')] },
			options: { fallbackOutputName: 'Needs review' },
		};
		expect(outputNamesOf(node, parameters)).toEqual(['Route 1', 'Route 2', 'Named', 'Needs review']);
	});

	test('rules mode with no routes yet: only the fallback', () => {
		expect(outputNamesOf(node, { mode: 'rules' })).toEqual(['Other']);
	});

	test('every output is a main connection', () => {
		expect(configuredOutputs(threeRoutes).every((output) => output.type === 'main')).toBe(true);
	});

	test('the expression embeds a self-contained function (no module references that would not exist in the sandbox)', () => {
		const expression = node.description.outputs as string;
		expect(expression.startsWith('={{(')).toBe(true);
		expect(expression.endsWith(')($parameter)}}')).toBe(true);
		expect(expression).not.toMatch(/require\(|_\d+\.|exports/);
	});
});
