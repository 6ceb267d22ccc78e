'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT, waitFor } = require('../../scripts/lib');
const { e2eState } = require('./helpers/env');

/**
 * The editor in a real browser (headless Chromium driven by playwright-core): sign in, new workflow,
 * find the trigger in the nodes panel, add it, open its parameters and the credential dialog, add the
 * AI Router after it and read its output labels off the canvas. Screenshots go to test-results/screenshots/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--no-first-run',
	'--disable-sync',
];
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

describe('the nodes in the n8n editor (headless Chromium)', () => {
	const { baseUrl, owner } = e2eState();
	let browser;
	let page;
	const blockedRequests = [];

	const screenshot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

	beforeAll(async () => {
		if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
		const { chromium, selectors } = require('playwright-core');
		// n8n marks its elements with data-test-id, not Playwright's default data-testid.
		selectors.setTestIdAttribute('data-test-id');
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(30000);
		// The editor stays on the local n8n: anything else it would fetch is refused, not sent.
		const local = new URL(baseUrl).host;
		await page.route('**/*', (route) => {
			const url = new URL(route.request().url());
			if (url.host === local || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
			blockedRequests.push(url.origin);
			return route.abort();
		});
	});

	afterAll(async () => {
		if (page) await screenshot('99-last-state').catch(() => {});
		if (browser) await browser.close();
		if (blockedRequests.length > 0) process.stderr.write(`[e2e] editor requests to other hosts were blocked: ${[...new Set(blockedRequests)].join(', ')}\n`);
	});

	test('signs in as the owner', async () => {
		await page.goto(`${baseUrl}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(owner.email);
		await page.locator('input[name="password"]').fill(owner.password);
		await screenshot('01-signin');
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	});

	test('the nodes panel finds "Secure Webhook" in a new workflow', async () => {
		await page.goto(`${baseUrl}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		const search = page.getByTestId('node-creator-search-bar');
		const item = page.getByTestId('node-creator-node-item').filter({ hasText: 'Secure Webhook Trigger' });
		// Provider names find it too: the codex aliases the build takes from the catalogue.
		for (const term of ['twilio', 'shopify', 'whatsapp', 'signed']) {
			await search.fill(term);
			await item.first().waitFor({ timeout: 10000 }).catch(() => {});
			expect({ term, found: await item.count() }).toEqual({ term, found: 1 });
		}
		await search.fill('Secure Webhook');
		await item.first().waitFor();
		await screenshot('02-nodes-panel-search');
		expect(await item.count()).toBe(1);
	});

	test('adding the trigger opens its parameter panel', async () => {
		await page.getByTestId('node-creator-node-item').filter({ hasText: 'Secure Webhook Trigger' }).first().click();
		// A community node first shows its details with an "Add to workflow" button.
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		await addButton.waitFor();
		await screenshot('03-community-node-details');
		await addButton.click();

		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		// typeVersion 3 (what the editor creates): a Provider list; the replay window moved into Options.
		for (const parameter of ['httpMethod', 'path', 'provider', 'events', 'dedupeStore', 'responseMode']) {
			await ndv.getByTestId(`parameter-input-${parameter}`).waitFor();
		}
		await page.getByTestId('parameter-input-path').locator('input').fill('editor-e2e-openai');
		await screenshot('04-trigger-parameters');
		const providerText = await page.getByTestId('parameter-input-provider').locator('input').inputValue();
		expect(providerText).toBe('Standard: Standard Webhooks (OpenAI, Svix, Resend, Clerk…)');
	});

	test('the credential dialog offers the "Webhook Signing Secret" fields', async () => {
		// With no credential of the type yet, n8n shows a "Connect to …" button instead of the select: which one depends
		// on whether another test file created one first.
		const select = page.getByTestId('node-credentials-select');
		const connect = page.getByRole('button', { name: /Connect to Webhook Signing Secret/ });
		await select.or(connect).first().waitFor();
		if (await connect.isVisible()) {
			await connect.click();
		} else {
			await select.click();
			await page.getByTestId('node-credentials-select-item-new').click();
		}
		const dialog = page.getByTestId('editCredential-modal');
		await dialog.waitFor();
		for (const field of ['secret', 'previousSecret', 'publicKey']) await dialog.getByTestId(`parameter-input-${field}`).waitFor();
		// The secrets are masked text areas: a pasted PEM private key keeps its line breaks.
		for (const field of ['secret', 'previousSecret']) {
			const area = dialog.getByTestId(`parameter-input-${field}`).locator('textarea');
			expect(await area.getAttribute('rows')).toBe('4');
			expect(await area.evaluate((element) => getComputedStyle(element).getPropertyValue('-webkit-text-security'))).toBe('disc');
		}
		await dialog.getByTestId('parameter-input-secret').locator('textarea').fill('whsec_ZWRpdG9yLWUyZS1zZWNyZXQ=');
		await screenshot('05-credential-dialog');
		expect(await dialog.textContent()).toContain('Webhook Signing Secret');

		const credentialName = (await dialog.getByTestId('credential-name').getByTestId('inline-edit-preview').textContent()).trim();
		expect(credentialName).toMatch(/^Webhook Signing Secret account/);
		await dialog.getByTestId('credential-save-button').click();
		await dialog.waitFor({ state: 'hidden' });
		// Saved and selected on the node: the parameter panel now names it.
		const selected = page.getByTestId('node-credentials-select').locator('input');
		await waitFor(async () => (await selected.inputValue()) === credentialName, { timeoutMs: 10000, description: 'the new credential selected' }).catch(() => {});
		await screenshot('06-credential-selected');
		expect(await selected.inputValue()).toBe(credentialName);
	});

	test('the AI Router added after the trigger shows "Automated" and "Human handoff" outputs on the canvas', async () => {
		await page.getByTestId('ndv-close-button').click();
		await page.getByTestId('ndv').waitFor({ state: 'hidden' });
		await screenshot('07-trigger-on-canvas');
		await page.getByTestId('canvas-handle-plus').first().click();
		await page.getByTestId('node-creator-search-bar').fill('AI Router');
		const item = page.getByTestId('node-creator-node-item').filter({ hasText: 'AI Router' });
		await item.first().click();
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		if (await addButton.isVisible().catch(() => false)) await addButton.click();
		await page.getByTestId('ndv').waitFor();
		await screenshot('08-ai-router-parameters');
		await page.getByTestId('ndv-close-button').click();
		await page.getByTestId('ndv').waitFor({ state: 'hidden' });
		await page.getByTestId('zoom-to-fit').click();

		// Vue Flow's node wrapper holds the node body and its handles.
		const router = page.locator('.vue-flow__node').filter({ has: page.getByTestId('canvas-node').filter({ hasText: 'AI Router' }) });
		await router.waitFor();
		const labels = await router.getByTestId('canvas-node-output-handle').allTextContents();
		await screenshot('09-canvas-router-outputs');
		expect(labels.map((label) => label.trim())).toEqual(['Automated', 'Human handoff']);
	});
});
