import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import { fetchKeyDocument, type KeyFetchFailure, type KeyFetchOptions } from './keyFetch';
import { LruMap } from '../stores/lruMap';

/**
 * Public keys from a JSON Web Key Set (RFC 7517), looked up by `kid`. The set is fetched over https from the
 * configured URL (keyFetch.ts: timeout, size cap, host pinned), kept in process memory only, refreshed when it is
 * old, and re-fetched for an unknown `kid` at most once per `refetchIntervalMs` per URL, so tokens with made-up
 * `kid`s cannot turn into a flood of fetches. Concurrent lookups share one fetch.
 */

/** One usable verification key of a set. */
export interface JwkEntry {
	key: KeyObject;
	/** The JWK's `alg`, when it names one: a token must then use exactly it. */
	algorithm?: string;
}

export interface JwksCacheOptions {
	/** Default 5000. */
	timeoutMs?: number;
	/** Default 64 KiB (Google's set is ~2 KiB, Microsoft's ~10 KiB). */
	maxBytes?: number;
	/** Least time between two fetches of one URL, for whatever reason. Default 60 000 (once a minute). */
	refetchIntervalMs?: number;
	/** A set older than this is fetched again on its next use. Default 1 hour. */
	maxAgeMs?: number;
	/** While a refresh fails, an old set stays usable this long past `maxAgeMs`. Default 24 hours. */
	maxStaleMs?: number;
	/** URLs remembered at most (the oldest is forgotten first). Default 32. */
	maxUrls?: number;
	/** The clock, in milliseconds (tests). */
	now?: () => number;
	allowLoopbackHttp?: KeyFetchOptions['allowLoopbackHttp'];
	ca?: KeyFetchOptions['ca'];
}

export type JwksLookup =
	| { ok: true; key: KeyObject; algorithm?: string }
	/**
	 * `unknown_kid`: the set (fetched at most once a minute) has no usable key with this `kid`;
	 * `unavailable`: there is no set to look in, `detail` says why (KeyFetchFailure, or `bad_document`).
	 */
	| { ok: false; reason: 'unknown_kid' }
	| { ok: false; reason: 'unavailable'; detail: KeyFetchFailure | 'bad_document' };

/** Keys in a set at most; a larger set is refused as a whole. */
const MAX_KEYS = 100;
/** RSA keys shorter than this are refused (RFC 7518 §3.3 requires 2048 bits for RS*; so does jsonwebtoken 9). */
const MIN_RSA_BITS = 2048;
const EC_CURVES = new Set(['P-256', 'P-384', 'P-521']);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
	return typeof value === 'string' && value !== '';
}

/** Only a key's public members: a set that carelessly includes `d` must still give a public key. */
function publicMembers(jwk: Record<string, unknown>): JsonWebKey | undefined {
	switch (jwk.kty) {
		case 'RSA':
			return isText(jwk.n) && isText(jwk.e) ? { kty: 'RSA', n: jwk.n, e: jwk.e } : undefined;
		case 'EC':
			return isText(jwk.crv) && EC_CURVES.has(jwk.crv) && isText(jwk.x) && isText(jwk.y)
				? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y }
				: undefined;
		case 'OKP':
			return jwk.crv === 'Ed25519' && isText(jwk.x) ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x } : undefined;
		default:
			return undefined;
	}
}

/**
 * The verification key of one JWK (RSA, EC P-256/384/521, Ed25519), or undefined: unsupported, meant for
 * encryption (`use` other than `sig`, `key_ops` without `verify`), too short, or not a valid key.
 */
export function publicKeyFromJwk(jwk: unknown): JwkEntry | undefined {
	if (!isRecord(jwk)) return undefined;
	if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
	if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return undefined;
	const members = publicMembers(jwk);
	if (!members) return undefined;
	let key: KeyObject;
	try {
		key = createPublicKey({ key: members, format: 'jwk' });
	} catch {
		return undefined;
	}
	if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return undefined;
	return isText(jwk.alg) ? { key, algorithm: jwk.alg } : { key };
}

/** A parsed set: usable keys by `kid`, and every usable key in document order (with or without a `kid`). */
export interface ParsedJwks {
	byKid: Map<string, JwkEntry[]>;
	all: JwkEntry[];
}

/**
 * The usable keys of a JWKS document, or undefined when the document is not a JWKS: not JSON, no `keys` array, or
 * more than 100 keys. Keys without a `kid` cannot be looked up by one; they are in `all` (providers that send no
 * `kid`, such as fal.ai, have their signatures tried against every key of the right type).
 */
export function parseJwksDocument(document: Buffer | string): ParsedJwks | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(typeof document === 'string' ? document : document.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!isRecord(parsed) || !Array.isArray(parsed.keys) || parsed.keys.length > MAX_KEYS) return undefined;
	const byKid = new Map<string, JwkEntry[]>();
	const all: JwkEntry[] = [];
	for (const jwk of parsed.keys) {
		const entry = publicKeyFromJwk(jwk);
		if (!entry) continue;
		all.push(entry);
		if (!isRecord(jwk) || !isText(jwk.kid)) continue;
		const entries = byKid.get(jwk.kid);
		if (entries) entries.push(entry);
		else byKid.set(jwk.kid, [entry]);
	}
	return { byKid, all };
}

/** The usable keys of a JWKS document by `kid` (keys without one skipped), or undefined when it is not a JWKS. */
export function parseJwks(document: Buffer | string): Map<string, JwkEntry[]> | undefined {
	return parseJwksDocument(document)?.byKid;
}

interface CachedSet {
	keys?: Map<string, JwkEntry[]>;
	/** Every usable key, `kid` or not. */
	all?: JwkEntry[];
	fetchedAt: number;
	/** When the last fetch started (successful or not): the rate limit. */
	attemptedAt: number;
	lastFailure?: KeyFetchFailure | 'bad_document';
	inFlight?: Promise<void>;
}

export class JwksCache {
	private readonly sets: LruMap<CachedSet>;

	private readonly fetchOptions: KeyFetchOptions;

	private readonly refetchIntervalMs: number;

	private readonly maxAgeMs: number;

	private readonly maxStaleMs: number;

	private readonly maxUrls: number;

	private readonly now: () => number;

	constructor(options: JwksCacheOptions = {}) {
		this.fetchOptions = {
			timeoutMs: options.timeoutMs ?? 5000,
			maxBytes: options.maxBytes ?? 64 * 1024,
			allowLoopbackHttp: options.allowLoopbackHttp,
			ca: options.ca,
		};
		this.refetchIntervalMs = options.refetchIntervalMs ?? 60_000;
		this.maxAgeMs = options.maxAgeMs ?? 3_600_000;
		this.maxStaleMs = options.maxStaleMs ?? 86_400_000;
		this.maxUrls = options.maxUrls ?? 32;
		this.sets = new LruMap(this.maxUrls);
		this.now = options.now ?? Date.now;
	}

	/**
	 * All keys of `jwksUrl`'s set with this `kid`, fetching the set when there is none yet, when it is older than
	 * `maxAgeMs`, or when the `kid` is unknown, each at most once per `refetchIntervalMs`.
	 */
	async getKeys(jwksUrl: string, kid: string): Promise<{ ok: true; keys: readonly JwkEntry[] } | Exclude<JwksLookup, { ok: true }>> {
		const entry = this.entryFor(jwksUrl);
		const now = this.now();
		const fresh = entry.keys !== undefined && now - entry.fetchedAt < this.maxAgeMs;
		if (!fresh || !entry.keys?.has(kid)) await this.refresh(jwksUrl, entry);
		const keys = this.usableKeys(entry);
		if (!keys) return { ok: false, reason: 'unavailable', detail: entry.lastFailure ?? 'network' };
		const found = keys.get(kid);
		return found && found.length > 0 ? { ok: true, keys: found } : { ok: false, reason: 'unknown_kid' };
	}

	/**
	 * Every usable key of the set, for providers that send no `kid`: fetched when there is no set yet or it is older
	 * than `maxAgeMs`; with `refresh` (the signature matched none of the keys given before: the provider may have
	 * rotated) fetched again, at most once per `refetchIntervalMs` like an unknown `kid`.
	 */
	async getAllKeys(jwksUrl: string, options: { refresh?: boolean } = {}): Promise<{ ok: true; keys: readonly JwkEntry[] } | { ok: false; reason: 'unavailable'; detail: KeyFetchFailure | 'bad_document' }> {
		const entry = this.entryFor(jwksUrl);
		const fresh = entry.keys !== undefined && this.now() - entry.fetchedAt < this.maxAgeMs;
		if (!fresh || options.refresh === true) await this.refresh(jwksUrl, entry);
		const keys = this.usableKeys(entry);
		if (!keys || !entry.all) return { ok: false, reason: 'unavailable', detail: entry.lastFailure ?? 'network' };
		return { ok: true, keys: entry.all };
	}

	/** The first key with this `kid` (a set rarely repeats one; `getKeys` gives them all). */
	async getKey(jwksUrl: string, kid: string): Promise<JwksLookup> {
		const result = await this.getKeys(jwksUrl, kid);
		if (!result.ok) return result;
		const [first] = result.keys;
		return first.algorithm === undefined ? { ok: true, key: first.key } : { ok: true, key: first.key, algorithm: first.algorithm };
	}

	/** The `kid`s currently cached for a URL (diagnostics and tests). */
	cachedKeyIds(jwksUrl: string): string[] {
		return [...(this.sets.peek(jwksUrl)?.keys?.keys() ?? [])];
	}

	/** Forgets every set. */
	clear(): void {
		this.sets.clear();
	}

	private entryFor(jwksUrl: string): CachedSet {
		let entry = this.sets.get(jwksUrl);
		if (!entry) {
			entry = { fetchedAt: 0, attemptedAt: Number.NEGATIVE_INFINITY };
			this.sets.set(jwksUrl, entry);
		}
		return entry;
	}

	/** The set's keys unless they are older than `maxAgeMs + maxStaleMs`. */
	private usableKeys(entry: CachedSet): Map<string, JwkEntry[]> | undefined {
		if (!entry.keys) return undefined;
		return this.now() - entry.fetchedAt < this.maxAgeMs + this.maxStaleMs ? entry.keys : undefined;
	}

	/** Fetches the set unless one fetch is under way (then waits for it) or the last one started too recently. */
	private async refresh(jwksUrl: string, entry: CachedSet): Promise<void> {
		if (entry.inFlight) return await entry.inFlight;
		if (this.now() - entry.attemptedAt < this.refetchIntervalMs) return;
		entry.attemptedAt = this.now();
		entry.inFlight = this.fetchSet(jwksUrl, entry).finally(() => {
			entry.inFlight = undefined;
		});
		return await entry.inFlight;
	}

	private async fetchSet(jwksUrl: string, entry: CachedSet): Promise<void> {
		const fetched = await fetchKeyDocument(jwksUrl, this.fetchOptions);
		if (!fetched.ok) {
			entry.lastFailure = fetched.reason;
			return;
		}
		const parsed = parseJwksDocument(fetched.body);
		if (!parsed) {
			entry.lastFailure = 'bad_document';
			return;
		}
		entry.keys = parsed.byKid;
		entry.all = parsed.all;
		entry.fetchedAt = this.now();
		entry.lastFailure = undefined;
	}
}

/** The process-wide cache the trigger uses (memory only; keys are public, but never written anywhere). */
export const sharedJwksCache = new JwksCache();
