const fs = require('node:fs');
const path = require('node:path');
const { src, dest, series, task } = require('gulp');

const { providerAliases, withAliases } = require('./scripts/codexAliases');

// Icons and codex files are not TypeScript: tsc does not emit them, n8n reads them from dist/.
function copyAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

// The trigger's codex aliases from the catalogue (tsc has emitted it to dist/ before this runs).
async function codexAliases() {
	const { PROVIDERS } = require('./dist/nodes/shared/providers/catalogue');
	const { isProviderAvailable } = require('./dist/nodes/shared/providers/providerScheme');
	const file = path.join(__dirname, 'dist', 'nodes', 'SecureWebhookTrigger', 'SecureWebhookTrigger.node.json');
	const codex = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.writeFileSync(file, `${JSON.stringify(withAliases(codex, providerAliases(PROVIDERS, isProviderAvailable)), null, '\t')}\n`);
}

task('build:assets', series(copyAssets, codexAliases));
