import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { NotBeforeError, TokenExpiredError, sign as signToken, verify as verifyToken } from 'jsonwebtoken';
import type { JwtPayload } from 'jsonwebtoken';

import { LruMap } from '../stores/lruMap';
import { bodyHashClaimMatches, readToken, type BodyHashEncoding } from './jwtJwks';
import { secretKeyFor } from './secretFormats';
import type {
	IncomingWebhook,
	JwtAlgorithm,
	JwtOptions,
	SecretMatch,
	SignInput,
	SigningSecrets,
	VerificationFailureReason,
	VerificationResult,
	VerifyOptions,
} from './types';

/** The trigger's parameter defaults (`jwtTokenHeader`, `jwtAlgorithms`, ...), used when no options are passed. */
export const DEFAULT_JWT_OPTIONS: Readonly<JwtOptions> = {
	tokenHeader: 'authorization',
	algorithms: ['HS256'],
	issuer: '',
	audience: '',
	bodyHashClaim: '',
};

const HMAC_ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const PUBLIC_KEY_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

function resolveOptions(options: JwtOptions | undefined): JwtOptions {
	if (!options) return DEFAULT_JWT_OPTIONS;
	return {
		tokenHeader: (options.tokenHeader || DEFAULT_JWT_OPTIONS.tokenHeader).trim().toLowerCase(),
		algorithms: options.algorithms ?? DEFAULT_JWT_OPTIONS.algorithms,
		issuer: options.issuer ?? '',
		audience: options.audience ?? '',
		bodyHashClaim: options.bodyHashClaim ?? '',
		requireExp: options.requireExp !== false,
		maxAgeSeconds: typeof options.maxAgeSeconds === 'number' && options.maxAgeSeconds > 0 ? options.maxAgeSeconds : undefined,
	};
}

/** Header names the jwt scheme reads its token from: redact these besides `sensitiveHeaders`. */
export function jwtSensitiveHeaders(options: JwtOptions | undefined): string[] {
	return [resolveOptions(options).tokenHeader];
}

/**
 * The token from the configured header. For `authorization` the `Bearer ` scheme is required; any other header
 * carries the bare token, and a `Bearer ` prefix there is tolerated (a JWT never contains a space).
 */
function extractToken(request: IncomingWebhook, tokenHeader: string): { token: string } | { failure: VerificationFailureReason } {
	const read = readToken(request.headers, { header: tokenHeader });
	return 'token' in read ? read : { failure: read.reason as VerificationFailureReason };
}

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
	try {
		const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** The token's `alg`, when the token is a well-formed compact JWS with an object header and payload. */
function tokenAlgorithm(token: string): string | undefined {
	const segments = token.split('.');
	if (segments.length !== 3 || !segments.every((segment) => BASE64URL_SEGMENT.test(segment))) return undefined;
	const header = decodeJsonSegment(segments[0]);
	if (!header || typeof header.alg !== 'string' || !decodeJsonSegment(segments[1])) return undefined;
	return header.alg;
}

/**
 * Parsed public keys by PEM text (RSA and EC only; anything else remembered as null, so a misconfigured key is not
 * parsed per request). Parsing a PEM costs more than verifying a token; keys come from credentials, one per trigger,
 * so triggers with different keys in one process each keep theirs.
 */
const MAX_CACHED_PUBLIC_KEYS = 64;
const cachedPublicKeys = new LruMap<KeyObject | null>(MAX_CACHED_PUBLIC_KEYS);

function publicKeyFor(pem: string): KeyObject | undefined {
	let key = cachedPublicKeys.get(pem);
	if (key === undefined) {
		key = parsePublicKey(pem);
		cachedPublicKeys.set(pem, key);
	}
	return key ?? undefined;
}

function parsePublicKey(pem: string): KeyObject | null {
	try {
		const key = createPublicKey(pem.trim());
		return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec' ? key : null;
	} catch {
		return null;
	}
}

/**
 * jsonwebtoken checks `exp` and `nbf` but never whether `iat` lies in the future, so a token minted with a skewed or
 * forged clock would stay usable until then. A present `iat` must be a NumericDate (as jsonwebtoken requires of
 * `exp` and `nbf`) no later than now plus the tolerance.
 */
function checkIssuedAt(claims: JwtPayload, options: VerifyOptions): VerificationFailureReason | undefined {
	if (claims.iat === undefined) return undefined;
	if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return 'invalid_signature';
	return claims.iat > options.nowSeconds + options.toleranceSeconds ? 'timestamp_out_of_tolerance' : undefined;
}

type TokenCheck = { claims: JwtPayload } | { failure: VerificationFailureReason; signatureMatched: boolean };

/**
 * What a token must satisfy besides its signature: the Custom JWT builder's settings, or a catalogue entry's JWT
 * recipe with the node's settings filled in.
 */
export interface JwtRules {
	algorithms: readonly JwtAlgorithm[];
	/** Accepted `iss` values; empty or absent: not checked. */
	issuer?: readonly string[];
	/** Accepted `aud` values (any one of the token's); empty or absent: not checked. */
	audience?: readonly string[];
	/** A token without `exp` is refused unless this is false. */
	requireExp: boolean;
	maxAgeSeconds?: number;
	/** A claim that must hold the SHA-256 of the raw body. */
	bodyHashClaim?: string;
	/** How that claim writes the hash. Default hex (compared case-insensitively). */
	bodyHashEncoding?: BodyHashEncoding;
	/** Claims that must hold exactly these values. */
	requiredClaims?: Readonly<Record<string, string | number | boolean>>;
}

const nonEmpty = (values: readonly string[] | undefined): [string, ...string[]] | undefined => {
	const list = (values ?? []).filter((value) => value !== '');
	return list.length > 0 ? (list as [string, ...string[]]) : undefined;
};

function checkToken(token: string, key: string | KeyObject, algorithms: JwtAlgorithm[], rules: JwtRules, options: VerifyOptions): TokenCheck {
	try {
		const claims = verifyToken(token, key, {
			algorithms,
			issuer: nonEmpty(rules.issuer),
			audience: nonEmpty(rules.audience),
			clockTimestamp: options.nowSeconds,
			clockTolerance: options.toleranceSeconds,
			// jsonwebtoken refuses a token without iat when maxAge is set, and one whose iat is maxAge (+ tolerance) old.
			maxAge: rules.maxAgeSeconds,
		});
		if (typeof claims !== 'object' || claims === null) return { failure: 'malformed_signature', signatureMatched: true };
		// Without exp a captured token would be valid forever (issue 14): refused unless explicitly allowed.
		if (rules.requireExp && claims.exp === undefined) return { failure: 'timestamp_out_of_tolerance', signatureMatched: true };
		const issuedAt = checkIssuedAt(claims, options);
		if (issuedAt) return { failure: issuedAt, signatureMatched: true };
		return { claims };
	} catch (error) {
		// The library's messages can quote claims (issuer, audience): keep only the category.
		if (error instanceof TokenExpiredError || error instanceof NotBeforeError) {
			return { failure: 'timestamp_out_of_tolerance', signatureMatched: true };
		}
		// jsonwebtoken checks the signature before any claim, so every other error after it means the signature held.
		const signatureMatched = error instanceof Error && error.message !== 'invalid signature';
		return { failure: 'invalid_signature', signatureMatched };
	}
}

/** The fixed claims and the body hash, once the signature and the time claims hold. */
function claimsHold(claims: JwtPayload, rules: JwtRules, rawBody: Buffer): boolean {
	for (const [name, expected] of Object.entries(rules.requiredClaims ?? {})) {
		if (claims[name] !== expected) return false;
	}
	return !rules.bodyHashClaim || bodyHashClaimMatches(claims[rules.bodyHashClaim], rawBody, rules.bodyHashEncoding ?? 'hex');
}

/**
 * Verifies `token` with the credential: HS* with `secret` (then `previousSecret`), RS* and ES* with `publicKey`, never
 * the other way round. Never throws.
 */
export function verifyJwtWithCredential(token: string, rawBody: Buffer, secrets: SigningSecrets, rules: JwtRules, options: VerifyOptions): VerificationResult {
	// `none` and anything unknown are dropped here, whatever the configuration says.
	const allowed = rules.algorithms.filter((algorithm) => HMAC_ALGORITHMS.includes(algorithm) || PUBLIC_KEY_ALGORITHMS.includes(algorithm));
	if (allowed.length === 0) return { ok: false, reason: 'missing_key' };
	const algorithm = tokenAlgorithm(token);
	if (algorithm === undefined) return { ok: false, reason: 'malformed_signature' };
	if (!(allowed as string[]).includes(algorithm)) return { ok: false, reason: 'invalid_signature' };

	// The key is chosen by the algorithm's family and the library only gets that family's algorithms, so an HS token
	// can never be checked against the public key used as an HMAC secret (algorithm confusion).
	const candidates: Array<[SecretMatch, string | KeyObject]> = [];
	let familyAlgorithms: JwtAlgorithm[];
	if (HMAC_ALGORITHMS.includes(algorithm as JwtAlgorithm)) {
		familyAlgorithms = allowed.filter((entry) => HMAC_ALGORITHMS.includes(entry));
		if (secrets.secret) candidates.push(['current', secretKeyFor(secrets.secret)]);
		if (secrets.secret && secrets.previousSecret) candidates.push(['previous', secretKeyFor(secrets.previousSecret)]);
	} else {
		familyAlgorithms = allowed.filter((entry) => PUBLIC_KEY_ALGORITHMS.includes(entry));
		const publicKey = secrets.publicKey ? publicKeyFor(secrets.publicKey) : undefined;
		if (publicKey) candidates.push(['publicKey', publicKey]);
	}
	if (candidates.length === 0) return { ok: false, reason: 'missing_key' };

	for (const [matched, key] of candidates) {
		const check = checkToken(token, key, familyAlgorithms, rules, options);
		if ('failure' in check) {
			if (check.signatureMatched) return { ok: false, reason: check.failure };
			continue;
		}
		const { claims } = check;
		if (!claimsHold(claims, rules, rawBody)) return { ok: false, reason: 'invalid_signature' };
		return {
			ok: true,
			matched,
			claims: { ...claims },
			id: typeof claims.jti === 'string' ? claims.jti : undefined,
			timestamp: typeof claims.iat === 'number' ? claims.iat : undefined,
		};
	}
	return { ok: false, reason: 'invalid_signature' };
}

/** The Custom JWT builder's settings as rules. */
function rulesOf(settings: JwtOptions): JwtRules {
	return {
		algorithms: settings.algorithms,
		issuer: [settings.issuer],
		audience: [settings.audience],
		requireExp: settings.requireExp !== false,
		maxAgeSeconds: settings.maxAgeSeconds,
		bodyHashClaim: settings.bodyHashClaim || undefined,
	};
}

/** The Custom JWT builder (and the legacy `jwt` scheme): its settings come from `options.jwt`. */
export function verifyJwtRequest(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const settings = resolveOptions(options.jwt);
	if (!settings.algorithms.some((algorithm) => HMAC_ALGORITHMS.includes(algorithm) || PUBLIC_KEY_ALGORITHMS.includes(algorithm))) {
		return { ok: false, reason: 'missing_key' };
	}
	const extracted = extractToken(request, settings.tokenHeader);
	if ('failure' in extracted) return { ok: false, reason: extracted.failure };
	return verifyJwtWithCredential(extracted.token, request.rawBody, secrets, rulesOf(settings), options);
}

/**
 * Headers carrying a JWT for `input.payload`: `iat`, `exp` (default 300 s later), `jti` = `input.id`, `iss`/`aud`
 * when set, and the body-hash claim. `key` is the HMAC secret for HS*, a PEM private key for RS and ES algorithms.
 * With `tokenHeader` "authorization" the value is `Bearer <token>`, otherwise the bare token.
 */
export function signJwtRequest(input: SignInput): Record<string, string> {
	if (!input.key) throw new Error('A signing key is required');
	const settings = input.jwt ?? { ...DEFAULT_JWT_OPTIONS, algorithm: 'HS256' as JwtAlgorithm };
	const tokenHeader = (settings.tokenHeader || DEFAULT_JWT_OPTIONS.tokenHeader).trim().toLowerCase();
	const issuedAt = input.timestampSeconds ?? Math.floor(Date.now() / 1000);
	const claims: JwtPayload = { iat: issuedAt, exp: issuedAt + (settings.expiresInSeconds ?? 300) };
	if (input.id) claims.jti = input.id;
	if (settings.issuer) claims.iss = settings.issuer;
	if (settings.audience) claims.aud = settings.audience;
	if (settings.bodyHashClaim) claims[settings.bodyHashClaim] = createHash('sha256').update(input.payload).digest('hex');
	const token = signToken(claims, input.key, { algorithm: settings.algorithm });
	return { [tokenHeader]: tokenHeader === 'authorization' ? `Bearer ${token}` : token };
}
