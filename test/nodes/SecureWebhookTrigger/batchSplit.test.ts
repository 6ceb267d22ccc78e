import { randomUUID } from 'node:crypto';

import {
	acceptBatchEvents,
	batchItems,
	claimsAsOne,
	splitBatchBody,
	type BatchEvent,
} from '../../../nodes/SecureWebhookTrigger/batchSplit';
import { compileEventFilter } from '../../../nodes/shared/checks/eventFilter';
import { MemoryReplayStore, type ReplayStore } from '../../../nodes/shared/stores/replayStore';
import { batchDelivery, outgoingItem } from '../../../nodes/SignedWebhook/fanOut';
import type { BatchFormat } from '../../../nodes/SignedWebhook/batchBody';
import { signatureHeaders } from '../../../nodes/SignedWebhook/signing';
import { TriggerHarness } from '../../helpers/webhookHarness';

const all = compileEventFilter('');
const CLAIM_SECONDS = 300;

const events = (ids: Array<string | undefined>, type = 'order.created'): BatchEvent[] =>
	ids.map((id, index) => ({ index, event: { id, type }, type, ...(id !== undefined ? { id } : {}) }));

describe('splitBatchBody', () => {
	it('reads a JSON array of events, with each event\'s id (a number becomes text) and type', () => {
		expect(splitBatchBody([{ id: 'e1', type: 't.a', data: 1 }, { id: 7 }, 'not an object', { id: '' }], 'application/json', {})).toEqual({
			kind: 'batch',
			events: [
				{ index: 0, id: 'e1', type: 't.a', event: { id: 'e1', type: 't.a', data: 1 } },
				{ index: 1, id: '7', event: { id: 7 } },
				{ index: 2, event: 'not an object' },
				{ index: 3, event: { id: '' } },
			],
		});
	});

	it('reads an object with an events array and its batch id; the x-batch-id header wins', () => {
		const body = { batchId: 'b-body', events: [{ id: 'e1' }] };
		expect(splitBatchBody(body, 'application/json', {})).toMatchObject({ kind: 'batch', batchId: 'b-body' });
		expect(splitBatchBody(body, 'application/json', { 'x-batch-id': 'b-header' })).toMatchObject({ kind: 'batch', batchId: 'b-header' });
	});

	it('reads NDJSON line by line (blank lines and a final newline allowed), and calls a broken line invalid', () => {
		expect(splitBatchBody('\uFEFF{"id":"a"}\n\n{"id":"b"}\n', 'application/x-ndjson; charset=utf-8', {})).toMatchObject({
			kind: 'batch',
			events: [{ id: 'a' }, { id: 'b' }],
		});
		expect(splitBatchBody('{"id":"a"}\n{"id":', 'application/x-ndjson', {})).toEqual({ kind: 'invalid' });
	});

	it('leaves a body that is not a batch to the usual single-event checks', () => {
		for (const body of [{ id: 'e1', type: 'x' }, { events: 'no' }, 'text', 42, null]) {
			expect(splitBatchBody(body, 'application/json', {})).toEqual({ kind: 'single' });
		}
	});
});

describe('acceptBatchEvents', () => {
	it('claims every new event; a later batch overlapping it starts only the events not seen before', async () => {
		const store = new MemoryReplayStore();
		const first = await acceptBatchEvents('b1', events(['e1', 'e2', 'e3']), { acceptsEvent: all, store, claimSeconds: CLAIM_SECONDS });
		if (first.kind !== 'accepted' || !first.claim) throw new Error('expected the batch to be accepted with a claim');
		expect(first.batch).toEqual({ batchId: 'b1', size: 3, events: events(['e1', 'e2', 'e3']) });
		await first.claim.store.confirm(first.claim.id, 3600);

		const second = await acceptBatchEvents('b2', events(['e2', 'e4', 'e3', 'e5']), { acceptsEvent: all, store, claimSeconds: CLAIM_SECONDS });
		expect(second.kind === 'accepted' && second.batch.events.map((event) => event.id)).toEqual(['e4', 'e5']);
		expect(second.kind === 'accepted' && second.batch.size).toBe(4);
	});

	it('answers duplicate when every event was seen, counting repeats within the batch as seen', async () => {
		const store = new MemoryReplayStore();
		const first = await acceptBatchEvents(undefined, events(['e1', 'e1', 'e2']), { acceptsEvent: all, store, claimSeconds: CLAIM_SECONDS });
		expect(first.kind === 'accepted' && first.batch.events.map((event) => event.index)).toEqual([0, 2]);
		if (first.kind === 'accepted' && first.claim) await first.claim.store.confirm(first.claim.id, 3600);
		expect(await acceptBatchEvents(undefined, events(['e2', 'e1']), { acceptsEvent: all, store, claimSeconds: CLAIM_SECONDS })).toEqual({ kind: 'duplicate' });
	});

	it('takes nothing while another request holds one of the events, and lets its own claims go again', async () => {
		const store = new MemoryReplayStore();
		expect(await store.claim('e2', CLAIM_SECONDS)).toBe('claimed');
		expect(await acceptBatchEvents(undefined, events(['e1', 'e2', 'e3']), { acceptsEvent: all, store, claimSeconds: CLAIM_SECONDS })).toEqual({
			kind: 'in_progress',
		});
		expect(await store.claim('e1', CLAIM_SECONDS)).toBe('claimed');
		expect(await store.claim('e3', CLAIM_SECONDS)).toBe('claimed');
	});

	it('filters events by type one by one, and answers ignored when none is wanted', async () => {
		const orders = compileEventFilter('order.*');
		const mixed: BatchEvent[] = [...events(['o1'], 'order.created'), ...events(['u1'], 'user.deleted').map((event) => ({ ...event, index: 1 }))];
		const accepted = await acceptBatchEvents(undefined, mixed, { acceptsEvent: orders, store: new MemoryReplayStore(), claimSeconds: CLAIM_SECONDS });
		expect(accepted.kind === 'accepted' && accepted.batch.events.map((event) => event.id)).toEqual(['o1']);
		expect(await acceptBatchEvents(undefined, events(['u2'], 'user.deleted'), { acceptsEvent: orders, claimSeconds: CLAIM_SECONDS })).toEqual({ kind: 'ignored' });
	});

	it('accepts events without an id (they cannot be de-duplicated), and everything when de-duplication is off', async () => {
		const store = new MemoryReplayStore();
		for (let round = 0; round < 2; round++) {
			const accepted = await acceptBatchEvents(undefined, events([undefined, undefined]), { acceptsEvent: all, store, claimSeconds: CLAIM_SECONDS });
			expect(accepted).toMatchObject({ kind: 'accepted', batch: { size: 2 } });
			expect(accepted.kind === 'accepted' && accepted.claim).toBeUndefined();
		}
		const off = await acceptBatchEvents('b', events(['e1', 'e1']), { acceptsEvent: all, claimSeconds: CLAIM_SECONDS });
		expect(off.kind === 'accepted' && off.batch.events).toHaveLength(1);
	});

	it('lets its claims go and passes the error on when the store fails halfway', async () => {
		const memory = new MemoryReplayStore();
		const failing: ReplayStore = {
			claim: async (id, seconds) => {
				if (id === 'e2') throw new Error('store down');
				return await memory.claim(id, seconds);
			},
			renew: async () => undefined,
			confirm: async () => undefined,
			release: async (id) => await memory.release(id),
		};
		await expect(acceptBatchEvents(undefined, events(['e1', 'e2']), { acceptsEvent: all, store: failing, claimSeconds: CLAIM_SECONDS })).rejects.toThrow('store down');
		expect(await memory.claim('e1', CLAIM_SECONDS)).toBe('claimed');
	});
});

describe('claimsAsOne', () => {
	it('confirms, renews and releases every event of the batch together', async () => {
		const store = new MemoryReplayStore();
		for (const id of ['a', 'b']) await store.claim(id, CLAIM_SECONDS);
		const claim = claimsAsOne(store, ['a', 'b']);
		await claim.store.release(claim.id);
		expect(await store.claim('a', CLAIM_SECONDS)).toBe('claimed');
		expect(await store.claim('b', CLAIM_SECONDS)).toBe('claimed');
		await claimsAsOne(store, ['a', 'b']).store.confirm('ignored', 3600);
		expect(await store.claim('a', CLAIM_SECONDS)).toBe('duplicate');
		expect(await store.claim('b', CLAIM_SECONDS)).toBe('duplicate');
	});
});

describe('batchItems', () => {
	it('gives every event the request\'s item with its own id, type and body, and the batch it came in', () => {
		const request = { event: null, id: null, body: {}, headers: { 'x-batch-id': 'b1' }, verification: { scheme: 'standardWebhooks', matched: 'current' } };
		expect(batchItems(request, { batchId: 'b1', size: 3, events: events(['e1', 'e3']).map((event, index) => ({ ...event, index: index * 2 })) })).toEqual([
			{ ...request, event: 'order.created', id: 'e1', body: { id: 'e1', type: 'order.created' }, batch: { id: 'b1', index: 0, size: 3 } },
			{ ...request, event: 'order.created', id: 'e3', body: { id: 'e3', type: 'order.created' }, batch: { id: 'b1', index: 2, size: 3 } },
		]);
	});
});

/** Batches made by the Signed Webhook node's own code, signed with the same credential the trigger verifies with. */
function signedBatch(secret: string, ids: string[], format: BatchFormat, batchId = randomUUID()) {
	const items = ids.map((id, index) =>
		outgoingItem(
			index,
			{
				destinations: ['http://127.0.0.1/'],
				payload: { value: { order: id }, body: Buffer.from(JSON.stringify({ order: id })) },
				eventType: 'order.created',
				eventId: id,
				customHeaders: {},
			},
			{ contentType: 'application/json', signing: { scheme: 'standardWebhooks' } },
		),
	);
	const planned = batchDelivery(items, new URL('http://127.0.0.1/'), { id: batchId, format }, 'standardWebhooks');
	const headers = {
		...planned.headers,
		...signatureHeaders({ scheme: 'standardWebhooks', key: secret }, { payload: planned.body, id: batchId, timestampSeconds: Math.floor(Date.now() / 1000), url: '' }),
	};
	return { body: planned.body, headers, batchId };
}

describe('Secure Webhook Trigger with Split Batches', () => {
	const secret = `whsec_${Buffer.from('batch-split-test-secret-0123456789').toString('base64')}`;
	const harness = new TriggerHarness({ parameters: { path: 'batches' } });
	let node = 0;
	const configure = (settings: Record<string, unknown> = {}) =>
		harness.configure({
			parameters: { path: 'batches', scheme: 'standardWebhooks', dedupeStore: 'memory', settings: { splitBatches: true, ...settings } },
			credentials: { webhookSigningApi: { secret } },
			nodeId: `batches-${++node}`,
		});

	beforeAll(async () => await harness.start());
	afterAll(async () => await harness.stop());

	it('turns a verified batch of 100 into 100 items of one execution; a re-sent batch starts nothing; an overlapping one only its new events', async () => {
		configure();
		const ids = Array.from({ length: 100 }, (_, index) => `evt_${index}`);
		const batch = signedBatch(secret, ids, 'eventsObject');
		const first = await harness.send({ body: batch.body, headers: batch.headers });
		expect(first.status).toBe(200);
		const [accepted] = first.workflowData ?? [];
		expect(accepted).toHaveLength(100);
		expect(accepted.map((item) => item.json.id)).toEqual(ids);
		expect(accepted[42].json).toMatchObject({
			event: 'order.created',
			body: { id: 'evt_42', type: 'order.created', data: { order: 'evt_42' } },
			batch: { id: batch.batchId, index: 42, size: 100 },
			verification: { scheme: 'standardWebhooks', matched: 'current' },
		});

		const again = await harness.send({ body: batch.body, headers: signedBatch(secret, ids, 'eventsObject', batch.batchId).headers });
		expect(again).toMatchObject({ status: 200, json: { status: 'duplicate' }, workflowData: undefined });

		const overlapping = signedBatch(secret, [...ids.slice(90), 'evt_100', 'evt_101'], 'jsonArray');
		const third = await harness.send({ body: overlapping.body, headers: overlapping.headers });
		expect(third.workflowData?.[0].map((item) => item.json.id)).toEqual(['evt_100', 'evt_101']);
		expect(third.workflowData?.[0][0].json.batch).toEqual({ id: overlapping.batchId, index: 10, size: 12 });
	});

	it('splits NDJSON when its content type is allowed, and still rejects a batch whose signature does not match', async () => {
		configure({ allowedContentTypes: 'application/json, application/x-ndjson' });
		const batch = signedBatch(secret, ['n1', 'n2'], 'ndjson');
		const accepted = await harness.send({ body: batch.body, headers: batch.headers });
		expect(accepted.workflowData?.[0].map((item) => item.json.id)).toEqual(['n1', 'n2']);

		const forged = signedBatch('whsec_' + Buffer.from('another-secret-entirely-0123456789').toString('base64'), ['n3'], 'ndjson');
		expect(await harness.send({ body: forged.body, headers: forged.headers })).toMatchObject({ status: 401, workflowData: undefined });
	});

	it('leaves a single event alone: one item, de-duplicated on the request id, as without the option', async () => {
		configure();
		const headers = signatureHeaders({ scheme: 'standardWebhooks', key: secret }, { payload: Buffer.from('{"type":"order.created"}'), id: 'single-1', timestampSeconds: Math.floor(Date.now() / 1000), url: '' });
		const first = await harness.send({ body: '{"type":"order.created"}', headers: { ...headers, 'content-type': 'application/json' } });
		expect(first.workflowData?.[0].map((item) => item.json.id)).toEqual(['single-1']);
		expect(first.workflowData?.[0][0].json.batch).toBeUndefined();
		const again = await harness.send({ body: '{"type":"order.created"}', headers: { ...headers, 'content-type': 'application/json' } });
		expect(again.json).toEqual({ status: 'duplicate' });
	});

	it('treats a batch as one request when the option is off', async () => {
		harness.configure({
			parameters: { path: 'batches', scheme: 'standardWebhooks', dedupeStore: 'memory' },
			credentials: { webhookSigningApi: { secret } },
			nodeId: `batches-${++node}`,
		});
		const batch = signedBatch(secret, ['x1', 'x2'], 'jsonArray');
		const result = await harness.send({ body: batch.body, headers: batch.headers });
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.workflowData?.[0][0].json.id).toBe(batch.batchId);
	});
});
