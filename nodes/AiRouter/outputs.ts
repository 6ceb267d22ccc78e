/** The slice of the node's parameters that decides its outputs, as the editor passes them (`$parameter`). */
export interface OutputParameters {
	mode?: unknown;
	routes?: { values?: Array<{ outputName?: unknown }> };
	options?: { fallback?: unknown; fallbackOutputName?: unknown };
}

export interface ConfiguredOutput {
	type: 'main';
	displayName: string;
}

/**
 * The node's outputs, one named handle per route (like n8n's Switch V3). n8n evaluates this function's
 * source text inside an expression (`outputs` in description.ts), so it must stay self-contained:
 * no imports, no outer constants, nothing but the parameters it is given. The executing node derives
 * its output names from the same function, so the canvas and the routing always agree.
 */
export const configuredOutputs = (parameters: OutputParameters): ConfiguredOutput[] => {
	if (parameters.mode !== 'rules') {
		return [
			{ type: 'main', displayName: 'Automated' },
			{ type: 'main', displayName: 'Human handoff' },
		];
	}
	const routes = parameters.routes && Array.isArray(parameters.routes.values) ? parameters.routes.values : [];
	const outputs: ConfiguredOutput[] = routes.map((route, index) => {
		const name = route && typeof route.outputName === 'string' ? route.outputName.trim() : '';
		return { type: 'main', displayName: name !== '' ? name : 'Route ' + (index + 1) };
	});
	const options = parameters.options || {};
	if (options.fallback !== 'drop') {
		const name = typeof options.fallbackOutputName === 'string' ? options.fallbackOutputName.trim() : '';
		outputs.push({ type: 'main', displayName: name !== '' ? name : 'Other' });
	}
	return outputs;
};
