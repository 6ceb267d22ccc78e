import * as fs from 'node:fs';
import * as path from 'node:path';

import { PROVIDERS } from '../../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../../nodes/shared/providers/providerScheme';
import { PROVIDER_GROUPS, type ProviderEntry } from '../../nodes/shared/providers/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const table = require('../../scripts/providerTable.js') as {
	renderProviderTable(providers: readonly ProviderEntry[], groups: Record<string, string>, isAvailable: (entry: ProviderEntry) => boolean): string;
	currentProviderTable(readme: string): string | undefined;
	replaceProviderTable(readme: string, table: string): string;
};

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README provider table', () => {
	it('is the table the catalogue generates (run `npm run docs:providers` after changing the catalogue)', () => {
		expect(table.currentProviderTable(README)).toBe(table.renderProviderTable(PROVIDERS, PROVIDER_GROUPS, isProviderAvailable));
	});

	it('lists every provider once, with its id, status and vector source', () => {
		const rendered = table.renderProviderTable(PROVIDERS, PROVIDER_GROUPS, isProviderAvailable);
		for (const entry of PROVIDERS) {
			const rows = rendered.split('\n').filter((line) => line.includes(`| \`${entry.id}\` |`));
			expect(rows).toHaveLength(1);
			expect(rows[0]).toContain(`| ${entry.vectors.source}`);
			expect(rows[0]).toMatch(isProviderAvailable(entry) ? /\| ready \|/ : /\| pending/);
		}
	});

	it('escapes pipes and marks pending entries', () => {
		const entry: ProviderEntry = {
			id: 'pipey',
			displayName: 'A | B',
			group: 'ai',
			docsUrl: 'https://example.test',
			signature: { kind: 'publicKey', algorithm: 'ed25519', signature: { header: 'x-sig' }, encoding: 'base64', signedContent: '{body}' },
			eventType: [],
			eventId: { none: 'no | id' },
			redelivery: 'x',
			contentTypes: ['application/json'],
			secretHelp: 'x',
			vectors: { source: 'docs', reference: 'https://example.test/page.' },
		};
		// Every kind runs today: a pending entry is marked as one the caller reports unavailable.
		const rendered = table.renderProviderTable([entry], PROVIDER_GROUPS, () => false);
		expect(rendered).toContain('[A \\| B](https://example.test)');
		expect(rendered).toContain('none: no \\| id');
		expect(rendered).toContain('pending (publicKey verifier)');
		expect(rendered).toContain('docs ([source](https://example.test/page))');
		expect(() => table.replaceProviderTable('no markers', rendered)).toThrow(/markers/);
	});
});
