// Sums jest --json reports into the one line CI reads: "N passed, N failed". A suite whose report is
// missing (its runner crashed before writing it) counts as one failure, so a crash can never look green.
const fs = require('node:fs');
const path = require('node:path');

const files = { unit: 'unit.json', e2e: 'e2e.json', queue: 'e2e-queue.json' };
const suites = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites) {
	const file = path.join('test-results', files[suite] ?? `${suite}.json`);
	if (!fs.existsSync(file)) {
		console.error(`${suite}: no report at ${file}`);
		failed += 1;
		continue;
	}
	const report = JSON.parse(fs.readFileSync(file, 'utf8'));
	const suiteErrors = report.numRuntimeErrorTestSuites ?? 0;
	console.error(
		`${suite}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped` +
			(suiteErrors ? `, ${suiteErrors} test files failed to run` : ''),
	);
	passed += report.numPassedTests;
	failed += report.numFailedTests + suiteErrors;
	skipped += report.numPendingTests;
	if (report.numTotalTests === 0) failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
