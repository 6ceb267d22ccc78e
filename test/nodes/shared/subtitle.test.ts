import { Workflow, type INode, type INodeParameters, type INodeType } from 'n8n-workflow';

import { SecureWebhookTrigger } from '../../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';
import { SignedWebhook } from '../../../nodes/SignedWebhook/SignedWebhook.node';
import { optionNameSubtitle } from '../../../nodes/shared/subtitle';

/** The subtitle as the editor shows it: the expression evaluated over the node's parameters (defaults applied). */
function subtitleOf(nodeType: INodeType, typeVersion: number, parameters: INodeParameters): unknown {
	const node: INode = { id: 'n1', name: 'Node', type: `n8n-nodes-ai-webhooks.${nodeType.description.name}`, typeVersion, position: [0, 0], parameters };
	const workflow = new Workflow({
		id: 'wf',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) },
	});
	const withDefaults = workflow.getNode('Node')!;
	return workflow.expression.getSimpleParameterValue(withDefaults, nodeType.description.subtitle as string, 'internal', {});
}

describe('canvas subtitles name the chosen option', () => {
	it('Signed Webhook: "Standard Webhooks" by default, not the raw value', () => {
		expect(subtitleOf(new SignedWebhook(), 1, {})).toBe('Standard Webhooks');
		expect(subtitleOf(new SignedWebhook(), 1, { scheme: 'stripe' })).toBe('Stripe Style');
	});

	it('Secure Webhook Trigger: the provider (typeVersion 3) or the scheme (1 and 2)', () => {
		const trigger = new SecureWebhookTrigger();
		expect(subtitleOf(trigger, 3, { path: 'p', provider: 'twilio' })).toBe('Twilio');
		expect(subtitleOf(trigger, 3, { path: 'p' })).toBe('Standard Webhooks (OpenAI, Svix, Resend, Clerk…)');
		expect(subtitleOf(trigger, 2, { path: 'p', scheme: 'shopify' })).toBe('Shopify');
	});

	it('shows an unknown value as is', () => {
		const template = optionNameSubtitle(['scheme'], [{ name: 'Known', value: 'known' }]);
		const nodeType = { description: { name: 'x', subtitle: template, properties: [{ displayName: 'Scheme', name: 'scheme', type: 'string', default: '' }], version: 1 } } as unknown as INodeType;
		expect(subtitleOf(nodeType, 1, { scheme: 'other' })).toBe('other');
		expect(subtitleOf(nodeType, 1, { scheme: 'known' })).toBe('Known');
	});
});
