'use strict';

const { N8nRestClient } = require('../../../scripts/lib');

/** globalSetup hands the running n8n to the test workers through this variable (workers inherit it). */
const E2E_STATE_VARIABLE = 'N8N_E2E_STATE';

function e2eState() {
	const text = process.env[E2E_STATE_VARIABLE];
	if (!text) throw new Error(`${E2E_STATE_VARIABLE} is not set: run the suite with npm run test:e2e`);
	return JSON.parse(text);
}

/** A REST client logged in as the owner (the cookie globalSetup obtained). */
function restClient() {
	const state = e2eState();
	const client = new N8nRestClient(state.baseUrl);
	client.cookie = state.cookie;
	return client;
}

const productionUrl = (path) => `${e2eState().baseUrl}/webhook/${path}`;
const testUrl = (path) => `${e2eState().baseUrl}/webhook-test/${path}`;

module.exports = { E2E_STATE_VARIABLE, e2eState, restClient, productionUrl, testUrl };
