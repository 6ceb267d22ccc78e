import type { INodeProperties } from 'n8n-workflow';
import { AiRouter } from '../../../nodes/AiRouter/AiRouter.node';
import { OPERATOR_NAMES } from '../../../nodes/AiRouter/conditions';
import { DEFAULTS } from '../../../nodes/AiRouter/description';

const description = new AiRouter().description;

function find(properties: INodeProperties[], name: string, mode?: string): INodeProperties {
	const found = properties.find(
		(property) => property.name === name && (!mode || property.displayOptions?.show?.mode?.includes(mode)),
	);
	if (!found) throw new Error(`no parameter ${name}`);
	return found;
}

function option(collection: INodeProperties, name: string): INodeProperties {
	return find(collection.options as INodeProperties[], name);
}

test('identity: aiRouter, version 1, one main input', () => {
	expect(description.name).toBe('aiRouter');
	expect(description.displayName).toBe('AI Router');
	expect(description.version).toBe(1);
	expect(description.inputs).toEqual(['main']);
	expect(description.icon).toEqual({ light: 'file:aiRouter.svg', dark: 'file:aiRouter.dark.svg' });
});

test('the defaults in the parameter list are the ones the code assumes', () => {
	const properties = description.properties;
	const rulesOptions = find(properties, 'options', 'rules');
	const presetOptions = find(properties, 'options', 'humanHandoff');
	const routes = find(properties, 'routes');
	const routeValues = (routes.options as Array<{ values: INodeProperties[] }>)[0].values;
	const conditionValues = (find(routeValues, 'conditions').options as Array<{ values: INodeProperties[] }>)[0].values;

	expect({
		mode: find(properties, 'mode').default,
		confidenceField: find(properties, 'confidenceField').default,
		threshold: find(properties, 'threshold').default,
		presetAnnotate: option(presetOptions, 'annotate').default,
		routeMode: find(properties, 'routeMode').default,
		combinator: find(routeValues, 'combinator').default,
		operator: find(conditionValues, 'operator').default,
		fallback: option(rulesOptions, 'fallback').default,
		fallbackOutputName: option(rulesOptions, 'fallbackOutputName').default,
		whenFieldMissing: option(rulesOptions, 'whenFieldMissing').default,
		rulesAnnotate: option(rulesOptions, 'annotate').default,
	}).toEqual(DEFAULTS);
});

test('the operator list offers exactly the operators the router implements', () => {
	const routeValues = (find(description.properties, 'routes').options as Array<{ values: INodeProperties[] }>)[0].values;
	const conditionValues = (find(routeValues, 'conditions').options as Array<{ values: INodeProperties[] }>)[0].values;
	const offered = (find(conditionValues, 'operator').options as Array<{ value: string }>).map((o) => o.value);
	expect([...offered].sort()).toEqual([...OPERATOR_NAMES].sort());
});

test('the preset shows only its own parameters', () => {
	const shownInPreset = description.properties
		.filter((property) => !property.displayOptions || property.displayOptions.show?.mode?.includes('humanHandoff'))
		.map((property) => property.name);
	expect(shownInPreset).toEqual(['mode', 'confidenceField', 'threshold', 'options']);
});
