'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT, waitFor } = require('../../scripts/lib');
const { e2eState, restClient } = require('./helpers/env');
const { send } = require('./helpers/http');
const { CREDENTIAL_TYPE } = require('./helpers/package');
const { signedRequest } = require('./helpers/schemeFixtures');

/**
 * A new user's first five minutes with the trigger, in headless Chromium (issue 15 item 4): the nodes panel finds it by
 * provider and by "verify"/"signed"; a new trigger listens at once on its webhook ID (Path may stay empty); the Event
 * Types placeholder and the listed URLs follow the provider; the credential dialog says what to paste; a credential
 * made for another provider is refused when listening; with the right one a signed Stripe test event reaches the editor.
 * Screenshots go to test-results/screenshots/first-minutes-*.png (the best are kept in docs/screenshots).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');
const STRIPE_SECRET = `whsec_${Date.now().toString(16)}firstminutes`;

describe('the first five minutes in the editor (headless Chromium)', () => {
	const { baseUrl, owner } = e2eState();
	const suffix = Date.now().toString(36);
	const githubCredentialName = `GitHub secret ${suffix}`;
	const stripeCredentialName = `Stripe secret ${suffix}`;
	let browser;
	let page;

	const screenshot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `first-minutes-${name}.png`) });
	const ndv = () => page.getByTestId('ndv');

	/** Picks an option of an n8n options parameter by typing into its search. */
	async function chooseOption(container, parameter, typed, optionText) {
		const input = container.getByTestId(`parameter-input-${parameter}`).locator('input').first();
		await input.click();
		await input.fill(typed);
		await page.locator('.el-select-dropdown__item:visible, [role="option"]:visible').filter({ hasText: optionText }).first().click();
	}

	beforeAll(async () => {
		if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
		// A credential made for GitHub: the one a new trigger may be handed, and the one it must refuse.
		await restClient().createCredential({ name: githubCredentialName, type: CREDENTIAL_TYPE, data: { provider: 'github', secret: 'github-demo-secret' } });
		const { chromium, selectors } = require('playwright-core');
		selectors.setTestIdAttribute('data-test-id');
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(30000);
		const local = new URL(baseUrl).host;
		await page.route('**/*', (route) => {
			const url = new URL(route.request().url());
			return url.host === local || url.protocol === 'data:' || url.protocol === 'blob:' ? route.continue() : route.abort();
		});
	});

	afterAll(async () => {
		if (page) await screenshot('99-last-state').catch(() => {});
		if (browser) await browser.close();
	});

	test('signs in and opens the nodes panel of a new workflow', async () => {
		await page.goto(`${baseUrl}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(owner.email);
		await page.locator('input[name="password"]').fill(owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		await page.goto(`${baseUrl}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').waitFor();
	});

	test.each(['twilio', 'shopify', 'whatsapp', 'discord', 'verify', 'signed'])('searching "%s" finds the Secure Webhook Trigger', async (word) => {
		await page.getByTestId('node-creator-search-bar').fill(word);
		const item = page.getByTestId('node-creator-node-item').filter({ hasText: 'Secure Webhook Trigger' });
		await item.first().waitFor();
		if (word === 'whatsapp') await screenshot('01-search-whatsapp');
		if (word === 'signed') {
			await page.getByTestId('node-creator-node-item').filter({ hasText: 'Signed Webhook' }).first().waitFor();
		}
		expect(await item.count()).toBe(1);
	});

	test('a new trigger listens on its webhook ID: Path may stay empty, nothing is marked required', async () => {
		await page.getByTestId('node-creator-search-bar').fill('Secure Webhook');
		await page.getByTestId('node-creator-node-item').filter({ hasText: 'Secure Webhook Trigger' }).first().click();
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		if (await addButton.isVisible().catch(() => false)) await addButton.click();
		await ndv().waitFor();
		const pathInput = ndv().getByTestId('parameter-input-path').locator('input');
		expect(await pathInput.inputValue()).toBe('');
		expect(await ndv().textContent()).toContain("Empty: n8n uses the node's webhook ID");
		// The trigger panel speaks of the Test URL, not of "Secure Webhook" as a service.
		expect(await ndv().textContent()).toContain('Send a signed test event to the Test URL');
		expect(await ndv().textContent()).not.toContain('Pull in events from');
		await ndv().getByText('Webhook URLs').first().click();
		await waitFor(async () => /\/webhook-test\/[0-9a-f-]{36}/.test(await ndv().textContent()), { timeoutMs: 10000, description: 'the test URL with the webhook ID' });
		await screenshot('02-new-trigger');
	});

	test('the GET URL is listed only for a provider with a GET handshake (Meta), not for Standard Webhooks', async () => {
		const urls = async () => ndv().getByTestId('webhook-url-item').allTextContents().catch(() => []);
		const listedMethods = async () => (await ndv().textContent()).match(/\bGET\b/g)?.length ?? 0;
		expect(await listedMethods()).toBe(0);
		await chooseOption(ndv(), 'provider', 'Meta', 'Meta');
		await waitFor(async () => (await listedMethods()) > 0, { timeoutMs: 10000, description: 'the GET URL for Meta' });
		await screenshot('03-meta-get-url');
		expect((await urls()).length).toBeGreaterThanOrEqual(0);
	});

	test('the Event Types placeholder follows the provider', async () => {
		const placeholder = () => ndv().getByTestId('parameter-input-events').locator('input').getAttribute('placeholder');
		await chooseOption(ndv(), 'provider', 'Shopify', 'Shopify');
		await waitFor(async () => (await placeholder()) === 'Values of header x-shopify-topic, comma-separated; * wildcards', {
			timeoutMs: 10000,
			description: 'the Shopify placeholder',
		});
		await chooseOption(ndv(), 'provider', 'Stripe', 'Stripe');
		await waitFor(async () => (await placeholder()) === 'Values of body.type, comma-separated; * wildcards', { timeoutMs: 10000, description: 'the Stripe placeholder' });
		await screenshot('04-stripe-parameters');
	});

	test('a credential made for GitHub is refused when the Stripe trigger starts listening', async () => {
		const select = ndv().getByTestId('node-credentials-select');
		await select.click();
		await page.getByText(githubCredentialName, { exact: true }).first().click();
		await ndv().getByTestId('trigger-execute-button').first().click();
		const refusal = page.getByText(/made for GitHub, but this trigger verifies Stripe/).first();
		await refusal.waitFor();
		await screenshot('05-github-credential-refused');
	});

	test('the credential dialog says what to paste for the chosen provider, with hints and placeholders on screen, and tests the form', async () => {
		await page.keyboard.press('Escape').catch(() => {});
		const select = ndv().getByTestId('node-credentials-select');
		await select.click();
		await page.getByTestId('node-credentials-select-item-new').click();
		const dialog = page.getByTestId('editCredential-modal');
		await dialog.waitFor();
		const text = async () => dialog.textContent();
		expect(await text()).toContain('Choose the provider this secret comes from');
		expect(await text()).toContain('As the provider shows it, prefix included');
		expect(await dialog.getByTestId('parameter-input-secret').locator('textarea').getAttribute('placeholder')).toContain('whsec_');
		expect(await dialog.getByTestId('parameter-input-publicKey').locator('textarea').getAttribute('rows')).toBe('4');
		await chooseOption(dialog, 'provider', 'Stripe', 'Payments: Stripe');
		await waitFor(async () => (await text()).includes('Stripe: The endpoint'), { timeoutMs: 10000, description: "Stripe's secret help" }).catch(() => {});
		expect(await text()).toMatch(/Stripe: .*whsec_/);
		await dialog.getByTestId('parameter-input-secret').locator('textarea').fill(STRIPE_SECRET);
		await dialog.getByTestId('credential-name').getByTestId('inline-edit-preview').click();
		await dialog.getByTestId('credential-name').locator('input').fill(stripeCredentialName);
		await dialog.getByTestId('credential-name').locator('input').press('Enter');
		await screenshot('06-credential-dialog-stripe');
		await dialog.getByTestId('credential-save-button').click();
		await dialog.getByText(/Well-formed for Stripe/).first().waitFor();
		await screenshot('07-credential-tested');
		await dialog.getByTestId('credential-save-button').or(page.locator('[data-test-id="editCredential-modal"] .el-dialog__close')).first().waitFor();
		await page.locator('[data-test-id="editCredential-modal"] button[aria-label="Close this dialog"], [data-test-id="editCredential-modal"] .el-dialog__headerbtn').first().click();
		await dialog.waitFor({ state: 'hidden' });
		const selected = ndv().getByTestId('node-credentials-select').locator('input');
		await waitFor(async () => (await selected.inputValue()) === stripeCredentialName, { timeoutMs: 10000, description: 'the Stripe credential selected' });
	});

	test('"Listen for test event" works at once and a signed Stripe test event shows up in the editor', async () => {
		await ndv().getByTestId('trigger-execute-button').first().click();
		await ndv().getByTestId('trigger-listening').waitFor();
		const testUrl = (await ndv().textContent()).match(/https?:\/\/[^\s"]+\/webhook-test\/[0-9a-f-]{36}/)?.[0];
		expect(testUrl).toBeDefined();
		const request = signedRequest('stripe', { key: STRIPE_SECRET, url: testUrl, id: `evt_first_minutes_${suffix}` });
		const response = await send(testUrl, { body: request.body, headers: request.headers });
		expect(response.status).toBe(200);
		await ndv().getByText('payment_intent.succeeded').first().waitFor();
		await screenshot('08-test-event-received');
	});

	test('the canvas names the provider under the trigger', async () => {
		await page.getByTestId('ndv-close-button').click();
		await ndv().waitFor({ state: 'hidden' });
		const node = page.getByTestId('canvas-node').filter({ hasText: 'Secure Webhook Trigger' });
		await waitFor(async () => (await node.textContent()).includes('Stripe'), { timeoutMs: 10000, description: 'the Stripe subtitle' });
		await screenshot('09-canvas-subtitle');
	});
});
