'use strict';

const fs = require('node:fs');
const path = require('node:path');

const lib = require('../../scripts/lib');
const { installState } = require('./helpers/state');
const { installedManifest, publishNextVersion, startN8nForInstall } = require('./helpers/n8nForInstall');
const { sendSignedAndTampered } = require('./helpers/signedRequests');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const SCREENSHOTS = path.join(lib.REPO_ROOT, 'test-results', 'screenshots', 'install-by-name');
const NODES = [
	{ search: 'Secure Webhook', title: 'Secure Webhook Trigger', icon: 'secureWebhook' },
	{ search: 'AI Router', title: 'AI Router', icon: 'aiRouter' },
	{ search: 'Signed Webhook', title: 'Signed Webhook', icon: 'signedWebhook' },
];

/**
 * What a user does: Settings → Community Nodes → Install → `n8n-nodes-ai-webhooks`, in Chromium, against a
 * registry on 127.0.0.1 that serves the packed package; then the nodes in the editor (both themes), a signed
 * request through the installed trigger, and the update to the next version from the same page.
 */
describe('install by name from Settings → Community Nodes (headless Chromium)', () => {
	const { version, nextVersion } = installState();
	let handle;
	let browser;
	let page;

	const screenshot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

	/** The package's card on Settings → Community nodes, once n8n lists `expectedVersion`. */
	async function packageCard(expectedVersion) {
		await page.goto(`${handle.n8n.baseUrl}/settings/community-nodes`);
		const card = page.getByTestId('community-package-card').filter({ hasText: lib.PACKAGE_NAME });
		await card.filter({ hasText: expectedVersion }).waitFor();
		return card;
	}

	beforeAll(async () => {
		if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		handle = await startN8nForInstall('ui');
		const { chromium, selectors } = require('playwright-core');
		selectors.setTestIdAttribute('data-test-id');
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(60000);
		const local = new URL(handle.n8n.baseUrl).host;
		await page.route('**/*', (route) => {
			const url = new URL(route.request().url());
			return url.host === local || url.protocol === 'data:' || url.protocol === 'blob:' ? route.continue() : route.abort();
		});
		await page.goto(`${handle.n8n.baseUrl}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(handle.owner.email);
		await page.locator('input[name="password"]').fill(handle.owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	});

	afterAll(async () => {
		if (page) await screenshot('99-last-state').catch(() => {});
		if (browser) await browser.close();
		if (handle) {
			process.stderr.write(`[e2e-install] ui: npm calls by n8n:\n${handle.npmCalls().map((call) => `  (${path.relative(handle.userFolder, call.cwd) || '.'}) npm ${call.args.join(' ')}`).join('\n')}\n`);
			process.stderr.write(`[e2e-install] ui: outbound HTTP n8n attempted (refused): ${handle.egress.hosts().join(', ') || 'none'}\n`);
			await handle.stop();
		}
	});

	test(`Install → "${lib.PACKAGE_NAME}": n8n packs it from the registry, installs it with --ignore-scripts and lists it`, async () => {
		await page.goto(`${handle.n8n.baseUrl}/settings/community-nodes`);
		await page.getByRole('button', { name: 'Install a community node' }).click();
		const modal = page.getByTestId('communityPackageInstall-modal');
		await modal.locator('input').first().fill(lib.PACKAGE_NAME);
		await page.getByTestId('user-agreement-checkbox').click();
		await screenshot('01-install-modal');
		await page.getByTestId('install-community-package-button').click();
		await modal.waitFor({ state: 'hidden', timeout: 150000 });
		const card = await packageCard(version);
		await screenshot('02-installed');
		expect(await card.textContent()).toContain(version);

		// n8n's own path, through the shim: pack by name, then install the runtime dependencies without scripts.
		const calls = handle.npmCalls().map((call) => call.args.join(' '));
		expect(calls).toContainEqual(expect.stringMatching(new RegExp(`^pack ${lib.PACKAGE_NAME}@latest --quiet`)));
		expect(calls).toContainEqual(expect.stringMatching(/^install .*--ignore-scripts=true/));
		// It strips what a user never gets: no dev or peer dependencies are left in the installed manifest.
		const manifest = installedManifest(handle);
		expect(manifest.version).toBe(version);
		expect(manifest.devDependencies).toBeUndefined();
		expect(manifest.peerDependencies).toBeUndefined();
		for (const dependency of Object.keys(lib.PACKAGE_JSON.dependencies)) {
			expect(fs.existsSync(path.join(handle.packageDir, 'node_modules', dependency, 'package.json'))).toBe(true);
		}
	});

	test('the three nodes are in the nodes panel, with the light icon in the light theme and the dark one in the dark theme', async () => {
		/** The icon files the panel's entry for `node` shows. */
		async function panelEntryIcons(node) {
			await page.getByTestId('node-creator-search-bar').fill(node.search);
			const item = page.getByTestId('node-creator-node-item').filter({ hasText: node.title });
			await item.first().waitFor();
			expect({ node: node.title, entries: await item.count() }).toEqual({ node: node.title, entries: 1 });
			// The entry holds its icon twice (the second for dragging): the distinct files.
			const files = await item.first().locator('img').evaluateAll((images) => images.map((image) => image.getAttribute('src').split('/').pop()));
			return [...new Set(files)];
		}

		const [trigger, ...others] = NODES;
		for (const theme of ['light', 'dark']) {
			const iconFile = (node) => (theme === 'dark' ? `${node.icon}.dark.svg` : `${node.icon}.svg`);
			// n8n's default theme follows the system's.
			await page.emulateMedia({ colorScheme: theme });
			await page.goto(`${handle.n8n.baseUrl}/workflow/new`);
			await page.getByTestId('canvas-add-button').click();
			expect(await panelEntryIcons(trigger)).toEqual([iconFile(trigger)]);
			await screenshot(`03-nodes-panel-trigger-${theme}`);
			await page.getByTestId('node-creator-node-item').filter({ hasText: trigger.title }).first().click();
			await page.getByRole('button', { name: 'Add to workflow' }).click();
			await page.getByTestId('ndv-close-button').click();
			await page.getByTestId('ndv').waitFor({ state: 'hidden' });
			// The other two are actions: the panel opened from the trigger's output lists them.
			await page.getByTestId('canvas-handle-plus').first().click();
			for (const node of others) expect(await panelEntryIcons(node)).toEqual([iconFile(node)]);
			await screenshot(`04-nodes-panel-actions-${theme}`);
		}
		await page.emulateMedia({ colorScheme: 'light' });
	});

	test('workflows with the installed nodes accept signed events (one execution each) and reject a tampered body with 401', async () => {
		const results = await sendSignedAndTampered(handle, '-ui');
		for (const result of results) {
			expect({ title: result.title, status: result.tampered.status }).toEqual({ title: result.title, status: 401 });
			expect({ title: result.title, status: result.accepted.status }).toEqual({ title: result.title, status: 200 });
			expect(result.executions.map((execution) => execution.status)).toEqual(['success']);
		}
	});

	test(`publishing ${nextVersion} shows an update on the card; updating from the UI installs and loads it`, async () => {
		await publishNextVersion();
		const card = await packageCard(version);
		// n8n learns of the update from `npm outdated` in its nodes folder (through the shim: the loopback registry).
		const updateButton = card.locator('button').filter({ hasText: /update/i });
		await updateButton.waitFor();
		await screenshot('05-update-available');
		await updateButton.click();
		const confirm = page.getByTestId('communityPackageManageConfirm-modal');
		await confirm.getByRole('button', { name: /confirm update/i }).click();
		await confirm.waitFor({ state: 'hidden', timeout: 150000 });
		await packageCard(nextVersion);
		await screenshot('06-updated');
		expect(installedManifest(handle).version).toBe(nextVersion);
		const installed = await handle.client.request('GET', '/rest/community-packages');
		expect(installed.map((entry) => [entry.packageName, entry.installedVersion, entry.failedLoading])).toEqual([[lib.PACKAGE_NAME, nextVersion, false]]);

		const results = await sendSignedAndTampered(handle, '-ui-updated');
		for (const result of results) {
			expect([result.title, result.tampered.status, result.accepted.status, ...result.executions.map((execution) => execution.status)]).toEqual([
				result.title,
				401,
				200,
				'success',
			]);
		}
	});
});
