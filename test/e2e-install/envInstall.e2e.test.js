'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');

const lib = require('../../scripts/lib');
const { installState } = require('./helpers/state');
const { installedManifest, publishNextVersion, startN8nForInstall } = require('./helpers/n8nForInstall');
const { sendSignedAndTampered } = require('./helpers/signedRequests');

const NODE_TYPES = ['secureWebhookTrigger', 'aiRouter', 'signedWebhook'].map((name) => `${lib.PACKAGE_NAME}.${name}`);

/** What a container user does since n8n 2.21: declare the package in the environment; n8n installs it at start. */
const managedByEnv = (version) => ({
	N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
	N8N_COMMUNITY_PACKAGES: JSON.stringify([{ name: lib.PACKAGE_NAME, version }]),
});

describe('install by name through the environment (N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV + N8N_COMMUNITY_PACKAGES)', () => {
	const { version, nextVersion } = installState();
	let handle;

	beforeAll(async () => {
		handle = await startN8nForInstall('env', { env: managedByEnv(version) });
	});

	afterAll(async () => {
		if (handle) {
			process.stderr.write(`[e2e-install] env: npm calls by n8n: ${handle.npmCalls().map((call) => `npm ${call.args.slice(0, 2).join(' ')}`).join('; ')}\n`);
			process.stderr.write(`[e2e-install] env: outbound HTTP n8n attempted (refused): ${handle.egress.hosts().join(', ') || 'none'}\n`);
			await handle.stop();
		}
	});

	test(`n8n installed ${lib.PACKAGE_NAME}@${version} at start and loads its three nodes`, async () => {
		const installed = await handle.client.request('GET', '/rest/community-packages');
		expect(installed.map((entry) => [entry.packageName, entry.installedVersion, entry.failedLoading])).toEqual([[lib.PACKAGE_NAME, version, false]]);
		const types = (await handle.client.nodeTypes()).map((type) => type.name);
		for (const type of NODE_TYPES) expect(types).toContain(type);
		expect(installedManifest(handle).version).toBe(version);
		expect(handle.npmCalls().map((call) => call.args.join(' '))).toContainEqual(expect.stringMatching(new RegExp(`^pack ${lib.PACKAGE_NAME}@${version} --quiet`)));
	});

	test('the UI cannot change the packages: n8n refuses an install through its API', async () => {
		await expect(handle.client.request('POST', '/rest/community-packages', { body: { name: lib.PACKAGE_NAME } })).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('managed via environment variables'),
		});
	});

	test('workflows with the installed nodes accept signed events and reject a tampered body with 401', async () => {
		const results = await sendSignedAndTampered(handle, '-env');
		for (const result of results) {
			expect([result.title, result.tampered.status, result.accepted.status, ...result.executions.map((execution) => execution.status)]).toEqual([
				result.title,
				401,
				200,
				'success',
			]);
		}
	});

	test(`changing the pinned version to ${nextVersion} and restarting updates the package`, async () => {
		await publishNextVersion();
		await handle.restart(managedByEnv(nextVersion));
		const installed = await handle.client.request('GET', '/rest/community-packages');
		expect(installed.map((entry) => [entry.packageName, entry.installedVersion, entry.failedLoading])).toEqual([[lib.PACKAGE_NAME, nextVersion, false]]);
		expect(installedManifest(handle).version).toBe(nextVersion);
		const results = await sendSignedAndTampered(handle, '-env-updated');
		expect(results.map((result) => [result.tampered.status, result.accepted.status, result.executions.length])).toEqual(results.map(() => [401, 200, 1]));
	});
});

/**
 * n8n 3.0 turns unverified packages off by default (N8N_UNVERIFIED_PACKAGES_ENABLED=false). The env-managed
 * install then still takes a package whose checksum the environment pins (n8n checks it against the registry's
 * `dist.integrity`), and refuses to start without one. Run here on the same code path of n8n 2.41.1.
 */
describe('the environment install with unverified packages off (n8n 3.0 default)', () => {
	const { version, tarball } = installState();
	const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
	let handle;

	afterAll(async () => {
		if (handle) await handle.stop();
	});

	test('without a pinned checksum n8n refuses to start, naming the package', async () => {
		const env = { ...managedByEnv(version), N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' };
		await expect(startN8nForInstall('env-unverified-refused', { env })).rejects.toThrow(
			`N8N_COMMUNITY_PACKAGES: no checksum available for '${lib.PACKAGE_NAME}@${version}' and unverified packages are disabled`,
		);
	});

	test("with the tarball's checksum pinned n8n installs and loads it", async () => {
		const env = {
			N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
			N8N_COMMUNITY_PACKAGES: JSON.stringify([{ name: lib.PACKAGE_NAME, version, checksum: integrity }]),
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
		};
		handle = await startN8nForInstall('env-unverified-checksum', { env });
		const installed = await handle.client.request('GET', '/rest/community-packages');
		expect(installed.map((entry) => [entry.packageName, entry.installedVersion, entry.failedLoading])).toEqual([[lib.PACKAGE_NAME, version, false]]);
		const types = (await handle.client.nodeTypes()).map((type) => type.name);
		for (const type of NODE_TYPES) expect(types).toContain(type);
		// n8n compared the pinned checksum with the registry's (through npm view, as its HTTP check was refused).
		expect(handle.npmCalls().map((call) => call.args.join(' '))).toContainEqual(expect.stringMatching(new RegExp(`^view ${lib.PACKAGE_NAME}@${version} dist.integrity`)));
	});
});
