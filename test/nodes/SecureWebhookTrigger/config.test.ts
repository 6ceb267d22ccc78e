import type { INode } from 'n8n-workflow';

import { cachedTriggerConfig } from '../../../nodes/SecureWebhookTrigger/config';

const node = (id: string): INode => ({
	id,
	name: 'Secure Webhook Trigger',
	type: 'n8n-nodes-ai-webhooks.secureWebhookTrigger',
	typeVersion: 2,
	position: [0, 0],
	parameters: { path: id, scheme: 'github' },
});

const configOf = (id: string) => {
	const parameters = node(id).parameters as Record<string, unknown>;
	return cachedTriggerConfig(node(id), 'wf', (name, fallback) => parameters[name] ?? fallback);
};

describe('the trigger config cache', () => {
	it('builds a node\'s config once and keeps the ones in use (least recently used forgotten first, not first added)', () => {
		const busy = configOf('busy');
		expect(configOf('busy')).toBe(busy);
		// Many other nodes come and go; the busy one is used in between and stays cached.
		for (let index = 0; index < 1000; index++) {
			configOf(`other-${index}`);
			expect(configOf('busy')).toBe(busy);
		}
		expect(configOf('other-0')).not.toBe(undefined);
	});
});
