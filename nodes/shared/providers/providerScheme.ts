import { verifyGenericHmac, signGenericHmac } from '../verify/genericHmac';
import { hmacRecipeSignatureHeaders, hmacRecipeVerifier, signHmacRecipe } from '../verify/hmacRecipe';
import { verifySnsRecipe } from '../verify/awsSnsRecipe';
import { signJwtRequest, verifyJwtRequest } from '../verify/jwt';
import { jwtRecipeFetchesKeys, signJwtRecipe, verifyJwtRecipe, verifyJwtRecipeWithJwks } from '../verify/jwtRecipe';
import { signPublicKeyRecipe, verifyPublicKeyRecipe, verifyPublicKeyRecipeWithJwks } from '../verify/publicKeyRecipe';
import { fail } from '../verify/results';
import { signTokenRecipe, tokenRecipeSensitiveHeaders, verifyTokenRecipe } from '../verify/staticToken';
import type { IncomingWebhook, SignInput, SignatureScheme, SigningSecrets, VerificationResult, VerificationSuccess, VerifyOptions } from '../verify/types';
import { eventIdSources, readFirstValue } from './eventValues';
import { SPECIAL_VERIFIERS } from './special';
import type { ProviderEntry, SignatureRecipe } from './types';

type Verify = (request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions) => VerificationResult;
type VerifyAsync = (request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions) => Promise<VerificationResult>;
type Sign = (input: SignInput) => Record<string, string>;

/**
 * Recipe kinds whose verifiers are not wired into the trigger (none today): an entry using one would be listed as
 * pending, never offered, and never accept a request.
 */
const PENDING: ReadonlySet<SignatureRecipe['kind']> = new Set();

/** False for an entry whose recipe kind has no verifier yet: it must not be offered. */
export function isProviderAvailable(entry: ProviderEntry): boolean {
	return !PENDING.has(entry.signature.kind);
}

/** The asynchronous verifier of a recipe whose keys may have to be fetched (a JWKS, SNS certificates), else undefined. */
function asyncVerifierOf(recipe: SignatureRecipe): VerifyAsync | undefined {
	switch (recipe.kind) {
		case 'jwt':
			if (!jwtRecipeFetchesKeys(recipe)) return undefined;
			return (request, _secrets, options) => verifyJwtRecipeWithJwks(recipe, request, options);
		case 'publicKey': {
			const jwksUrl = recipe.jwksUrl;
			if (jwksUrl === undefined || jwksUrl === '') return undefined;
			return (request, secrets, options) => verifyPublicKeyRecipeWithJwks({ ...recipe, jwksUrl }, request, secrets, options);
		}
		case 'awsSns':
			return (request, _secrets, options) => verifySnsRecipe(recipe, request, options);
		default:
			return undefined;
	}
}

function verifierOf(recipe: SignatureRecipe): Verify {
	switch (recipe.kind) {
		case 'hmac':
			return hmacRecipeVerifier(recipe);
		case 'token':
			return (request, secrets) => verifyTokenRecipe(recipe, request, secrets);
		case 'publicKey':
			return (request, secrets, options) => verifyPublicKeyRecipe(recipe, request, secrets, options);
		case 'jwt':
			return (request, secrets, options) => verifyJwtRecipe(recipe, request, secrets, options);
		case 'special':
			return SPECIAL_VERIFIERS[recipe.verifier].verify;
		case 'custom':
			return recipe.builder === 'hmac' ? verifyGenericHmac : verifyJwtRequest;
		case 'none':
			return () => ({ ok: true, matched: 'none' });
		default:
			return () => fail('missing_key');
	}
}

function signerOf(recipe: SignatureRecipe): Sign | undefined {
	switch (recipe.kind) {
		case 'hmac':
			return (input) => signHmacRecipe(recipe, input);
		case 'token':
			return (input) => signTokenRecipe(recipe, input);
		case 'publicKey':
			return (input) => signPublicKeyRecipe(recipe, input);
		case 'jwt':
			return (input) => signJwtRecipe(recipe, input);
		case 'special':
			return SPECIAL_VERIFIERS[recipe.verifier].sign;
		case 'custom':
			return recipe.builder === 'hmac' ? signGenericHmac : signJwtRequest;
		default:
			// AWS SNS signs inside the body (awsSnsRecipe.ts signedSnsBody), not with headers.
			return undefined;
	}
}

/** Headers that carry the recipe's signature or token, lower-case. */
export function recipeSensitiveHeaders(recipe: SignatureRecipe): string[] {
	switch (recipe.kind) {
		case 'hmac':
			return hmacRecipeSignatureHeaders(recipe);
		case 'token':
			return tokenRecipeSensitiveHeaders(recipe);
		case 'special':
			return [...SPECIAL_VERIFIERS[recipe.verifier].sensitiveHeaders];
		case 'custom':
			// The configured header is added by the trigger (genericHmacSensitiveHeaders / jwtSensitiveHeaders).
			return [recipe.builder === 'hmac' ? 'x-signature' : 'authorization'];
		case 'publicKey':
			return [recipe.signature.header.toLowerCase()];
		case 'jwt':
			return [recipe.token.header.toLowerCase()];
		default:
			// AWS SNS: the signature is in the body.
			return [];
	}
}

/** The provider's replay window in seconds, or undefined when it signs no timestamp (or a Custom builder says). */
export function providerWindowSeconds(entry: ProviderEntry): number | undefined {
	const recipe = entry.signature;
	return recipe.kind === 'hmac' || recipe.kind === 'publicKey' || recipe.kind === 'special' ? recipe.timestamp?.windowSeconds : undefined;
}

/** True when the recipe checks a signed timestamp against the tolerance. */
export function isRecipeTimestamped(recipe: SignatureRecipe): boolean {
	if (recipe.kind === 'special') return SPECIAL_VERIFIERS[recipe.verifier].timestamped;
	return (recipe.kind === 'hmac' || recipe.kind === 'publicKey') && recipe.timestamp !== undefined;
}

/**
 * A catalogue entry as the trigger runs it: its recipe's verifier and signer, its event type and id sources, the
 * headers to redact. Custom builders read their configuration from `VerifyOptions` (`hmac`, `jwt`).
 */
export function providerScheme<Name extends string = string>(entry: ProviderEntry & { id: Name }): SignatureScheme<Name> {
	const idSources = eventIdSources(entry.eventId);
	const sign = signerOf(entry.signature);
	const base = {
		name: entry.id,
		sensitiveHeaders: [...recipeSensitiveHeaders(entry.signature), ...(entry.sensitiveHeaders ?? [])],
		timestamped: isRecipeTimestamped(entry.signature),
		describeEvent(request: IncomingWebhook, body: unknown, verification: VerificationSuccess) {
			const context = { request, body, verification };
			return { type: readFirstValue(entry.eventType, context), id: readFirstValue(idSources, context) };
		},
		...(sign ? { sign } : {}),
	};
	const verifyAsync = asyncVerifierOf(entry.signature);
	return verifyAsync ? { ...base, async: true, verify: verifyAsync } : { ...base, verify: verifierOf(entry.signature) };
}
