import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const { N8nRestClient } = require('../../scripts/lib/restClient') as {
	N8nRestClient: new (baseUrl: string) => { listExecutions(workflowId: string): Promise<Summary[]> };
};

interface Summary {
	id: string;
	workflowId: string;
	status: string;
	startedAt: string | null;
	createdAt: string;
}

const CURRENT = ['new', 'running'];

/**
 * `GET /rest/executions` as n8n 2.41.1 answers it (execution-list.service.ts, execution.repository.ts):
 * without a status filter and cursor, the queued/running executions plus the first page of the rest;
 * pages ordered by COALESCE(startedAt, createdAt) DESC, id DESC; the cursor's id becomes `id < beforeId`;
 * `startedBefore` is inclusive and excludes rows without a start time.
 */
function fakeN8n(executions: Summary[]): Server {
	const byStartDesc = (a: Summary, b: Summary) =>
		(b.startedAt ?? b.createdAt).localeCompare(a.startedAt ?? a.createdAt) || Number(b.id) - Number(a.id);
	return createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const limit = Number(url.searchParams.get('limit') ?? 20);
		const filter = JSON.parse(url.searchParams.get('filter') ?? '{}') as { workflowId?: string; status?: string[]; startedBefore?: string };
		const cursorParam = url.searchParams.get('cursor');
		const beforeId = cursorParam ? Number(JSON.parse(Buffer.from(cursorParam, 'base64url').toString()).v1.id) : undefined;
		const ofWorkflow = executions.filter((execution) => execution.workflowId === filter.workflowId);
		const completed = (rows: Summary[]) => rows.filter((execution) => !CURRENT.includes(execution.status));
		const matching = ofWorkflow
			.filter((execution) => !filter.status || filter.status.includes(execution.status))
			.filter((execution) => !filter.startedBefore || (execution.startedAt !== null && execution.startedAt <= filter.startedBefore));
		const page = (rows: Summary[]) => rows.filter((execution) => beforeId === undefined || Number(execution.id) < beforeId).sort(byStartDesc).slice(0, limit);
		const nextCursor = (rows: Summary[]) =>
			rows.length < limit ? null : Buffer.from(JSON.stringify({ version: 1, v1: { id: rows[rows.length - 1].id } })).toString('base64url');
		let body;
		if (!filter.status && !cursorParam) {
			const current = ofWorkflow.filter((execution) => CURRENT.includes(execution.status)).slice(0, limit);
			const done = page(completed(ofWorkflow));
			body = { results: [...current, ...done], count: completed(ofWorkflow).length, estimated: false, nextCursor: nextCursor(done) };
		} else {
			const rows = page(filter.status ? matching : completed(matching));
			body = { results: rows, count: matching.length, estimated: false, nextCursor: nextCursor(rows) };
		}
		response.setHeader('content-type', 'application/json');
		response.end(JSON.stringify({ data: body }));
	});
}

async function listFrom(executions: Summary[], workflowId: string): Promise<Summary[]> {
	const server = fakeN8n(executions);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const client = new N8nRestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		return await client.listExecutions(workflowId);
	} finally {
		server.close();
	}
}

/** Executions created in id order whose start times are shuffled by up to `jitterMs`, as queue workers start them. */
function queueModeExecutions(count: number, { workflowId = '1', jitterMs = 40, status = 'success' } = {}): Summary[] {
	const base = Date.parse('2026-11-27T21:00:00.000Z');
	let seed = 7;
	const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
	return Array.from({ length: count }, (_, index) => ({
		id: String(index + 1),
		workflowId,
		status,
		createdAt: new Date(base + index * 10).toISOString(),
		startedAt: new Date(base + index * 10 + Math.floor(random() * jitterMs)).toISOString(),
	}));
}

describe('N8nRestClient.listExecutions (scripts/lib): a complete list despite n8n paging by id while ordering by start time', () => {
	it('lists every execution when start order differs from id order across page boundaries', async () => {
		const executions = queueModeExecutions(350);
		const listed = await listFrom(executions, '1');
		expect(listed.map((execution) => execution.id)).toEqual(executions.map((execution) => execution.id));
	});

	it('would miss executions by following n8n\'s own cursor (the data above really exercises the bug)', async () => {
		const executions = queueModeExecutions(350);
		const server = fakeN8n(executions);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/executions`;
			const seen = new Set<string>();
			let cursor: string | null = null;
			do {
				const url = new URL(base);
				url.searchParams.set('filter', JSON.stringify({ workflowId: '1' }));
				url.searchParams.set('limit', '100');
				if (cursor) url.searchParams.set('cursor', cursor);
				const page = ((await (await fetch(url)).json()) as { data: { results: Summary[]; nextCursor: string | null } }).data;
				for (const execution of page.results) seen.add(execution.id);
				cursor = page.nextCursor;
			} while (cursor);
			expect(seen.size).toBeLessThan(executions.length);
		} finally {
			server.close();
		}
	});

	it('keeps queued and running executions from the first page, and only this workflow\'s', async () => {
		const executions = [
			...queueModeExecutions(120),
			...queueModeExecutions(3, { workflowId: '2' }).map((execution) => ({ ...execution, id: String(1000 + Number(execution.id)) })),
			{ id: '2001', workflowId: '1', status: 'running', createdAt: '2026-11-27T21:10:00.000Z', startedAt: '2026-11-27T21:10:00.001Z' },
			{ id: '2002', workflowId: '1', status: 'new', createdAt: '2026-11-27T21:10:00.002Z', startedAt: null },
		];
		const listed = await listFrom(executions, '1');
		expect(listed).toHaveLength(122);
		expect(listed.slice(-2).map((execution) => execution.status)).toEqual(['running', 'new']);
		expect(listed.every((execution) => execution.workflowId === '1')).toBe(true);
	});

	it('refuses to return a list it knows is short (a finished execution without a start time past the first page)', async () => {
		const executions = queueModeExecutions(150);
		executions[10] = { ...executions[10], status: 'crashed', startedAt: null };
		await expect(listFrom(executions, '1')).rejects.toThrow('listed 149 finished executions, n8n counts 150');
	});

	it('refuses when the queued and running executions fill the first page', async () => {
		const executions = queueModeExecutions(100, { status: 'new' }).map((execution) => ({ ...execution, startedAt: null }));
		await expect(listFrom(executions, '1')).rejects.toThrow('100 or more executions queued or running');
	});
});
