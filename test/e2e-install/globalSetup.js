'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { SCRATCH_DIR, PACKAGE_JSON, buildPackage, packPackage, startLocalRegistry, stopAllGroups } = require('../../scripts/lib');
const { INSTALL_STATE_VARIABLE } = require('./helpers/state');

/** The same package with only its version changed: what a maintainer publishes as the next release. */
function bumpedTarball(tarball, version, workDir) {
	const copy = path.join(workDir, `package-${version}`);
	fs.rmSync(copy, { recursive: true, force: true });
	fs.mkdirSync(copy, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', copy, '--strip-components=1']);
	const manifestFile = path.join(copy, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
	fs.writeFileSync(manifestFile, `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
	// --ignore-scripts: the copy is already built (prepack would build again, without sources).
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], { cwd: copy, encoding: 'utf8' }));
	return path.join(workDir, packed.filename);
}

/**
 * Starts the loopback registry, publishes the package as built (npm pack, the artefact users get), and prepares
 * the next version's tarball (published later by the update test). The build is done by
 * scripts/run-e2e-install.sh (E2E_SKIP_BUILD=1), or here when jest is run directly.
 */
module.exports = async function globalSetup() {
	const started = Date.now();
	if (process.env.E2E_SKIP_BUILD !== '1') await buildPackage();
	const workDir = path.join(SCRATCH_DIR, `e2e-install-${process.pid}`);
	fs.rmSync(workDir, { recursive: true, force: true });
	let registry;
	try {
		registry = await startLocalRegistry({ dir: path.join(workDir, 'registry') });
		const tarball = await packPackage(path.join(workDir, 'tarballs'));
		await registry.publish(tarball);
		const nextVersion = PACKAGE_JSON.version.replace(/(\d+)$/, (patch) => String(Number(patch) + 1));
		const nextTarball = bumpedTarball(tarball, nextVersion, path.join(workDir, 'tarballs'));
		globalThis.__E2E_INSTALL__ = { registry, workDir };
		process.stderr.write(`\n[e2e-install] registry ${registry.url} serves ${PACKAGE_JSON.name} ${await registry.versions()} (ready in ${Date.now() - started} ms)\n`);
		process.env[INSTALL_STATE_VARIABLE] = JSON.stringify({
			registryUrl: registry.url,
			registryToken: registry.token,
			workDir,
			version: PACKAGE_JSON.version,
			tarball,
			nextVersion,
			nextTarball,
		});
	} catch (error) {
		await registry?.stop();
		await stopAllGroups();
		throw error;
	}
};
