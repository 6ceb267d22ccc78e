/**
 * End-to-end suite in queue mode: one cluster (Postgres, Redis, n8n main, two webhook processes, one
 * worker, a round-robin proxy) started by globalSetup for every test file. Run with
 * `npm run test:e2e:queue` (scripts/run-e2e-queue.sh), not plain `jest`.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e-queue'],
	testMatch: ['**/*.e2e.test.js'],
	globalSetup: '<rootDir>/test/e2e-queue/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e-queue/globalTeardown.js',
	transform: {},
	// One file at a time: they share one cluster, and some of them stop parts of it (a webhook process, Redis).
	maxWorkers: 1,
	testTimeout: 180000,
	slowTestThreshold: 60,
};
