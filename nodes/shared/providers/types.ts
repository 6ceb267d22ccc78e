import type { HmacRecipe, SignatureLocation, TimestampRule } from '../verify/hmacRecipe';
import type { TokenRecipe } from '../verify/staticToken';
import type {
	HmacAlgorithm,
	IncomingWebhook,
	JwtAlgorithm,
	SignInput,
	SignatureEncoding,
	SigningSecrets,
	VerificationResult,
	VerifyOptions,
} from '../verify/types';

export type { HmacRecipe, SignatureLocation, TimestampRule, TokenRecipe };

/**
 * The catalogue's groups, in the order the editor lists them. An option's name is `<label>: <provider>` ("AI: OpenAI"),
 * which keeps n8n's sorted-by-name rule and groups the searchable list at once.
 */
export const PROVIDER_GROUPS = {
	ai: 'AI',
	cloud: 'Cloud',
	commerce: 'Commerce',
	crm: 'CRM',
	content: 'Content',
	custom: 'Custom',
	devtools: 'Dev Tools',
	identity: 'Identity',
	messaging: 'Messaging',
	payments: 'Payments',
	productivity: 'Productivity',
	standards: 'Standard',
} as const;

export type ProviderGroup = keyof typeof PROVIDER_GROUPS;

/**
 * Where a value (event type, event id, handshake field) is found in a request:
 * - `{ header }`: a request header (first value)
 * - `{ body }`: a dot path into the parsed body, JSON or form (`data.object.id`, `entry[0].changes[0].field`)
 * - `{ query }`: a query-string parameter
 * - `{ jsonIn, path }`: a body field that holds JSON text, and a path into it (Slack interactivity's `payload`)
 * - `{ verified: 'id' }`: the id the verifier read from signed headers (Standard Webhooks `webhook-id`, a JWT's `jti`)
 * - `{ claim }`: a verified JWT claim
 * - `{ join, separator }`: several sources joined; the first is required, the others are appended when present
 *   (GitHub's `issues` + `opened` → `issues.opened`)
 * - `{ bodyHash: 'sha256' }`: the hex SHA-256 of the raw body (an id for providers that send none)
 *
 * Strings and finite numbers are read (numbers as text); a repeated form field gives its first value.
 */
export type ValueSource =
	| { header: string }
	| { body: string }
	| { query: string }
	| { jsonIn: string; path: string }
	| { verified: 'id' }
	| { claim: string }
	| { join: readonly ValueSource[]; separator: string }
	| { bodyHash: 'sha256' };

/** How the catalogue finds an event's id: the first source that yields a value, or none, with the reason why. */
export type EventIdRule = readonly ValueSource[] | { none: string };

/** Public-key signatures (Ed25519, ECDSA P-256, RSA) over a signed-content template. Verifier: nodes/shared/verify/publicKeySignature.ts. */
export interface PublicKeyRecipe {
	kind: 'publicKey';
	algorithm: 'ed25519' | 'ecdsaP256Sha256' | 'rsaPkcs1Sha256' | 'rsaPssSha256';
	signature: SignatureLocation;
	encoding: SignatureEncoding;
	/** ECDSA only: ASN.1 DER (default) or raw r‖s (IEEE P1363). */
	ecdsaFormat?: 'der' | 'ieee-p1363';
	signedContent: string;
	timestamp?: TimestampRule;
	/** A key the provider publishes for everyone (PEM or JWK JSON); otherwise the credential's Public Key field. */
	publishedKey?: string;
	/**
	 * The provider's key set (JWKS, https), for providers that rotate keys and send no `kid`: each key of the
	 * algorithm's type is tried (fetched with jwks.ts's rules: timeout, size cap, cache, at most one re-fetch a minute
	 * when no key matches). A key in the credential's Public Key takes precedence (pinning one key).
	 */
	jwksUrl?: string;
}

/**
 * A JWT per request: the credential's secret (HS*) or public key (RS/ES), or keys from a JWKS by `kid`. Verifier:
 * nodes/shared/verify/jwtRecipe.ts (over jwt.ts and jwtJwks.ts).
 */
export interface JwtRecipe {
	kind: 'jwt';
	/** `bearer`: `required` (`Authorization: Bearer <jwt>`), `optional` (with or without; LiveKit sends none). */
	token: { header: string; bearer?: 'required' | 'optional' };
	algorithms: readonly JwtAlgorithm[];
	/** Keys by `kid` (fetched with a timeout and size cap, cached, host pinned): RS/PS/ES only. Verifier: jwks.ts. */
	jwksUrl?: string;
	issuer?: string | readonly string[];
	/**
	 * Expected `aud`: a fixed value, or `configured` for the node's Audience setting (Google Pub/Sub push); a
	 * `configured` audience left empty verifies nothing (`missing_key`).
	 */
	audience?: string;
	/** Default true: a token without `exp` never expires, so it is refused unless this is false. */
	requireExp?: boolean;
	/** Refuse tokens whose `iat` is older than this. */
	maxAgeSeconds?: number;
	/** A claim that must hold the SHA-256 of the raw body, binding the token to this request. */
	bodyHashClaim?: string;
	/** How the body-hash claim writes the hash: `hex` (default) or `base64` (LiveKit). */
	bodyHashEncoding?: 'hex' | 'base64';
	/** Claims that must hold exactly these values (`email_verified: true`). */
	requiredClaims?: Readonly<Record<string, string | boolean>>;
	/**
	 * Claims that must equal a node setting (Pub/Sub: `email` = the push subscription's service account). A setting
	 * left empty verifies nothing (`missing_key`): without it any sender who can mint such tokens would pass.
	 */
	claimsFromSettings?: Readonly<Record<string, 'serviceAccountEmail'>>;
}

/** AWS SNS HTTP(S) messages: certificate-signed (SignatureVersion 1/2). Verifier: nodes/shared/verify/awsSns.ts. */
export interface AwsSnsRecipe {
	kind: 'awsSns';
	/** `configured`: the message's TopicArn must equal the node's Topic ARN setting. */
	topicArn?: 'configured';
}

/** Names of the algorithms that cannot be a recipe (special/index.ts). */
export type SpecialVerifierName = 'standardWebhooks' | 'twilio' | 'discord';

/** An algorithm that cannot be written as a recipe, behind the same interface: special/<name>.ts. */
export interface SpecialRecipe {
	kind: 'special';
	verifier: SpecialVerifierName;
	/** What the verifier reads as its timestamp and the provider's window (for the docs and the default window). */
	timestamp?: TimestampRule;
}

/** The Custom builders: the recipe comes from the node's parameters (VerifyOptions.hmac / .jwt). */
export interface CustomRecipe {
	kind: 'custom';
	builder: 'hmac' | 'jwt';
}

export interface NoneRecipe {
	kind: 'none';
}

export type SignatureRecipe = HmacRecipe | TokenRecipe | PublicKeyRecipe | JwtRecipe | AwsSnsRecipe | SpecialRecipe | CustomRecipe | NoneRecipe;

/** What a special verifier provides; the entry supplies everything else (events, handshakes, content types). */
export interface SpecialVerifier {
	readonly sensitiveHeaders: readonly string[];
	readonly timestamped: boolean;
	verify(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult;
	sign?(input: SignInput): Record<string, string>;
}

/** A condition on a request; all of a handshake's conditions must hold. */
export type Condition =
	| { source: ValueSource; equals: string | number | boolean }
	| { source: ValueSource; present: true }
	/** Equal, in constant time, to the node's Verify Token setting (Meta's subscription check). */
	| { source: ValueSource; equalsSetting: 'verifyToken' };

/** A value in a handshake's answer. */
export type ResponseValue =
	| ValueSource
	| { literal: string | number | boolean }
	/**
	 * HMAC of a request value with the secret (Zoom's `encryptedToken`, X's CRC `response_token`). `pattern` limits
	 * what is signed: an unsigned handshake that MACs any text would sign forged events for anyone who asks.
	 */
	| { hmacOf: ValueSource; algorithm: HmacAlgorithm; encoding: SignatureEncoding; prefix?: string; pattern?: RegExp };

export type HandshakeResponse =
	/** A JSON object (Slack `{challenge}`, Zoom `{plainToken, encryptedToken}`, Discord `{type: 1}`). */
	| { json: Readonly<Record<string, ResponseValue>> }
	/** Plain text (Dropbox, Twitch, Meta, Microsoft Graph). */
	| { text: ResponseValue; headers?: Readonly<Record<string, string>> }
	/** An empty 200 with these headers (Asana's `X-Hook-Secret`). */
	| { headers: Readonly<Record<string, ResponseValue>> }
	/** AWS SNS: confirm the subscription by fetching its SubscribeURL, only after the message verified. */
	| { confirmSubscription: 'awsSns' };

/** A provider's endpoint check, answered by the trigger itself and never starting an execution. */
export interface HandshakeRule {
	/**
	 * `signed`: the request is verified like any event first (Slack, Zoom, Discord, Twitch). `unsigned`: it carries no
	 * signature and is answered before verification (Dropbox and X GET challenges, Asana, Microsoft Graph, Meta).
	 */
	phase: 'signed' | 'unsigned';
	/**
	 * The method it comes with; default: the node's HTTP method. `OPTIONS` (CloudEvents abuse protection, Azure Event
	 * Grid) is answered before any other check but the rate limit; note that n8n 2.x answers OPTIONS requests itself
	 * (CORS preflight, 204) without calling the node, so such a rule only works where the request reaches it.
	 */
	method?: 'GET' | 'POST' | 'OPTIONS';
	/** What makes a request this handshake. */
	when: readonly Condition[];
	/** What it must also satisfy, else 403 (Meta's verify token). */
	require?: readonly Condition[];
	respond: HandshakeResponse;
	docsUrl: string;
}

/** Node settings a provider needs besides the credential. */
export type ProviderSetting = 'publicUrl' | 'verifyToken' | 'audience' | 'serviceAccountEmail' | 'topicArn';

/**
 * Where the vector a provider is tested with comes from: `official` (published in its docs or SDK test suite),
 * `sdk` (made with its official SDK), `docs` (derived from the algorithm in its docs), `none` (nothing to test
 * a signature with: unsigned).
 */
export interface VectorProvenance {
	source: 'official' | 'sdk' | 'docs' | 'none';
	/** URL, SDK file and line, or package@version and function. */
	reference: string;
}

/** One provider, as data. */
export interface ProviderEntry {
	/** Stable: saved in workflows (the first twelve are the trigger's old `scheme` values). Never rename. */
	id: string;
	displayName: string;
	group: ProviderGroup;
	/** Other names users look for (products sending the same webhooks: "WhatsApp", "Svix"). */
	aliases?: readonly string[];
	/** The provider's page that defines its webhooks' signature. */
	docsUrl: string;
	/** The official SDK source followed, if any. */
	sdkUrl?: string;
	signature: SignatureRecipe;
	/** Headers besides the signature header that carry secrets or signatures (redacted in outputs). */
	sensitiveHeaders?: readonly string[];
	/** Where the event type is: the first source that yields a value. Empty: none. */
	eventType: readonly ValueSource[];
	/** Where the event id the de-duplication uses is, or why there is none. */
	eventId: EventIdRule;
	/** What a retry and a manual redelivery keep (from the provider's docs): why `eventId` is a stable id. */
	redelivery: string;
	/** Media types the provider sends: the default for Allowed Content Types. */
	contentTypes: readonly string[];
	handshakes?: readonly HandshakeRule[];
	settings?: readonly ProviderSetting[];
	/** What to paste into the credential and where the provider shows it. */
	secretHelp: string;
	vectors: VectorProvenance;
	/** What users must know: token not signature, signs a URL, no timestamp (replay window only by de-duplication). */
	caveats?: readonly string[];
}
