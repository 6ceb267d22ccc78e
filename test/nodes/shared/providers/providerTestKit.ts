import fc from 'fast-check';

import { parseBody } from '../../../../nodes/SecureWebhookTrigger/parseBody';
import { answerHandshake, type HandshakeRequest, type HandshakeSettings } from '../../../../nodes/SecureWebhookTrigger/handshakes';
import { headerValue, type HeaderMap } from '../../../../nodes/shared/http';
import { parsePath } from '../../../../nodes/shared/jsonPath';
import { PROVIDERS, providerById, providerSchemeById } from '../../../../nodes/shared/providers/catalogue';
import { eventIdSources } from '../../../../nodes/shared/providers/eventValues';
import { isProviderAvailable } from '../../../../nodes/shared/providers/providerScheme';
import {
	PROVIDER_GROUPS,
	type ProviderEntry,
	type ProviderGroup,
	type ValueSource,
	type VectorProvenance,
} from '../../../../nodes/shared/providers/types';
import type {
	IncomingWebhook,
	SignInput,
	SignatureScheme,
	SigningSecrets,
	VerificationResult,
	VerifyOptions,
} from '../../../../nodes/shared/verify/types';

/**
 * The per-provider test kit. A group's test file lists one fixture per catalogue entry of the group and calls
 * `testProviderGroup(group, fixtures)`; the kit runs the same checks on every provider:
 *
 * - the entry is complete (docs, secret help, redelivery, content types, paths that parse, vector provenance)
 * - the provider's own vector verifies, and its event type and id are what the provider says (source named in the
 *   test's title)
 * - a tampered body, a wrong secret, and garbage headers never verify
 * - deliveries signed by the catalogue's signer verify, and the provider's replay window is enforced both ways
 * - the event id is the same for a retry of an event and different for another event (or, with no id, none is
 *   claimed and the entry says why)
 * - each handshake is answered as the provider expects
 *
 * Adding a provider is one entry in its group's data file and one fixture in its group's test file.
 */

/** A request as n8n receives it. */
export interface Delivery {
	body: Buffer | string;
	/** Request headers besides the signature (content type, event name, delivery id…); lower-case names. */
	headers?: Record<string, string>;
	/** Path and query as n8n receives it; default `/webhook/test`. */
	url?: string;
	/** Default POST. */
	method?: string;
}

export interface ProviderFixture {
	/** The catalogue id. */
	provider: string;
	/** A request the provider itself signed (its docs or SDK test suite), or one made with its SDK or from its docs. */
	vector: {
		/** Must be the entry's `vectors.source`. */
		source: VectorProvenance['source'];
		/** Where it comes from: URL (with the section), SDK file and line, or package@version and function. */
		reference: string;
		secrets: SigningSecrets;
		/** The whole request, signature headers included. */
		request: Delivery & { headers: Record<string, string> };
		/** A time inside the vector's window (Unix seconds). */
		nowSeconds: number;
		/** publicUrl for providers that sign the URL. */
		options?: Partial<VerifyOptions>;
		/** What describeEvent must report for it. */
		expected?: { type?: string; id?: string };
	};
	/**
	 * The key the kit signs its own deliveries with, and the credential that verifies them. Default: the vector's
	 * secret for both. Asymmetric providers give a private key here and the public key in `secrets`.
	 */
	keys?: { signingKey: string; secrets: SigningSecrets };
	/** The URL a provider that signs the URL is configured with (`publicUrl`), for the kit's deliveries. */
	publicUrl?: string;
	/** Verify options for every check (a Custom builder's `hmac` / `jwt` settings). */
	options?: Partial<VerifyOptions>;
	/** Extra signer input for the kit's deliveries (a Custom builder's `hmac` / `jwt` settings). */
	signInput?: Partial<SignInput>;
	/**
	 * One event as the provider sends it, unsigned: a different `key` is a different event, a higher `attempt` a
	 * retry (or manual redelivery) of the same event, with whatever the provider changes between attempts.
	 */
	event(key: string, attempt: number): Delivery;
	/** The event type `event()` carries, as describeEvent must report it (omitted: the entry reads none). */
	eventType?: string;
	handshakes?: ReadonlyArray<{
		name: string;
		phase: 'signed' | 'unsigned';
		request: Delivery;
		settings?: Partial<HandshakeSettings>;
		expect: { status: number; body?: unknown; headers?: Record<string, string> };
	}>;
	/** Headers the garbage check fills with arbitrary values; default: the signature and timestamp headers. */
	garbageHeaders?: readonly string[];
}

const DEFAULT_URL = '/webhook/test';

export function incoming(delivery: Delivery): IncomingWebhook {
	return {
		method: delivery.method ?? 'POST',
		url: delivery.url ?? DEFAULT_URL,
		headers: delivery.headers ?? {},
		rawBody: Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body, 'utf8'),
	};
}

/** The body as the trigger parses it for describeEvent: JSON, form fields, or text. */
export function parsedBody(request: IncomingWebhook): unknown {
	const parsed = parseBody(request.rawBody, headerValue(request.headers, 'content-type'));
	return parsed.ok ? parsed.value : undefined;
}

function windowOf(entry: ProviderEntry): number | undefined {
	const recipe = entry.signature;
	if (recipe.kind === 'hmac' || recipe.kind === 'publicKey' || recipe.kind === 'special') return recipe.timestamp?.windowSeconds;
	return undefined;
}

function bodyIsSigned(entry: ProviderEntry): boolean {
	return entry.signature.kind !== 'token' && entry.signature.kind !== 'none';
}

/** The headers the recipe reads its signature and timestamp from. */
function recipeHeaders(entry: ProviderEntry, scheme: SignatureScheme): string[] {
	const names = new Set(scheme.sensitiveHeaders);
	const recipe = entry.signature;
	if ((recipe.kind === 'hmac' || recipe.kind === 'publicKey' || recipe.kind === 'special') && recipe.timestamp && 'header' in recipe.timestamp.from) {
		names.add(recipe.timestamp.from.header);
	}
	return [...names];
}

function sourcePaths(source: ValueSource): string[] {
	if ('body' in source) return [source.body];
	if ('jsonIn' in source) return [source.jsonIn, source.path];
	if ('join' in source) return source.join.flatMap(sourcePaths);
	return [];
}

/** A copy of the body with its last byte changed (a digit or letter stays one, so JSON and forms still parse). */
function tamper(body: Buffer | string): Buffer {
	const bytes = Buffer.from(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
	for (let index = bytes.length - 1; index >= 0; index--) {
		const byte = bytes[index];
		if ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) {
			bytes[index] = byte === 0x30 ? 0x31 : byte - 1;
			return bytes;
		}
	}
	return Buffer.concat([bytes, Buffer.from(' ')]);
}

/**
 * The same credential with its key changed (the public key for asymmetric providers): one character in the middle,
 * to another digit, so that hex (case-insensitive) and base64 (whose last digit may carry unused bits) change too.
 */
function wrongSecrets(secrets: SigningSecrets): SigningSecrets {
	const change = (text: string) => {
		const middle = Math.floor(text.length / 2);
		return text.slice(0, middle) + (text[middle] === '0' ? '1' : '0') + text.slice(middle + 1);
	};
	if (secrets.secret) return { ...secrets, secret: change(secrets.secret), previousSecret: '' };
	return { ...secrets, publicKey: change(secrets.publicKey ?? '') };
}

function expectReason(result: VerificationResult, reason: string): void {
	expect(result).toEqual({ ok: false, reason });
}

function expectOk(result: VerificationResult): Extract<VerificationResult, { ok: true }> {
	if (!result.ok) throw new Error(`expected the request to verify, got "${result.reason}"`);
	return result;
}

function handshakeRequest(delivery: Delivery): HandshakeRequest {
	const request = incoming(delivery);
	return { ...request, body: parsedBody(request) };
}

/** Registers the kit's tests for one fixture. */
export function testProvider(fixture: ProviderFixture): void {
	const entry = providerById(fixture.provider);
	const title = entry ? `${entry.displayName} (${entry.id})` : fixture.provider;

	describe(title, () => {
		if (!entry) {
			it('is in the catalogue', () => {
				throw new Error(`No catalogue entry "${fixture.provider}"`);
			});
			return;
		}
		const scheme = providerSchemeById(entry.id);
		const keys = fixture.keys ?? { signingKey: fixture.vector.secrets.secret, secrets: fixture.vector.secrets };
		const window = windowOf(entry);
		const verifyAt = (request: IncomingWebhook, secrets: SigningSecrets, nowSeconds: number, extra: Partial<VerifyOptions> = {}) =>
			scheme.verify(request, secrets, { nowSeconds, toleranceSeconds: window ?? 300, publicUrl: fixture.publicUrl, ...fixture.options, ...extra });
		const describeOf = (request: IncomingWebhook, result: VerificationResult) => scheme.describeEvent(request, parsedBody(request), expectOk(result));

		/** The kit's own delivery of `event(key, attempt)`, signed at `timestampSeconds`. */
		const signedDelivery = (key: string, attempt: number, timestampSeconds: number): IncomingWebhook => {
			const delivery = fixture.event(key, attempt);
			const request = incoming(delivery);
			const payload = request.rawBody;
			const url = fixture.publicUrl ? fixture.publicUrl + (request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '') : undefined;
			const signature = scheme.sign!({
				payload,
				key: keys.signingKey,
				timestampSeconds,
				id: `${key}`,
				url,
				method: request.method,
				headers: delivery.headers,
				...fixture.signInput,
			});
			return { ...request, headers: { ...(request.headers as HeaderMap), ...signature } };
		};

		it('is a complete entry', () => {
			expect(entry.docsUrl).toMatch(/^https:\/\//);
			if (entry.sdkUrl !== undefined) expect(entry.sdkUrl).toMatch(/^https:\/\//);
			expect(entry.displayName.trim()).not.toBe('');
			expect(entry.secretHelp.length).toBeGreaterThan(10);
			expect(entry.redelivery.length).toBeGreaterThan(10);
			expect(entry.contentTypes.length).toBeGreaterThan(0);
			for (const type of entry.contentTypes) expect(type).toMatch(/^[a-z]+\/[a-z0-9.+*-]+$/);
			expect(entry.vectors.source).toBe(fixture.vector.source);
			expect(entry.vectors.reference.trim()).not.toBe('');
			expect(fixture.vector.reference.trim()).not.toBe('');
			if ('none' in entry.eventId) expect(entry.eventId.none.length).toBeGreaterThan(10);
			const sources = [...entry.eventType, ...eventIdSources(entry.eventId)];
			for (const path of sources.flatMap(sourcePaths)) expect(() => parsePath(path)).not.toThrow();
			for (const rule of entry.handshakes ?? []) expect(rule.docsUrl).toMatch(/^https:\/\//);
			expect(isProviderAvailable(entry)).toBe(true);
		});

		if (entry.signature.kind === 'none') {
			it('accepts any request, and says that anyone can start the workflow', () => {
				expectOk(verifyAt(incoming(fixture.vector.request), { secret: '' }, fixture.vector.nowSeconds));
				expectOk(verifyAt(incoming({ body: 'anything' }), { secret: '' }, 0));
				expect((entry.caveats ?? []).join(' ')).toMatch(/anyone/i);
			});
			return;
		}

		it(`accepts its ${fixture.vector.source} vector (${fixture.vector.reference})`, () => {
			const request = incoming(fixture.vector.request);
			const result = expectOk(verifyAt(request, fixture.vector.secrets, fixture.vector.nowSeconds, fixture.vector.options));
			if (fixture.vector.expected) expect(scheme.describeEvent(request, parsedBody(request), result)).toMatchObject(fixture.vector.expected);
		});

		if (bodyIsSigned(entry)) {
			it('rejects the vector with a tampered body', () => {
				const request = incoming({ ...fixture.vector.request, body: tamper(fixture.vector.request.body) });
				expectReason(verifyAt(request, fixture.vector.secrets, fixture.vector.nowSeconds, fixture.vector.options), 'invalid_signature');
			});
		} else {
			it('says the body is not authenticated (a token, not a signature)', () => {
				expect((entry.caveats ?? []).join(' ')).toMatch(/not authenticated|anyone/i);
			});
		}

		it('rejects the vector under a wrong secret', () => {
			const request = incoming(fixture.vector.request);
			const result = verifyAt(request, wrongSecrets(fixture.vector.secrets), fixture.vector.nowSeconds, fixture.vector.options);
			expect(result.ok).toBe(false);
		});

		it('accepts what the catalogue signs, with its event type', () => {
			const now = 1_700_000_000;
			const request = signedDelivery('event-a', 1, now);
			const result = verifyAt(request, keys.secrets, now);
			expect(describeOf(request, result).type).toBe(fixture.eventType);
		});

		if (window !== undefined && scheme.timestamped) {
			it(`enforces its ${window} s replay window, both ways`, () => {
				const signedAt = 1_700_000_000;
				const request = signedDelivery('event-a', 1, signedAt);
				expectOk(verifyAt(request, keys.secrets, signedAt + window));
				expectOk(verifyAt(request, keys.secrets, signedAt - window));
				expectReason(verifyAt(request, keys.secrets, signedAt + window + 1), 'timestamp_out_of_tolerance');
				expectReason(verifyAt(request, keys.secrets, signedAt - window - 1), 'timestamp_out_of_tolerance');
			});
		} else {
			it('has no signed timestamp, and says replays are only stopped by de-duplication', () => {
				expect(scheme.timestamped).toBe(false);
				if (entry.signature.kind !== 'custom') expect((entry.caveats ?? []).join(' ')).toMatch(/replay/i);
			});
		}

		it('gives a retry the same event id and another event a different one (or none, with the reason)', () => {
			const now = 1_700_000_000;
			const first = signedDelivery('event-a', 1, now);
			const retry = signedDelivery('event-a', 2, now + 60);
			const other = signedDelivery('event-b', 1, now + 60);
			const id = (request: IncomingWebhook) => describeOf(request, verifyAt(request, keys.secrets, now + 60)).id;
			if ('none' in entry.eventId) {
				expect(id(first)).toBeUndefined();
				expect(id(other)).toBeUndefined();
				return;
			}
			expect(id(first)).toBeDefined();
			expect(id(retry)).toBe(id(first));
			expect(id(other)).toBeDefined();
			expect(id(other)).not.toBe(id(first));
		});

		for (const handshake of fixture.handshakes ?? []) {
			it(`answers its handshake: ${handshake.name}`, () => {
				const settings = { verifyToken: '', ...handshake.settings };
				const answer = answerHandshake(entry.handshakes, handshake.phase, handshakeRequest(handshake.request), settings, {
					secrets: keys.secrets,
					matched: 'current',
				});
				expect(answer?.status).toBe(handshake.expect.status);
				if (handshake.expect.body !== undefined) expect(answer?.body).toEqual(handshake.expect.body);
				if (handshake.expect.headers) expect(answer?.headers).toMatchObject(handshake.expect.headers);
			});
		}
		if (fixture.handshakes === undefined || fixture.handshakes.length === 0) {
			it('has no handshake', () => {
				expect(entry.handshakes ?? []).toEqual([]);
			});
		}

		it('never throws on and never accepts garbage headers', () => {
			const headerValue = fc.oneof(
				fc.string(),
				fc.string({ unit: 'binary', maxLength: 200 }),
				fc.constantFrom('', ' ', ',', '=', 'v1,', 'v0=', 'sha256=', 't=,v1=', 'v1a,====', '1e3', '-1', 'NaN', 'Bearer ', 'Basic x'),
				fc.string({ minLength: 5000, maxLength: 20000 }),
				fc.array(fc.string(), { minLength: 0, maxLength: 3 }),
			);
			const names = fixture.garbageHeaders ?? recipeHeaders(entry, scheme);
			fc.assert(
				fc.property(
					fc.record(Object.fromEntries(names.map((name) => [name, headerValue])), { requiredKeys: [] }),
					fc.uint8Array({ maxLength: 64 }),
					(headers, body) => {
						const request = incoming({ body: Buffer.from(body), headers: headers as Record<string, string> });
						const result = verifyAt(request, keys.secrets, 1_700_000_000);
						expect(result.ok).toBe(false);
					},
				),
				{ numRuns: 200 },
			);
		});
	});
}

/**
 * All tests of one group's test file: every entry of the group has exactly one fixture (and each fixture names an
 * entry of the group), then the kit's checks for each.
 */
export function testProviderGroup(group: ProviderGroup, fixtures: readonly ProviderFixture[]): void {
	describe(`provider group ${PROVIDER_GROUPS[group]}`, () => {
		it('has one fixture per catalogue entry of the group', () => {
			const entries = PROVIDERS.filter((entry) => entry.group === group).map((entry) => entry.id).sort();
			expect(fixtures.map((fixture) => fixture.provider).sort()).toEqual(entries);
		});
		for (const fixture of fixtures) testProvider(fixture);
	});
}
