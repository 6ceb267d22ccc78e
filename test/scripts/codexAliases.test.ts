import * as fs from 'node:fs';
import * as path from 'node:path';

import { PROVIDERS } from '../../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../../nodes/shared/providers/providerScheme';
import type { ProviderEntry } from '../../nodes/shared/providers/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const codex = require('../../scripts/codexAliases.js') as {
	mergeAliases(written: string[], added: string[]): string[];
	providerAliases(providers: readonly ProviderEntry[], isAvailable: (entry: ProviderEntry) => boolean): string[];
	withAliases(codex: { alias?: string[] }, added: string[]): { alias: string[] };
};

const ROOT = path.join(__dirname, '..', '..');
const readCodex = (node: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', node, `${node}.node.json`), 'utf8')) as { alias: string[] };

describe('codex aliases from the catalogue (gulp build:codex)', () => {
	const built = codex.withAliases(readCodex('SecureWebhookTrigger'), codex.providerAliases(PROVIDERS, isProviderAvailable));
	const has = (aliases: string[], word: string) => aliases.some((alias) => alias.toLowerCase() === word);

	const hasWord = (aliases: string[], word: string) => aliases.some((alias) => alias.toLowerCase().split(/[^a-z0-9]+/).includes(word));

	it.each(['twilio', 'shopify', 'whatsapp', 'discord', 'verify', 'signed', 'stripe', 'github'])('the trigger has an alias with the word "%s"', (word) => {
		expect(hasWord(built.alias, word)).toBe(true);
	});

	it('lists every offered provider except the Custom entries, each alias once, hand-written ones first', () => {
		const written = readCodex('SecureWebhookTrigger').alias;
		expect(built.alias.slice(0, written.length)).toEqual(written);
		for (const entry of PROVIDERS.filter(isProviderAvailable)) {
			expect(has(built.alias, entry.displayName.toLowerCase())).toBe(entry.group !== 'custom' || written.includes(entry.displayName));
		}
		expect(new Set(built.alias.map((alias) => alias.toLowerCase())).size).toBe(built.alias.length);
	});

	it('the Signed Webhook is found by "signed" (its name) and "signature"', () => {
		expect(has(readCodex('SignedWebhook').alias, 'signature')).toBe(true);
	});

	it('merges case-insensitively and keeps the input unchanged', () => {
		const input = { alias: ['Webhook'] };
		expect(codex.withAliases(input, ['webhook', 'Twilio']).alias).toEqual(['Webhook', 'Twilio']);
		expect(input.alias).toEqual(['Webhook']);
	});
});
