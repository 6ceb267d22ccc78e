import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * A canvas subtitle naming the chosen option ("Standard Webhooks", not `standardWebhooks`): the option names are
 * inlined into the expression, the first of `parameters` that holds a value is looked up, an unknown value shows as is.
 */
export function optionNameSubtitle(parameters: readonly string[], options: readonly INodePropertyOptions[]): string {
	const names: Record<string, string> = {};
	for (const option of options) names[String(option.value)] = option.name;
	const value = parameters.map((name) => `$parameter[${JSON.stringify(name)}]`).join(' || ');
	return `={{(${JSON.stringify(names)})[${value}] || ${value} || ""}}`;
}

/** The options of the `options` parameter `name` (every property of that name, in order). */
export function optionsOf(properties: readonly INodeProperties[], name: string): INodePropertyOptions[] {
	return properties
		.filter((property) => property.name === name && property.type === 'options')
		.flatMap((property) => (property.options ?? []) as INodePropertyOptions[]);
}
