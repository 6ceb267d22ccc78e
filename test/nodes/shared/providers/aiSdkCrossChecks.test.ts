import { sign as retellSign, verify as retellVerify } from 'retell-sdk';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

import { providerSchemeById } from '../../../../nodes/shared/providers/catalogue';
import type { VerificationResult } from '../../../../nodes/shared/verify/types';
import { incoming, parsedBody } from './providerTestKit';

/**
 * AI providers whose own SDK (or the library their SDK delegates to) can sign or verify, checked both ways: what the
 * SDK signs, the catalogue entry accepts; what the catalogue signs, the SDK accepts.
 */

const NOW = 1_700_000_000;

function verifyWith(provider: string, body: string, headers: Record<string, string>, secret: string, nowSeconds = NOW): VerificationResult {
	const scheme = providerSchemeById(provider);
	if (scheme.async) throw new Error(`${provider} verifies asynchronously`);
	return scheme.verify(incoming({ body, headers }), { secret }, { nowSeconds, toleranceSeconds: 300 });
}

describe('Anthropic: @anthropic-ai/sdk beta.webhooks.unwrap verifies with standardwebhooks (new Webhook(key).verify)', () => {
	const key = 'whsec_c2VjcmV0Cg==';
	const payload = '{"id":"whe_1","created_at":"2026-03-15T10:00:00Z","data":{"id":"sesn_1","type":"session.status_terminated"},"type":"event"}';

	it('what standardwebhooks signs, the anthropic entry accepts, with its event type and id', () => {
		const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_a', 'webhook-timestamp': String(NOW), 'webhook-signature': new StandardWebhook(key).sign('msg_a', new Date(NOW * 1000), payload) };
		const result = verifyWith('anthropic', payload, headers, key);
		expect(result.ok).toBe(true);
		const request = incoming({ body: payload, headers });
		expect(providerSchemeById('anthropic').describeEvent(request, parsedBody(request), result as Extract<VerificationResult, { ok: true }>)).toEqual({
			type: 'session.status_terminated',
			id: 'whe_1',
		});
	});

	it('what the anthropic entry signs, standardwebhooks accepts (the SDK\'s unwrap); a changed body it refuses', () => {
		// standardwebhooks checks the timestamp against the real clock: sign at now for this direction.
		const now = Math.floor(Date.now() / 1000);
		const headers = providerSchemeById('anthropic').sign!({ payload: Buffer.from(payload), key, timestampSeconds: now, id: 'msg_b' });
		const verifier = new StandardWebhook(key);
		expect(verifier.verify(payload, headers)).toEqual(JSON.parse(payload));
		expect(() => verifier.verify(payload.replace('whe_1', 'whe_2'), headers)).toThrow();
	});
});

describe('Recall.ai: its docs verify with svix', () => {
	const secret = 'whsec_cmVjYWxsLXRlc3Qtc2VjcmV0LWtleS0wMTIzNDU2Nzg5';
	const payload = '{"event":"recording.done","data":{"recording":{"id":"rec_1"}}}';

	it('what svix signs (webhook-* headers), the recallAi entry accepts', () => {
		const signature = new SvixWebhook(secret).sign('msg_c', new Date(NOW * 1000), payload);
		expect(verifyWith('recallAi', payload, { 'webhook-id': 'msg_c', 'webhook-timestamp': String(NOW), 'webhook-signature': signature }, secret).ok).toBe(true);
		// Workspaces created before 15 December 2025: the same signature under Svix's own header names.
		expect(verifyWith('recallAi', payload, { 'svix-id': 'msg_c', 'svix-timestamp': String(NOW), 'svix-signature': signature }, secret).ok).toBe(true);
	});

	it('what the recallAi entry signs, svix accepts; a changed body it refuses', () => {
		const now = Math.floor(Date.now() / 1000);
		const headers = providerSchemeById('recallAi').sign!({ payload: Buffer.from(payload), key: secret, timestampSeconds: now, id: 'msg_d' });
		const verifier = new SvixWebhook(secret);
		expect(verifier.verify(payload, headers)).toEqual(JSON.parse(payload));
		expect(() => verifier.verify(payload.replace('rec_1', 'rec_2'), headers)).toThrow();
	});
});

describe('Retell AI: retell-sdk sign / verify (src/lib/webhook_auth.ts)', () => {
	const apiKey = 'key_8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d';
	const body = '{"event":"call_ended","call":{"call_id":"Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6","call_status":"ended"}}';

	it('what retell-sdk signs, the retellAi entry accepts; another key or body does not', async () => {
		const signature = await retellSign(body, apiKey);
		const now = Math.floor(Date.now() / 1000);
		expect(verifyWith('retellAi', body, { 'x-retell-signature': signature }, apiKey, now).ok).toBe(true);
		expect(verifyWith('retellAi', body, { 'x-retell-signature': signature }, `${apiKey}x`, now)).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(verifyWith('retellAi', body.replace('ended"}', 'ended "}'), { 'x-retell-signature': signature }, apiKey, now)).toEqual({
			ok: false,
			reason: 'invalid_signature',
		});
	});

	it('what the retellAi entry signs, retell-sdk accepts; a changed body it refuses', async () => {
		const now = Math.floor(Date.now() / 1000);
		const headers = providerSchemeById('retellAi').sign!({ payload: Buffer.from(body), key: apiKey, timestampSeconds: now });
		expect(headers['x-retell-signature']).toMatch(/^v=\d{13},d=[0-9a-f]{64}$/);
		expect(await retellVerify(body, apiKey, headers['x-retell-signature'])).toBe(true);
		expect(await retellVerify(body.replace('ended', 'ENDED'), apiKey, headers['x-retell-signature'])).toBe(false);
	});
});
