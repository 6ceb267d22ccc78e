import fc from 'fast-check';

import { parseBody } from '../../../../nodes/SecureWebhookTrigger/parseBody';
import { answerHandshake, matchHandshake, type HandshakeSettings } from '../../../../nodes/SecureWebhookTrigger/handshakes';
import { headerValue, type HeaderMap } from '../../../../nodes/shared/http';
import { parsePath } from '../../../../nodes/shared/jsonPath';
import { PROVIDERS, providerById, providerSchemeById } from '../../../../nodes/shared/providers/catalogue';
import { eventIdSources } from '../../../../nodes/shared/providers/eventValues';
import { isProviderAvailable, providerScheme } from '../../../../nodes/shared/providers/providerScheme';
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
import { confirmSnsRecipeSubscription, signedSnsBody } from '../../../../nodes/shared/verify/awsSnsRecipe';
import type { KeySources } from '../../../../nodes/shared/verify/keySources';
import { makeSelfSignedCertificate, startHttpsKeyServer, testKeySources, text, type KeyServer } from '../verify/keyServer';

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

/** The kit's loopback HTTPS server for providers whose verifier fetches keys; `origin` is `https://localhost:<port>`. */
export interface KitServer {
	origin: string;
	/** Requests per path, e.g. a SubscribeURL confirmed by the handshake. */
	hitsFor(path: string): number;
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
		/** Instead of `request`, when it names the kit's key server (an SNS vector's SigningCertURL moved there). */
		requestFor?: (server: KitServer) => Delivery & { headers: Record<string, string> };
		/** A time inside the vector's window (Unix seconds). */
		nowSeconds: number;
		/** publicUrl for providers that sign the URL. */
		options?: Partial<VerifyOptions>;
		/** What describeEvent must report for it. */
		expected?: { type?: string; id?: string };
		/** A change to the vector's body that its signature covers; default: its last letter or digit changed. */
		tamper?: (body: string) => string;
	};
	/**
	 * The key the kit signs its own deliveries with, and the credential that verifies them. Default: the vector's
	 * secret for both. Asymmetric providers give a private key here and the public key in `secrets`. Providers whose
	 * keys are fetched (JWKS, SNS certificates) give `wrongSigningKey`: another private key, whose signatures the
	 * published keys must refuse (their credential has nothing to get wrong).
	 */
	keys?: { signingKey: string; secrets: SigningSecrets; wrongSigningKey?: string };
	/**
	 * Files the verifier fetches, served by the kit from a loopback HTTPS server (path → content): the JWKS at its
	 * URL's path (the kit points the entry's `jwksUrl` there), SNS signing certificates. `signingCertificatePath`: the
	 * certificate the kit's SNS deliveries name as SigningCertURL.
	 */
	keyServer?: { files: Readonly<Record<string, { body: string; contentType?: string }>>; signingCertificatePath?: string };
	/** When the kit's own deliveries are signed (Unix seconds); default 1_700_000_000. */
	signedAt?: number;
	/** The URL a provider that signs the URL is configured with (`publicUrl`), for the kit's deliveries. */
	publicUrl?: string;
	/** Verify options for every check (a Custom builder's `hmac` / `jwt` settings, a provider's Audience…). */
	options?: Partial<VerifyOptions>;
	/** Extra signer input for the kit's deliveries (a Custom builder's `hmac` / `jwt` settings, a JWT's kid…). */
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
		/** Instead of `request`, when it names the kit's key server (an SNS SubscribeURL). */
		requestFor?: (server: KitServer) => Delivery;
		/** Signed by the kit first (an SNS SubscriptionConfirmation: its signature is in the body). */
		sign?: boolean;
		settings?: Partial<HandshakeSettings>;
		expect: { status: number; body?: unknown; headers?: Record<string, string>; confirmedPath?: string };
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

/** False for tokens and for JWTs that bind no body hash (Google Pub/Sub push): the entry must say so. */
function bodyIsSigned(entry: ProviderEntry): boolean {
	const recipe = entry.signature;
	if (recipe.kind === 'jwt') return recipe.bodyHashClaim !== undefined;
	return recipe.kind !== 'token' && recipe.kind !== 'none';
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

/** The recipe's JWKS URL, when its keys come from one. */
function jwksUrlOf(entry: ProviderEntry): string | undefined {
	const recipe = entry.signature;
	return (recipe.kind === 'jwt' || recipe.kind === 'publicKey') && recipe.jwksUrl ? recipe.jwksUrl : undefined;
}

/** Whether the verifier fetches keys (then the kit serves them from a loopback HTTPS server). */
function fetchesKeys(entry: ProviderEntry): boolean {
	return jwksUrlOf(entry) !== undefined || entry.signature.kind === 'awsSns';
}

/** The kit's key server: a loopback HTTPS server with a certificate for localhost, and key sources that trust it. */
interface KitKeys {
	server: KeyServer;
	sources: KeySources;
	/** The entry's scheme with its JWKS URL pointing at the key server (the rest of the entry unchanged). */
	scheme: SignatureScheme;
}

async function startKitKeys(entry: ProviderEntry, fixture: ProviderFixture): Promise<KitKeys> {
	const tls = makeSelfSignedCertificate();
	const server = await startHttpsKeyServer(tls);
	for (const [path, file] of Object.entries(fixture.keyServer?.files ?? {})) server.routes.set(path, text(file.body, 200, file.contentType ?? 'application/json'));
	// SubscribeURLs of SNS handshakes: any path under /confirm answers 200 (and is counted).
	server.routes.set('/', text('<ConfirmSubscriptionResponse/>', 200, 'text/xml'));
	const sources = testKeySources(tls);
	const jwksUrl = jwksUrlOf(entry);
	const recipe = entry.signature;
	const relocated =
		jwksUrl && (recipe.kind === 'jwt' || recipe.kind === 'publicKey') ? { ...entry, signature: { ...recipe, jwksUrl: `${server.origin}${new URL(jwksUrl).pathname}` } } : entry;
	return { server, sources, scheme: providerScheme(relocated) };
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
		let kitKeys: KitKeys | undefined;
		if (fetchesKeys(entry)) {
			beforeAll(async () => {
				kitKeys = await startKitKeys(entry, fixture);
			});
			afterAll(async () => await kitKeys?.server.close());
		}
		const schemeOf = (): SignatureScheme => kitKeys?.scheme ?? providerSchemeById(entry.id);
		const kitServer = (): KitServer => ({ origin: kitKeys?.server.origin ?? 'https://localhost', hitsFor: (path) => kitKeys?.server.hitsFor(path) ?? 0 });
		const vectorRequest = () => fixture.vector.requestFor?.(kitServer()) ?? fixture.vector.request;
		const keys = fixture.keys ?? { signingKey: fixture.vector.secrets.secret, secrets: fixture.vector.secrets };
		const signedAt = fixture.signedAt ?? 1_700_000_000;
		const window = windowOf(entry);
		const verifyAt = async (request: IncomingWebhook, secrets: SigningSecrets, nowSeconds: number, extra: Partial<VerifyOptions> = {}): Promise<VerificationResult> =>
			await schemeOf().verify(request, secrets, {
				nowSeconds,
				toleranceSeconds: window ?? 300,
				publicUrl: fixture.publicUrl,
				...(kitKeys ? { keySources: kitKeys.sources } : {}),
				...fixture.options,
				...extra,
			});
		const describeOf = (request: IncomingWebhook, result: VerificationResult) => schemeOf().describeEvent(request, parsedBody(request), expectOk(result));

		/** `delivery` signed as the provider signs it: headers from the catalogue's signer, or (SNS) the body rewritten. */
		const sign = (delivery: Delivery, timestampSeconds: number, id: string, signingKey = keys.signingKey): IncomingWebhook => {
			const request = incoming(delivery);
			if (entry.signature.kind === 'awsSns') {
				const certificateUrl = `${kitServer().origin}${fixture.keyServer?.signingCertificatePath ?? '/'}`;
				return { ...request, rawBody: signedSnsBody({ payload: request.rawBody, key: signingKey, url: certificateUrl }) };
			}
			const url = fixture.publicUrl ? fixture.publicUrl + (request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '') : undefined;
			const signature = schemeOf().sign!({
				payload: request.rawBody,
				key: signingKey,
				timestampSeconds,
				id,
				url,
				method: request.method,
				headers: delivery.headers,
				...fixture.signInput,
			});
			return { ...request, headers: { ...(request.headers as HeaderMap), ...signature } };
		};
		/** The kit's own delivery of `event(key, attempt)`, signed at `timestampSeconds`. */
		const signedDelivery = (key: string, attempt: number, timestampSeconds: number, signingKey?: string): IncomingWebhook =>
			sign(fixture.event(key, attempt), timestampSeconds, key, signingKey);

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
			const jwksUrl = jwksUrlOf(entry);
			if (jwksUrl) expect(jwksUrl).toMatch(/^https:\/\//);
			if (fetchesKeys(entry)) expect(keys.wrongSigningKey).toBeDefined();
		});

		if (entry.signature.kind === 'none') {
			it('accepts any request, and says that anyone can start the workflow', async () => {
				expectOk(await verifyAt(incoming(vectorRequest()), { secret: '' }, fixture.vector.nowSeconds));
				expectOk(await verifyAt(incoming({ body: 'anything' }), { secret: '' }, 0));
				expect((entry.caveats ?? []).join(' ')).toMatch(/anyone/i);
			});
			return;
		}

		it(`accepts its ${fixture.vector.source} vector (${fixture.vector.reference})`, async () => {
			const request = incoming(vectorRequest());
			const result = expectOk(await verifyAt(request, fixture.vector.secrets, fixture.vector.nowSeconds, fixture.vector.options));
			if (fixture.vector.expected) expect(schemeOf().describeEvent(request, parsedBody(request), result)).toMatchObject(fixture.vector.expected);
		});

		if (bodyIsSigned(entry)) {
			it('rejects the vector with a tampered body', async () => {
				const vector = vectorRequest();
				const body = fixture.vector.tamper ? Buffer.from(fixture.vector.tamper(String(vector.body))) : tamper(vector.body);
				expect(body.equals(incoming(vector).rawBody)).toBe(false);
				const request = incoming({ ...vector, body });
				expectReason(await verifyAt(request, fixture.vector.secrets, fixture.vector.nowSeconds, fixture.vector.options), 'invalid_signature');
			});
		} else {
			it('says the body is not authenticated (a token, not a signature)', () => {
				expect((entry.caveats ?? []).join(' ')).toMatch(/not authenticated|not the body|anyone/i);
			});
		}

		if (fetchesKeys(entry)) {
			it('rejects a delivery signed with another key than the provider publishes', async () => {
				const request = signedDelivery('event-a', 1, signedAt, keys.wrongSigningKey);
				expectReason(await verifyAt(request, keys.secrets, signedAt + 60), 'invalid_signature');
			});
		} else {
			it('rejects the vector under a wrong secret', async () => {
				const request = incoming(vectorRequest());
				const result = await verifyAt(request, wrongSecrets(fixture.vector.secrets), fixture.vector.nowSeconds, fixture.vector.options);
				expect(result.ok).toBe(false);
			});
		}

		it('accepts what the catalogue signs, with its event type', async () => {
			const request = signedDelivery('event-a', 1, signedAt);
			const result = await verifyAt(request, keys.secrets, signedAt);
			expect(describeOf(request, result).type).toBe(fixture.eventType);
		});

		if (window !== undefined && schemeOf().timestamped) {
			it(`enforces its ${window} s replay window, both ways`, async () => {
				const request = signedDelivery('event-a', 1, signedAt);
				expectOk(await verifyAt(request, keys.secrets, signedAt + window));
				expectOk(await verifyAt(request, keys.secrets, signedAt - window));
				expectReason(await verifyAt(request, keys.secrets, signedAt + window + 1), 'timestamp_out_of_tolerance');
				expectReason(await verifyAt(request, keys.secrets, signedAt - window - 1), 'timestamp_out_of_tolerance');
			});
		} else if (entry.signature.kind === 'jwt') {
			// The kit's tokens carry iat = signedAt and exp = signedAt + 300 (expired from exp on); the clock tolerance is 300 s.
			it('enforces the token\'s expiry and refuses a token issued in the future', async () => {
				const request = signedDelivery('event-a', 1, signedAt);
				expectOk(await verifyAt(request, keys.secrets, signedAt + 599));
				expectOk(await verifyAt(request, keys.secrets, signedAt - 300));
				expectReason(await verifyAt(request, keys.secrets, signedAt + 600), 'timestamp_out_of_tolerance');
				expectReason(await verifyAt(request, keys.secrets, signedAt - 301), 'timestamp_out_of_tolerance');
			});
		} else {
			it('has no signed timestamp, and says replays are only stopped by de-duplication', () => {
				expect(schemeOf().timestamped).toBe(false);
				if (entry.signature.kind !== 'custom') expect((entry.caveats ?? []).join(' ')).toMatch(/replay/i);
			});
		}

		it('gives a retry the same event id and another event a different one (or none, with the reason)', async () => {
			const first = signedDelivery('event-a', 1, signedAt);
			const retry = signedDelivery('event-a', 2, signedAt + 60);
			const other = signedDelivery('event-b', 1, signedAt + 60);
			const id = async (request: IncomingWebhook) => describeOf(request, await verifyAt(request, keys.secrets, signedAt + 60)).id;
			if ('none' in entry.eventId) {
				expect(await id(first)).toBeUndefined();
				expect(await id(other)).toBeUndefined();
				return;
			}
			expect(await id(first)).toBeDefined();
			expect(await id(retry)).toBe(await id(first));
			expect(await id(other)).toBeDefined();
			expect(await id(other)).not.toBe(await id(first));
		});

		for (const handshake of fixture.handshakes ?? []) {
			it(`answers its handshake: ${handshake.name}`, async () => {
				const settings = { verifyToken: '', ...handshake.settings };
				const delivery = handshake.requestFor?.(kitServer()) ?? handshake.request;
				const request = handshake.sign ? sign(delivery, signedAt, 'handshake') : incoming(delivery);
				const asReceived = { ...request, body: parsedBody(request) };
				const match = matchHandshake(entry.handshakes, handshake.phase, asReceived, settings);
				if (match && 'rule' in match && 'confirmSubscription' in match.rule.respond) {
					// Confirmed only once the message verified, with the SubscribeURL it carries (requestChecks.ts).
					const verification = expectOk(await verifyAt(request, keys.secrets, signedAt));
					expect(verification.subscribeUrl).toBeDefined();
					expect(await confirmSnsRecipeSubscription(verification.subscribeUrl!, { keySources: kitKeys?.sources })).toBe(handshake.expect.status === 200);
					if (handshake.expect.confirmedPath) expect(kitServer().hitsFor(handshake.expect.confirmedPath)).toBe(1);
					return;
				}
				const answer = answerHandshake(entry.handshakes, handshake.phase, asReceived, settings, { secrets: keys.secrets, matched: 'current' });
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

		it('never throws on and never accepts garbage headers', async () => {
			const headerValue = fc.oneof(
				fc.string(),
				fc.string({ unit: 'binary', maxLength: 200 }),
				fc.constantFrom('', ' ', ',', '=', 'v1,', 'v0=', 'sha256=', 't=,v1=', 'v1a,====', '1e3', '-1', 'NaN', 'Bearer ', 'Basic x'),
				fc.string({ minLength: 5000, maxLength: 20000 }),
				fc.array(fc.string(), { minLength: 0, maxLength: 3 }),
			);
			const names = fixture.garbageHeaders ?? recipeHeaders(entry, schemeOf());
			await fc.assert(
				fc.asyncProperty(
					fc.record(Object.fromEntries(names.map((name) => [name, headerValue])), { requiredKeys: [] }),
					fc.uint8Array({ maxLength: 64 }),
					async (headers, body) => {
						const request = incoming({ body: Buffer.from(body), headers: headers as Record<string, string> });
						const result = await verifyAt(request, keys.secrets, signedAt);
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
