// Sums jest --json reports (test-results/<suite>.json) into the one line CI reads: "N passed, N failed". A suite
// whose report is missing (its runner crashed before writing it) counts as one failure, so a crash can never look
// green. Nothing may be skipped in a full run: a skipped test counts as failed, unless TEST_ALLOW_MISSING (a
// developer's partial run) left it out; what that left out is listed before the last line.
const fs = require('node:fs');
const path = require('node:path');

const { ALLOW_MISSING_VARIABLE, SUITE_MARK, allowedMissing, readLeftOut, suitesLeftOut } = require('./lib/systemRequirements');

const suites = process.argv.slice(2);
const partialRun = allowedMissing().size > 0;
const leftOutSuites = suitesLeftOut();
let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites) {
	const file = path.join('test-results', `${suite}.json`);
	if (!fs.existsSync(file)) {
		if (leftOutSuites.has(suite)) {
			console.error(`${suite}: left out (${ALLOW_MISSING_VARIABLE})`);
			continue;
		}
		console.error(`${suite}: no report at ${file}`);
		failed += 1;
		continue;
	}
	const report = JSON.parse(fs.readFileSync(file, 'utf8'));
	const suiteErrors = report.numRuntimeErrorTestSuites ?? 0;
	console.error(
		`${suite}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped` +
			(suiteErrors ? `, ${suiteErrors} test files failed to run` : '') +
			(report.numPendingTests + report.numTodoTests > 0 && !partialRun ? ' (skipped tests count as failed: nothing may be skipped in a full run)' : ''),
	);
	passed += report.numPassedTests;
	failed += report.numFailedTests + suiteErrors;
	skipped += report.numPendingTests + (report.numTodoTests ?? 0);
	if (!partialRun) failed += report.numPendingTests + (report.numTodoTests ?? 0);
	if (report.numTotalTests === 0) failed += 1;
}
const leftOut = readLeftOut();
if (leftOut.size > 0) {
	console.error(`Left out by ${ALLOW_MISSING_VARIABLE}=${process.env[ALLOW_MISSING_VARIABLE]} (a partial run, not a pass):`);
	for (const [requirement, whats] of leftOut) {
		const described = whats.map((what) => (what.startsWith(SUITE_MARK) ? `the whole ${what.slice(SUITE_MARK.length)} suite` : what));
		console.error(`  without ${requirement}: ${described.join('; ')}`);
	}
}
const leftOutNote = leftOut.size > 0 ? ` (partial run: left out what needs ${[...leftOut.keys()].join(', ')})` : '';
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${leftOutNote}`);
process.exit(failed > 0 ? 1 : 0);
