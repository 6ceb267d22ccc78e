'use strict';
/**
 * Regenerates the provider table in README.md from the compiled catalogue (run `npm run build` first;
 * `npm run docs:providers` does both). `--check` only reports whether README.md is up to date (exit 1 if not).
 */
const fs = require('node:fs');
const path = require('node:path');

const { renderProviderTable, replaceProviderTable } = require('./providerTable');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist', 'nodes', 'shared', 'providers');
const { PROVIDERS } = require(path.join(dist, 'catalogue.js'));
const { PROVIDER_GROUPS } = require(path.join(dist, 'types.js'));
const { isProviderAvailable } = require(path.join(dist, 'providerScheme.js'));

const readmePath = path.join(root, 'README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
const updated = replaceProviderTable(readme, renderProviderTable(PROVIDERS, PROVIDER_GROUPS, isProviderAvailable));

if (process.argv.includes('--check')) {
	if (updated !== readme) {
		console.error('README.md provider table is out of date: run `npm run docs:providers`');
		process.exit(1);
	}
	console.log('README.md provider table is up to date');
} else if (updated !== readme) {
	fs.writeFileSync(readmePath, updated);
	console.log(`README.md provider table: ${PROVIDERS.length} entries written`);
} else {
	console.log('README.md provider table already up to date');
}
