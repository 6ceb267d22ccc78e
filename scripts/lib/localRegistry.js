'use strict';

const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { freePort } = require('./freePort');
const { httpRequest } = require('./http');
const { CACHE_DIR, PACKAGE_NAME } = require('./paths');
const { waitFor } = require('./poll');
const { spawnGroup } = require('./processGroup');
const { run } = require('./run');

/** 6.10 wants Node 22; 6.8 runs on the Node 20 the scripts run on. */
const VERDACCIO_VERSION = '6.8.0';

const log = (message) => process.stderr.write(`[registry] ${message}\n`);

/** Installs Verdaccio from npm into the cache folder once (under the cache's install lock); returns its bin. */
async function ensureVerdaccioInstalled() {
	const dir = path.join(CACHE_DIR, `verdaccio-${VERDACCIO_VERSION}`);
	const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (fs.existsSync(path.join(dir, '.installed'))) return bin;
	fs.mkdirSync(dir, { recursive: true });
	log(`installing Verdaccio ${VERDACCIO_VERSION} into ${dir}`);
	fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"verdaccio-runtime","private":true}\n');
	await run('flock', [path.join(CACHE_DIR, '.install.lock'), 'npm', 'install', '--no-audit', '--no-fund', '--ignore-scripts', `verdaccio@${VERDACCIO_VERSION}`], {
		cwd: dir,
	});
	fs.writeFileSync(path.join(dir, '.installed'), '');
	return bin;
}

/**
 * A private npm registry (Verdaccio) on 127.0.0.1 with its storage in `dir`. This package is served only from
 * here (what is published to it); every other package comes through Verdaccio's uplink from registry.npmjs.org,
 * as a user's install gets its dependencies. Returns `{ url, token, publish(tarball), versions(), stop() }`.
 */
async function startLocalRegistry({ dir }) {
	const bin = await ensureVerdaccioInstalled();
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const configFile = path.join(dir, 'config.yaml');
	fs.writeFileSync(
		configFile,
		[
			`storage: ${path.join(dir, 'storage')}`,
			'auth:',
			'  htpasswd:',
			`    file: ${path.join(dir, 'htpasswd')}`,
			'    max_users: 1',
			'uplinks:',
			'  npmjs:',
			'    url: https://registry.npmjs.org/',
			'packages:',
			// No proxy for this package: a name taken on npmjs.org can never leak into the test.
			`  '${PACKAGE_NAME}':`,
			'    access: $all',
			'    publish: $authenticated',
			"  '**':",
			'    access: $all',
			'    proxy: npmjs',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const logFile = path.join(dir, 'verdaccio.log');
	const logFd = fs.openSync(logFile, 'w');
	const env = { ...cleanNpmEnvironment(), ...(await npmCertificateAuthority()) };
	let group;
	try {
		group = spawnGroup(process.execPath, [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
			cwd: dir,
			env,
			stdio: ['ignore', logFd, logFd],
			name: 'verdaccio',
			graceMs: 5000,
		});
	} finally {
		fs.closeSync(logFd);
	}
	const readLog = () => fs.readFileSync(logFile, 'utf8');
	try {
		await waitFor(
			async () => {
				if (!group.isRunning()) {
					const error = new Error(`Verdaccio exited. Log:\n${readLog().slice(-2000)}`);
					error.fatal = true;
					throw error;
				}
				return (await httpRequest(`${url}/-/ping`, { timeoutMs: 2000 })).status === 200;
			},
			{ timeoutMs: 30000, intervalMs: 200, description: `Verdaccio on ${url}`, fatal: (error) => error.fatal },
		);
	} catch (error) {
		await group.stop();
		throw error;
	}

	// A publisher account (npm adduser's request), whose token publishes.
	const user = { name: 'publisher', password: randomBytes(12).toString('hex') };
	const created = await httpRequest(`${url}/-/user/org.couchdb.user:${user.name}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(user),
	});
	const { token } = JSON.parse(created.body.toString('utf8'));
	if (!token) throw new Error(`Verdaccio did not create the publisher account: ${created.status} ${created.body}`);

	return {
		url,
		token,
		logFile,
		publish: (tarball) => publishToRegistry({ url, token }, tarball),
		versions: () => registryVersions(url),
		stop: () => group.stop(),
	};
}

/** `npm publish <tarball>` to the loopback registry at `url`, as the account `token` belongs to. */
function publishToRegistry({ url, token }, tarball) {
	const { host } = new URL(url);
	return run('npm', ['publish', tarball, '--ignore-scripts', `--registry=${url}/`, `--//${host}/:_authToken=${token}`], {
		cwd: path.dirname(tarball),
		env: cleanNpmEnvironment(),
	});
}

/** The versions of this package the registry at `url` has (none when it has never seen it). */
async function registryVersions(url) {
	const response = await httpRequest(`${url}/${PACKAGE_NAME}`);
	return response.status === 200 ? Object.keys(JSON.parse(response.body.toString('utf8')).versions) : [];
}

/**
 * The environment without npm's own variables: scripts run by `npm test` inherit npm_config_* (the caller's
 * prefix, registry and more), which would redirect a nested npm.
 */
function cleanNpmEnvironment(env = process.env) {
	return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/**
 * The certificate authorities npm is configured with (`cafile`, e.g. behind a TLS-inspecting proxy), for
 * Verdaccio's uplink: what npm can fetch from registry.npmjs.org, the uplink can too.
 */
async function npmCertificateAuthority() {
	if (process.env.NODE_EXTRA_CA_CERTS) return {};
	const { stdout } = await run('npm', ['config', 'get', 'cafile'], { env: cleanNpmEnvironment() });
	const cafile = stdout.trim();
	return cafile && cafile !== 'null' && cafile !== 'undefined' && fs.existsSync(cafile) ? { NODE_EXTRA_CA_CERTS: cafile } : {};
}

/** The npm CLI on PATH (not a shim of ours). */
function findRealNpm(exclude) {
	const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && dir !== exclude);
	const found = dirs.map((dir) => path.join(dir, 'npm')).find((file) => fs.existsSync(file));
	if (!found) throw new Error('npm is not on PATH');
	return found;
}

const shellQuote = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;

/**
 * Writes `<dir>/npm`, a shim to put first on n8n's PATH: n8n runs npm itself (pack, install --ignore-scripts,
 * outdated, view) with its own `--registry` (a custom one needs an n8n licence). The shim drops that one, adds
 * the loopback registry's, and leaves everything else as n8n asked, logging each call (`<cwd> :: npm <args>`).
 */
function writeNpmShim(dir, { registryUrl, logFile }) {
	fs.mkdirSync(dir, { recursive: true });
	const shim = path.join(dir, 'npm');
	fs.writeFileSync(
		shim,
		[
			'#!/usr/bin/env bash',
			'# npm for n8n, pointed at the loopback registry (written by scripts/lib/localRegistry.js).',
			'set -euo pipefail',
			'for name in $(compgen -e); do case "$name" in npm_*|NPM_*|HTTP_PROXY|HTTPS_PROXY|http_proxy|https_proxy) unset "$name" ;; esac; done',
			'args=()',
			'for arg in "$@"; do case "$arg" in --registry=*) ;; *) args+=("$arg") ;; esac; done',
			`printf '%s :: npm %s\\n' "$PWD" "\${args[*]}" >> ${shellQuote(logFile)}`,
			`exec ${shellQuote(findRealNpm(dir))} "\${args[@]}" --registry=${shellQuote(`${registryUrl}/`)}`,
			'',
		].join('\n'),
		{ mode: 0o755 },
	);
	return shim;
}

module.exports = { VERDACCIO_VERSION, ensureVerdaccioInstalled, startLocalRegistry, publishToRegistry, registryVersions, writeNpmShim, cleanNpmEnvironment };
