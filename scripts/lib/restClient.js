'use strict';

const { httpRequest } = require('./http');
const { waitFor } = require('./poll');

/** The owner every local n8n gets. The password meets n8n's rules (8+ chars, a digit, an upper-case letter). */
const DEFAULT_OWNER = Object.freeze({
	email: 'owner@example.com',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'LocalOwner1',
});

class N8nRestError extends Error {
	constructor(method, path, status, body) {
		const detail = typeof body === 'string' ? body : JSON.stringify(body);
		super(`${method} ${path} → ${status}: ${detail.slice(0, 500)}`);
		this.status = status;
		this.body = body;
	}
}

/** Parses an execution's `data`, which the REST API sends serialised with `flatted`. */
function parseExecutionData(data) {
	if (typeof data !== 'string') return data;
	// flatted is a dev dependency of this project and of n8n itself.
	const { parse } = require('flatted');
	return parse(data);
}

const FINISHED_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);
/** n8n's split of execution statuses for its list: queued or running vs the rest (`ExecutionStatusList`). */
const CURRENT_STATUSES = new Set(['new', 'running']);
const COMPLETED_STATUSES = ['canceled', 'crashed', 'error', 'success', 'unknown', 'waiting'];

/**
 * A small client for n8n's internal REST API (`/rest/...`, what the editor uses), authenticated
 * with the `n8n-auth` cookie. n8n marks that cookie Secure unless N8N_SECURE_COOKIE=false; we send it
 * to 127.0.0.1 either way because we handle it ourselves. Requests go through ./http.js: GETs retried
 * once when the connection closed before any answer, everything else on a connection of its own.
 */
class N8nRestClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.cookie = undefined;
		/** Set on the first publication check: true on n8n 1.x, which has no publication-status endpoint. */
		this.legacyActivation = undefined;
	}

	async request(method, path, { body, query, headers = {}, expectJson = true } = {}) {
		const url = new URL(`${this.baseUrl}${path}`);
		for (const [name, value] of Object.entries(query ?? {})) {
			url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
		}
		const response = await httpRequest(url, {
			method,
			headers: {
				accept: 'application/json',
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...(this.cookie ? { cookie: this.cookie } : {}),
				...headers,
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
		this.rememberCookie(response);
		const text = response.body.toString('utf8');
		let parsed = text;
		if (expectJson && text !== '') {
			try {
				parsed = JSON.parse(text);
			} catch {
				// Keep the text for the error message.
			}
		}
		if (response.status < 200 || response.status > 299) throw new N8nRestError(method, path, response.status, parsed);
		// Controllers' results are wrapped as { data }; static type files are not.
		return parsed !== null && typeof parsed === 'object' && 'data' in parsed && path.startsWith('/rest/') ? parsed.data : parsed;
	}

	rememberCookie(response) {
		for (const header of response.headers['set-cookie'] ?? []) {
			const [pair] = header.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
	}

	/** `POST /rest/owner/setup`: only works once per user folder; logs in as the new owner. */
	async setupOwner(owner = DEFAULT_OWNER) {
		return this.request('POST', '/rest/owner/setup', { body: owner });
	}

	async login({ email, password } = DEFAULT_OWNER) {
		return this.request('POST', '/rest/login', { body: { emailOrLdapLoginId: email, password } });
	}

	/** Sets up the owner on a fresh instance, or logs in when it already has one. */
	async ensureOwner(owner = DEFAULT_OWNER) {
		const settings = await this.request('GET', '/rest/settings');
		if (settings?.userManagement?.showSetupOnFirstLoad) return this.setupOwner(owner);
		return this.login(owner);
	}

	async nodeTypes() {
		return this.request('GET', '/types/nodes.json');
	}

	async credentialTypes() {
		return this.request('GET', '/types/credentials.json');
	}

	async createCredential({ name, type, data }) {
		return this.request('POST', '/rest/credentials', { body: { name, type, data } });
	}

	/** Saves new data into an existing credential, as the editor's credential dialog does. */
	async updateCredential(id, { name, type, data }) {
		return this.request('PATCH', `/rest/credentials/${id}`, { body: { name, type, data } });
	}

	async listCredentials() {
		return this.request('GET', '/rest/credentials');
	}

	async createWorkflow(workflow) {
		return this.request('POST', '/rest/workflows', { body: { settings: {}, connections: {}, ...workflow, active: false } });
	}

	async getWorkflow(id) {
		return this.request('GET', `/rest/workflows/${id}`);
	}

	async listWorkflows() {
		return this.request('GET', '/rest/workflows');
	}

	async updateWorkflow(id, changes) {
		return this.request('PATCH', `/rest/workflows/${id}`, { body: changes });
	}

	/**
	 * n8n 2.x publishes a workflow version (the current `versionId` is required) and registers its
	 * triggers asynchronously, through a publication outbox: this waits until they are live.
	 */
	async activateWorkflow(id, versionId, { timeoutMs = 30000 } = {}) {
		const version = versionId ?? (await this.getWorkflow(id)).versionId;
		const activated = await this.request('POST', `/rest/workflows/${id}/activate`, { body: { versionId: version } });
		await this.waitForPublication(id, (status) => status.status === 'published' && status.liveVersionId === version, timeoutMs);
		return activated;
	}

	async deactivateWorkflow(id, { timeoutMs = 30000 } = {}) {
		const deactivated = await this.request('POST', `/rest/workflows/${id}/deactivate`, { body: {} });
		await this.waitForPublication(id, (status) => status.status === 'not_published' && status.liveVersionId === null, timeoutMs);
		return deactivated;
	}

	/** `GET /rest/workflows/:id/publication-status`: `{ status, liveVersionId, pendingVersionId, triggers }`. */
	async publicationStatus(id) {
		return this.request('GET', `/rest/workflows/${id}/publication-status`);
	}

	async waitForPublication(id, isDone, timeoutMs) {
		await waitFor(
			async () => {
				const status = await this.publicationStatusOrLegacy(id);
				if (status.status === 'failed' || status.status === 'partial') {
					const reasons = status.triggers.filter((trigger) => trigger.errorMessage).map((trigger) => trigger.errorMessage);
					const error = new Error(`Publishing workflow ${id} ${status.status}: ${reasons.join('; ')}`);
					error.fatal = true;
					throw error;
				}
				return isDone(status);
			},
			{ timeoutMs, intervalMs: 50, description: `publication state of workflow ${id}`, fatal: (error) => error.fatal },
		);
	}

	/**
	 * The publication status, or on n8n 1.x (no such endpoint: activation registers the triggers before it
	 * answers) the same shape derived from the workflow itself.
	 */
	async publicationStatusOrLegacy(id) {
		if (this.legacyActivation !== true) {
			try {
				const status = await this.publicationStatus(id);
				this.legacyActivation = false;
				return status;
			} catch (error) {
				if (!(error instanceof N8nRestError && error.status === 404 && this.legacyActivation === undefined)) throw error;
				this.legacyActivation = true;
			}
		}
		const workflow = await this.getWorkflow(id);
		const liveVersionId = workflow.active ? (workflow.activeVersionId ?? workflow.versionId) : null;
		return { status: workflow.active ? 'published' : 'not_published', liveVersionId, pendingVersionId: null, triggers: [] };
	}

	/** Creates and publishes a workflow; returns the saved workflow. */
	async createActiveWorkflow(workflow) {
		const created = await this.createWorkflow(workflow);
		await this.activateWorkflow(created.id, created.versionId);
		return created;
	}

	/** n8n only deletes archived workflows. */
	async deleteWorkflow(id) {
		await this.request('POST', `/rest/workflows/${id}/archive`, { body: {} });
		return this.request('DELETE', `/rest/workflows/${id}`);
	}

	/**
	 * `POST /rest/workflows/:id/run`, the editor's "Execute workflow"/"Listen for test event": with a
	 * webhook trigger n8n answers `{ waitingForWebhook: true }` and registers `/webhook-test/<path>`.
	 */
	async runWorkflowManually(id, payload) {
		// n8n 1.x runs the workflow the editor sends (`workflowData`); 2.x reads the saved one.
		const body = (await this.isN8n1()) ? { workflowData: await this.getWorkflow(id), ...payload } : payload;
		return this.request('POST', `/rest/workflows/${id}/run`, { body });
	}

	/** Whether this n8n is a 1.x (from `GET /rest/settings`, asked once). */
	async isN8n1() {
		this.n8nVersion = this.n8nVersion ?? (await this.request('GET', '/rest/settings')).versionCli;
		return /^1\./.test(this.n8nVersion);
	}

	/**
	 * Every execution of one workflow (summaries, without data), oldest first. The first page also lists
	 * the executions still queued or running (n8n caps those at the page size: more is an error here, and
	 * `waitFor` callers simply poll again).
	 *
	 * n8n's own cursor cannot be followed for a complete list: it pages by `id < lastId` while ordering
	 * by start time, so an execution started out of id order (queue mode, several workers or webhook
	 * processes) falls between two pages. Finished executions are therefore paged by start time instead
	 * (`startedBefore`, inclusive, de-duplicated by id) and checked against n8n's count.
	 */
	async listExecutions(workflowId) {
		const limit = 100;
		const first = await this.request('GET', '/rest/executions', { query: { filter: { workflowId }, limit: String(limit) } });
		const current = first.results.filter((execution) => CURRENT_STATUSES.has(execution.status));
		if (current.length >= limit) throw new Error(`workflow ${workflowId} has ${limit} or more executions queued or running; the list would be incomplete`);
		const byId = new Map(first.results.map((execution) => [execution.id, execution]));
		let page = first.results.filter((execution) => !CURRENT_STATUSES.has(execution.status));
		while (page.length >= limit) {
			// n8n's filter is on startedAt alone; an execution that never started is caught by the count check below.
			const startTimes = page.map((execution) => execution.startedAt).filter(Boolean);
			if (startTimes.length === 0) throw new Error(`workflow ${workflowId}: a page of ${limit} finished executions without a start time; cannot page past them`);
			const startedBefore = startTimes.reduce((earliest, startedAt) => (startedAt < earliest ? startedAt : earliest));
			const filter = { workflowId, status: COMPLETED_STATUSES, startedBefore };
			page = (await this.request('GET', '/rest/executions', { query: { filter, limit: String(limit) } })).results;
			const added = page.filter((execution) => !byId.has(execution.id));
			if (page.length >= limit && added.length === 0) throw new Error(`workflow ${workflowId}: over ${limit} executions started at ${startedBefore}; cannot page past them`);
			for (const execution of added) byId.set(execution.id, execution);
		}
		const finishedListed = [...byId.values()].filter((execution) => !CURRENT_STATUSES.has(execution.status)).length;
		// Executions finished at the time of the first page keep their start time, so every one of them must be here.
		if (!first.estimated && finishedListed < first.count) {
			throw new Error(`workflow ${workflowId}: listed ${finishedListed} finished executions, n8n counts ${first.count}`);
		}
		return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** How many executions `workflowId` has (n8n's own count, all statuses). */
	async countExecutions(workflowId) {
		const result = await this.request('GET', '/rest/executions', { query: { filter: { workflowId }, limit: '1' } });
		return result.count;
	}

	/** One execution with its run data parsed (`data` arrives serialised with `flatted`). */
	async getExecution(id) {
		const execution = await this.request('GET', `/rest/executions/${id}`);
		return { ...execution, data: parseExecutionData(execution.data) };
	}

	/** Waits until execution `id` has finished and returns it with its data. */
	async waitForExecution(id, { timeoutMs = 30000 } = {}) {
		return waitFor(
			async () => {
				const execution = await this.getExecution(id);
				return FINISHED_STATUSES.has(execution.status) ? execution : undefined;
			},
			{ timeoutMs, intervalMs: 150, description: `execution ${id} to finish` },
		);
	}

	/**
	 * Waits until `workflowId` has at least `count` executions, all finished, and returns them all,
	 * oldest first, with data. To show that a request started no execution, send a valid one after it
	 * and check that only that one shows up: no fixed sleeps.
	 */
	async waitForExecutions(workflowId, { count = 1, timeoutMs = 20000 } = {}) {
		const summaries = await waitFor(
			async () => {
				const executions = await this.listExecutions(workflowId);
				const finished = executions.filter((execution) => FINISHED_STATUSES.has(execution.status));
				return finished.length >= count && finished.length === executions.length ? executions : undefined;
			},
			{ timeoutMs, intervalMs: 150, description: `${count} finished execution(s) of workflow ${workflowId}` },
		);
		return Promise.all(summaries.map((execution) => this.getExecution(execution.id)));
	}
}

/** The items a node produced in an execution (`runData[node][run].data.main[output]`). */
function nodeOutput(execution, nodeName, { output = 0, run = 0 } = {}) {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs || !runs[run]) return undefined;
	const main = runs[run].data?.main ?? [];
	return (main[output] ?? []).map((item) => item.json);
}

/** Logs in (or sets up the owner) and returns a ready client. */
async function setupOwner(baseUrl, owner = DEFAULT_OWNER) {
	const client = new N8nRestClient(baseUrl);
	await client.ensureOwner(owner);
	return client;
}

module.exports = { N8nRestClient, N8nRestError, DEFAULT_OWNER, parseExecutionData, nodeOutput, setupOwner, FINISHED_STATUSES };
