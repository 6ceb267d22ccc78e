import { createHash } from 'node:crypto';

import { headerValue } from '../http';
import { LruMap } from '../stores/lruMap';
import type { IncomingWebhook } from './types';

/**
 * Signed-content templates: what a provider feeds its MAC or signature, written as text with placeholders.
 *
 * - `{body}`: the raw body bytes exactly as received (never decoded, never re-serialised)
 * - `{timestamp}`: the signed timestamp exactly as sent (header, signature-list entry)
 * - `{method}`: the HTTP method (`POST`)
 * - `{url}`: the URL the provider called: the configured public URL plus the query string as received
 * - `{header:<name>}`: a request header's value as received (`{header:webhook-id}`)
 * - `{bodySha256Hex}`: the hex (lower-case) SHA-256 of the raw body (fal.ai signs the hash, not the body)
 *
 * Anything else, including an unknown `{…}`, is literal text (UTF-8).
 */
export type ContentPart =
	| { kind: 'literal'; text: string }
	| { kind: 'body' }
	| { kind: 'timestamp' }
	| { kind: 'method' }
	| { kind: 'url' }
	| { kind: 'header'; name: string }
	| { kind: 'bodySha256Hex' };

export interface SignedContentTemplate {
	readonly source: string;
	readonly parts: readonly ContentPart[];
	readonly usesTimestamp: boolean;
	readonly usesUrl: boolean;
	/** Lower-case names of the headers it signs. */
	readonly headerNames: readonly string[];
}

/** The values a request supplies to a template. */
export interface SignedContentValues {
	timestamp: string;
	method: string;
	url: string;
	/** Lower-case header name → value, for `{header:<name>}`. */
	headers: Readonly<Record<string, string>>;
}

const PLACEHOLDER = /\{(bodySha256Hex|body|timestamp|method|url|header:[^{}\s]+)\}/;
const MAX_CACHED_TEMPLATES = 128;
const compiledTemplates = new LruMap<SignedContentTemplate>(MAX_CACHED_TEMPLATES);

function parseParts(template: string): ContentPart[] {
	const parts: ContentPart[] = [];
	let rest = template;
	while (rest !== '') {
		const match = PLACEHOLDER.exec(rest);
		if (!match) {
			parts.push({ kind: 'literal', text: rest });
			break;
		}
		if (match.index > 0) parts.push({ kind: 'literal', text: rest.slice(0, match.index) });
		const name = match[1];
		if (name.startsWith('header:')) parts.push({ kind: 'header', name: name.slice('header:'.length).toLowerCase() });
		else parts.push({ kind: name as 'body' | 'timestamp' | 'method' | 'url' | 'bodySha256Hex' });
		rest = rest.slice(match.index + match[0].length);
	}
	return parts;
}

/** The template parsed once (cached by its text: templates come from the catalogue and node parameters). */
export function compileSignedContent(template: string): SignedContentTemplate {
	let compiled = compiledTemplates.get(template);
	if (!compiled) {
		const parts = parseParts(template);
		compiled = {
			source: template,
			parts,
			usesTimestamp: parts.some((part) => part.kind === 'timestamp'),
			usesUrl: parts.some((part) => part.kind === 'url'),
			headerNames: parts.flatMap((part) => (part.kind === 'header' ? [part.name] : [])),
		};
		compiledTemplates.set(template, compiled);
	}
	return compiled;
}

/**
 * The signed content as segments to feed a MAC in order: consecutive text parts joined into one string (UTF-8), the
 * body as the received Buffer, so the body is never copied or decoded.
 */
export function signedSegments(template: SignedContentTemplate, body: Buffer, values: SignedContentValues): Array<string | Buffer> {
	const segments: Array<string | Buffer> = [];
	let text = '';
	for (const part of template.parts) {
		switch (part.kind) {
			case 'literal':
				text += part.text;
				break;
			case 'timestamp':
				text += values.timestamp;
				break;
			case 'method':
				text += values.method;
				break;
			case 'url':
				text += values.url;
				break;
			case 'header':
				text += values.headers[part.name] ?? '';
				break;
			case 'bodySha256Hex':
				text += createHash('sha256').update(body).digest('hex');
				break;
			case 'body':
				if (text !== '') segments.push(text);
				text = '';
				segments.push(body);
				break;
		}
	}
	if (text !== '') segments.push(text);
	return segments;
}

/** The signed content in one Buffer, for algorithms that take the message whole (Ed25519, RSA, ECDSA). */
export function signedBytes(template: SignedContentTemplate, body: Buffer, values: SignedContentValues): Buffer {
	return Buffer.concat(signedSegments(template, body, values).map((segment) => (typeof segment === 'string' ? Buffer.from(segment, 'utf8') : segment)));
}

/** Anything with Node's `update(data)` (Hmac, Hash, Sign, Verify). */
export interface Updatable {
	update(data: string | Buffer, inputEncoding?: 'utf8'): unknown;
}

export function feedSegments(target: Updatable, segments: ReadonlyArray<string | Buffer>): void {
	for (const segment of segments) {
		if (typeof segment === 'string') target.update(segment, 'utf8');
		else target.update(segment);
	}
}

// The configured URL is the same for every request of a trigger: trimmed and cut once, not per request.
const MAX_CACHED_BASES = 64;
const configuredBases = new LruMap<string>(MAX_CACHED_BASES);

function configuredBase(publicUrl: string | undefined): string {
	if (publicUrl === undefined) return '';
	let base = configuredBases.get(publicUrl);
	if (base === undefined) {
		const configured = publicUrl.trim();
		base = configured === '' ? '' : withoutQuery(configured);
		configuredBases.set(publicUrl, base);
	}
	return base;
}

/** `url` without its query string and fragment. */
export function withoutQuery(url: string): string {
	const end = url.search(/[?#]/);
	return end === -1 ? url : url.slice(0, end);
}

/**
 * The URL the provider called: the configured public URL (without a query string pasted into it) plus the query as
 * received; without one, rebuilt from the Host header and X-Forwarded-Proto (https when absent). Undefined when
 * neither is known.
 */
export function publicRequestUrl(request: Pick<IncomingWebhook, 'url' | 'headers'>, publicUrl: string | undefined): string | undefined {
	const queryStart = request.url.indexOf('?');
	const query = queryStart === -1 ? '' : request.url.slice(queryStart);
	const base = configuredBase(publicUrl);
	if (base !== '') return base + query;
	const host = headerValue(request.headers, 'host')?.trim();
	if (!host) return undefined;
	const forwarded = headerValue(request.headers, 'x-forwarded-proto')?.split(',')[0].trim().toLowerCase();
	return `${forwarded === 'http' ? 'http' : 'https'}://${host}${request.url}`;
}
