'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT, PACKAGE_NAME, PACKAGE_JSON } = require('./paths');
const { run } = require('./run');

const log = (message) => process.stderr.write(`[n8n-local] ${message}\n`);

/** `npm ci --ignore-scripts` when the project has no node_modules yet (isolated-vm cannot build here). */
async function ensureProjectDependencies({ inherit = false } = {}) {
	if (fs.existsSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'))) return;
	log('node_modules missing: npm ci --ignore-scripts');
	await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: REPO_ROOT, inherit });
}

/** `npm run build`: dist/ with the nodes, the credential and the signing helpers. */
async function buildPackage({ inherit = false } = {}) {
	await ensureProjectDependencies({ inherit });
	log('npm run build');
	await run('npm', ['run', 'build'], { cwd: REPO_ROOT, inherit });
}

/** The files n8n will load must exist before packing; a missing one means the build is incomplete. */
function assertBuildComplete() {
	const missing = [...PACKAGE_JSON.n8n.nodes, ...PACKAGE_JSON.n8n.credentials, 'dist/index.js'].filter(
		(file) => !fs.existsSync(path.join(REPO_ROOT, file)),
	);
	if (missing.length > 0) throw new Error(`The build is incomplete, missing: ${missing.join(', ')}`);
}

/**
 * `npm pack` of the already built package into `destination`; returns the tarball's path.
 * Scripts are skipped because `prepack` would build a second time.
 */
async function packPackage(destination) {
	assertBuildComplete();
	fs.mkdirSync(destination, { recursive: true });
	const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
		cwd: REPO_ROOT,
	});
	const [packed] = JSON.parse(stdout);
	return path.join(destination, packed.filename);
}

/** Where Settings → Community Nodes installs packages for a given N8N_USER_FOLDER. */
function communityNodesDir(userFolder) {
	return path.join(userFolder, '.n8n', 'nodes');
}

/**
 * Installs a tarball the way n8n's community-nodes installer lays it out: a private
 * `installed-nodes` package in `<userFolder>/.n8n/nodes` with the package as a dependency. Only the
 * runtime dependencies are installed; n8n-workflow (a peer dependency) comes from n8n itself.
 */
async function installPackedPackage(tarball, userFolder) {
	const nodesDir = communityNodesDir(userFolder);
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
	}
	// A re-install of the same version must replace the files, not trust npm's idea that it is current.
	fs.rmSync(path.join(nodesDir, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	await run(
		'npm',
		['install', tarball, '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false', '--prefer-offline'],
		{ cwd: nodesDir },
	);
	const installedJson = path.join(nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
	if (!fs.existsSync(installedJson)) throw new Error(`npm install did not produce ${installedJson}`);
	return path.dirname(installedJson);
}

/**
 * Packs the built package and installs it into `userFolder`'s community nodes. The tarball is kept
 * next to the installed-nodes manifest, which refers to it. Pass `build: true` to build first.
 */
async function packAndInstallPackage(userFolder, { build = false } = {}) {
	if (build) await buildPackage();
	const tarball = await packPackage(path.join(communityNodesDir(userFolder), 'tarballs'));
	log(`installing ${path.basename(tarball)} into ${communityNodesDir(userFolder)}`);
	return { tarball, packageDir: await installPackedPackage(tarball, userFolder) };
}

module.exports = {
	ensureProjectDependencies,
	buildPackage,
	assertBuildComplete,
	packPackage,
	communityNodesDir,
	installPackedPackage,
	packAndInstallPackage,
};
