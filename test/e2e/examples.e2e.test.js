'use strict';

const { randomUUID } = require('node:crypto');

const { demoRequest, importExamples, nodeOutput } = require('../../scripts/lib');
const { restClient } = require('./helpers/env');
const { send } = require('./helpers/http');

/**
 * The workflows in examples/, imported the way `npm start` imports them (same credentials, same demo
 * events, signed with the package's helpers), then driven through their branches.
 */
describe('example workflows (examples/*.json)', () => {
	const client = restClient();
	let byFile;

	beforeAll(async () => {
		// A suffix keeps these apart from anything else on the instance (their paths get it too).
		const imported = await importExamples(client, { suffix: ` e2e-${randomUUID().slice(0, 6)}` });
		byFile = Object.fromEntries(imported.map((entry) => [entry.example.file, entry]));
	});

	afterAll(() => Promise.all(Object.values(byFile ?? {}).map((entry) => client.deactivateWorkflow(entry.workflowId).catch(() => {}))));

	async function sendAndWait(entry, variant, expectedCount) {
		const request = demoRequest(entry, variant);
		const response = await send(request.url, request);
		const executions = expectedCount === 0 ? [] : await client.waitForExecutions(entry.workflowId, { count: expectedCount });
		return { response, execution: executions[executions.length - 1], request };
	}

	describe('OpenAI response.completed → AI Router (human handoff)', () => {
		const entry = () => byFile['openai-response-completed-router.json'];

		test('confidence 0.92 → "CRM-ready item" with the response fields', async () => {
			const { response, execution, request } = await sendAndWait(entry(), { confidence: 0.92 }, 1);
			expect(response.status).toBe(200);
			const sent = JSON.parse(request.body.toString('utf8'));
			expect(nodeOutput(execution, 'CRM-ready item')).toEqual([
				expect.objectContaining({ responseId: sent.data.id, summary: sent.data.output_text, confidence: 0.92, status: 'auto-approved' }),
			]);
			expect(nodeOutput(execution, 'Human review message')).toBeUndefined();
		});

		test('confidence 0.41 → "Human review message"', async () => {
			const { execution } = await sendAndWait(entry(), { confidence: 0.41 }, 2);
			const [message] = nodeOutput(execution, 'Human review message');
			expect(message.channel).toBe('#ai-review');
			expect(message.text).toContain('confidence 0.41 is below 0.8');
			expect(nodeOutput(execution, 'CRM-ready item')).toBeUndefined();
		});
	});

	describe('Stripe payment_intent.succeeded (event filter)', () => {
		const entry = () => byFile['stripe-payment-intent-succeeded.json'];

		test('payment_intent.succeeded → "Payment received" with amount in units', async () => {
			const { response, execution } = await sendAndWait(entry(), {}, 1);
			expect(response.body).toEqual({ status: 'accepted' });
			expect(nodeOutput(execution, 'Payment received')).toEqual([
				expect.objectContaining({ amount: 42, currency: 'EUR', customer: 'cus_demo' }),
			]);
		});

		test('another event type → 200 ignored, and no second execution', async () => {
			const refund = demoRequest(entry(), { type: 'charge.refunded' });
			const ignored = await send(refund.url, refund);
			expect(ignored.status).toBe(200);
			expect(ignored.body).toEqual({ status: 'ignored' });
			// A second succeeded event proves the ignored one started nothing: exactly two executions.
			await sendAndWait(entry(), {}, 2);
			expect(await client.listExecutions(entry().workflowId)).toHaveLength(2);
		});
	});

	describe('GitHub issues.opened (JSON Schema)', () => {
		const entry = () => byFile['github-issues-opened.json'];

		test('a valid issues.opened → "New issue"', async () => {
			const { response, execution } = await sendAndWait(entry(), {}, 1);
			expect(response.status).toBe(200);
			expect(nodeOutput(execution, 'New issue')).toEqual([
				expect.objectContaining({ repository: 'acme/app', number: 42, title: 'Webhook signature fails behind proxy' }),
			]);
		});

		test('an issue with an empty title → 422 with the failing path, no execution', async () => {
			const request = demoRequest(entry(), { title: '' });
			const response = await send(request.url, request);
			expect(response.status).toBe(422);
			expect(response.body.error).toBe('payload does not match schema');
			expect(JSON.stringify(response.body.details)).toContain('title');
			await sendAndWait(entry(), {}, 2);
			expect(await client.listExecutions(entry().workflowId)).toHaveLength(2);
		});
	});
});
