import { generateKeyPairSync, randomBytes } from 'node:crypto';

import { parsePath, type PathSegment } from '../nodes/shared/jsonPath';
import { LEGACY_SCHEME_NAMES, PROVIDERS, providerSchemeById } from '../nodes/shared/providers/catalogue';
import { eventIdSources } from '../nodes/shared/providers/eventValues';
import { isProviderAvailable } from '../nodes/shared/providers/providerScheme';
import { discordPublicKeyHex } from '../nodes/shared/providers/special/discord';
import type { ProviderEntry, ValueSource } from '../nodes/shared/providers/types';
import type { SecretFormat } from '../nodes/shared/verify/secretFormats';
import { compileSignedContent } from '../nodes/shared/verify/signedContent';
import { tokenQueryUrl } from '../nodes/shared/verify/staticToken';
import type { SignatureScheme, SigningSecrets } from '../nodes/shared/verify/types';

/**
 * What the fuzzers need to talk to a trigger set up for one catalogue entry: the node's parameters, a credential made
 * up for the run, and a signer that makes requests the trigger must accept. Everything is derived from the entry's
 * recipe, so a provider added to the catalogue is fuzzed without a line here. Recipes whose keys cannot be made up
 * locally (a provider's published key, a JWKS URL, AWS SNS certificates) get adversarial traffic only, with the reason.
 */
export interface ProviderTraffic {
	provider: ProviderEntry;
	scheme: SignatureScheme;
	/** The legacy `scheme` value (typeVersion 1 and 2), when the entry has one. */
	legacyScheme?: string;
	credential: SigningSecrets;
	/** Texts that must never appear in an answer, an output item or a log line. */
	secretTexts: string[];
	/** Lower-case names of the headers that carry the signature or token (the scheme's, and a Custom builder's). */
	signatureHeaders: string[];
	contentType: string;
	/**
	 * A new event: its body, and the headers the provider's event id is read from. `nonce` makes it unique, also in
	 * every field the catalogue reads the event id from (a retry of one event would be a duplicate, rightly).
	 */
	event(nonce: string, timestampSeconds?: number): { body: Buffer; headers: Record<string, string> };
	/**
	 * Lower-case names of request headers a handshake echoes into its answer by design (Asana's X-Hook-Secret): what a
	 * request carries there comes back to that request in the answer headers, and is no leak.
	 */
	echoedHeaders: string[];
	/** The query parameter that carries the token, for token-in-URL providers. */
	tokenQuery?: string;
	/** A key that is not the credential's, where a made-up text cannot be one (public-key recipes). */
	wrongKey?: string;
	/** Undefined when the fuzzer cannot sign for this entry (see `noSignerReason`). */
	sign?: (request: SignRequest) => SignedParts;
	noSignerReason?: string;
	/** The signature covers the body (false for tokens and `none`). */
	bodySigned: boolean;
	/** Any request is accepted (`none`). */
	acceptsAnything: boolean;
	/** Node parameters besides `path` for a typeVersion (3: the provider; 1 and 2: the legacy scheme). */
	parameters(typeVersion: number, publicUrl: string): Record<string, unknown>;
}

export interface SignRequest {
	body: Buffer;
	/** Headers the event itself carries (its id headers): signed where the recipe signs headers, and sent. */
	headers?: Record<string, string>;
	/** Path and query the request is sent to, as n8n sees it (`/webhook/<path>?…`). */
	url: string;
	/** The public URL the trigger is configured with (signed by URL-signing providers). */
	publicUrl: string;
	id?: string;
	timestampSeconds?: number;
	/** Sign with another key than the credential's (a wrong-key request). */
	key?: string;
}

export interface SignedParts {
	headers: Record<string, string>;
	/** Path and query to send to (token-in-query providers add the token). */
	url: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A made-up secret in the text form the provider shows, so that the recipe's decoding accepts it. */
function secretIn(format: SecretFormat | undefined): string {
	const bytes = randomBytes(32);
	const encoded = (decoding: 'utf8' | 'hex' | 'base64') =>
		decoding === 'hex' ? bytes.toString('hex') : decoding === 'base64' ? bytes.toString('base64') : `fz-secret-${bytes.toString('hex')}`;
	if (format === undefined || format === 'utf8') return encoded('utf8');
	if (format === 'whsec') return `whsec_${bytes.toString('base64')}`;
	if (typeof format === 'object') return `${format.stripPrefix}${encoded(format.decode)}`;
	return encoded(format);
}

const CUSTOM_HMAC = {
	hmacAlgorithm: 'sha256',
	hmacSignatureHeader: 'x-fuzz-signature',
	hmacEncoding: 'hex',
	hmacPrefix: 'sha256=',
	hmacTimestampHeader: 'x-fuzz-timestamp',
	hmacSignedContent: '{timestamp}.{body}',
};
const CUSTOM_JWT = { jwtTokenHeader: 'authorization', jwtAlgorithms: ['HS256'], jwtIssuer: 'fuzz', jwtAudience: 'n8n', jwtBodyHashClaim: 'body_sha256' };

interface Keys {
	credential: SigningSecrets;
	signingKey?: string;
	/** A key of the same kind that is not the credential's (public-key recipes: another key pair's private key). */
	wrongKey?: string;
	noSignerReason?: string;
}

function keysFor(entry: ProviderEntry): Keys {
	const recipe = entry.signature;
	const previousSecret = `fz-previous-${hex(16)}`;
	switch (recipe.kind) {
		case 'hmac': {
			const secret = secretIn(recipe.secret);
			return { credential: { secret, previousSecret: secretIn(recipe.secret) }, signingKey: secret };
		}
		case 'token': {
			const secret = 'basicAuth' in recipe.location ? `fz-user:${hex(16)}` : `fz-token-${hex(20)}`;
			return { credential: { secret, previousSecret }, signingKey: secret };
		}
		case 'special': {
			if (recipe.verifier === 'standardWebhooks') {
				const secret = secretIn('whsec');
				return { credential: { secret, previousSecret: secretIn('whsec') }, signingKey: secret };
			}
			if (recipe.verifier === 'discord') {
				const seed = hex(32);
				return { credential: { secret: '', publicKey: discordPublicKeyHex(seed) }, signingKey: seed };
			}
			const secret = `fz-auth-token-${hex(16)}`;
			return { credential: { secret, previousSecret }, signingKey: secret };
		}
		case 'custom': {
			const secret = `fz-custom-secret-${hex(24)}`;
			return { credential: { secret, previousSecret }, signingKey: secret };
		}
		case 'publicKey': {
			if (recipe.publishedKey) return { credential: { secret: '' }, noSignerReason: "verified with the provider's published key" };
			const pair =
				recipe.algorithm === 'ed25519'
					? generateKeyPairSync('ed25519')
					: recipe.algorithm === 'ecdsaP256Sha256'
						? generateKeyPairSync('ec', { namedCurve: 'P-256' })
						: generateKeyPairSync('rsa', { modulusLength: 2048 });
			const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
			const privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
			const other =
				recipe.algorithm === 'ed25519'
					? generateKeyPairSync('ed25519')
					: recipe.algorithm === 'ecdsaP256Sha256'
						? generateKeyPairSync('ec', { namedCurve: 'P-256' })
						: generateKeyPairSync('rsa', { modulusLength: 2048 });
			const wrongKey = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
			return { credential: { secret: '', publicKey }, signingKey: privateKey, wrongKey };
		}
		case 'jwt': {
			if (recipe.jwksUrl) return { credential: { secret: '' }, noSignerReason: `keys come from the provider's JWKS (${recipe.jwksUrl})` };
			const secret = `fz-jwt-secret-${hex(24)}`;
			return { credential: { secret, previousSecret }, signingKey: secret };
		}
		case 'awsSns':
			return { credential: { secret: '' }, noSignerReason: 'signed with AWS certificates fetched from amazonaws.com' };
		default:
			return { credential: { secret: '' } };
	}
}

type JsonObject = Record<string, unknown>;

/** Sets `value` at a catalogue path (`data.object.id`, `[0].id`), creating objects and arrays on the way. */
function setAt(root: unknown, segments: readonly PathSegment[], value: unknown): unknown {
	if (segments.length === 0) return value;
	const [first, ...rest] = segments;
	const container: JsonObject | unknown[] =
		typeof first === 'number' ? (Array.isArray(root) ? root : []) : root !== null && typeof root === 'object' && !Array.isArray(root) ? (root as JsonObject) : {};
	const current = (container as Record<PathSegment, unknown>)[first];
	(container as Record<PathSegment, unknown>)[first] = setAt(current, rest, value);
	return container;
}

/** The value sources an entry reads its event id from, joins flattened. */
function idSources(entry: ProviderEntry): ValueSource[] {
	const flatten = (source: ValueSource): ValueSource[] => ('join' in source ? source.join.flatMap(flatten) : [source]);
	return eventIdSources(entry.eventId).flatMap(flatten);
}

/** A signed timestamp in the body (Linear's `webhookTimestamp`), written in the recipe's unit. */
function bodyTimestamp(entry: ProviderEntry, timestampSeconds: number): { path: string; value: unknown } | undefined {
	const rule = entry.signature.kind === 'hmac' ? entry.signature.timestamp : undefined;
	if (!rule || !('body' in rule.from)) return undefined;
	const value =
		rule.unit === 'ms' ? timestampSeconds * 1000 : rule.unit === 'iso8601' ? new Date(timestampSeconds * 1000).toISOString() : timestampSeconds;
	return { path: rule.from.body, value };
}

/**
 * An event in the provider's first content type, with the usual fields, every id field set from `nonce`, and a
 * signed body timestamp where the recipe reads one (now, unless `timestampSeconds` says otherwise).
 */
function eventOf(entry: ProviderEntry, contentType: string, nonce: string, timestampSeconds?: number): { body: Buffer; headers: Record<string, string> } {
	const headers: Record<string, string> = {};
	let fields: unknown = { id: `evt_${nonce}`, type: 'fuzz.event', event_id: `Ev${nonce}`, MessageSid: `SM${nonce}`, data: { nonce, text: 'Grüße ✓' } };
	for (const source of idSources(entry)) {
		if ('header' in source) headers[source.header.toLowerCase()] = `msg_${nonce}`;
		else if ('body' in source) fields = setAt(fields, parsePath(source.body), `id_${nonce}`);
	}
	const timestamp = bodyTimestamp(entry, timestampSeconds ?? Math.floor(Date.now() / 1000));
	if (timestamp) fields = setAt(fields, parsePath(timestamp.path), timestamp.value);
	if (contentType === 'application/x-www-form-urlencoded') {
		const form = new URLSearchParams({ Body: 'Grüße ✓', nonce });
		for (const [name, value] of Object.entries(fields as JsonObject)) if (typeof value === 'string') form.set(name, value);
		return { body: Buffer.from(form.toString()), headers };
	}
	if (contentType.startsWith('text/')) return { body: Buffer.from(`fuzz event ${nonce}`), headers };
	return { body: Buffer.from(JSON.stringify(fields)), headers };
}

const audienceOf = (entry: ProviderEntry) => `https://fuzz.example/${entry.id}`;

export function providerTraffic(entry: ProviderEntry): ProviderTraffic {
	const scheme = providerSchemeById(entry.id);
	const keys = keysFor(entry);
	const recipe = entry.signature;
	const custom = recipe.kind === 'custom' ? recipe.builder : undefined;
	const contentType = entry.contentTypes.find((type) => !type.includes('*')) ?? 'application/json';
	const legacyScheme = (LEGACY_SCHEME_NAMES as readonly string[]).includes(entry.id) ? entry.id : undefined;
	const secretTexts = [keys.credential.secret, keys.credential.previousSecret, keys.signingKey].filter(
		(text): text is string => typeof text === 'string' && text.length >= 8,
	);

	const customParameters = custom === 'hmac' ? CUSTOM_HMAC : custom === 'jwt' ? CUSTOM_JWT : {};
	const parameters = (typeVersion: number, publicUrl: string): Record<string, unknown> => {
		const base: Record<string, unknown> = { ...customParameters };
		if (entry.settings?.includes('publicUrl') || custom === 'hmac') base.publicUrl = publicUrl;
		if (entry.settings?.includes('verifyToken')) base.verifyToken = `fz-verify-${entry.id}`;
		if (entry.settings?.includes('audience')) base.audience = audienceOf(entry);
		if (typeVersion >= 3) return { provider: entry.id, ...base };
		return { scheme: legacyScheme, ...base, ...(custom ? { eventTypePath: 'type', eventIdPath: 'id' } : {}) };
	};

	const signer = scheme.sign;
	let sign: ProviderTraffic['sign'];
	let noSignerReason = keys.noSignerReason;
	if (recipe.kind === 'none') noSignerReason = 'accepts unsigned requests';
	else if (!signer) noSignerReason ??= 'the catalogue has no signer for this recipe';
	else if (keys.signingKey === undefined) noSignerReason ??= 'no key the fuzzer can make for this recipe';
	else {
		const signingKey = keys.signingKey;
		// Headers the signed content names (`{header:webhook-id}`): sent with the request, an id where the name says so.
		const signedHeaderNames = recipe.kind === 'hmac' || recipe.kind === 'publicKey' ? compileSignedContent(recipe.signedContent).headerNames : [];
		sign = (request) => {
			const key = request.key ?? signingKey;
			const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
			const signedHeaders = Object.fromEntries(
				signedHeaderNames.map((header) => [header, /id$/.test(header) ? (request.id ?? `fz-${hex(8)}`) : `fz-${hex(8)}`]),
			);
			const signature = signer({
				payload: request.body,
				key,
				id: request.id,
				timestampSeconds: request.timestampSeconds,
				url: request.publicUrl + query,
				method: 'POST',
				headers: { 'content-type': contentType, ...request.headers, ...signedHeaders },
				hmac:
					custom === 'hmac'
						? { algorithm: 'sha256', signatureHeader: CUSTOM_HMAC.hmacSignatureHeader, encoding: 'hex', prefix: CUSTOM_HMAC.hmacPrefix, timestampHeader: CUSTOM_HMAC.hmacTimestampHeader, signedContent: CUSTOM_HMAC.hmacSignedContent }
						: undefined,
				// The node's Audience setting is the aud a JWT recipe's token must carry (monday.com: the webhook URL).
				jwtClaims: entry.settings?.includes('audience') ? { aud: audienceOf(entry) } : undefined,
				jwt: custom === 'jwt' ? { algorithm: 'HS256', tokenHeader: 'authorization', issuer: 'fuzz', audience: 'n8n', bodyHashClaim: 'body_sha256', expiresInSeconds: 300 } : undefined,
			});
			const url = recipe.kind === 'token' ? tokenQueryUrl(recipe, request.url, key) : request.url;
			return { headers: { ...request.headers, ...signedHeaders, ...signature }, url };
		};
	}

	return {
		provider: entry,
		scheme,
		legacyScheme,
		credential: keys.credential,
		secretTexts,
		// A Custom builder verifies the header it is configured with; its scheme's default header is an ordinary one then.
		signatureHeaders:
			custom === 'hmac' ? [CUSTOM_HMAC.hmacSignatureHeader] : custom === 'jwt' ? [CUSTOM_JWT.jwtTokenHeader] : [...scheme.sensitiveHeaders],
		echoedHeaders: (entry.handshakes ?? []).flatMap((handshake) =>
			'headers' in handshake.respond && handshake.respond.headers
				? Object.values(handshake.respond.headers).flatMap((value) => (typeof value === 'object' && 'header' in value ? [value.header.toLowerCase()] : []))
				: [],
		),
		contentType,
		event: (nonce, timestampSeconds) => eventOf(entry, contentType, nonce, timestampSeconds),
		tokenQuery: recipe.kind === 'token' && 'query' in recipe.location ? recipe.location.query : undefined,
		sign,
		wrongKey: keys.wrongKey,
		noSignerReason,
		// A JWT without a body-hash claim authenticates the sender, not the body (monday.com says so in its caveats).
		bodySigned: recipe.kind !== 'token' && recipe.kind !== 'none' && !(recipe.kind === 'jwt' && !recipe.bodyHashClaim),
		acceptsAnything: recipe.kind === 'none',
		parameters,
	};
}

/** Every entry the trigger offers (typeVersion 3's Provider list), and those it does not offer yet, with why. */
export function catalogueTraffic(): { traffic: ProviderTraffic[]; unavailable: string[] } {
	const traffic: ProviderTraffic[] = [];
	const unavailable: string[] = [];
	for (const entry of PROVIDERS) {
		if (isProviderAvailable(entry)) traffic.push(providerTraffic(entry));
		else unavailable.push(`${entry.id} (${entry.signature.kind}: its verifier is not wired into the trigger yet)`);
	}
	return { traffic, unavailable };
}

/** The fields of a form body, in a canonical order: what a provider that signs parsed fields (Twilio) signs. */
function canonicalForm(body: Buffer): string {
	return [...new URLSearchParams(body.toString('utf8'))].map(([name, value]) => `${name}=${value}`).sort().join('&');
}

/**
 * `body` with one byte changed (XOR `flip` at `position`) so that it says something else. For a form body the change
 * moves on until the parsed fields differ: a percent escape's hex digit in the other case (`%C3` → `%c3`) or `+` for
 * `%20` is the same request to a provider that signs the parsed fields (Twilio), not a tampered one.
 */
export function tamperedBody(body: Buffer, contentType: string, position: number, flip: number): Buffer {
	if (body.length === 0) return Buffer.from('x');
	const form = contentType === 'application/x-www-form-urlencoded';
	const original = form ? canonicalForm(body) : '';
	for (let step = 0; step < body.length; step++) {
		const copy = Buffer.from(body);
		copy[(position + step) % copy.length] ^= flip;
		if (!form || canonicalForm(copy) !== original) return copy;
	}
	return Buffer.concat([body, Buffer.from('&tampered=1')]);
}
