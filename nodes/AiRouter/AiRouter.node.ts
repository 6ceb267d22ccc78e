import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { aiRouterProperties, outputsExpression } from './description';
import { readRouterPlan } from './parameters';
import { RouterConfigError } from './plan';
import { routeItems, RoutingError } from './routeItems';

export class AiRouter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI Router',
		name: 'aiRouter',
		icon: { light: 'file:aiRouter.svg', dark: 'file:aiRouter.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["mode"] === "rules" ? "Rules" : "Human handoff below " + $parameter["threshold"] }}',
		description: 'Route items to named outputs by rules on their fields, or send low-confidence AI results to a person',
		defaults: { name: 'AI Router' },
		inputs: ['main'],
		outputs: outputsExpression,
		properties: aiRouterProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		let plan;
		try {
			plan = readRouterPlan(this);
		} catch (error) {
			if (error instanceof RouterConfigError) throw new NodeOperationError(this.getNode(), error.message);
			throw error;
		}
		const makeErrorItem = this.continueOnFail()
			? (error: RoutingError): INodeExecutionData => ({ json: { error: error.message } })
			: undefined;
		try {
			const outputs = routeItems(items, plan, { makeErrorItem });
			return outputs.length > 0 ? outputs : [[]];
		} catch (error) {
			if (!(error instanceof RoutingError)) throw error;
			// An n8n error from resolving an expression already explains itself; it only lacks the item.
			if (error.cause instanceof Error && 'context' in error.cause) {
				const cause = error.cause as Error & { context: Record<string, unknown> };
				cause.context = { ...cause.context, itemIndex: error.itemIndex };
				throw cause;
			}
			throw new NodeOperationError(this.getNode(), error.message, { itemIndex: error.itemIndex });
		}
	}
}
