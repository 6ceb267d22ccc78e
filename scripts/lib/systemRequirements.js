'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('./paths');

/** Where the programs are found: on PATH, or in the usual system folders (root's PATH is not everyone's). */
function onPath(command) {
	const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
	dirs.push('/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin');
	return dirs.map((dir) => path.join(dir, command)).find((file) => fs.existsSync(file));
}

function postgresBinDir() {
	if (process.env.POSTGRES_BIN_DIR) return fs.existsSync(path.join(process.env.POSTGRES_BIN_DIR, 'initdb')) ? process.env.POSTGRES_BIN_DIR : undefined;
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	return fs
		.readdirSync(root)
		.map((major) => path.join(root, major, 'bin'))
		.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((name) => fs.existsSync(path.join(dir, name))));
}

/**
 * What the two commands need from the system besides Node.js and npm, each with its Debian package(s), how it
 * is found, and what it is for. One list: the installer (scripts/setup-system.js), the test helpers and the
 * test runner read it, so that they all say the same thing.
 */
const REQUIREMENTS = {
	chromium: {
		packages: ['chromium'],
		find: () => {
			const file = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
			return fs.existsSync(file) ? file : undefined;
		},
		neededBy: 'the editor and install-by-name tests (headless Chromium)',
		shortNeed: 'editor tests',
	},
	'redis-server': {
		packages: ['redis-server'],
		find: () => process.env.REDIS_SERVER_BIN ?? onPath('redis-server'),
		neededBy: 'the Redis store unit tests and the queue-mode suite',
		shortNeed: 'Redis tests',
	},
	postgresql: {
		packages: ['postgresql'],
		find: postgresBinDir,
		neededBy: 'the queue-mode suite',
		shortNeed: 'queue-mode tests',
	},
	'build-tools': {
		packages: ['make', 'g++', 'python3'],
		find: () => (['make', 'g++', 'python3'].every((command) => onPath(command)) ? onPath('g++') : undefined),
		neededBy: "building n8n's sqlite3 addon on its first install",
		shortNeed: "n8n's sqlite3 build",
	},
};

/** What each entry point needs. `n8n` is added by the installer only while n8n is not in the cache yet. */
const NEEDS = {
	test: ['chromium', 'redis-server', 'postgresql'],
	start: [],
	'start-queue': ['redis-server', 'postgresql'],
	// The e2e-isolated suite's SIGKILL test keeps its outbox in a private redis-server.
	e2e: ['chromium', 'redis-server'],
	'e2e-install': ['chromium'],
	'e2e-queue': ['redis-server', 'postgresql'],
};

/** The variable a developer sets for a partial run: the requirements the run may do without. */
const ALLOW_MISSING_VARIABLE = 'TEST_ALLOW_MISSING';

/**
 * The requirements TEST_ALLOW_MISSING lets a run do without (`chromium,redis-server,postgresql` or `all`).
 * Ignored in CI (CI=true): there, a missing piece is always a failure.
 */
function allowedMissing(env = process.env) {
	const raw = env[ALLOW_MISSING_VARIABLE] ?? '';
	if (raw.trim() === '' || isCi(env)) return new Set();
	const names = raw.split(/[\s,]+/).filter(Boolean);
	const optional = new Set(NEEDS.test);
	if (names.includes('all')) return optional;
	const unknown = names.filter((name) => !optional.has(name));
	if (unknown.length > 0) throw new Error(`${ALLOW_MISSING_VARIABLE}: unknown ${unknown.join(', ')} (it takes: ${[...optional].join(', ')} or all)`);
	return new Set(names);
}

function isCi(env = process.env) {
	return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

/** The file in which tests record what TEST_ALLOW_MISSING left out; scripts/sum-test-reports.js prints it. */
const LEFT_OUT_FILE = path.join(REPO_ROOT, 'test-results', 'left-out.txt');

/** Records that `what` did not run because `requirement` is missing and was allowed to be. */
function recordLeftOut(requirement, what) {
	fs.mkdirSync(path.dirname(LEFT_OUT_FILE), { recursive: true });
	fs.appendFileSync(LEFT_OUT_FILE, `${requirement}\t${what}\n`);
}

/** Records that a whole suite (its name in scripts/test-all.sh) did not run for want of `requirement`. */
function recordSuiteLeftOut(requirement, suite) {
	recordLeftOut(requirement, `${SUITE_MARK}${suite}`);
}

const SUITE_MARK = 'suite:';

/** The suites recorded as left out. */
function suitesLeftOut() {
	const suites = new Set();
	for (const whats of readLeftOut().values()) for (const what of whats) if (what.startsWith(SUITE_MARK)) suites.add(what.slice(SUITE_MARK.length));
	return suites;
}

/** The recorded left-out entries, grouped: `Map<requirement, what[]>`. */
function readLeftOut() {
	const grouped = new Map();
	if (!fs.existsSync(LEFT_OUT_FILE)) return grouped;
	for (const line of fs.readFileSync(LEFT_OUT_FILE, 'utf8').split('\n').filter(Boolean)) {
		const [requirement, what] = line.split('\t');
		if (!grouped.has(requirement)) grouped.set(requirement, []);
		if (!grouped.get(requirement).includes(what)) grouped.get(requirement).push(what);
	}
	return grouped;
}

/** The one-line reason a test fails with when `requirement` is missing. */
function missingReason(requirement) {
	const { packages, neededBy } = REQUIREMENTS[requirement];
	return (
		`${requirement} is not installed (needed by ${neededBy}): apt-get install -y ${packages.join(' ')}` +
		` (or ${ALLOW_MISSING_VARIABLE}=${requirement} for a partial run that leaves these tests out)`
	);
}

/**
 * For a test file: 'present' when `requirement` is installed, 'left-out' when it is missing and
 * TEST_ALLOW_MISSING allows that (the caller skips and records), 'missing' otherwise (the caller fails with
 * missingReason()).
 */
function requirementState(requirement, env = process.env) {
	if (REQUIREMENTS[requirement].find()) return 'present';
	return allowedMissing(env).has(requirement) ? 'left-out' : 'missing';
}

/** Whether `sudo -n` works (passwordless sudo), for the installer. */
function hasPasswordlessSudo() {
	if (!onPath('sudo')) return false;
	return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

/**
 * For shell scripts: `node scripts/lib/systemRequirements.js state <requirement>` prints present, left-out or
 * missing; `… left-out <requirement> <what>` records an entry; `… reason <requirement>` prints the one-line reason.
 */
if (require.main === module) {
	const [command, requirement, ...rest] = process.argv.slice(2);
	if (!(requirement in REQUIREMENTS)) {
		process.stderr.write(`unknown requirement ${requirement}\n`);
		process.exit(2);
	}
	if (command === 'state') process.stdout.write(`${requirementState(requirement)}\n`);
	else if (command === 'reason') process.stdout.write(`${missingReason(requirement)}\n`);
	else if (command === 'left-out') recordLeftOut(requirement, rest.join(' '));
	else if (command === 'suite-left-out') recordSuiteLeftOut(requirement, rest.join(' '));
	else process.exit(2);
}

module.exports = {
	REQUIREMENTS,
	NEEDS,
	ALLOW_MISSING_VARIABLE,
	LEFT_OUT_FILE,
	allowedMissing,
	isCi,
	recordLeftOut,
	recordSuiteLeftOut,
	readLeftOut,
	suitesLeftOut,
	SUITE_MARK,
	missingReason,
	requirementState,
	hasPasswordlessSudo,
	onPath,
};
