import type { KeyObject } from 'node:crypto';

import type { PublicKeyRecipe } from '../providers/types';
import { LruMap } from '../stores/lruMap';
import { readSingleHeader } from './headers';
import { parseJwksDocument } from './jwks';
import { processKeySources } from './keySources';
import { scanKeyValueList } from './keyValueList';
import { cachedPublicKey, keyFits, signPublicKeySignature, verifyPublicKeySignature, type SignedMessage } from './publicKeySignature';
import { fail, verifiedAt } from './results';
import { compileSignedContent, publicRequestUrl, signedSegments, type SignedContentValues } from './signedContent';
import { formatTimestamp, isWithinTolerance, nowInSeconds, parseTimestamp, timestampFromBody } from './timestamps';
import type { IncomingWebhook, SignInput, SigningSecrets, VerificationFailure, VerificationResult, VerifyOptions } from './types';

/**
 * The public-key recipe: a provider's Ed25519, ECDSA P-256 or RSA signature over a signed-content template, read the
 * way the HMAC recipe reads its header and timestamp, checked by publicKeySignature.ts with the credential's Public
 * Key (one key, or a JWKS document), a key the provider publishes for everyone, or the provider's JWKS by URL.
 */

/** Several signatures in one list are tried in turn; more than this is not a sender rotating keys. */
const MAX_SIGNATURES = 8;
const MAX_LIST_ITEMS = 2 + MAX_SIGNATURES * 2;

function lowerAscii(text: string): string {
	return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** The signature texts in the header (without the prefix), and the list's timestamp; undefined when malformed. */
function receivedSignatures(recipe: PublicKeyRecipe, header: string): { signatures: string[]; timestampText?: string } | undefined {
	const prefix = recipe.signature.prefix ?? '';
	const strip = (text: string) => {
		const trimmed = text.trim();
		if (prefix === '') return trimmed;
		return lowerAscii(trimmed.slice(0, prefix.length)) === lowerAscii(prefix) ? trimmed.slice(prefix.length) : undefined;
	};
	const list = recipe.signature.list;
	if (!list) {
		const signature = strip(header);
		return signature ? { signatures: [signature] } : undefined;
	}
	const timestampKey = recipe.timestamp && 'signatureKey' in recipe.timestamp.from ? recipe.timestamp.from.signatureKey : undefined;
	const signatures: string[] = [];
	let timestampText: string | undefined;
	const complete = scanKeyValueList(header, list, MAX_LIST_ITEMS, (key, start, end) => {
		if (key === timestampKey) {
			if (timestampText !== undefined) return false;
			timestampText = header.slice(start, end);
		} else if (list.signatureKeys.includes(key)) {
			const signature = strip(header.slice(start, end));
			if (signature) signatures.push(signature);
		}
		return true;
	});
	if (!complete || signatures.length === 0 || (timestampKey !== undefined && timestampText === undefined)) return undefined;
	return { signatures, timestampText };
}

/** A request read as the recipe says, before any key is tried. */
interface Received {
	signatures: string[];
	message: SignedMessage;
	/** The signed timestamp from a header or the signature list (checked after the signature). */
	timestampSeconds?: number;
}

/** The signatures, the signed message and the timestamp of `request`, or why they cannot be read. */
function readRequest(recipe: PublicKeyRecipe, request: IncomingWebhook, options: VerifyOptions): Received | VerificationFailure {
	const template = compileSignedContent(recipe.signedContent || '{body}');
	const from = recipe.timestamp?.from;
	if (template.usesTimestamp && (!from || 'body' in from)) return fail('missing_key');

	const header = readSingleHeader(request.headers, recipe.signature.header);
	if (typeof header !== 'string') return header;
	let timestampText = '';
	if (from && 'header' in from) {
		const value = readSingleHeader(request.headers, from.header);
		if (typeof value !== 'string') return value;
		timestampText = value.trim();
	}
	const headers: Record<string, string> = {};
	for (const name of template.headerNames) {
		const value = readSingleHeader(request.headers, name);
		if (typeof value !== 'string') return value;
		headers[name] = value;
	}
	const received = receivedSignatures(recipe, header);
	if (!received) return fail('malformed_signature');
	if (received.timestampText !== undefined) timestampText = received.timestampText;
	let timestampSeconds: number | undefined;
	if (recipe.timestamp && from && !('body' in from)) {
		timestampSeconds = parseTimestamp(timestampText, recipe.timestamp.unit);
		if (timestampSeconds === undefined) return fail('malformed_signature');
	}

	let url = '';
	if (template.usesUrl) {
		const publicUrl = publicRequestUrl(request, options.publicUrl);
		if (publicUrl === undefined) return fail('invalid_signature');
		url = publicUrl;
	}
	const values: SignedContentValues = { timestamp: timestampText, method: request.method.toUpperCase(), url, headers };
	const segments = signedSegments(template, request.rawBody, values);
	// Ed25519 takes its message whole: with several keys to try, it is joined once rather than per key.
	const message = recipe.algorithm === 'ed25519' ? signedBytesOf(segments) : segments;
	return { signatures: received.signatures, message, timestampSeconds };
}

function signedBytesOf(segments: ReadonlyArray<string | Buffer>): Buffer {
	if (segments.length === 1 && Buffer.isBuffer(segments[0])) return segments[0];
	return Buffer.concat(segments.map((segment) => (typeof segment === 'string' ? Buffer.from(segment, 'utf8') : segment)));
}

/** True when one of the signatures verifies with one of the keys; otherwise the most telling failure. */
function checkSignatures(recipe: PublicKeyRecipe, received: Received, keys: readonly KeyObject[]): true | VerificationFailure {
	let failure: VerificationFailure | undefined;
	for (const signature of received.signatures) {
		for (const publicKey of keys) {
			const result = verifyPublicKeySignature({ algorithm: recipe.algorithm, publicKey, message: received.message, signature, encoding: recipe.encoding, ecdsaFormat: recipe.ecdsaFormat });
			if (result.ok) return true;
			if (!failure || result.reason === 'invalid_signature') failure = fail(result.reason);
		}
	}
	return failure ?? fail('invalid_signature');
}

/** The timestamp check once the signature holds (a body timestamp is read only now). */
function finish(recipe: PublicKeyRecipe, request: IncomingWebhook, received: Received, options: VerifyOptions): VerificationResult {
	let timestampSeconds = received.timestampSeconds;
	const from = recipe.timestamp?.from;
	if (recipe.timestamp && from && 'body' in from) {
		const text = timestampFromBody(request.rawBody, from.body);
		timestampSeconds = text === undefined ? undefined : parseTimestamp(text, recipe.timestamp.unit);
		if (timestampSeconds === undefined) return fail('malformed_signature');
	}
	if (timestampSeconds === undefined) return { ok: true, matched: 'publicKey' };
	if (!isWithinTolerance(timestampSeconds, options)) return fail('timestamp_out_of_tolerance');
	return verifiedAt('publicKey', Math.floor(timestampSeconds));
}

const MAX_CACHED_KEY_SETS = 64;
/** Key texts that are JWKS documents, parsed once: the usable keys for an algorithm (none: unusable). */
const keySetsFromText = new LruMap<readonly KeyObject[]>(MAX_CACHED_KEY_SETS);

/**
 * The usable keys in a key text: one key in any form publicKeySignature.ts reads, or a whole JWKS document
 * (`{"keys": [...]}`, as fal.ai publishes its keys), whose keys of the algorithm's type are all tried.
 */
export function keysFromText(text: string, algorithm: PublicKeyRecipe['algorithm']): readonly KeyObject[] {
	const trimmed = text.trim();
	if (trimmed.startsWith('{') && trimmed.includes('"keys"')) {
		const id = `${algorithm}\n${trimmed}`;
		let keys = keySetsFromText.get(id);
		if (keys === undefined) {
			keys = (parseJwksDocument(trimmed)?.all ?? []).map((entry) => entry.key).filter((key) => keyFits(key, algorithm));
			keySetsFromText.set(id, keys);
		}
		return keys;
	}
	const key = cachedPublicKey(trimmed, algorithm);
	return key ? [key] : [];
}

function verifyWithKeys(recipe: PublicKeyRecipe, request: IncomingWebhook, received: Received, keys: readonly KeyObject[], options: VerifyOptions): VerificationResult {
	const checked = checkSignatures(recipe, received, keys);
	return checked === true ? finish(recipe, request, received, options) : checked;
}

/**
 * Verifies a request against a public-key recipe with the key in the recipe (`publishedKey`) or in the credential's
 * Public Key (one key, or a JWKS document). Never throws.
 */
export function verifyPublicKeyRecipe(recipe: PublicKeyRecipe, request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const keyText = recipe.publishedKey ?? secrets.publicKey;
	if (!keyText || keyText.trim() === '') return fail('missing_key');
	const keys = keysFromText(keyText, recipe.algorithm);
	if (keys.length === 0) return fail('missing_key');
	const received = readRequest(recipe, request, options);
	if ('ok' in received) return received;
	return verifyWithKeys(recipe, request, received, keys, options);
}

/**
 * A recipe with `jwksUrl`: a key pasted into the credential's Public Key is used as it is (pinned); otherwise the
 * provider's key set, fetched and cached (jwks.ts). No key matching is re-fetched at most once a minute, in case the
 * provider rotated; a set that cannot be fetched (and none cached) is `key_unavailable`. Never throws.
 */
export async function verifyPublicKeyRecipeWithJwks(
	recipe: PublicKeyRecipe & { jwksUrl: string },
	request: IncomingWebhook,
	secrets: SigningSecrets,
	options: VerifyOptions,
): Promise<VerificationResult> {
	if (secrets.publicKey && secrets.publicKey.trim() !== '') return verifyPublicKeyRecipe(recipe, request, secrets, options);
	const received = readRequest(recipe, request, options);
	if ('ok' in received) return received;
	const cache = (options.keySources ?? processKeySources()).jwks;
	let lookup = await cache.getAllKeys(recipe.jwksUrl);
	if (!lookup.ok) return fail('key_unavailable');
	let keys = lookup.keys.map((entry) => entry.key).filter((key) => keyFits(key, recipe.algorithm));
	let checked = checkSignatures(recipe, received, keys);
	if (checked !== true && checked.reason === 'invalid_signature') {
		// Perhaps a key the provider has rotated in since the set was fetched.
		const before = lookup.keys;
		lookup = await cache.getAllKeys(recipe.jwksUrl, { refresh: true });
		if (lookup.ok && lookup.keys !== before) {
			keys = lookup.keys.map((entry) => entry.key).filter((key) => keyFits(key, recipe.algorithm));
			checked = checkSignatures(recipe, received, keys);
		}
	}
	if (keys.length === 0) return fail('key_unavailable');
	return checked === true ? finish(recipe, request, received, options) : checked;
}

/** The headers a sender adds: the signature (with its prefix, or as a list with the timestamp) and the timestamp header. `key`: the private key. */
export function signPublicKeyRecipe(recipe: PublicKeyRecipe, input: SignInput): Record<string, string> {
	const template = compileSignedContent(recipe.signedContent || '{body}');
	const from = recipe.timestamp?.from;
	const timestampText = recipe.timestamp ? formatTimestamp(input.timestampSeconds ?? nowInSeconds(), recipe.timestamp.unit) : '';
	const headers: Record<string, string> = {};
	for (const name of template.headerNames) {
		const entry = Object.entries(input.headers ?? {}).find(([header]) => header.toLowerCase() === name);
		if (!entry) throw new Error(`The signed content needs the ${name} header: pass it in input.headers`);
		headers[name] = entry[1];
	}
	const values: SignedContentValues = { timestamp: timestampText, method: (input.method ?? 'POST').toUpperCase(), url: input.url ?? '', headers };
	const message = signedSegments(template, input.payload, values);
	const signature = (recipe.signature.prefix ?? '') + signPublicKeySignature(input.key, recipe.algorithm, message, recipe.encoding, recipe.ecdsaFormat);
	const name = recipe.signature.header.trim().toLowerCase();
	const result: Record<string, string> = {};
	if (from && 'header' in from) result[from.header.trim().toLowerCase()] = timestampText;
	const list = recipe.signature.list;
	if (list) {
		const entries = from && 'signatureKey' in from ? [`${from.signatureKey}${list.keyValueSeparator}${timestampText}`] : [];
		entries.push(`${list.signatureKeys[0]}${list.keyValueSeparator}${signature}`);
		result[name] = entries.join(list.pairSeparator);
	} else {
		result[name] = signature;
	}
	return result;
}
