import { createHash } from 'node:crypto';

import { sign as signToken } from 'jsonwebtoken';
import type { Algorithm, JwtPayload } from 'jsonwebtoken';

import type { JwtRecipe } from '../providers/types';
import { verifyJwtWithCredential, type JwtRules } from './jwt';
import { readToken, verifyJwtWithJwks } from './jwtJwks';
import { processKeySources } from './keySources';
import { fail } from './results';
import type { IncomingWebhook, SignInput, SigningSecrets, VerificationResult, VerifyOptions } from './types';

/**
 * A catalogue entry's JWT recipe: the token where the provider puts it, checked with the credential (HS* secret,
 * RS/ES public key; synchronous) or with keys from the provider's JWKS by `kid` (asynchronous: the set may have to be
 * fetched). The node's settings fill in what the recipe leaves to them (`audience: 'configured'`, claims from
 * settings); one left empty is `missing_key`, never "not checked".
 */

const asList = (value: string | readonly string[] | undefined): string[] | undefined =>
	value === undefined ? undefined : typeof value === 'string' ? [value] : [...value];

/** The claims the node's settings require, or undefined when a setting they need is empty. */
function claimsFromSettings(recipe: JwtRecipe, options: VerifyOptions): Record<string, string> | undefined {
	const claims: Record<string, string> = {};
	for (const [claim, setting] of Object.entries(recipe.claimsFromSettings ?? {})) {
		const value = (options[setting] ?? '').trim();
		if (value === '') return undefined;
		claims[claim] = value;
	}
	return claims;
}

/** The recipe with the node's settings as verification rules, or undefined when a required setting is empty. */
function rulesOf(recipe: JwtRecipe, options: VerifyOptions): JwtRules | undefined {
	let audience = asList(recipe.audience);
	if (recipe.audience === 'configured') {
		const configured = (options.audience ?? '').trim();
		if (configured === '') return undefined;
		audience = [configured];
	}
	const fromSettings = claimsFromSettings(recipe, options);
	if (!fromSettings) return undefined;
	return {
		algorithms: recipe.algorithms,
		issuer: asList(recipe.issuer),
		audience,
		requireExp: recipe.requireExp !== false,
		maxAgeSeconds: recipe.maxAgeSeconds,
		bodyHashClaim: recipe.bodyHashClaim,
		bodyHashEncoding: recipe.bodyHashEncoding,
		requiredClaims: { ...recipe.requiredClaims, ...fromSettings },
	};
}

/** A recipe whose keys come from a JWKS: its verification is asynchronous. */
export function jwtRecipeFetchesKeys(recipe: JwtRecipe): recipe is JwtRecipe & { jwksUrl: string } {
	return recipe.jwksUrl !== undefined && recipe.jwksUrl !== '';
}

/** Verifies with the credential's secret or public key (recipes without `jwksUrl`). Never throws. */
export function verifyJwtRecipe(recipe: JwtRecipe, request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const rules = rulesOf(recipe, options);
	if (!rules) return fail('missing_key');
	const read = readToken(request.headers, recipe.token);
	if (!('token' in read)) return read;
	return verifyJwtWithCredential(read.token, request.rawBody, secrets, rules, options);
}

/** Verifies with the key the token's `kid` names in the recipe's JWKS. Never throws. */
export async function verifyJwtRecipeWithJwks(recipe: JwtRecipe & { jwksUrl: string }, request: IncomingWebhook, options: VerifyOptions): Promise<VerificationResult> {
	const rules = rulesOf(recipe, options);
	if (!rules) return fail('missing_key');
	const result = await verifyJwtWithJwks(
		request.headers,
		{
			jwksUrl: recipe.jwksUrl,
			algorithms: rules.algorithms,
			token: recipe.token,
			issuer: rules.issuer,
			audience: rules.audience,
			requireExp: rules.requireExp,
			maxAgeSeconds: rules.maxAgeSeconds,
			clockToleranceSeconds: options.toleranceSeconds,
			requiredClaims: rules.requiredClaims,
			bodyHashClaim: rules.bodyHashClaim,
			bodyHashEncoding: rules.bodyHashEncoding,
			rawBody: request.rawBody,
			nowSeconds: options.nowSeconds,
		},
		(options.keySources ?? processKeySources()).jwks,
	);
	if (!result.ok) return fail(result.reason);
	return { ok: true, matched: 'publicKey', claims: result.claims, id: result.id, timestamp: result.timestamp };
}

/**
 * The header a sender of this recipe adds (tests, the catalogue's signer): a token with `iat`, `exp` (300 s later),
 * `jti` = `input.id`, the recipe's first issuer, its fixed audience and required claims, the body hash, then
 * `input.jwtClaims`; signed with `input.key` (HS secret or PEM private key) under the recipe's first algorithm, with
 * `input.keyId` as `kid`. `Bearer ` unless the recipe makes it optional (then the bare token, as LiveKit sends it).
 */
export function signJwtRecipe(recipe: JwtRecipe, input: SignInput): Record<string, string> {
	const issuedAt = input.timestampSeconds ?? Math.floor(Date.now() / 1000);
	const claims: JwtPayload = { iat: issuedAt, exp: issuedAt + 300 };
	if (input.id) claims.jti = input.id;
	const issuer = asList(recipe.issuer)?.[0];
	if (issuer) claims.iss = issuer;
	if (recipe.audience && recipe.audience !== 'configured') claims.aud = recipe.audience;
	Object.assign(claims, recipe.requiredClaims);
	if (recipe.bodyHashClaim) {
		claims[recipe.bodyHashClaim] = createHash('sha256')
			.update(input.payload)
			.digest(recipe.bodyHashEncoding === 'base64' ? 'base64' : 'hex');
	}
	Object.assign(claims, input.jwtClaims);
	const algorithm = (input.jwt?.algorithm ?? recipe.algorithms[0]) as Algorithm;
	const token = signToken(claims, input.key, { algorithm, ...(input.keyId ? { keyid: input.keyId } : {}) });
	const header = recipe.token.header.trim().toLowerCase();
	return { [header]: recipe.token.bearer === 'optional' ? token : `Bearer ${token}` };
}
