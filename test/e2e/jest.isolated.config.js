/**
 * The e2e-isolated suite: the end-to-end files that start n8n processes of their own (isolatedFiles.js), one at a time.
 * No shared n8n: each file launches what it needs. Run with `npm run test:e2e:isolated` (scripts/run-e2e.sh).
 */
const path = require('node:path');

const ISOLATED_FILES = require('./isolatedFiles');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ISOLATED_FILES.map((file) => `**/test/e2e/${file}`),
	transform: {},
	maxWorkers: 1,
	testTimeout: 600000,
	slowTestThreshold: 120,
};
