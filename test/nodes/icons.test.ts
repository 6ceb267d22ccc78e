import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { AiRouter } from '../../nodes/AiRouter/AiRouter.node';
import { SecureWebhookTrigger } from '../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';
import { SignedWebhook } from '../../nodes/SignedWebhook/SignedWebhook.node';

const NODES_DIR = join(__dirname, '..', '..', 'nodes');
const nodes: Array<[string, INodeTypeDescription]> = [
	['AiRouter', new AiRouter().description],
	['SecureWebhookTrigger', new SecureWebhookTrigger().description],
	['SignedWebhook', new SignedWebhook().description],
];

/** Every node has a light and a dark icon (`icon: { light, dark }`, as current n8n nodes do), both SVG files beside it. */
describe.each(nodes)('%s icon', (folder, description) => {
	it('names a light and a dark SVG file', () => {
		expect(description.icon).toEqual({ light: expect.stringMatching(/^file:[\w.]+\.svg$/), dark: expect.stringMatching(/^file:[\w.]+\.dark\.svg$/) });
	});

	it.each(['light', 'dark'] as const)('the %s file exists beside the node and is an SVG with a 64x64 view box', (theme) => {
		const icon = description.icon as { light: string; dark: string };
		const file = join(NODES_DIR, folder, icon[theme].slice('file:'.length));
		expect(dirname(file)).toBe(join(NODES_DIR, folder));
		expect(existsSync(file)).toBe(true);
		const svg = readFileSync(file, 'utf8');
		expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 64 64"/);
		expect(svg.trim().endsWith('</svg>')).toBe(true);
	});

	it('the dark file differs from the light one', () => {
		const icon = description.icon as { light: string; dark: string };
		const read = (theme: 'light' | 'dark') => readFileSync(join(NODES_DIR, folder, icon[theme].slice('file:'.length)), 'utf8');
		expect(read('dark')).not.toBe(read('light'));
	});
});
