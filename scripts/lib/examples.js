'use strict';

const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('./paths');

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const CREDENTIAL_TYPE = 'webhookSigningApi';

/**
 * The example workflows in examples/ and what `npm start` needs to run them: the credential each one
 * refers to (created from a demo secret that is printed, never a real one) and a demo event to send.
 * Secrets here are public by design: they only exist on a local, loopback-only n8n.
 */
const EXAMPLES = [
	{
		file: 'openai-response-completed-router.json',
		title: 'OpenAI response.completed → AI Router',
		scheme: 'standardWebhooks',
		credential: { id: 'demoOpenAiSecret', name: 'Demo OpenAI webhook secret', data: { secret: 'whsec_ZGVtby1vcGVuYWktc2VjcmV0LWxvY2FsLW9ubHk=' } },
		demoEvent: ({ confidence = 0.92 } = {}) => ({
			body: {
				object: 'event',
				id: `evt_${randomUUID().replace(/-/g, '')}`,
				type: 'response.completed',
				created_at: Math.floor(Date.now() / 1000),
				data: { id: `resp_${randomUUID().replace(/-/g, '')}`, output_text: 'Refund approved for order 1042.', confidence },
			},
			headers: {},
		}),
	},
	{
		file: 'stripe-payment-intent-succeeded.json',
		title: 'Stripe payment_intent.succeeded',
		scheme: 'stripe',
		credential: { id: 'demoStripeSecret', name: 'Demo Stripe signing secret', data: { secret: 'whsec_demo_stripe_local_only' } },
		demoEvent: ({ type = 'payment_intent.succeeded' } = {}) => ({
			body: {
				id: `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
				object: 'event',
				type,
				api_version: '2024-06-20',
				data: { object: { id: `pi_${randomUUID().replace(/-/g, '').slice(0, 24)}`, object: 'payment_intent', amount: 4200, currency: 'eur', customer: 'cus_demo' } },
			},
			headers: {},
		}),
	},
	{
		file: 'github-issues-opened.json',
		title: 'GitHub issues.opened',
		scheme: 'github',
		credential: { id: 'demoGithubSecret', name: 'Demo GitHub webhook secret', data: { secret: 'demo-github-secret-local-only' } },
		demoEvent: ({ title = 'Webhook signature fails behind proxy' } = {}) => ({
			body: {
				action: 'opened',
				issue: { number: 42, title, html_url: 'https://github.com/acme/app/issues/42', user: { login: 'octocat' } },
				repository: { full_name: 'acme/app' },
				sender: { login: 'octocat' },
			},
			headers: { 'x-github-event': 'issues', 'x-github-delivery': randomUUID() },
		}),
	},
];

function loadExampleWorkflow(example) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, example.file), 'utf8'));
}

/** The example's trigger node (the package's Secure Webhook Trigger). */
function exampleTrigger(workflow) {
	return workflow.nodes.find((node) => node.type.endsWith('.secureWebhookTrigger'));
}

/** The workflow JSON with its credential reference pointing at the credential created on this n8n. */
function withCredential(workflow, credential) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
	}
	delete copy.tags;
	return copy;
}

/**
 * Creates each example's credential and workflow on `client`'s n8n and publishes it. With `reuse`,
 * credentials and workflows that already exist by name are kept as they are (a persistent user folder
 * keeps the user's edits) and only published if they are not. Returns one entry per example.
 */
async function importExamples(client, { baseUrl = client.baseUrl, reuse = false, suffix = '' } = {}) {
	const existingCredentials = reuse ? await client.listCredentials() : [];
	const existingWorkflows = reuse ? await client.listWorkflows() : [];
	return Promise.all(
		EXAMPLES.map(async (example) => {
			const credentialName = `${example.credential.name}${suffix}`;
			const credential =
				existingCredentials.find((candidate) => candidate.name === credentialName && candidate.type === CREDENTIAL_TYPE) ??
				(await client.createCredential({ name: credentialName, type: CREDENTIAL_TYPE, data: example.credential.data }));
			const template = loadExampleWorkflow(example);
			const name = `${template.name}${suffix}`;
			let workflow = existingWorkflows.find((candidate) => candidate.name === name && !candidate.isArchived);
			if (!workflow) {
				const materialised = withCredential(template, credential);
				const trigger = exampleTrigger(materialised);
				// Distinct paths when the same examples are imported twice (tests), same as the file otherwise.
				if (suffix) trigger.parameters.path = `${trigger.parameters.path}${suffix.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}`;
				workflow = await client.createWorkflow({ ...materialised, name });
			}
			const current = await client.getWorkflow(workflow.id);
			if (!current.active || current.activeVersionId !== current.versionId) await client.activateWorkflow(current.id, current.versionId);
			const trigger = exampleTrigger(current);
			return {
				example,
				workflowId: current.id,
				name,
				credential,
				triggerName: trigger.name,
				productionUrl: `${baseUrl.replace(/\/$/, '')}/webhook/${trigger.parameters.path}`,
			};
		}),
	);
}

/**
 * A demo request for an imported example, signed now with the package's own helper
 * (`SCHEMES.<scheme>.sign` from dist/index.js): `{ url, body, headers }`.
 */
function demoRequest(imported, variant = {}) {
	const { SCHEMES } = require(path.join(REPO_ROOT, 'dist', 'index.js'));
	const { example } = imported;
	const event = example.demoEvent(variant);
	const body = Buffer.from(JSON.stringify(event.body));
	const signatureHeaders = SCHEMES[example.scheme].sign({
		payload: body,
		key: example.credential.data.secret,
		timestampSeconds: Math.floor(Date.now() / 1000),
		id: `msg_${randomUUID().replace(/-/g, '')}`,
		url: imported.productionUrl,
	});
	return { url: imported.productionUrl, body, headers: { 'content-type': 'application/json', ...event.headers, ...signatureHeaders } };
}

const shellQuote = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;

/** A `curl` command that sends `request` byte for byte (`--data-binary`, no re-encoding). */
function curlCommand(request) {
	const headers = Object.entries(request.headers).map(([name, value]) => `  -H ${shellQuote(`${name}: ${value}`)} \\`);
	return [`curl -sS -X POST ${shellQuote(request.url)} \\`, ...headers, `  --data-binary ${shellQuote(request.body.toString('utf8'))}`].join('\n');
}

module.exports = { EXAMPLES, EXAMPLES_DIR, loadExampleWorkflow, exampleTrigger, withCredential, importExamples, demoRequest, curlCommand };
