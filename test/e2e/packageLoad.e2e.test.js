'use strict';

const fs = require('node:fs');

const { PACKAGE_NAME, PACKAGE_JSON } = require('../../scripts/lib');
const { e2eState, restClient } = require('./helpers/env');
const { CREDENTIAL_TYPE, ROUTER_TYPE, SENDER_TYPE, TRIGGER_TYPE } = require('./helpers/package');

describe('the package as n8n loads it (installed like Settings → Community Nodes)', () => {
	const client = restClient();

	test('n8n lists the nodes under the package name', async () => {
		const nodeTypes = await client.nodeTypes();
		const names = new Set(nodeTypes.map((type) => type.name));
		expect(names.has(TRIGGER_TYPE)).toBe(true);
		expect(names.has(ROUTER_TYPE)).toBe(true);
		expect(names.has(SENDER_TYPE)).toBe(true);

		const trigger = nodeTypes.find((type) => type.name === TRIGGER_TYPE);
		expect(trigger.displayName).toBe('Secure Webhook Trigger');
		expect(trigger.group).toContain('trigger');
		expect(trigger.credentials.map((credential) => credential.name)).toContain(CREDENTIAL_TYPE);
		expect(trigger.webhooks.length).toBeGreaterThan(0);
	});

	test('n8n lists the "Webhook Signing Secret" credential type with its fields', async () => {
		const credentialTypes = await client.credentialTypes();
		const signing = credentialTypes.find((type) => type.name === CREDENTIAL_TYPE);
		expect(signing).toBeDefined();
		expect(signing.displayName).toBe('Webhook Signing Secret');
		const fields = signing.properties.filter((property) => property.type !== 'notice').map((property) => property.name);
		expect(fields).toEqual(['provider', 'secret', 'previousSecret', 'publicKey']);
		// What to paste, per provider: a notice shown only under its Provider choice.
		const stripeHelp = signing.properties.find((property) => property.name === 'secretHelp_stripe');
		expect(stripeHelp).toMatchObject({ type: 'notice', displayOptions: { show: { provider: ['stripe'] } } });
		expect(stripeHelp.displayName).toMatch(/^Stripe: /);
	});

	test('every node file declared in package.json is loaded', async () => {
		const nodeTypes = await client.nodeTypes();
		const loaded = nodeTypes.filter((type) => type.name.startsWith(`${PACKAGE_NAME}.`));
		expect(loaded.length).toBeGreaterThanOrEqual(PACKAGE_JSON.n8n.nodes.length);
	});

	const { logFile } = e2eState();
	(logFile ? test : test.skip)('n8n logged no error or warning about the package while loading it', () => {
		const log = fs.readFileSync(logFile, 'utf8');
		const problems = log
			.split('\n')
			.filter((line) => line.includes(PACKAGE_NAME) || /Skipping package|Failed to load package|Error loading|could not be loaded/i.test(line));
		expect(problems).toEqual([]);
	});
});
