import { createHash } from 'node:crypto';

import { clientIp, isIpAllowed } from '../shared/checks/ipAllowList';
import { isContentTypeAllowed } from '../shared/checks/contentType';
import { readPath } from '../shared/jsonPath';
import { headerValue, type HeaderMap } from '../shared/http';
import type { ReplayStore } from '../shared/stores/replayStore';
import type { RateLimiter } from '../shared/stores/rateLimiter';
import { confirmSnsRecipeSubscription } from '../shared/verify/awsSnsRecipe';
import type {
	EventDescription,
	IncomingWebhook,
	SignatureScheme,
	SigningSecrets,
	VerificationResult,
	VerificationFailureReason,
	VerifyOptions,
} from '../shared/verify/types';
import { checkBatchEvents, type AcceptedBatch } from './batchSplit';
import type { TriggerConfig } from './config';
import {
	handshakeNeedsKey,
	hasHandshakeOn,
	hasUnsignedHandshake,
	matchHandshake,
	respondToHandshake,
	type HandshakeKeys,
	type HandshakeRequest,
} from './handshakes';
import type { HandshakeRule } from '../shared/providers/types';
import { parseBody } from './parseBody';
import { reject, respondOk, type DirectResponse } from './responses';

export interface TriggerRequest {
	method: string;
	/** Path and query as received. */
	url: string;
	headers: HeaderMap;
	query: Record<string, unknown>;
	remoteAddress: string | undefined;
	/** The exact bytes of the body. Called only once the cheap checks have passed. */
	readRawBody(): Promise<Buffer>;
}

export interface TriggerEnvironment {
	/** Read lazily: requests rejected before the signature check cost no credential lookup. */
	loadSecrets(): Promise<SigningSecrets>;
	/**
	 * After a failed verification: the credential as stored now, when what `loadSecrets` gave may be out of
	 * date (it was remembered, and not read just now); otherwise undefined.
	 */
	reloadSecrets?(): Promise<SigningSecrets | undefined>;
	rateLimiter(): RateLimiter | undefined;
	replayStore(): ReplayStore | undefined;
	nowSeconds(): number;
}

export type Verified = Extract<VerificationResult, { ok: true }>;

/** What the checks learn about a request on the way through. */
export interface RequestState {
	readonly config: TriggerConfig;
	readonly request: TriggerRequest;
	readonly env: TriggerEnvironment;
	clientIp?: string;
	/** The request as the verifiers see it, once its body has been read. */
	incoming?: IncomingWebhook;
	secrets?: SigningSecrets;
	verification?: Verified;
	/** A failed verification and the credential it was tried with: what the test URL's diagnosis looks at. */
	failure?: { result: Extract<VerificationResult, { ok: false }>; secrets: SigningSecrets; options: VerifyOptions };
	/** The event id this request holds in the replay store: to confirm once n8n has the execution, or release. */
	claim?: { store: ReplayStore; id: string };
	body?: unknown;
	event: EventDescription;
	/** With "Split Batches": the events of a batch body that start the workflow (filtered and de-duplicated one by one). */
	batch?: AcceptedBatch;
}

type RequestCheck = (state: RequestState) => Promise<DirectResponse | undefined>;

const INVALID_SIGNATURE = 'invalid signature';
/**
 * How long a sender is asked to wait when a key could not be fetched: the key caches try a failed URL again after a
 * minute (jwks.ts, awsSns.ts), so an earlier retry would meet the same failure.
 */
const KEY_RETRY_AFTER_SECONDS = 60;
/** Failures a changed credential could explain; a missing header or an old timestamp stays one whatever the secret. */
const SECRET_MAY_BE_STALE: ReadonlySet<VerificationFailureReason> = new Set(['invalid_signature', 'missing_key']);

async function checkRateLimit(state: RequestState): Promise<DirectResponse | undefined> {
	const limiter = state.env.rateLimiter();
	if (!limiter) return undefined;
	const decision = await limiter.take(state.clientIp ?? 'unknown');
	if (decision.allowed) return undefined;
	const retryAfter = String(Math.max(1, Math.ceil(decision.retryAfterSeconds)));
	return reject(429, 'rate_limited', 'rate limited', { headers: { 'retry-after': retryAfter } });
}

function handshakeRequest(state: RequestState): HandshakeRequest {
	const { method, url, headers } = state.request;
	return { method, url, headers, rawBody: state.incoming?.rawBody ?? Buffer.alloc(0), body: state.body };
}

/**
 * Answers a handshake of the provider in `phase`, or undefined when the request is none. Unsigned handshakes that
 * answer with an HMAC use the current secret; signed ones the secret that verified the request.
 */
async function answerProviderHandshake(state: RequestState, phase: HandshakeRule['phase']): Promise<DirectResponse | undefined> {
	const { config, env } = state;
	const request = handshakeRequest(state);
	const match = matchHandshake(config.provider.handshakes, phase, request, { verifyToken: config.verifyToken }, state.verification);
	if (!match) return undefined;
	if ('refused' in match) return match.refused;
	const answer = match.rule.respond;
	if ('confirmSubscription' in answer) return await confirmSubscription(state);
	const keys: HandshakeKeys =
		phase === 'signed'
			? { secrets: state.secrets, matched: state.verification?.matched }
			: { secrets: handshakeNeedsKey(match.rule) ? await env.loadSecrets() : undefined, matched: 'current' };
	return respondToHandshake(match.rule, request, keys, state.verification);
}

/**
 * AWS SNS SubscriptionConfirmation, once the message verified: a GET of its SubscribeURL (checked again to be on an
 * SNS host, awsSnsRecipe.ts). If that fails SNS is asked to retry the delivery (503), as for a key it could not fetch.
 */
async function confirmSubscription(state: RequestState): Promise<DirectResponse> {
	const subscribeUrl = state.verification?.subscribeUrl;
	if (subscribeUrl === undefined) return reject(403, 'invalid_verify_token', 'invalid verification request');
	if (await confirmSnsRecipeSubscription(subscribeUrl, { keySources: state.config.keySources })) return respondOk({ status: 'subscription confirmed' });
	return reject(503, 'confirmation_failed', 'temporarily unavailable', { headers: { 'retry-after': String(KEY_RETRY_AFTER_SECONDS) } });
}

async function checkMethod(state: RequestState): Promise<DirectResponse | undefined> {
	const { config, request } = state;
	const method = request.method.toUpperCase();
	const getHandshake = hasHandshakeOn(config.provider.handshakes, 'GET');
	if ((method === 'GET' && getHandshake) || (method === 'OPTIONS' && hasHandshakeOn(config.provider.handshakes, 'OPTIONS'))) {
		// A provider's endpoint check (Meta's subscription check, a GET challenge, CloudEvents' OPTIONS), answered unsigned.
		return (await answerProviderHandshake(state, 'unsigned')) ?? reject(403, 'invalid_verify_token', 'invalid verification request');
	}
	if (method === config.httpMethod) return undefined;
	const allow = getHandshake ? `${config.httpMethod}, GET` : config.httpMethod;
	return reject(405, 'method_not_allowed', 'method not allowed', { headers: { allow } });
}

/** Endpoint checks that come unsigned on the webhook's own method (Microsoft Graph validationToken, Asana X-Hook-Secret). */
async function answerUnsignedHandshake(state: RequestState): Promise<DirectResponse | undefined> {
	if (!hasUnsignedHandshake(state.config.provider.handshakes)) return undefined;
	return answerProviderHandshake(state, 'unsigned');
}

async function checkClientIp({ config, clientIp: ip }: RequestState): Promise<DirectResponse | undefined> {
	if (ip !== undefined && isIpAllowed(config.ipAllowList, ip)) return undefined;
	if (ip === undefined && isIpAllowed(config.ipAllowList, '')) return undefined;
	return reject(403, 'ip_not_allowed', 'client address not allowed');
}

const tooLarge = (max: number) => reject(413, 'payload_too_large', `payload larger than ${max} bytes`);

async function checkDeclaredSize({ config, request }: RequestState): Promise<DirectResponse | undefined> {
	const declared = headerValue(request.headers, 'content-length');
	if (declared !== undefined && Number(declared) > config.maxBodyBytes) return tooLarge(config.maxBodyBytes);
	return undefined;
}

async function checkContentType({ config, request }: RequestState): Promise<DirectResponse | undefined> {
	if (isContentTypeAllowed(headerValue(request.headers, 'content-type'), config.allowedContentTypes)) {
		return undefined;
	}
	return reject(415, 'unsupported_content_type', 'unsupported content type');
}

/**
 * n8n's readRawBody decodes a gzip or deflate Content-Encoding and enforces its payload limit (raw-body): a body that
 * does not decode, a decoded body over n8n's limit, or a client that aborts is the client's fault, not a 500.
 */
async function readBody(state: RequestState): Promise<DirectResponse | undefined> {
	let rawBody: Buffer;
	try {
		rawBody = await state.request.readRawBody();
	} catch (error) {
		if ((error as { type?: unknown }).type === 'entity.too.large') return tooLarge(state.config.maxBodyBytes);
		return reject(400, 'unreadable_body', 'request body could not be read');
	}
	if (rawBody.length > state.config.maxBodyBytes) return tooLarge(state.config.maxBodyBytes);
	const { method, headers, url } = state.request;
	state.incoming = { method, rawBody, headers, url };
	return undefined;
}

function incomingOf(state: RequestState): IncomingWebhook {
	const { method, headers, url } = state.request;
	return state.incoming ?? { method, rawBody: Buffer.alloc(0), headers, url };
}

function verifyOptions({ config, env }: RequestState): VerifyOptions {
	return {
		toleranceSeconds: config.toleranceSeconds,
		nowSeconds: env.nowSeconds(),
		hmac: config.hmac,
		jwt: config.jwt,
		publicUrl: config.publicUrl,
		audience: config.audience,
		serviceAccountEmail: config.serviceAccountEmail,
		topicArn: config.topicArn,
		keySources: config.keySources,
	};
}

/** The scheme's verdict: a plain call for the schemes that need nothing fetched, awaited for the others. */
async function verify(scheme: SignatureScheme, request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): Promise<VerificationResult> {
	return scheme.async ? await scheme.verify(request, secrets, options) : scheme.verify(request, secrets, options);
}

async function checkSignature(state: RequestState): Promise<DirectResponse | undefined> {
	const { config } = state;
	const unsigned = config.provider.signature.kind === 'none';
	let secrets = unsigned ? { secret: '' } : await state.env.loadSecrets();
	let result = await verify(config.scheme, incomingOf(state), secrets, verifyOptions(state));
	if (!result.ok && !unsigned && SECRET_MAY_BE_STALE.has(result.reason)) {
		// The credential may have changed since it was remembered: a new one applies with the first request that needs it.
		const current = await state.env.reloadSecrets?.();
		if (current !== undefined) {
			secrets = current;
			result = await verify(config.scheme, incomingOf(state), secrets, verifyOptions(state));
		}
	}
	if (!result.ok && result.reason === 'key_unavailable') {
		// The provider's key set or certificate could not be fetched: not the sender's fault, so it should retry.
		state.failure = { result, secrets, options: verifyOptions(state) };
		return reject(503, 'key_unavailable', 'temporarily unavailable', { headers: { 'retry-after': String(KEY_RETRY_AFTER_SECONDS) } });
	}
	if (!result.ok) {
		state.failure = { result, secrets, options: verifyOptions(state) };
		return reject(401, 'invalid_signature', INVALID_SIGNATURE);
	}
	state.secrets = secrets;
	state.verification = result;
	return undefined;
}

async function checkBodyParses(state: RequestState): Promise<DirectResponse | undefined> {
	const parsed = parseBody(incomingOf(state).rawBody, headerValue(state.request.headers, 'content-type'));
	if (!parsed.ok) return reject(400, 'invalid_json', 'body is not valid JSON');
	state.body = parsed.value;
	return undefined;
}

async function checkSchema({ config, body }: RequestState): Promise<DirectResponse | undefined> {
	if (!config.schema) return undefined;
	const result = config.schema.validate(body);
	if (result.ok) return undefined;
	return reject(422, 'schema_mismatch', 'payload does not match schema', { details: result.errors });
}

async function answerSignedHandshake(state: RequestState): Promise<DirectResponse | undefined> {
	return answerProviderHandshake(state, 'signed');
}

function readLocation(location: string, headers: HeaderMap, body: unknown): string | undefined {
	if (!location) return undefined;
	const value = location.toLowerCase().startsWith('header:')
		? headerValue(headers, location.slice('header:'.length).trim())
		: readPath(body, location);
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

async function checkEventType(state: RequestState): Promise<DirectResponse | undefined> {
	if (state.batch) return undefined;
	const { config, request, body } = state;
	const verification = state.verification ?? { ok: true as const, matched: 'none' as const };
	const described = config.scheme.describeEvent(incomingOf(state), body, verification);
	state.event = {
		type: readLocation(config.eventTypePath, request.headers, body) ?? described.type,
		id: readLocation(config.eventIdPath, request.headers, body) ?? described.id ?? verification.id,
	};
	if (config.acceptsEvent(state.event.type)) return undefined;
	return respondOk({ status: 'ignored' });
}

/**
 * How long an accepted event's id is held for the request that accepted it, until n8n has taken the execution
 * (then it is remembered for the de-duplication window). Renewed while the request is open, so a "Respond: When Last
 * Node Finishes" workflow holds it for as long as it runs; after a crash in between, the provider's retries are
 * accepted again once it has passed.
 */
export const CLAIM_SECONDS = 300;
/** What a delivery that arrives while its event is being taken is told: come back shortly. */
const IN_PROGRESS_RETRY_AFTER_SECONDS = 5;

/**
 * A replay store that claims, renews, confirms and releases `extraKey` with every key it is given: a request then
 * holds its event id and its body hash together, and is a duplicate if either was seen.
 */
function withExtraKey(store: ReplayStore, extraKey: string): ReplayStore {
	return {
		async claim(key, claimSeconds) {
			const first = await store.claim(key, claimSeconds);
			if (first !== 'claimed') return first;
			const second = await store.claim(extraKey, claimSeconds);
			if (second !== 'claimed') await store.release(key);
			return second;
		},
		async renew(key, claimSeconds) {
			await Promise.all([store.renew(key, claimSeconds), store.renew(extraKey, claimSeconds)]);
		},
		async confirm(key, ttlSeconds) {
			await Promise.all([store.confirm(key, ttlSeconds), store.confirm(extraKey, ttlSeconds)]);
		},
		async release(key) {
			await Promise.all([store.release(key), store.release(extraKey)]);
		},
	};
}

/** The key of a body's hash in the replay store: apart from every provider id. */
function bodyHashKey(rawBody: Buffer): string {
	return `body-sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

async function checkDuplicate(state: RequestState): Promise<DirectResponse | undefined> {
	if (state.batch) return undefined;
	const replayStore = state.env.replayStore();
	const eventId = state.event.id;
	if (!replayStore) return undefined;
	// Where the provider signs no timestamp, a captured delivery replayed with another (unsigned) delivery id is still
	// the same body: de-duplicating on its hash as well stops that replay within the de-duplication window.
	const bodyKey = state.config.dedupeBodyHash ? bodyHashKey(incomingOf(state).rawBody) : undefined;
	let store = replayStore;
	let id: string;
	if (eventId !== undefined && bodyKey !== undefined) {
		store = withExtraKey(replayStore, bodyKey);
		id = eventId;
	} else if (eventId !== undefined || bodyKey !== undefined) {
		id = (eventId ?? bodyKey)!;
	} else {
		return undefined;
	}
	const outcome = await store.claim(id, CLAIM_SECONDS);
	if (outcome === 'duplicate') return respondOk({ status: 'duplicate' });
	if (outcome === 'in_progress') {
		// Not "duplicate": the request holding the id may still fail, and then this delivery must be retried.
		return reject(409, 'event_in_progress', 'event is being processed, retry later', {
			headers: { 'retry-after': String(IN_PROGRESS_RETRY_AFTER_SECONDS) },
		});
	}
	state.claim = { store, id };
	return undefined;
}

/**
 * The order of checks, cheapest and most abuse-resistant first: a flood is rate-limited before any other
 * work, nothing is parsed before the signature is verified, and an event id is remembered only once the
 * request passed everything else (so a rejected request never blocks a later good one).
 */
export const REQUEST_CHECKS: ReadonlyArray<readonly [name: string, check: RequestCheck]> = [
	['rate limit', checkRateLimit],
	['method', checkMethod],
	['client IP', checkClientIp],
	['unsigned handshake', answerUnsignedHandshake],
	['declared size', checkDeclaredSize],
	['content type', checkContentType],
	['body size', readBody],
	['signature', checkSignature],
	['body parses', checkBodyParses],
	['schema', checkSchema],
	['handshake', answerSignedHandshake],
	['batch events', async (state) => await checkBatchEvents(state, { claimSeconds: CLAIM_SECONDS, inProgressRetryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS })],
	['event type', checkEventType],
	['duplicate', checkDuplicate],
];

export type RequestOutcome =
	/** `check`: the name of the check that answered (REQUEST_CHECKS). */
	| { kind: 'respond'; response: DirectResponse; state: RequestState; check: string }
	| { kind: 'accept'; state: RequestState };

export async function runRequestChecks(
	config: TriggerConfig,
	request: TriggerRequest,
	env: TriggerEnvironment,
): Promise<RequestOutcome> {
	const forwardedFor = request.headers['x-forwarded-for'];
	const state: RequestState = {
		config,
		request,
		env,
		event: {},
		clientIp: clientIp(request.remoteAddress, config.trustedProxyHops > 0 ? forwardedFor : undefined, config.trustedProxyHops),
	};
	for (const [name, check] of REQUEST_CHECKS) {
		const response = await check(state);
		if (response) return { kind: 'respond', response, state, check: name };
	}
	return { kind: 'accept', state };
}
