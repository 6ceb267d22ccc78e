import { createHmac, type KeyObject } from 'node:crypto';

import { isLatin1Whitespace, readSingleHeader } from './headers';
import { scanKeyValueList, type KeyValueListFormat } from './keyValueList';
import { fail, verifiedAt } from './results';
import { safeEqual } from '../safeCompare';
import { hmacKeyFor, secretKeyFor, type SecretFormat } from './secretFormats';
import {
	compileSignedContent,
	feedSegments,
	type ContentPart,
	publicRequestUrl,
	signedSegments,
	type SignedContentTemplate,
	type SignedContentValues,
} from './signedContent';
import { decodeSignatureBytes, encodedLength } from './signatureEncoding';
import { formatTimestamp, isWithinTolerance, nowInSeconds, parseTimestamp, timestampFromBody, type TimestampUnit } from './timestamps';
import type {
	HmacAlgorithm,
	IncomingWebhook,
	SignInput,
	SignatureEncoding,
	SigningSecrets,
	VerificationFailure,
	VerificationResult,
	VerifyOptions,
} from './types';

/** Where the received signature is. */
export interface SignatureLocation {
	/** The header that carries it (any case). */
	header: string;
	/** A label before each encoded signature (`sha256=`, `v0=`), matched case-insensitively. */
	prefix?: string;
	/**
	 * The header is a list of key/value pairs (`t=…,v1=…,v1=…`): these keys hold signatures (any number of them, one
	 * per active secret), others are ignored. The timestamp can come from the same list (`TimestampRule.from`).
	 */
	list?: KeyValueListFormat & { signatureKeys: readonly string[] };
	/** Base64 without its "=" padding is accepted too (the Custom HMAC builder). Default: only the padded form. */
	paddingOptional?: boolean;
}

/** Where a provider's signed timestamp is, how it is written, and how old a delivery may be. */
export interface TimestampRule {
	from: { header: string } | { signatureKey: string } | { body: string };
	unit: TimestampUnit;
	/** The provider's replay window in seconds (its docs' recommendation; the node's tolerance overrides it). */
	windowSeconds: number;
}

/** A keyed-hash signature as data: what most providers do, with their differences spelled out. */
export interface HmacRecipe {
	kind: 'hmac';
	algorithm: HmacAlgorithm;
	signature: SignatureLocation;
	encoding: SignatureEncoding;
	/** How the secret the provider shows becomes the key. */
	secret: SecretFormat;
	/** What is signed, e.g. `{timestamp}.{body}` (see signedContent.ts). */
	signedContent: string;
	timestamp?: TimestampRule;
}

const DIGEST_BYTES: Readonly<Record<HmacAlgorithm, number>> = { sha1: 20, sha256: 32, sha512: 64 };
/** A legitimate sender lists one signature per active key; a long list only costs us comparisons. */
const MAX_SIGNATURES = 16;
/** The timestamp, the signatures, and as many other entries (Stripe's test-mode `v0`). */
const MAX_LIST_ITEMS = 2 + MAX_SIGNATURES * 2;

/** A recipe resolved once: names lower-cased, template parsed, sizes computed. */
interface CompiledHmacRecipe {
	algorithm: HmacAlgorithm;
	digestBytes: number;
	header: string;
	prefix: string;
	prefixLower: string;
	list?: KeyValueListFormat & { signatureKeys: ReadonlySet<string> };
	encoding: SignatureEncoding;
	paddingOptional: boolean;
	/** Longest header value worth decoding: a prefix, the encoded MAC, padding, some whitespace. */
	maxPlainChars: number;
	keyFor: (secret: string) => KeyObject | undefined;
	template: SignedContentTemplate;
	/** For templates of text, `{timestamp}` and one `{body}` (most providers): the text before and after the body. */
	simple?: { before: (timestamp: string) => string; after: (timestamp: string) => string };
	timestamp?: { source: 'header' | 'list' | 'body'; name: string; unit: TimestampUnit };
}

/** The text `parts` make for a timestamp, as a function (constant text needs no work per request). */
function textOf(parts: readonly ContentPart[]): (timestamp: string) => string {
	if (parts.every((part) => part.kind === 'literal')) {
		const text = parts.map((part) => (part.kind === 'literal' ? part.text : '')).join('');
		return () => text;
	}
	return (timestamp) => {
		let text = '';
		for (const part of parts) text += part.kind === 'literal' ? part.text : timestamp;
		return text;
	};
}

function simpleTemplate(template: SignedContentTemplate): CompiledHmacRecipe['simple'] {
	const bodyIndex = template.parts.findIndex((part) => part.kind === 'body');
	const simple = template.parts.every((part, index) =>
		part.kind === 'body' ? index === bodyIndex : part.kind === 'literal' || part.kind === 'timestamp',
	);
	if (!simple || bodyIndex === -1) return undefined;
	return { before: textOf(template.parts.slice(0, bodyIndex)), after: textOf(template.parts.slice(bodyIndex + 1)) };
}

const compiledRecipes = new WeakMap<HmacRecipe, CompiledHmacRecipe | null>();

function compile(recipe: HmacRecipe): CompiledHmacRecipe | undefined {
	const cached = compiledRecipes.get(recipe);
	if (cached !== undefined) return cached ?? undefined;
	const compiled = compileUncached(recipe);
	compiledRecipes.set(recipe, compiled ?? null);
	return compiled;
}

/** Undefined for a recipe that can never verify (unknown algorithm, `{timestamp}` without a timestamp): a configuration error. */
function compileUncached(recipe: HmacRecipe): CompiledHmacRecipe | undefined {
	if (!Object.hasOwn(DIGEST_BYTES, recipe.algorithm)) return undefined;
	if (recipe.encoding !== 'hex' && recipe.encoding !== 'base64' && recipe.encoding !== 'base64url') return undefined;
	const header = recipe.signature.header.trim().toLowerCase();
	if (header === '') return undefined;
	const template = compileSignedContent(recipe.signedContent || '{body}');
	let timestamp: CompiledHmacRecipe['timestamp'];
	if (recipe.timestamp) {
		const from = recipe.timestamp.from;
		if ('header' in from) timestamp = { source: 'header', name: from.header.trim().toLowerCase(), unit: recipe.timestamp.unit };
		else if ('signatureKey' in from) timestamp = { source: 'list', name: from.signatureKey, unit: recipe.timestamp.unit };
		else timestamp = { source: 'body', name: from.body, unit: recipe.timestamp.unit };
		if (timestamp.name === '' || (timestamp.source === 'list' && !recipe.signature.list)) return undefined;
	}
	// A body timestamp is only known once the body is trusted, so it cannot also be part of what is signed.
	if (template.usesTimestamp && (!timestamp || timestamp.source === 'body')) return undefined;
	const digestBytes = DIGEST_BYTES[recipe.algorithm];
	const prefix = recipe.signature.prefix ?? '';
	const list = recipe.signature.list;
	if (list && (list.signatureKeys.length === 0 || list.pairSeparator === '' || list.keyValueSeparator === '')) return undefined;
	const secretFormat = recipe.secret;
	return {
		algorithm: recipe.algorithm,
		digestBytes,
		header,
		prefix,
		prefixLower: asciiLowerCase(prefix),
		list: list && { pairSeparator: list.pairSeparator, keyValueSeparator: list.keyValueSeparator, signatureKeys: new Set(list.signatureKeys) },
		encoding: recipe.encoding,
		paddingOptional: recipe.signature.paddingOptional === true,
		maxPlainChars: prefix.length + encodedLength(recipe.encoding, digestBytes) + 64,
		keyFor: secretFormat === 'utf8' ? secretKeyFor : (secret) => hmacKeyFor(secret, secretFormat),
		template,
		simple: simpleTemplate(template),
		timestamp,
	};
}

/** True when the recipe can verify at all; false is a configuration error (see compileUncached). */
export function isUsableHmacRecipe(recipe: HmacRecipe): boolean {
	return compile(recipe) !== undefined;
}

/** An ASCII letter's lower-case code; any other character's code unchanged. */
function asciiLower(code: number): number {
	return code >= 65 && code <= 90 ? code + 32 : code;
}

function asciiLowerCase(text: string): string {
	let lower = '';
	for (let index = 0; index < text.length; index++) lower += String.fromCharCode(asciiLower(text.charCodeAt(index)));
	return lower;
}

/** The MAC in `text[start, end)` after the recipe's prefix, decoded, or undefined (hex is read in place). */
function decodeOne(plan: CompiledHmacRecipe, text: string, start: number, end: number): Buffer | undefined {
	const prefixLength = plan.prefix.length;
	if (end - start < prefixLength) return undefined;
	// The prefix is a public label such as "sha256=", so its case carries no security meaning.
	for (let index = 0; index < prefixLength; index++) {
		if (asciiLower(text.charCodeAt(start + index)) !== plan.prefixLower.charCodeAt(index)) return undefined;
	}
	return decodeSignatureBytes(text, plan.encoding, plan.digestBytes, plan.paddingOptional, start + prefixLength, end);
}

interface ReceivedSignatures {
	macs: Buffer[];
	timestampText?: string;
}

/** Undefined unless there is at most one timestamp entry and at least one well-formed signature. */
function parseListHeader(plan: CompiledHmacRecipe, header: string): ReceivedSignatures | undefined {
	const list = plan.list!;
	const timestampKey = plan.timestamp?.source === 'list' ? plan.timestamp.name : undefined;
	const macs: Buffer[] = [];
	let timestampText: string | undefined;
	const complete = scanKeyValueList(header, list, MAX_LIST_ITEMS, (key, valueStart, valueEnd) => {
		if (key === timestampKey) {
			if (timestampText !== undefined) return false;
			timestampText = header.slice(valueStart, valueEnd);
		} else if (list.signatureKeys.has(key)) {
			const mac = decodeOne(plan, header, valueStart, valueEnd);
			if (mac) macs.push(mac);
		}
		return true;
	});
	if (!complete || macs.length === 0) return undefined;
	if (timestampKey !== undefined && timestampText === undefined) return undefined;
	return { macs, timestampText };
}

function computeMac(plan: CompiledHmacRecipe, key: KeyObject, segments: ReadonlyArray<string | Buffer>): Buffer {
	const hmac = createHmac(plan.algorithm, key);
	feedSegments(hmac, segments);
	return hmac.digest();
}

/** The headers a template signs, read like signature headers (missing or repeated: a failure). */
function signedHeaderValues(plan: CompiledHmacRecipe, request: IncomingWebhook): { values: Record<string, string> } | VerificationFailure {
	const values: Record<string, string> = {};
	for (const name of plan.template.headerNames) {
		const value = readSingleHeader(request.headers, name);
		if (typeof value !== 'string') return value;
		values[name] = value;
	}
	return { values };
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** The MAC of the signed content with `secret`, or undefined when the secret is not in the recipe's format. */
function macFor(plan: CompiledHmacRecipe, secret: string, segments: ReadonlyArray<string | Buffer>): Buffer | undefined {
	const key = plan.keyFor(secret);
	return key && computeMac(plan, key, segments);
}

/** Which secret (current, then previous) produced one of `macs`, compared in constant time; undefined for none. */
function matchingSecret(
	plan: CompiledHmacRecipe,
	secrets: SigningSecrets,
	macs: readonly Buffer[],
	segments: ReadonlyArray<string | Buffer>,
): 'current' | 'previous' | undefined {
	const current = macFor(plan, secrets.secret, segments);
	if (current) for (const mac of macs) if (safeEqual(current, mac)) return 'current';
	const previousSecret = secrets.previousSecret;
	if (typeof previousSecret !== 'string' || previousSecret === '') return undefined;
	const previous = macFor(plan, previousSecret, segments);
	if (previous) for (const mac of macs) if (safeEqual(previous, mac)) return 'previous';
	return undefined;
}

function verifyWithPlan(plan: CompiledHmacRecipe, request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	// A previous secret alone is a half-finished rotation, not a key.
	if (typeof secrets.secret !== 'string' || secrets.secret === '') return fail('missing_key');

	const header = readSingleHeader(request.headers, plan.header);
	if (typeof header !== 'string') return header;
	let timestampText = '';
	if (plan.timestamp?.source === 'header') {
		const value = readSingleHeader(request.headers, plan.timestamp.name);
		if (typeof value !== 'string') return value;
		timestampText = value.trim();
	}
	let headers = NO_HEADERS;
	if (plan.template.headerNames.length > 0) {
		const signed = signedHeaderValues(plan, request);
		if ('reason' in signed) return signed;
		headers = signed.values;
	}

	let macs: Buffer[];
	if (plan.list) {
		const received = parseListHeader(plan, header);
		if (!received) return fail('malformed_signature');
		macs = received.macs;
		if (received.timestampText !== undefined) timestampText = received.timestampText;
	} else {
		// The length is checked before any other work: the header is attacker-controlled.
		if (header.length > plan.maxPlainChars) return fail('malformed_signature');
		let start = 0;
		let end = header.length;
		while (start < end && isLatin1Whitespace(header.charCodeAt(start))) start++;
		while (end > start && isLatin1Whitespace(header.charCodeAt(end - 1))) end--;
		const mac = decodeOne(plan, header, start, end);
		if (!mac) return fail('malformed_signature');
		macs = [mac];
	}
	let timestampSeconds: number | undefined;
	if (plan.timestamp && plan.timestamp.source !== 'body') {
		timestampSeconds = parseTimestamp(timestampText, plan.timestamp.unit);
		if (timestampSeconds === undefined) return fail('malformed_signature');
	}

	let segments: Array<string | Buffer>;
	if (plan.simple) {
		// Text, timestamp and the body only (most providers): the text around the body, without a values object.
		const before = plan.simple.before(timestampText);
		const after = plan.simple.after(timestampText);
		segments = before === '' ? [request.rawBody] : [before, request.rawBody];
		if (after !== '') segments.push(after);
	} else {
		let url = '';
		if (plan.template.usesUrl) {
			const publicUrl = publicRequestUrl(request, options.publicUrl ?? options.twilio?.publicUrl);
			if (publicUrl === undefined) return fail('invalid_signature');
			url = publicUrl;
		}
		const values: SignedContentValues = { timestamp: timestampText, method: request.method.toUpperCase(), url, headers };
		segments = signedSegments(plan.template, request.rawBody, values);
	}
	const matched = matchingSecret(plan, secrets, macs, segments);
	if (!matched) return fail('invalid_signature');

	if (plan.timestamp?.source === 'body') {
		const text = timestampFromBody(request.rawBody, plan.timestamp.name);
		timestampSeconds = text === undefined ? undefined : parseTimestamp(text, plan.timestamp.unit);
		if (timestampSeconds === undefined) return fail('malformed_signature');
	}
	if (timestampSeconds === undefined) return { ok: true, matched };
	if (!isWithinTolerance(timestampSeconds, options)) return fail('timestamp_out_of_tolerance');
	return verifiedAt(matched, Math.floor(timestampSeconds));
}

/**
 * Verifies a request against an HMAC recipe: reads the signature (and timestamp) headers, decodes every received
 * signature strictly, computes the MAC over the signed content streamed from the raw bytes with each secret
 * (current, then previous), compares in constant time, and only then checks the timestamp window, so that only a
 * genuinely signed but stale or early delivery reports `timestamp_out_of_tolerance`. Never throws.
 */
export function verifyHmacRecipe(recipe: HmacRecipe, request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const plan = compile(recipe);
	return plan ? verifyWithPlan(plan, request, secrets, options) : fail('missing_key');
}

/** `verifyHmacRecipe` for one recipe, resolved once (what the catalogue compiles each entry into). */
export function hmacRecipeVerifier(recipe: HmacRecipe): (request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions) => VerificationResult {
	const plan = compile(recipe);
	if (!plan) return () => fail('missing_key');
	return (request, secrets, options) => verifyWithPlan(plan, request, secrets, options);
}

/**
 * The headers a sender adds for `input.payload` so that `verifyHmacRecipe` accepts it: the signature header (a
 * `timestamp,signature` list for list recipes) and the timestamp header. `input.url`, `input.method` and
 * `input.headers` supply `{url}`, `{method}` and `{header:…}`. Throws on a recipe that cannot sign or an unusable key.
 */
export function signHmacRecipe(recipe: HmacRecipe, input: SignInput): Record<string, string> {
	const plan = compile(recipe);
	if (!plan) throw new Error('This HMAC recipe cannot sign: unknown algorithm or encoding, or {timestamp} without a timestamp source');
	if (!input.key) throw new Error('A signing secret is required');
	const key = plan.keyFor(input.key);
	if (!key) throw new Error('The signing secret is not in the format this provider uses');
	const timestampText = plan.timestamp ? formatTimestamp(input.timestampSeconds ?? nowInSeconds(), plan.timestamp.unit) : '';
	const signedHeaders: Record<string, string> = {};
	for (const name of plan.template.headerNames) {
		const entry = Object.entries(input.headers ?? {}).find(([header]) => header.toLowerCase() === name);
		if (!entry) throw new Error(`The signed content needs the ${name} header: pass it in input.headers`);
		signedHeaders[name] = entry[1];
	}
	if (plan.template.usesUrl && !input.url) throw new Error('The signed content contains {url}: input.url is required');
	const values: SignedContentValues = {
		timestamp: timestampText,
		method: (input.method ?? 'POST').toUpperCase(),
		url: input.url ?? '',
		headers: signedHeaders,
	};
	const mac = computeMac(plan, key, signedSegments(plan.template, input.payload, values)).toString(plan.encoding);
	const signature = plan.prefix + mac;
	const headers: Record<string, string> = {};
	if (plan.timestamp?.source === 'header') headers[plan.timestamp.name] = timestampText;
	if (plan.list) {
		const { pairSeparator, keyValueSeparator } = plan.list;
		const signatureKey = recipe.signature.list!.signatureKeys[0];
		const entries = plan.timestamp?.source === 'list' ? [`${plan.timestamp.name}${keyValueSeparator}${timestampText}`] : [];
		entries.push(`${signatureKey}${keyValueSeparator}${signature}`);
		headers[plan.header] = entries.join(pairSeparator);
	} else {
		headers[plan.header] = signature;
	}
	return headers;
}

/** The lower-case names of the headers an HMAC recipe reads its signature from (redacted in outputs). */
export function hmacRecipeSignatureHeaders(recipe: HmacRecipe): string[] {
	return [recipe.signature.header.trim().toLowerCase()];
}
