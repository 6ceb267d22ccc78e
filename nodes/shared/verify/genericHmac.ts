import { signHmacRecipe, verifyHmacRecipe, type HmacRecipe } from './hmacRecipe';
import { parseTimestamp } from './timestamps';
import type { GenericHmacOptions, IncomingWebhook, SignInput, SigningSecrets, VerificationResult, VerifyOptions } from './types';

/**
 * The Custom HMAC builder: the node's `hmac*` parameters (shared by the trigger and the Signed Webhook node) turned
 * into an HMAC recipe, so a custom configuration runs through the same code as every catalogue provider.
 */

/** The trigger's parameter defaults (`hmacAlgorithm`, `hmacSignatureHeader`, ...), used when no options are passed. */
export const DEFAULT_GENERIC_HMAC_OPTIONS: Readonly<GenericHmacOptions> = {
	algorithm: 'sha256',
	signatureHeader: 'x-signature',
	encoding: 'hex',
	prefix: '',
	timestampHeader: '',
	signedContent: '{body}',
};

/** Replay window of a timestamped custom configuration when none is configured (the node's tolerance applies). */
const DEFAULT_WINDOW_SECONDS = 300;

function recipeFrom(options: GenericHmacOptions): HmacRecipe {
	const timestampHeader = (options.timestampHeader ?? '').trim().toLowerCase();
	return {
		kind: 'hmac',
		algorithm: options.algorithm || DEFAULT_GENERIC_HMAC_OPTIONS.algorithm,
		signature: {
			header: (options.signatureHeader || DEFAULT_GENERIC_HMAC_OPTIONS.signatureHeader).trim().toLowerCase(),
			prefix: options.prefix ?? '',
			paddingOptional: true,
		},
		encoding: options.encoding || DEFAULT_GENERIC_HMAC_OPTIONS.encoding,
		secret: 'utf8',
		signedContent: options.signedContent || DEFAULT_GENERIC_HMAC_OPTIONS.signedContent,
		// Seconds, or milliseconds recognised by magnitude, as the builder has always read them.
		timestamp: timestampHeader === '' ? undefined : { from: { header: timestampHeader }, unit: 'auto', windowSeconds: DEFAULT_WINDOW_SECONDS },
	};
}

const recipes = new WeakMap<GenericHmacOptions, HmacRecipe>();
const DEFAULT_RECIPE = recipeFrom(DEFAULT_GENERIC_HMAC_OPTIONS);

/** The recipe of a custom configuration, made once per options object (the trigger keeps one per configuration). */
export function genericHmacRecipe(options: GenericHmacOptions | undefined): HmacRecipe {
	if (!options) return DEFAULT_RECIPE;
	let recipe = recipes.get(options);
	if (!recipe) {
		recipe = recipeFrom(options);
		recipes.set(options, recipe);
	}
	return recipe;
}

export function verifyGenericHmac(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	return verifyHmacRecipe(genericHmacRecipe(options.hmac), request, secrets, options);
}

/**
 * Headers for a request signed with the generic HMAC scheme: the signature header (prefix + encoded digest) and,
 * when `timestampHeader` is set, the timestamp header (Unix seconds).
 */
export function signGenericHmac(input: SignInput): Record<string, string> {
	return signHmacRecipe(genericHmacRecipe(input.hmac), input);
}

/** Header names the generic scheme reads its signature from: redact these besides `sensitiveHeaders`. */
export function genericHmacSensitiveHeaders(options: GenericHmacOptions | undefined): string[] {
	return [genericHmacRecipe(options).signature.header];
}

/** Unix seconds from a timestamp header value; milliseconds are recognised by magnitude. */
export function parseGenericTimestamp(value: string): number | undefined {
	return parseTimestamp(value, 'auto');
}
