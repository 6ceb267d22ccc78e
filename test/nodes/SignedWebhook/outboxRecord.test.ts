import { batchDelivery, outgoingItem, singleDelivery } from '../../../nodes/SignedWebhook/fanOut';
import {
	finalResult,
	fromOutboxDelivery,
	fromOutboxProgress,
	seal,
	toOutboxDelivery,
	toOutboxOutcome,
	toOutboxProgress,
	unseal,
} from '../../../nodes/SignedWebhook/outboxRecord';
import type { DeliveryPolicy } from '../../../nodes/SignedWebhook/deliver';
import type { SigningSetup } from '../../../nodes/SignedWebhook/signing';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const policy: DeliveryPolicy = { schedule: { kind: 'explicit', delaysMs: [1000] }, retryAfterMaxMs: 5000, timeBudgetMs: 0, timeoutMs: 1000 };
const signing: SigningSetup = { scheme: 'standardWebhooks', key: SECRET };

function item(index: number, customHeaders: Record<string, string> = { authorization: 'Bearer tenant-token-123', 'x-tenant': 'acme' }) {
	return outgoingItem(
		index,
		{
			destinations: ['https://user:pa55word@hooks.example.com/in'],
			payload: { value: { order: index }, body: Buffer.from(JSON.stringify({ order: index })) },
			eventType: 'order.created',
			eventId: `evt_${index}`,
			customHeaders,
		},
		{ contentType: 'application/json', signing },
	);
}

describe('seal / unseal', () => {
	it('round-trips with the same secret and context, and refuses another secret, another context or altered bytes', () => {
		const sealed = seal('{"a":1}', SECRET, 'evt_1');
		expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
		expect(sealed).not.toContain('"a"');
		expect(unseal(sealed, SECRET, 'evt_1')).toBe('{"a":1}');
		expect(unseal(sealed, `${SECRET}x`, 'evt_1')).toBeUndefined();
		expect(unseal(sealed, SECRET, 'evt_2')).toBeUndefined();
		const [version, nonce, body] = sealed.split('.');
		const flipped = Buffer.from(body, 'base64url');
		flipped[0] ^= 1;
		expect(unseal(`${version}.${nonce}.${flipped.toString('base64url')}`, SECRET, 'evt_1')).toBeUndefined();
		expect(unseal('garbage', SECRET, 'evt_1')).toBeUndefined();
		expect(seal('{"a":1}', SECRET, 'evt_1')).not.toBe(sealed);
	});
});

describe('outbox delivery records', () => {
	it('hold no credential in the clear: the URL and custom headers are sealed with the signing secret', () => {
		const planned = singleDelivery(item(1), new URL('https://user:pa55word@hooks.example.com/in'));
		const stored = toOutboxDelivery(planned, { method: 'POST', destination: 'https://user:redacted@hooks.example.com/in', signing, policy, executionId: '42' });
		const text = JSON.stringify(stored);
		for (const secret of [SECRET, 'pa55word', 'tenant-token-123', 'acme']) expect(text).not.toContain(secret);
		expect(stored.headers).toMatchObject({ 'content-type': 'application/json', 'x-event-id': 'evt_1', 'x-event-type': 'order.created' });
		expect(stored).toMatchObject({ requestId: 'evt_1', executionId: '42', signing: { scheme: 'standardWebhooks' }, items: [{ eventId: 'evt_1', payload: { order: 1 } }] });

		const restored = fromOutboxDelivery(JSON.parse(text) as typeof stored, SECRET);
		if (!restored.ok) throw new Error(restored.reason);
		expect(restored.planned.url.href).toBe('https://user:pa55word@hooks.example.com/in');
		expect(restored.planned.headers).toEqual(planned.headers);
		expect(restored.planned.body.equals(planned.body)).toBe(true);
		expect([...restored.planned.customHeaderNames].sort()).toEqual(['authorization', 'x-tenant']);
		expect(restored.signing).toEqual(signing);
		expect(restored.policy).toEqual(policy);

		expect(fromOutboxDelivery(stored, 'whsec_another')).toEqual({
			ok: false,
			reason: 'the outbox entry was sealed with another secret than the credential now has',
		});
	});

	it('keep a batch: its id, format, exact bytes and every event', () => {
		const items = [item(1, {}), item(2, {})];
		const planned = batchDelivery(items, new URL('https://hooks.example.com/in'), { id: '0b7f6c1e-2a4d-4c3e-9f10-5d6e7f8a9b0c', format: 'ndjson' }, 'standardWebhooks');
		const stored = toOutboxDelivery(planned, { method: 'POST', destination: 'https://hooks.example.com/in', signing, policy });
		const restored = fromOutboxDelivery(JSON.parse(JSON.stringify(stored)) as typeof stored, SECRET);
		if (!restored.ok) throw new Error(restored.reason);
		expect(restored.planned.batch).toEqual(planned.batch);
		expect(restored.planned.requestId).toBe(planned.batch?.id);
		expect(restored.planned.body.equals(planned.body)).toBe(true);
		expect(restored.planned.items.map((entry) => entry.eventId)).toEqual(['evt_1', 'evt_2']);
	});

	it('with the unsigned scheme there is no secret to seal with: stored as they are, and said so', () => {
		const planned = singleDelivery(item(3, { 'x-tenant': 'acme' }), new URL('https://hooks.example.com/in'));
		const stored = toOutboxDelivery(planned, { method: 'POST', destination: 'https://hooks.example.com/in', signing: { scheme: 'none', key: '' }, policy });
		expect(stored.sealed).toBeUndefined();
		expect(stored.open).toEqual({ url: 'https://hooks.example.com/in', customHeaders: { 'x-tenant': 'acme' } });
		const restored = fromOutboxDelivery(stored, '');
		expect(restored.ok && restored.planned.headers['x-tenant']).toBe('acme');
	});
});

describe('outbox progress records', () => {
	it('round-trip where a delivery stands, with the sent credentials redacted', () => {
		const stored = toOutboxProgress(
			{
				attempts: [{ attempt: 1, startedAt: '2025-06-01T12:00:00.000Z', durationMs: 7, status: 503 }],
				firstStartMs: 1000,
				nextAttemptAtMs: 3000,
				scheduledDelayMs: 2000,
				response: { status: 503, headers: { 'content-type': 'text/plain', 'set-cookie': ['a=b'] }, body: Buffer.from('busy'), truncated: false },
				sentHeaders: { 'webhook-signature': 'v1,abc', authorization: 'Bearer tenant-token-123', 'x-tenant': 'acme', 'content-type': 'application/json' },
			},
			['webhook-signature', 'authorization', 'x-tenant'],
		);
		expect(JSON.stringify(stored)).not.toMatch(/tenant-token-123|acme|v1,abc|set-cookie/);
		expect(finalResult(stored)).toBeUndefined();
		const progress = fromOutboxProgress(JSON.parse(JSON.stringify(stored)) as typeof stored);
		expect(progress).toMatchObject({ firstStartMs: 1000, nextAttemptAtMs: 3000, scheduledDelayMs: 2000, attempts: [{ attempt: 1, status: 503 }] });
		expect(progress.response?.body.toString()).toBe('busy');
		expect(progress.response?.headers).toEqual({ 'content-type': 'text/plain' });
		expect(progress.sentHeaders['content-type']).toBe('application/json');
	});

	it('say how a delivery ended, so a resume run reports it without sending again', () => {
		const stored = toOutboxOutcome({
			delivered: false,
			attempts: [{ attempt: 1, startedAt: '2025-06-01T12:00:00.000Z', durationMs: 3, status: 400 }],
			totalTimeMs: 3,
			sentHeaders: {},
			failureReason: 'HTTP 400 is not retried',
		}, []);
		expect(finalResult(stored)?.attempts).toHaveLength(1);
		expect(finalResult(stored)).toMatchObject({ delivered: false, totalTimeMs: 3, failureReason: 'HTTP 400 is not retried' });
	});
});
