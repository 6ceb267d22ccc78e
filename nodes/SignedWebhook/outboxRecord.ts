import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

import type { BatchFormat } from './batchBody';
import type { AttemptRecord, DeliveryPolicy, DeliveryProgress, DeliveryResult } from './deliver';
import type { OutgoingItem, PlannedDelivery } from './fanOut';
import { redactHeaders } from './redact';
import type { SigningSetup } from './signing';

/**
 * One delivery as the outbox keeps it: everything another process needs to continue it (the bytes, the URL, the
 * headers, how it is signed and retried, where it stands) except the secret itself. The URL and the user's custom
 * headers can be credentials for the destination: they are sealed (AES-256-GCM) with a key derived from the signing
 * credential's secret, so the outbox holds no credential in the clear. Only with the `none` scheme, which has no
 * secret, are they stored as they are.
 */
export interface OutboxDelivery {
	v: 1;
	method: string;
	/** The destination as shown in outputs (password removed). */
	destination: string;
	requestId: string;
	batch?: { id: string; format: BatchFormat };
	items: OutboxItem[];
	/** Base64 of the exact body bytes. */
	body: string;
	/** Every header but the signature and the custom headers. */
	headers: Record<string, string>;
	/** Sealed `{ url, customHeaders }`, or … */
	sealed?: string;
	/** … the same in the clear when there is no secret to seal with. */
	open?: SealedPart;
	signing: Omit<SigningSetup, 'key'>;
	policy: DeliveryPolicy;
	/** The execution that started the delivery. */
	executionId?: string;
}

export interface OutboxItem {
	eventId: string;
	eventType: string;
	payload: unknown;
}

interface SealedPart {
	url: string;
	customHeaders: Record<string, string>;
}

/** Where a delivery stands, rewritten after every attempt; `final` once it has its outcome. */
export interface OutboxProgress {
	attempts: AttemptRecord[];
	firstStartMs?: number;
	nextAttemptAtMs?: number;
	scheduledDelayMs?: number;
	response?: { status: number; contentType?: string; body: string; truncated: boolean };
	/** Redacted as the outputs show them. */
	sentHeaders: Record<string, string>;
	final?: { delivered: boolean; failureReason?: string; totalTimeMs: number };
}

const SEAL_VERSION = 'v1';
const SEAL_SALT = Buffer.from('n8n-ai-webhooks/outbox');

function sealingKey(secret: string): Buffer {
	return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SEAL_SALT, Buffer.from('custom headers and URL'), 32));
}

/** AES-256-GCM under a key derived from `secret`, bound to `context` (the request id) so it cannot be moved to another record. */
export function seal(plain: string, secret: string, context: string): string {
	const nonce = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), nonce);
	cipher.setAAD(Buffer.from(context, 'utf8'));
	const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
	return `${SEAL_VERSION}.${nonce.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The plain text, or undefined when `secret` is not the one it was sealed with (or the text was altered). */
export function unseal(text: string, secret: string, context: string): string | undefined {
	const [version, nonceText, sealedText] = text.split('.');
	if (version !== SEAL_VERSION || !nonceText || !sealedText) return undefined;
	const sealed = Buffer.from(sealedText, 'base64url');
	if (sealed.length < 16) return undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), Buffer.from(nonceText, 'base64url'));
		decipher.setAAD(Buffer.from(context, 'utf8'));
		decipher.setAuthTag(sealed.subarray(sealed.length - 16));
		return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
	} catch {
		return undefined;
	}
}

export function toOutboxDelivery(
	planned: PlannedDelivery,
	context: { method: string; destination: string; signing: SigningSetup; policy: DeliveryPolicy; executionId?: string },
): OutboxDelivery {
	const custom = new Set(planned.customHeaderNames);
	const headers: Record<string, string> = {};
	const customHeaders: Record<string, string> = {};
	for (const [name, value] of Object.entries(planned.headers)) (custom.has(name) ? customHeaders : headers)[name] = value;
	const part: SealedPart = { url: planned.url.href, customHeaders };
	const { key, ...signing } = context.signing;
	return {
		v: 1,
		method: context.method,
		destination: context.destination,
		requestId: planned.requestId,
		...(planned.batch ? { batch: planned.batch } : {}),
		items: planned.items.map((item) => ({ eventId: item.eventId, eventType: item.eventType, payload: item.payload })),
		body: planned.body.toString('base64'),
		headers,
		...(key === '' ? { open: part } : { sealed: seal(JSON.stringify(part), key, planned.requestId) }),
		signing,
		policy: context.policy,
		...(context.executionId ? { executionId: context.executionId } : {}),
	};
}

export type RestoredDelivery =
	| { ok: true; planned: PlannedDelivery; signing: SigningSetup; policy: DeliveryPolicy; method: string }
	| { ok: false; reason: string };

/** The delivery as it was planned, with `key` (the credential's secret) to unseal and sign; fails without the right secret. */
export function fromOutboxDelivery(stored: OutboxDelivery, key: string): RestoredDelivery {
	let part: SealedPart | undefined = stored.open;
	if (stored.sealed !== undefined) {
		const plain = key === '' ? undefined : unseal(stored.sealed, key, stored.requestId);
		if (plain === undefined) return { ok: false, reason: 'the outbox entry was sealed with another secret than the credential now has' };
		part = JSON.parse(plain) as SealedPart;
	}
	if (!part) return { ok: false, reason: 'the outbox entry is incomplete' };
	const items = restoredItems(stored);
	return {
		ok: true,
		planned: {
			url: new URL(part.url),
			items,
			...(stored.batch ? { batch: stored.batch } : {}),
			requestId: stored.requestId,
			body: Buffer.from(stored.body, 'base64'),
			headers: { ...stored.headers, ...part.customHeaders },
			customHeaderNames: Object.keys(part.customHeaders),
		},
		signing: { ...stored.signing, key },
		policy: stored.policy,
		method: stored.method,
	};
}

/** The delivery's items as outputs need them; a continued delivery's items have no input item in the execution that continues them. */
export function restoredItems(stored: OutboxDelivery): OutgoingItem[] {
	return stored.items.map((item, index) => ({
		itemIndex: index,
		eventId: item.eventId,
		eventType: item.eventType,
		payload: item.payload,
		body: Buffer.alloc(0),
		destinations: [],
		headers: {},
		customHeaders: {},
	}));
}

export function toOutboxProgress(progress: Readonly<DeliveryProgress>, redactedNames: readonly string[]): OutboxProgress {
	const response = progress.response;
	const contentType = response?.headers['content-type'];
	return {
		attempts: progress.attempts,
		...(progress.firstStartMs !== undefined ? { firstStartMs: progress.firstStartMs } : {}),
		...(progress.nextAttemptAtMs !== undefined ? { nextAttemptAtMs: progress.nextAttemptAtMs } : {}),
		...(progress.scheduledDelayMs !== undefined ? { scheduledDelayMs: progress.scheduledDelayMs } : {}),
		...(response
			? {
					response: {
						status: response.status,
						...(contentType !== undefined ? { contentType: Array.isArray(contentType) ? contentType[0] : contentType } : {}),
						body: response.body.toString('base64'),
						truncated: response.truncated,
					},
				}
			: {}),
		sentHeaders: redactHeaders(progress.sentHeaders, redactedNames),
	};
}

/** How a delivery ended, so that a resume run reports it as it ended instead of sending it again. */
export function toOutboxOutcome(result: DeliveryResult, redactedNames: readonly string[]): OutboxProgress {
	const { delivered, totalTimeMs, failureReason } = result;
	return {
		...toOutboxProgress({ attempts: result.attempts, response: result.response, sentHeaders: result.sentHeaders }, redactedNames),
		final: { delivered, totalTimeMs, ...(failureReason ? { failureReason } : {}) },
	};
}

export function fromOutboxProgress(stored: OutboxProgress): DeliveryProgress {
	const response = stored.response;
	return {
		attempts: stored.attempts,
		...(stored.firstStartMs !== undefined ? { firstStartMs: stored.firstStartMs } : {}),
		...(stored.nextAttemptAtMs !== undefined ? { nextAttemptAtMs: stored.nextAttemptAtMs } : {}),
		...(stored.scheduledDelayMs !== undefined ? { scheduledDelayMs: stored.scheduledDelayMs } : {}),
		...(response
			? {
					response: {
						status: response.status,
						headers: response.contentType !== undefined ? { 'content-type': response.contentType } : {},
						body: Buffer.from(response.body, 'base64'),
						truncated: response.truncated,
					},
				}
			: {}),
		sentHeaders: stored.sentHeaders,
	};
}

/** The result of a delivery that had already ended when its execution stopped. */
export function finalResult(stored: OutboxProgress): DeliveryResult | undefined {
	if (!stored.final) return undefined;
	const progress = fromOutboxProgress(stored);
	return {
		delivered: stored.final.delivered,
		attempts: progress.attempts,
		totalTimeMs: stored.final.totalTimeMs,
		response: progress.response,
		sentHeaders: progress.sentHeaders,
		...(stored.final.failureReason ? { failureReason: stored.final.failureReason } : {}),
	};
}
