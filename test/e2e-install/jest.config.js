/**
 * Install by name, as users install the package: a loopback npm registry (Verdaccio) serves the packed package,
 * and n8n installs it through its own community-packages path (Settings → Community Nodes in Chromium, and the
 * env-managed install). Each file starts its own n8n without the package. Run with `npm run test:e2e:install`
 * (scripts/run-e2e-install.sh), not plain `jest`.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e-install'],
	testMatch: ['**/*.e2e.test.js'],
	globalSetup: '<rootDir>/test/e2e-install/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e-install/globalTeardown.js',
	transform: {},
	// One file at a time: each runs its own n8n, and they share the registry (one of them publishes 0.1.1).
	maxWorkers: 1,
	testTimeout: 180000,
	slowTestThreshold: 60,
};
