/**
 * End-to-end suite: one real n8n (started by globalSetup with the packed package installed as a community
 * package) for every test file. Run with `npm run test:e2e` (scripts/run-e2e.sh), not plain `jest`.
 */
const path = require('node:path');

const ISOLATED_FILES = require('./isolatedFiles');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.js'],
	// Files with n8n processes of their own run in the e2e-isolated suite (jest.isolated.config.js).
	testPathIgnorePatterns: ['/node_modules/', ...ISOLATED_FILES.map((file) => `/test/e2e/${file.replace(/\./g, '\\.')}$`)],
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.js',
	// Plain CommonJS: nothing to compile.
	transform: {},
	// Two cores: the suite's files share one n8n, which needs a core of its own.
	maxWorkers: 2,
	testTimeout: 120000,
	slowTestThreshold: 30,
};
