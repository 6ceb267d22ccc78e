import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { NotBeforeError, TokenExpiredError, verify as verifyToken } from 'jsonwebtoken';
import type { Algorithm, JwtPayload } from 'jsonwebtoken';

import type { HeaderMap } from '../http';
import { safeEqual } from './constantTime';
import { readSingleHeader } from './headers';
import type { VerificationFailureReason } from './types';
import { sharedJwksCache, type JwkEntry, type JwksCache } from './jwks';

/**
 * A JWT whose key comes from a JWKS by the token's `kid` (Google Cloud Pub/Sub push, OIDC senders). The token is read
 * from any header, with or without `Bearer`; only asymmetric algorithms from the allow-list are accepted (HS* and
 * `none` never: a JWKS holds public keys); `exp` is required unless allowed away; `iat` may not lie in the future and,
 * with `maxAgeSeconds`, not too far in the past; `iss`, `aud` and fixed claims are checked when configured.
 */

/** The algorithms a JWKS key can verify with jsonwebtoken 9 (which has no EdDSA). */
export const JWKS_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwksJwtAlgorithm = (typeof JWKS_JWT_ALGORITHMS)[number];

/** How a body-hash claim writes the SHA-256: hex (either case) or standard base64 with padding. */
export type BodyHashEncoding = 'hex' | 'base64';

/** Whether `claimed` is the SHA-256 of `rawBody` in `encoding`, compared in constant time. */
export function bodyHashClaimMatches(claimed: unknown, rawBody: Buffer, encoding: BodyHashEncoding): boolean {
	if (typeof claimed !== 'string') return false;
	const digest = createHash('sha256').update(rawBody);
	return encoding === 'base64' ? safeEqual(claimed, digest.digest('base64')) : safeEqual(claimed.toLowerCase(), digest.digest('hex'));
}

export interface TokenLocation {
	/** The header carrying the token (any case). */
	header: string;
	/** `required`: the value must be `Bearer <token>`; `optional`: either. Default: required for `authorization`. */
	bearer?: 'required' | 'optional';
}

export interface JwksJwtOptions {
	jwksUrl: string;
	/** Accepted `alg` values; anything not in JWKS_JWT_ALGORITHMS is ignored. */
	algorithms: readonly string[];
	/** Default: `Authorization: Bearer <token>`. */
	token?: TokenLocation;
	/** Accepted `iss` values; unset: not checked. */
	issuer?: string | readonly string[];
	/** Accepted `aud` values (any one of the token's); unset: not checked. */
	audience?: string | readonly string[];
	/** Default true: a token without `exp` would be valid forever. */
	requireExp?: boolean;
	/** Refuse tokens whose `iat` is older than this (a token without `iat` is then refused too). */
	maxAgeSeconds?: number;
	/** Allowed clock skew for `exp`, `nbf`, `iat` and `maxAgeSeconds`. Default 60. */
	clockToleranceSeconds?: number;
	/** Claims that must hold exactly these values (`email`, `email_verified: true`). */
	requiredClaims?: Readonly<Record<string, string | number | boolean>>;
	/** A claim that must hold the SHA-256 of `rawBody`, binding the token to this request's body. */
	bodyHashClaim?: string;
	/** How that claim writes the hash: hex (default, either case) or base64 (LiveKit). */
	bodyHashEncoding?: BodyHashEncoding;
	rawBody?: Buffer;
	/** Unix seconds (tests). Default: now. */
	nowSeconds?: number;
}

export type JwksJwtResult =
	| {
			ok: true;
			claims: Record<string, unknown>;
			kid: string;
			algorithm: JwksJwtAlgorithm;
			/** `jti`, when the token has one. */
			id?: string;
			/** `iat`, when the token has one. */
			timestamp?: number;
	  }
	/** `key_unavailable`: the JWKS could not be fetched and none is cached; the sender should retry (503). */
	| { ok: false; reason: VerificationFailureReason | 'key_unavailable' };

type Failure = Extract<JwksJwtResult, { ok: false }>;

const BEARER_PATTERN = /^Bearer[ \t]+(\S+)$/i;
const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;
/** A compact JWS is three base64url segments; longer than this is not a token anyone sends. */
const MAX_TOKEN_CHARS = 8192;

function fail(reason: Failure['reason']): Failure {
	return { ok: false, reason };
}

/** The token from `location`: a missing header is `missing_signature`, a wrongly shaped one `malformed_signature`. */
export function readToken(headers: HeaderMap, location: TokenLocation): { token: string } | Failure {
	const header = readSingleHeader(headers, location.header);
	if (typeof header !== 'string') return header;
	const value = header.trim();
	if (value === '') return fail('missing_signature');
	const bearer = BEARER_PATTERN.exec(value);
	if (bearer) return { token: bearer[1] };
	const bearerRequired = (location.bearer ?? (location.header.toLowerCase() === 'authorization' ? 'required' : 'optional')) === 'required';
	return bearerRequired || /\s/.test(value) ? fail('malformed_signature') : { token: value };
}

/** The JOSE header of a well-formed compact JWS (three base64url segments, object header and payload), or undefined. */
function tokenHeader(token: string): Record<string, unknown> | undefined {
	if (token.length > MAX_TOKEN_CHARS) return undefined;
	const segments = token.split('.');
	if (segments.length !== 3 || !segments.every((segment) => BASE64URL_SEGMENT.test(segment))) return undefined;
	const [header, payload] = [decodeJsonSegment(segments[0]), decodeJsonSegment(segments[1])];
	return header && payload ? header : undefined;
}

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
	try {
		const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** Whether `key` is of the type and curve `algorithm` needs: an RS token is never checked with an EC key, nor ES384 with P-256. */
function keyFitsAlgorithm(key: KeyObject, algorithm: JwksJwtAlgorithm): boolean {
	if (algorithm.startsWith('RS') || algorithm.startsWith('PS')) return key.asymmetricKeyType === 'rsa';
	const curve = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' }[algorithm as 'ES256' | 'ES384' | 'ES512'];
	return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve;
}

function asList(value: string | readonly string[] | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	const list = (typeof value === 'string' ? [value] : [...value]).filter((entry) => entry !== '');
	return list.length > 0 ? list : undefined;
}

type TokenCheck = { claims: JwtPayload } | { failure: VerificationFailureReason; signatureMatched: boolean };

function checkToken(token: string, key: KeyObject, algorithm: JwksJwtAlgorithm, options: JwksJwtOptions, nowSeconds: number): TokenCheck {
	const issuer = asList(options.issuer);
	const audience = asList(options.audience);
	try {
		const claims = verifyToken(token, key, {
			algorithms: [algorithm as Algorithm],
			issuer: issuer as [string, ...string[]] | undefined,
			audience: audience as [string, ...string[]] | undefined,
			clockTimestamp: nowSeconds,
			clockTolerance: options.clockToleranceSeconds ?? 60,
			maxAge: options.maxAgeSeconds,
		});
		return typeof claims === 'object' && claims !== null ? { claims } : { failure: 'malformed_signature', signatureMatched: true };
	} catch (error) {
		// The library's messages can quote claims (issuer, audience): only the category leaves this function.
		if (error instanceof TokenExpiredError || error instanceof NotBeforeError) return { failure: 'timestamp_out_of_tolerance', signatureMatched: true };
		// jsonwebtoken checks the signature before any claim: every other error after it means the signature held.
		return { failure: 'invalid_signature', signatureMatched: error instanceof Error && error.message !== 'invalid signature' };
	}
}

/** The checks jsonwebtoken does not make: `exp` present, `iat` not in the future, fixed claims, body hash. */
function checkClaims(claims: JwtPayload, options: JwksJwtOptions, nowSeconds: number): VerificationFailureReason | undefined {
	if ((options.requireExp ?? true) && claims.exp === undefined) return 'invalid_signature';
	if (claims.iat !== undefined) {
		if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return 'invalid_signature';
		if (claims.iat > nowSeconds + (options.clockToleranceSeconds ?? 60)) return 'timestamp_out_of_tolerance';
	}
	for (const [name, expected] of Object.entries(options.requiredClaims ?? {})) {
		if (claims[name] !== expected) return 'invalid_signature';
	}
	if (options.bodyHashClaim && !bodyHashClaimMatches(claims[options.bodyHashClaim], options.rawBody ?? Buffer.alloc(0), options.bodyHashEncoding ?? 'hex')) {
		return 'invalid_signature';
	}
	return undefined;
}

/** Verifies the request's JWT against the key its `kid` names in `options.jwksUrl`. Never throws. */
export async function verifyJwtWithJwks(headers: HeaderMap, options: JwksJwtOptions, cache: JwksCache = sharedJwksCache): Promise<JwksJwtResult> {
	const allowed = JWKS_JWT_ALGORITHMS.filter((algorithm) => options.algorithms.includes(algorithm));
	if (allowed.length === 0 || options.jwksUrl === '') return fail('missing_key');

	const read = readToken(headers, options.token ?? { header: 'authorization' });
	if ('ok' in read) return read;
	const header = tokenHeader(read.token);
	if (!header) return fail('malformed_signature');
	const algorithm = allowed.find((entry) => entry === header.alg);
	// Checked before any fetch: only a token with an allowed algorithm and a kid can make the cache look for a key.
	if (!algorithm) return fail('invalid_signature');
	if (typeof header.kid !== 'string' || header.kid === '' || header.kid.length > 256) return fail('malformed_signature');

	const lookup = await cache.getKeys(options.jwksUrl, header.kid);
	if (!lookup.ok) return fail(lookup.reason === 'unknown_kid' ? 'invalid_signature' : 'key_unavailable');
	const candidates = lookup.keys.filter(
		(entry: JwkEntry) => (entry.algorithm === undefined || entry.algorithm === algorithm) && keyFitsAlgorithm(entry.key, algorithm),
	);

	const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
	for (const { key } of candidates) {
		const check = checkToken(read.token, key, algorithm, options, nowSeconds);
		if ('failure' in check) {
			if (check.signatureMatched) return fail(check.failure);
			continue;
		}
		const failure = checkClaims(check.claims, options, nowSeconds);
		if (failure) return fail(failure);
		const { claims } = check;
		return {
			ok: true,
			claims: { ...claims },
			kid: header.kid,
			algorithm,
			...(typeof claims.jti === 'string' ? { id: claims.jti } : {}),
			...(typeof claims.iat === 'number' ? { timestamp: claims.iat } : {}),
		};
	}
	return fail('invalid_signature');
}
