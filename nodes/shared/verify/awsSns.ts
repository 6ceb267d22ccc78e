import { X509Certificate, createSign, verify as verifySignature } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import type { VerificationFailureReason } from './types';
import { fetchKeyDocument, type KeyFetchFailure, type KeyFetchOptions } from './keyFetch';
import { decodeSignatureText } from './publicKeySignature';
import { LruMap } from '../stores/lruMap';

/**
 * AWS SNS HTTP/S deliveries (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html): the
 * JSON body carries its own RSA signature (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) over a canonical
 * string of some of its fields, and the URL of the X.509 certificate that verifies it. The certificate is fetched
 * only from an SNS host over https (`sns.<region>.amazonaws.com`, or `.amazonaws.com.cn`), with a timeout and a
 * size cap, and cached in memory. A SubscriptionConfirmation's SubscribeURL is handed out only once the message
 * verified, and only when it points at the same kind of host.
 */

export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** The fields of an SNS message (JSON names). Strings exactly as received. */
export interface SnsMessage {
	Type: SnsMessageType;
	MessageId: string;
	TopicArn: string;
	Message: string;
	Timestamp: string;
	SignatureVersion: '1' | '2';
	Signature: string;
	SigningCertURL: string;
	Subject?: string;
	SubscribeURL?: string;
	Token?: string;
	UnsubscribeURL?: string;
}

/**
 * The fields signed per message type, in the order AWS documents (alphabetical): "Subject" only when the
 * Notification has one; SubscribeURL and Token for both confirmation types.
 */
const SIGNED_FIELDS: Readonly<Record<SnsMessageType, ReadonlyArray<keyof SnsMessage>>> = {
	Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
	SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
	UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** The hosts AWS serves signing certificates and subscription endpoints from (as AWS's own validators check). */
export const SNS_HOST_PATTERN = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

const SIGNATURE_DIGESTS = { '1': 'sha1', '2': 'sha256' } as const;
/** SNS signs with RSA-2048 today; the cap leaves room for larger keys. */
const MAX_SIGNATURE_BYTES = 512;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message in `rawBody`, or undefined when it is not an SNS message (not JSON, a field missing or of the wrong type). */
export function parseSnsMessage(rawBody: Buffer | string): SnsMessage | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!isRecord(parsed)) return undefined;
	const type = parsed.Type;
	if (type !== 'Notification' && type !== 'SubscriptionConfirmation' && type !== 'UnsubscribeConfirmation') return undefined;
	if (parsed.SignatureVersion !== '1' && parsed.SignatureVersion !== '2') return undefined;
	const required = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'Signature', 'SigningCertURL'];
	if (type !== 'Notification') required.push('SubscribeURL', 'Token');
	if (!required.every((name) => typeof parsed[name] === 'string')) return undefined;
	for (const name of ['Subject', 'UnsubscribeURL']) {
		if (parsed[name] !== undefined && parsed[name] !== null && typeof parsed[name] !== 'string') return undefined;
	}
	return parsed as unknown as SnsMessage;
}

/** The canonical string SNS signs: `<name>\n<value>\n` for each signed field of the message's type, in order. */
export function snsStringToSign(message: SnsMessage): string {
	let text = '';
	for (const name of SIGNED_FIELDS[message.Type]) {
		const value = message[name];
		if (typeof value === 'string') text += `${name}\n${value}\n`;
	}
	return text;
}

/** Whether `text` is an https URL without credentials on a host `hostPattern` matches. */
export function isSnsUrl(text: string, hostPattern: RegExp = SNS_HOST_PATTERN): boolean {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return false;
	}
	return url.protocol === 'https:' && url.username === '' && url.password === '' && hostPattern.test(url.hostname);
}

/** A signing certificate URL: an SNS URL whose path names a .pem file and which has no query. */
function isCertificateUrl(text: string, hostPattern: RegExp): boolean {
	if (!isSnsUrl(text, hostPattern)) return false;
	const url = new URL(text);
	return url.search === '' && url.pathname.endsWith('.pem');
}

export interface SnsCertificateCacheOptions {
	/** Default 5000. */
	timeoutMs?: number;
	/** Default 16 KiB (an SNS certificate is ~2 KiB). */
	maxBytes?: number;
	/** Certificates remembered at most. Default 16. */
	maxEntries?: number;
	/** A URL whose fetch failed is not fetched again for this long. Default 60 000. */
	failureBackoffMs?: number;
	/** Clock in milliseconds (tests). */
	now?: () => number;
	/** Extra trusted CA certificates (tests: a self-signed loopback server). */
	ca?: KeyFetchOptions['ca'];
}

interface CachedCertificate {
	certificate?: X509Certificate;
	failedAt?: number;
	failure?: KeyFetchFailure | 'bad_certificate';
	inFlight?: Promise<void>;
}

export type SnsCertificateLookup = { ok: true; certificate: X509Certificate } | { ok: false; reason: KeyFetchFailure | 'bad_certificate' };

/** Signing certificates by URL, in memory. Concurrent lookups of one URL share its fetch. */
export class SnsCertificateCache {
	private readonly entries: LruMap<CachedCertificate>;

	private readonly fetchOptions: KeyFetchOptions;

	private readonly maxEntries: number;

	private readonly failureBackoffMs: number;

	private readonly now: () => number;

	constructor(options: SnsCertificateCacheOptions = {}) {
		// A certificate URL never redirects; one that does is not the certificate AWS published at that URL.
		this.fetchOptions = { timeoutMs: options.timeoutMs ?? 5000, maxBytes: options.maxBytes ?? 16 * 1024, maxRedirects: 0, ca: options.ca };
		this.maxEntries = options.maxEntries ?? 16;
		this.entries = new LruMap(this.maxEntries);
		this.failureBackoffMs = options.failureBackoffMs ?? 60_000;
		this.now = options.now ?? Date.now;
	}

	async get(url: string): Promise<SnsCertificateLookup> {
		let entry = this.entries.get(url);
		if (!entry) {
			entry = {};
			this.entries.set(url, entry);
		}
		if (!entry.certificate) {
			if (entry.inFlight) {
				await entry.inFlight;
			} else if (entry.failedAt === undefined || this.now() - entry.failedAt >= this.failureBackoffMs) {
				const pending = entry;
				pending.inFlight = this.fetchCertificate(url, pending).finally(() => {
					pending.inFlight = undefined;
				});
				await pending.inFlight;
			}
		}
		if (entry.certificate) return { ok: true, certificate: entry.certificate };
		return { ok: false, reason: entry.failure ?? 'network' };
	}

	clear(): void {
		this.entries.clear();
	}

	private async fetchCertificate(url: string, entry: CachedCertificate): Promise<void> {
		const fetched = await fetchKeyDocument(url, this.fetchOptions);
		if (!fetched.ok) {
			entry.failedAt = this.now();
			entry.failure = fetched.reason;
			return;
		}
		try {
			entry.certificate = new X509Certificate(fetched.body);
			entry.failure = undefined;
			entry.failedAt = undefined;
		} catch {
			entry.failedAt = this.now();
			entry.failure = 'bad_certificate';
		}
	}
}

/** The process-wide certificate cache the trigger uses. */
export const sharedSnsCertificateCache = new SnsCertificateCache();

export interface SnsVerifyOptions {
	/** When set, the message's TopicArn must be exactly this. */
	topicArn?: string;
	/** Hosts the certificate and SubscribeURL may come from. Default SNS_HOST_PATTERN; tests use a loopback name. */
	hostPattern?: RegExp;
	/** Refuse SignatureVersion 1 (SHA1withRSA); SNS topics sign with it unless set to version 2. Default false. */
	requireSignatureVersion2?: boolean;
	/** The `x-amz-sns-message-type` header, when the caller has it: it must then name the body's Type. */
	messageTypeHeader?: string;
	/** Unix milliseconds at which the certificate must be valid. Default: now. */
	nowMs?: number;
	cache?: SnsCertificateCache;
}

export type SnsVerification =
	| {
			ok: true;
			type: SnsMessageType;
			messageId: string;
			topicArn: string;
			/** The message's Timestamp in Unix seconds. */
			timestamp: number;
			message: SnsMessage;
			/** True for a SubscriptionConfirmation: confirm it with `confirmSnsSubscription(subscribeUrl)`. */
			isSubscriptionConfirmation: boolean;
			/** SubscriptionConfirmation only, and only on an allowed host. */
			subscribeUrl?: string;
	  }
	/** `key_unavailable`: the certificate could not be fetched; SNS retries, so the trigger should answer 503. */
	| { ok: false; reason: VerificationFailureReason | 'key_unavailable' };

type Failure = Extract<SnsVerification, { ok: false }>;

function fail(reason: Failure['reason']): Failure {
	return { ok: false, reason };
}

function publicKeyOf(certificate: X509Certificate, nowMs: number): KeyObject | undefined {
	const validFrom = Date.parse(certificate.validFrom);
	const validTo = Date.parse(certificate.validTo);
	if (!(validFrom <= nowMs && nowMs <= validTo)) return undefined;
	const key = certificate.publicKey;
	return key.asymmetricKeyType === 'rsa' ? key : undefined;
}

/** Verifies an SNS message in `rawBody` (the exact bytes received). Never throws. */
export async function verifySnsMessage(rawBody: Buffer | string, options: SnsVerifyOptions = {}): Promise<SnsVerification> {
	const message = parseSnsMessage(rawBody);
	if (!message) return fail('malformed_signature');
	const hostPattern = options.hostPattern ?? SNS_HOST_PATTERN;
	if (options.messageTypeHeader !== undefined && options.messageTypeHeader !== message.Type) return fail('malformed_signature');
	if (options.requireSignatureVersion2 && message.SignatureVersion !== '2') return fail('invalid_signature');
	// Checked before any fetch: only a URL on an SNS host can make the cache fetch anything.
	if (!isCertificateUrl(message.SigningCertURL, hostPattern)) return fail('invalid_signature');
	const signature = decodeSignatureText(message.Signature, 'base64', MAX_SIGNATURE_BYTES);
	const timestampMs = Date.parse(message.Timestamp);
	if (!signature || !Number.isFinite(timestampMs)) return fail('malformed_signature');

	const lookup = await (options.cache ?? sharedSnsCertificateCache).get(message.SigningCertURL);
	if (!lookup.ok) return fail('key_unavailable');
	const key = publicKeyOf(lookup.certificate, options.nowMs ?? Date.now());
	if (!key) return fail('invalid_signature');
	let verified: boolean;
	try {
		verified = verifySignature(SIGNATURE_DIGESTS[message.SignatureVersion], Buffer.from(snsStringToSign(message), 'utf8'), key, signature);
	} catch {
		verified = false;
	}
	if (!verified) return fail('invalid_signature');

	// After the signature: only a genuine message from another topic is reported as such.
	if (options.topicArn !== undefined && options.topicArn !== '' && message.TopicArn !== options.topicArn) return fail('invalid_signature');
	const isSubscriptionConfirmation = message.Type === 'SubscriptionConfirmation';
	if (isSubscriptionConfirmation && !isSubscribeUrl(message.SubscribeURL, hostPattern)) return fail('invalid_signature');
	return {
		ok: true,
		type: message.Type,
		messageId: message.MessageId,
		topicArn: message.TopicArn,
		timestamp: Math.floor(timestampMs / 1000),
		message,
		isSubscriptionConfirmation,
		...(isSubscriptionConfirmation ? { subscribeUrl: message.SubscribeURL } : {}),
	};
}

/** An SNS URL whose query asks for `Action=ConfirmSubscription`, as AWS's SubscribeURLs do. */
function isSubscribeUrl(text: string | undefined, hostPattern: RegExp): text is string {
	return text !== undefined && isSnsUrl(text, hostPattern) && new URL(text).searchParams.get('Action') === 'ConfirmSubscription';
}

export interface SnsConfirmOptions {
	hostPattern?: RegExp;
	/** Default 5000. */
	timeoutMs?: number;
	ca?: KeyFetchOptions['ca'];
}

/**
 * Confirms a subscription: a GET of the SubscribeURL of a message `verifySnsMessage` accepted. The URL is checked
 * again here (same host pattern, https, `Action=ConfirmSubscription`), so nothing else can be fetched through it.
 */
export async function confirmSnsSubscription(
	subscribeUrl: string,
	options: SnsConfirmOptions = {},
): Promise<{ ok: true } | { ok: false; reason: KeyFetchFailure | 'not_sns_url' }> {
	if (!isSubscribeUrl(subscribeUrl, options.hostPattern ?? SNS_HOST_PATTERN)) return { ok: false, reason: 'not_sns_url' };
	const result = await fetchKeyDocument(subscribeUrl, { timeoutMs: options.timeoutMs ?? 5000, maxBytes: 64 * 1024, maxRedirects: 0, ca: options.ca });
	return result.ok ? { ok: true } : { ok: false, reason: result.reason };
}

/**
 * A signed SNS message, as SNS would deliver it (for tests): `fields` plus SignatureVersion, SigningCertURL and the
 * Signature made with `privateKeyPem` (the key of the certificate at `signingCertUrl`).
 */
export function signSnsMessage(
	fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>,
	privateKeyPem: string,
	signingCertUrl: string,
	signatureVersion: '1' | '2' = '2',
): SnsMessage {
	const unsigned = { ...fields, SignatureVersion: signatureVersion, SigningCertURL: signingCertUrl, Signature: '' };
	const signature = createSign(SIGNATURE_DIGESTS[signatureVersion]).update(snsStringToSign(unsigned), 'utf8').sign(privateKeyPem, 'base64');
	return { ...unsigned, Signature: signature };
}
