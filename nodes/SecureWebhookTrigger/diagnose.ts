import { headerValue } from '../shared/http';
import { PROVIDERS } from '../shared/providers/catalogue';
import { isProviderAvailable, providerScheme, recipeSensitiveHeaders } from '../shared/providers/providerScheme';
import type { ProviderEntry } from '../shared/providers/types';
import { genericHmacRecipe } from '../shared/verify/genericHmac';
import type { HmacRecipe } from '../shared/verify/hmacRecipe';
import type { SecretFormat } from '../shared/verify/secretFormats';
import { compileSignedContent } from '../shared/verify/signedContent';
import type { IncomingWebhook, SignatureScheme, SigningSecrets, VerificationResult, VerifyOptions } from '../shared/verify/types';
import type { RequestState } from './requestChecks';
import type { Diagnosis, DirectResponse, RejectionCode } from './responses';

/**
 * "Why did it fail?" for the test URL: the check that rejected a request and its most likely cause, found by trying
 * what users most often get wrong (a secret in another format, a body a proxy re-serialised, a skewed clock, a URL
 * the provider signed differently). Pure: it only re-runs verifications. It never reports a secret, an expected
 * signature, or a token from the request; production answers never carry it.
 */

export interface DiagnosisInput {
	/** The name of the check that answered (REQUEST_CHECKS). */
	check: string;
	rejection?: RejectionCode;
	provider: ProviderEntry;
	scheme: SignatureScheme;
	request: IncomingWebhook;
	/** The failed verification and the credential and options it ran with. */
	failure?: { result: Extract<VerificationResult, { ok: false }>; secrets: SigningSecrets; options: VerifyOptions };
	httpMethod: string;
	allowedContentTypes: readonly string[];
	maxBodyBytes: number;
	clientIp?: string;
}

/** Headers anyone may use; their presence says nothing about which provider sent a request. */
const GENERIC_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-signature', 'host', 'content-type']);

const SECRET_FORMAT_NAMES: Readonly<Record<string, string>> = {
	utf8: 'the text as shown',
	hex: 'hex (decoded to bytes)',
	base64: 'base64 (decoded to bytes)',
	whsec: 'whsec_ + base64 (decoded, as Standard Webhooks does)',
};

const diagnosis = (check: string, cause: string, hint: string): Diagnosis => ({ check, cause, hint });

async function verifyWith(
	input: DiagnosisInput,
	change: { scheme?: SignatureScheme; request?: Partial<IncomingWebhook>; options?: Partial<VerifyOptions>; secrets?: SigningSecrets },
): Promise<VerificationResult> {
	const failure = input.failure!;
	const scheme = change.scheme ?? input.scheme;
	try {
		// Keys a scheme fetches are cached by now (it just verified with them): re-running it costs no fetch.
		return await scheme.verify({ ...input.request, ...change.request }, change.secrets ?? failure.secrets, { ...failure.options, ...change.options });
	} catch {
		return { ok: false, reason: 'invalid_signature' };
	}
}

/** The HMAC recipe the request was checked with: the entry's, or the Custom builder's from its options. */
function hmacRecipeOf(input: DiagnosisInput): HmacRecipe | undefined {
	const recipe = input.provider.signature;
	if (recipe.kind === 'hmac') return recipe;
	if (recipe.kind === 'custom' && recipe.builder === 'hmac') return genericHmacRecipe(input.failure?.options.hmac);
	return undefined;
}

function schemeWithRecipe(input: DiagnosisInput, recipe: HmacRecipe): SignatureScheme {
	return providerScheme({ ...input.provider, signature: recipe });
}

function formatName(format: SecretFormat): string {
	return typeof format === 'string' ? SECRET_FORMAT_NAMES[format] : `without the ${format.stripPrefix} label, ${SECRET_FORMAT_NAMES[format.decode]}`;
}

/** The secret matches only read in another format: the provider shows it one way and uses it another. */
async function secretFormatCause(input: DiagnosisInput, recipe: HmacRecipe): Promise<Diagnosis | undefined> {
	for (const format of ['utf8', 'hex', 'base64', 'whsec'] as const) {
		if (format === recipe.secret) continue;
		if ((await verifyWith(input, { scheme: schemeWithRecipe(input, { ...recipe, secret: format }) })).ok) {
			const fix =
				input.provider.group === 'custom'
					? `set Secret Format to ${formatName(format)}`
					: `paste the secret exactly as ${input.provider.displayName} shows it (${input.provider.secretHelp})`;
			return diagnosis(
				'signature',
				'secret_format',
				`The signature matches only when the secret is read as ${formatName(format)}, not as ${formatName(recipe.secret)}: ${fix}.`,
			);
		}
	}
	return undefined;
}

/** Non-ASCII characters as \u escapes, the way Meta and some others send JSON. */
function escapeNonAscii(text: string): string {
	return text.replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The body matches only re-serialised: something on the way rewrote the JSON the provider signed. */
async function rewrittenBodyCause(input: DiagnosisInput): Promise<Diagnosis | undefined> {
	let value: unknown;
	try {
		value = JSON.parse(input.request.rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	const compact = JSON.stringify(value);
	const variants = [compact, escapeNonAscii(compact), JSON.stringify(value, null, 2), JSON.stringify(value, null, 4), escapeNonAscii(JSON.stringify(value, null, 2))];
	const received = input.request.rawBody.toString('utf8');
	for (const variant of new Set(variants)) {
		if (variant === received) continue;
		if ((await verifyWith(input, { request: { rawBody: Buffer.from(variant, 'utf8') } })).ok) {
			return diagnosis(
				'signature',
				'body_rewritten',
				'The signature matches this body only in another JSON layout (spacing or \\u escapes): something between the provider and n8n (a proxy, gateway or middleware) re-serialised the JSON. The signature covers the bytes exactly as sent: pass the body through unchanged.',
			);
		}
	}
	return undefined;
}

function signsUrl(input: DiagnosisInput): boolean {
	const recipe = hmacRecipeOf(input);
	if (recipe) return compileSignedContent(recipe.signedContent || '{body}').usesUrl;
	return input.provider.signature.kind === 'special' && input.provider.signature.verifier === 'twilio';
}

/** The provider signed another URL than the one configured (or than n8n sees behind a proxy). */
async function publicUrlCause(input: DiagnosisInput): Promise<Diagnosis | undefined> {
	if (!signsUrl(input)) return undefined;
	const configured = (input.failure!.options.publicUrl ?? '').trim();
	if (configured !== '') {
		if ((await verifyWith(input, { options: { publicUrl: '', twilio: { publicUrl: '' } } })).ok) {
			const host = headerValue(input.request.headers, 'host') ?? '';
			return diagnosis(
				'signature',
				'public_url',
				`The signature matches the URL this request was sent to (host ${host}), not the Public URL setting (${configured}): set Public URL to the URL exactly as configured at ${input.provider.displayName}.`,
			);
		}
		return diagnosis(
			'signature',
			'public_url',
			`${input.provider.displayName} signs the URL it calls: check that Public URL (${configured}) is that URL exactly, scheme, host, port and path, without the query string.`,
		);
	}
	return diagnosis(
		'signature',
		'public_url',
		`${input.provider.displayName} signs the URL it calls, and n8n only sees the URL behind any proxy: set Public URL to the URL exactly as configured at ${input.provider.displayName}.`,
	);
}

/** The signature is genuine but its timestamp is outside the window: a replay, or a clock that is off. */
async function timestampCause(input: DiagnosisInput): Promise<Diagnosis> {
	const options = input.failure!.options;
	if (options.jwt && options.jwt.requireExp !== false && (await verifyWith(input, { options: { jwt: { ...options.jwt, requireExp: false } } })).ok) {
		return diagnosis(
			'signature',
			'token_without_expiry',
			'The token is signed correctly but has no exp claim, so it would never expire: have the sender set exp, or turn off Require Expiry (Exp) if you accept that risk.',
		);
	}
	const unbounded = await verifyWith(input, { options: { toleranceSeconds: Number.MAX_SAFE_INTEGER, jwt: options.jwt && { ...options.jwt, maxAgeSeconds: undefined } } });
	if (unbounded.ok && unbounded.timestamp !== undefined) {
		const offset = Math.round(options.nowSeconds - unbounded.timestamp);
		const direction = offset >= 0 ? `${offset} s in the past` : `${-offset} s in the future`;
		return diagnosis(
			'signature',
			'clock_skew',
			`The signature is valid but its timestamp is ${direction}, outside the ${options.toleranceSeconds} s window: either this is a replay of an old delivery, or a clock (n8n's or the sender's) is off by about ${Math.abs(offset)} s. Check the clocks (NTP), or widen Replay Window if the sender retries late.`,
		);
	}
	return diagnosis('signature', 'stale_token', 'The signature is valid but the token or its timestamp is too old (or not yet valid) for the window.');
}

function otherProviderCause(input: DiagnosisInput): Diagnosis | undefined {
	for (const entry of PROVIDERS) {
		if (entry.id === input.provider.id || entry.group === 'custom' || !isProviderAvailable(entry)) continue;
		const names = [...recipeSensitiveHeaders(entry.signature), ...(entry.sensitiveHeaders ?? [])].filter((name) => !GENERIC_HEADERS.has(name));
		const present = names.find((name) => headerValue(input.request.headers, name) !== undefined);
		if (present) {
			return diagnosis(
				'signature',
				'other_provider',
				`The request has no signature this provider (${input.provider.displayName}) sends, but it carries ${present}: it looks like a ${entry.displayName} delivery. Choose ${entry.displayName} as the provider.`,
			);
		}
	}
	return undefined;
}

function credentialField(input: DiagnosisInput): string {
	const recipe = input.provider.signature;
	if (recipe.kind === 'publicKey') return recipe.publishedKey ? 'published key' : 'Public Key';
	if (recipe.kind === 'jwt' && recipe.jwksUrl) return 'key set (JWKS)';
	if (recipe.kind === 'jwt' && recipe.algorithms.every((algorithm) => !algorithm.startsWith('HS'))) return 'Public Key';
	return recipe.kind === 'special' && recipe.verifier === 'discord' ? 'Public Key' : 'Secret';
}

/** The node settings a recipe needs besides the credential, when one is empty (nothing verifies without it). */
function emptySetting(input: DiagnosisInput): string | undefined {
	const recipe = input.provider.signature;
	const options = input.failure!.options;
	const empty = (value: string | undefined) => (value ?? '').trim() === '';
	if (recipe.kind === 'jwt') {
		if (recipe.audience === 'configured' && empty(options.audience)) return 'Audience';
		if (Object.values(recipe.claimsFromSettings ?? {}).includes('serviceAccountEmail') && empty(options.serviceAccountEmail)) return 'Service Account Email';
	}
	if (recipe.kind === 'awsSns' && recipe.topicArn === 'configured' && empty(options.topicArn)) return 'Topic ARN';
	return undefined;
}

function missingKeyDiagnosis(input: DiagnosisInput): Diagnosis {
	const setting = emptySetting(input);
	if (setting) {
		return diagnosis('signature', 'missing_setting', `${setting} is empty: ${input.provider.displayName} requests verify only once it is set. ${input.provider.secretHelp}`);
	}
	return diagnosis(
		'signature',
		'missing_key',
		`The credential's ${credentialField(input)} is empty or not usable for ${input.provider.displayName}${input.provider.group === 'custom' ? ' (or the Custom settings cannot verify, e.g. {timestamp} without a timestamp)' : ''}: ${input.provider.secretHelp}`,
	);
}

/** A key the verifier fetches could not be had: answered 503 (the sender retries), and said where from. */
function keyUnavailableDiagnosis(input: DiagnosisInput): Diagnosis {
	const recipe = input.provider.signature;
	const jwksUrl = (recipe.kind === 'jwt' || recipe.kind === 'publicKey') && recipe.jwksUrl ? recipe.jwksUrl : undefined;
	const source = jwksUrl ? `its key set (${jwksUrl})` : recipe.kind === 'awsSns' ? 'the SNS signing certificate (SigningCertURL, an https URL on sns.<region>.amazonaws.com)' : 'its keys';
	return diagnosis(
		'signature',
		'key_unavailable',
		`n8n could not fetch ${source} for ${input.provider.displayName}, and has none cached: the request was answered 503 with Retry-After, so the sender retries. Check that n8n can reach that host over https (proxy, firewall, DNS); a failed fetch is tried again after a minute.`,
	);
}

async function signatureDiagnosis(input: DiagnosisInput): Promise<Diagnosis> {
	const { result } = input.failure!;
	const headers = input.scheme.sensitiveHeaders.filter((name) => !GENERIC_HEADERS.has(name) || name === 'authorization');
	switch (result.reason) {
		case 'missing_key':
			return missingKeyDiagnosis(input);
		case 'missing_signature':
			return (
				otherProviderCause(input) ??
				diagnosis(
					'signature',
					'missing_signature',
					`A header ${input.provider.displayName} signs with is missing${headers.length > 0 ? ` (${headers.join(', ')}, or its timestamp header)` : ''}: is the secret set at ${input.provider.displayName}, and is this the right provider?`,
				)
			);
		case 'malformed_signature':
			return diagnosis(
				'signature',
				'malformed_signature',
				`The ${headers.join(' / ') || 'signature'} header (or its timestamp) is not in the format ${input.provider.displayName} uses: repeated, too long, another prefix, encoding or length. Is this the right provider?`,
			);
		case 'timestamp_out_of_tolerance':
			return await timestampCause(input);
		case 'key_unavailable':
			return keyUnavailableDiagnosis(input);
		default: {
			const recipe = hmacRecipeOf(input);
			return (
				(recipe && (await secretFormatCause(input, recipe))) ??
				(await rewrittenBodyCause(input)) ??
				(await publicUrlCause(input)) ??
				diagnosis(
					'signature',
					'wrong_secret_or_body',
					`The signature does not match: most likely the credential's ${credentialField(input)} is not this endpoint's signing secret (many providers have one per endpoint: ${input.provider.secretHelp}), or the body changed on the way.`,
				)
			);
		}
	}
}

/** The diagnosis of a rejection, or undefined for answers that are not one (handshakes, duplicates). */
export async function diagnose(input: DiagnosisInput): Promise<Diagnosis | undefined> {
	const contentType = headerValue(input.request.headers, 'content-type') ?? '(none)';
	switch (input.rejection) {
		case 'invalid_signature':
		case 'key_unavailable':
			return input.failure ? await signatureDiagnosis(input) : undefined;
		case 'confirmation_failed':
			return diagnosis(
				input.check,
				'confirmation_failed',
				'The SubscriptionConfirmation verified, but n8n could not fetch its SubscribeURL to confirm the subscription: answered 503, so SNS retries. Check that n8n can reach sns.<region>.amazonaws.com over https.',
			);
		case 'unsupported_content_type':
			return diagnosis(
				input.check,
				'unsupported_content_type',
				`The request's content type is ${contentType.slice(0, 100)}; allowed: ${input.allowedContentTypes.join(', ')}. If the provider sends it, add it to Allowed Content Types.`,
			);
		case 'method_not_allowed':
			return diagnosis(input.check, 'method_not_allowed', `The request came with ${input.request.method}; the node listens for ${input.httpMethod} (HTTP Method).`);
		case 'payload_too_large':
			return diagnosis(input.check, 'payload_too_large', `The body is larger than Max Body Size (${input.maxBodyBytes} bytes).`);
		case 'ip_not_allowed':
			return diagnosis(
				input.check,
				'ip_not_allowed',
				`The client address ${input.clientIp ?? '(unknown)'} is not in the Client IP Allow-List. Behind a proxy, set Trusted Proxy Hops so the sender's address is used.`,
			);
		case 'invalid_json':
			return diagnosis(input.check, 'invalid_json', 'The body is declared as JSON but does not parse.');
		case 'unreadable_body':
			return diagnosis(input.check, 'unreadable_body', 'The body could not be read: its Content-Encoding (gzip or deflate) does not match it, or the client stopped sending.');
		case 'schema_mismatch':
			return diagnosis(input.check, 'schema_mismatch', 'The payload does not match the JSON Schema in Options: see details.');
		case 'invalid_verify_token':
			return diagnosis(input.check, 'handshake_refused', 'An endpoint check (handshake) was refused: for Meta, the hub.verify_token does not equal the node\'s Verify Token.');
		default:
			return undefined;
	}
}

/** The response with its diagnosis in the JSON body (test URL only). */
export function withDiagnosis(response: DirectResponse, found: Diagnosis | undefined): DirectResponse {
	if (!found || typeof response.body !== 'object' || response.body === null) return response;
	return { ...response, body: { ...(response.body as Record<string, unknown>), diagnosis: found } };
}

/** The diagnosis of a rejected request, from what the checks learned about it. */
export async function diagnoseRejection(state: RequestState, response: DirectResponse, check: string): Promise<Diagnosis | undefined> {
	if (!response.rejection) return undefined;
	const { config, request } = state;
	return await diagnose({
		check,
		rejection: response.rejection,
		provider: config.provider,
		scheme: config.scheme,
		request: state.incoming ?? { method: request.method, url: request.url, headers: request.headers, rawBody: Buffer.alloc(0) },
		failure: state.failure,
		httpMethod: config.httpMethod,
		allowedContentTypes: config.allowedContentTypes,
		maxBodyBytes: config.maxBodyBytes,
		clientIp: state.clientIp,
	});
}
