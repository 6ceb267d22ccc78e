import type { HeaderMap } from '../http';
import type { KeySources } from './keySources';

/** What a verifier sees of a request: the exact bytes received, never a re-serialised body. */
export interface IncomingWebhook {
	method: string;
	rawBody: Buffer;
	/** Lower-case header names, as Node's IncomingMessage gives them. */
	headers: HeaderMap;
	/** Path and query string exactly as received, e.g. "/webhook/orders?x=1". */
	url: string;
}

/** The contents of the `webhookSigningApi` credential. Never logged, never echoed. */
export interface SigningSecrets {
	secret: string;
	/** Accepted during rotation. Empty string or undefined when not set. */
	previousSecret?: string;
	/** PEM for RS/ES JWT; hex, base64 or `whpk_…` for Ed25519 (Standard Webhooks v1a, Discord). */
	publicKey?: string;
}

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64' | 'base64url';

/** Options of the generic `hmac` scheme (the Custom HMAC builder's parameters). */
export interface GenericHmacOptions {
	algorithm: HmacAlgorithm;
	/** Header that carries the signature, e.g. "x-signature". */
	signatureHeader: string;
	encoding: SignatureEncoding;
	/** Text before the encoded signature in the header, e.g. "sha256=". Empty for none. */
	prefix: string;
	/** Header that carries a Unix timestamp (seconds). Empty: no timestamp, no tolerance check. */
	timestampHeader: string;
	/** What is signed. `{body}` is the raw body bytes, `{timestamp}` the timestamp header's value. Default "{body}". */
	signedContent: string;
}

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/** Options of the `jwt` scheme. */
export interface JwtOptions {
	/** Header that carries the token. "authorization" means `Authorization: Bearer <token>`. */
	tokenHeader: string;
	algorithms: JwtAlgorithm[];
	/** Expected `iss`; empty: not checked. */
	issuer: string;
	/** Expected `aud`; empty: not checked. */
	audience: string;
	/** When set, the claim that must hold the SHA-256 (hex) of the raw body. Empty: not checked. */
	bodyHashClaim: string;
	/** Default true: a token without `exp` would never expire, so it is refused unless this is false. */
	requireExp?: boolean;
	/** Refuse a token whose `iat` is this many seconds old or more (plus the clock tolerance). 0 or absent: no limit. */
	maxAgeSeconds?: number;
}

export interface VerifyOptions {
	/** Maximum age and maximum clock skew into the future, in seconds, for timestamped schemes. */
	toleranceSeconds: number;
	/** The current time in Unix seconds (injected so tests control the clock). */
	nowSeconds: number;
	hmac?: GenericHmacOptions;
	jwt?: JwtOptions;
	/**
	 * The URL the provider is configured to call, without query string (`{url}` in signed content; Twilio). Behind a
	 * proxy n8n cannot see it.
	 */
	publicUrl?: string;
	/** @deprecated Use `publicUrl`; still read by the Twilio verifier. */
	twilio?: { publicUrl: string };
	/** The node's Audience setting: a JWT recipe's `audience: 'configured'` (Google Pub/Sub push). */
	audience?: string;
	/** The node's Service Account Email setting: a JWT recipe's `requiredClaims: { email: 'configured' }`. */
	serviceAccountEmail?: string;
	/** The node's Topic ARN setting: an AWS SNS recipe's `topicArn: 'configured'`. */
	topicArn?: string;
	/**
	 * Where verifiers that fetch keys get them (JWKS caches, SNS certificates, the SNS host pattern). Default: the
	 * process-wide sources (keySources.ts). Set by tests only; the trigger never takes it from a workflow.
	 */
	keySources?: KeySources;
}

export type VerificationFailureReason =
	| 'missing_signature'
	| 'malformed_signature'
	| 'invalid_signature'
	| 'timestamp_out_of_tolerance'
	| 'missing_key'
	/**
	 * A key the verifier must fetch (a JWKS, an AWS SNS certificate) could not be fetched and none is cached: not the
	 * sender's fault, so the trigger answers 503 + Retry-After and the sender retries.
	 */
	| 'key_unavailable';

export type SecretMatch = 'current' | 'previous' | 'publicKey' | 'none';

export type VerificationResult =
	| {
			ok: true;
			/** Which secret matched. */
			matched: SecretMatch;
			/** Event or delivery id carried by the signature headers (Standard Webhooks `webhook-id`), if any. */
			id?: string;
			/** Signed timestamp in Unix seconds, if the scheme has one. */
			timestamp?: number;
			/** Verified JWT claims (jwt scheme only). */
			claims?: Record<string, unknown>;
			/** AWS SNS SubscriptionConfirmation only: its SubscribeURL, checked to be on an SNS host. */
			subscribeUrl?: string;
	  }
	| { ok: false; reason: VerificationFailureReason };

export type VerificationFailure = Extract<VerificationResult, { ok: false }>;
export type VerificationSuccess = Extract<VerificationResult, { ok: true }>;

/** Where a preset finds an event's type and id once the request is verified. */
export interface EventDescription {
	type?: string;
	id?: string;
}

export interface SignInput {
	/** The exact bytes that will be sent. */
	payload: Buffer;
	/** The key: the shared secret for HMAC schemes, a private key (PEM, or hex/base64 Ed25519 seed) for asymmetric ones. */
	key: string;
	/** Unix seconds; defaults to now. */
	timestampSeconds?: number;
	/** Message/delivery id, for schemes that sign one (Standard Webhooks). */
	id?: string;
	/** Full public URL the request is sent to (Twilio and `{url}` templates sign it). */
	url?: string;
	/** HTTP method, for `{method}` templates; POST when omitted. */
	method?: string;
	/** Headers the request will carry besides the signature, for `{header:<name>}` templates. */
	headers?: Readonly<Record<string, string>>;
	hmac?: GenericHmacOptions;
	jwt?: Pick<JwtOptions, 'tokenHeader' | 'issuer' | 'audience' | 'bodyHashClaim'> & { algorithm: JwtAlgorithm; expiresInSeconds?: number };
	/** JWT recipes: claims to add (the service account's `email`, an `aud`), and the `kid` to name in the header. */
	jwtClaims?: Readonly<Record<string, unknown>>;
	keyId?: string;
}

/** What every scheme has besides `verify`. */
interface SchemeBase<Name extends string> {
	readonly name: Name;
	/** Lower-case names of headers that carry signatures or tokens: redacted wherever headers are output. */
	readonly sensitiveHeaders: readonly string[];
	/** True when `verify` checks a timestamp against `toleranceSeconds`. */
	readonly timestamped: boolean;
	/**
	 * Where the provider puts the event type and id. `body` is the parsed JSON body (or the parsed form for
	 * form-encoded providers), `undefined` when it did not parse.
	 */
	describeEvent(request: IncomingWebhook, body: unknown, verification: VerificationSuccess): EventDescription;
	/** The headers a sender adds so that `verify` accepts the request. Absent for schemes we cannot sign (none). */
	sign?(input: SignInput): Record<string, string>;
}

/** A scheme that verifies with what it has: the credential, a key in the catalogue. Most of them. */
export interface SyncSignatureScheme<Name extends string = string> extends SchemeBase<Name> {
	readonly async?: false;
	verify(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult;
}

/**
 * A scheme whose keys may have to be fetched first (a JWKS, an AWS SNS signing certificate): `verify` returns a
 * promise, and `key_unavailable` when the key cannot be had.
 */
export interface AsyncSignatureScheme<Name extends string = string> extends SchemeBase<Name> {
	readonly async: true;
	verify(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): Promise<VerificationResult>;
}

/**
 * One way of verifying requests, as the trigger runs it: a provider entry of the catalogue compiled, a special
 * verifier, or a Custom builder. `Name` is the catalogue id (the legacy `scheme` names for the first twelve). Only
 * schemes that may fetch keys are asynchronous, so the HMAC schemes' hot path stays a plain function call.
 */
export type SignatureScheme<Name extends string = string> = SyncSignatureScheme<Name> | AsyncSignatureScheme<Name>;
