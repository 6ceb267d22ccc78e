import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { genericHmacProperties } from '../shared/genericHmacParameters';
import { CUSTOM_HANDSHAKE_PROVIDERS, customHandshakeProperties, customHmacProperties, customJwtProperties, customTokenProperties } from './customBuilders';
import { providerSettingProperties } from './providerSettings';
import { PROVIDERS } from '../shared/providers/catalogue';
import { isProviderAvailable } from '../shared/providers/providerScheme';
import { PROVIDER_GROUPS, type ProviderEntry, type ProviderSetting, type ValueSource } from '../shared/providers/types';
import { MAX_REPLAY_MAX_ENTRIES } from '../shared/stores/replayStore';
import { MAX_PROCESS_REPLAY_ENTRIES } from '../shared/stores/storeRegistry';

export const DEFAULT_RESPONSE_BODY = '{"status":"accepted"}';

/** typeVersion 1 and 2 choose a `scheme`; typeVersion 3 a catalogue `provider`. */
const LEGACY_VERSIONS = [1, 2];
const PROVIDER_VERSIONS = [3];

/** The provider typeVersion 3 starts with, as typeVersion 1 and 2 start with the same scheme. */
export const DEFAULT_PROVIDER = 'standardWebhooks';

const legacyOnly = (show: NonNullable<IDisplayOptions['show']> = {}): IDisplayOptions => ({ show: { ...show, '@version': LEGACY_VERSIONS } });
const providerOnly = (show: NonNullable<IDisplayOptions['show']> = {}): IDisplayOptions => ({ show: { ...show, '@version': PROVIDER_VERSIONS } });

/** Catalogue entries a typeVersion 3 node can use: listed once their verifier exists. */
const OFFERED = PROVIDERS.filter(isProviderAvailable);

/** The ids of offered providers that need a node setting (Public URL, Verify Token). */
function providersNeeding(setting: ProviderSetting): string[] {
	return OFFERED.filter((entry) => entry.settings?.includes(setting)).map((entry) => entry.id);
}

/** The ids of offered providers answering a GET handshake: the editor lists the GET URL for them only. */
export const GET_HANDSHAKE_PROVIDERS = OFFERED.filter((entry) => entry.handshakes?.some((rule) => rule.method === 'GET')).map(
	(entry) => entry.id,
);

/** One line under each option: how the provider is verified. */
function verificationSummary(entry: ProviderEntry): string {
	const recipe = entry.signature;
	switch (recipe.kind) {
		case 'hmac':
			return `${recipe.algorithm.toUpperCase()} HMAC in ${recipe.signature.header}${recipe.timestamp ? ', timestamped' : ''}`;
		case 'token':
			if (entry.group === 'custom') return 'A shared token in a header (with or without Bearer), HTTP Basic credentials, or the query string';
			if ('basicAuth' in recipe.location) return 'HTTP Basic credentials (not a signature)';
			if ('query' in recipe.location) return `Token in the ?${recipe.location.query}= query parameter (not a signature)`;
			return `Token in ${recipe.location.header} (not a signature)`;
		case 'special':
			return {
				standardWebhooks: 'webhook-id, webhook-timestamp and webhook-signature headers (v1 HMAC, v1a Ed25519)',
				twilio: 'X-Twilio-Signature over the public URL and form fields',
				discord: 'X-Signature-Ed25519 with the application\'s public key',
			}[recipe.verifier];
		case 'custom':
			return recipe.builder === 'hmac'
				? 'Any HMAC signature header: algorithm, encoding, prefix and signed content are configurable'
				: 'A signed JSON Web Token in Authorization: Bearer or a named header';
		case 'none':
			return 'Accept unsigned requests. Anyone who knows the URL can start the workflow.';
		case 'publicKey':
			return `${{ ed25519: 'Ed25519', ecdsaP256Sha256: 'ECDSA P-256', rsaPkcs1Sha256: 'RSA', rsaPssSha256: 'RSA-PSS' }[recipe.algorithm]} signature in ${recipe.signature.header}${recipe.timestamp ? ', timestamped' : ''}`;
		case 'jwt':
			return `A signed JWT in ${recipe.token.header}${recipe.jwksUrl ? ', keys fetched from the provider' : ''}`;
		case 'awsSns':
			return 'The message\'s own signature, checked with the SNS certificate; confirms the subscription';
	}
}

/**
 * The Provider list: "<Group>: <Provider>" sorted by name (n8n's rule for options), which also keeps each group
 * together; the editor's dropdown filters as you type.
 */
export const providerOptions: INodePropertyOptions[] = OFFERED.map((entry) => ({
	name: `${PROVIDER_GROUPS[entry.group]}: ${entry.displayName}`,
	value: entry.id,
	description: verificationSummary(entry),
})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** The providers' plain names, for the canvas subtitle. */
export const providerNames: INodePropertyOptions[] = OFFERED.map((entry) => ({ name: entry.displayName, value: entry.id }));

/** Under the chosen provider: what to paste into the credential, where the provider shows it, and its caveats. */
const providerNotices: INodeProperties[] = OFFERED.map((entry) => ({
	displayName: [`Credential: ${entry.secretHelp}`, ...(entry.caveats ?? [])].join(' '),
	name: `providerNotice_${entry.id}`,
	type: 'notice',
	default: '',
	displayOptions: providerOnly({ provider: [entry.id] }),
}));

const schemeOptions: INodePropertyOptions[] = [
	{ name: 'Discord (Ed25519)', value: 'discord', description: 'X-Signature-Ed25519 over timestamp and body; needs the public key' },
	{ name: 'Generic HMAC', value: 'hmac', description: 'Any HMAC signature header: algorithm, encoding, prefix and signed content are configurable' },
	{ name: 'GitHub', value: 'github', description: 'X-Hub-Signature-256 (HMAC-SHA256)' },
	{ name: 'GitLab', value: 'gitlab', description: 'X-Gitlab-Token secret token' },
	{ name: 'JWT', value: 'jwt', description: 'A signed JSON Web Token in Authorization: Bearer or a named header' },
	{ name: 'Meta (Facebook, Instagram, WhatsApp)', value: 'meta', description: 'X-Hub-Signature-256 with the app secret, plus the GET subscription check' },
	{ name: 'None (No Verification)', value: 'none', description: 'Accept unsigned requests. Anyone who knows the URL can start the workflow.' },
	{ name: 'OpenAI / Standard Webhooks / Svix', value: 'standardWebhooks', description: 'Webhook-ID, webhook-timestamp and webhook-signature headers (OpenAI, Svix, Resend, Clerk…)' },
	{ name: 'Shopify', value: 'shopify', description: 'X-Shopify-Hmac-Sha256 (base64)' },
	{ name: 'Slack', value: 'slack', description: 'X-Slack-Signature over v0:timestamp:body; answers URL verification' },
	{ name: 'Stripe', value: 'stripe', description: 'Stripe-Signature: t=…,v1=…' },
	{ name: 'Twilio', value: 'twilio', description: 'X-Twilio-Signature over the public URL and form parameters' },
	{ name: 'Zoom', value: 'zoom', description: 'X-Zm-Signature; answers endpoint URL validation' },
];

function shortSourceText(source: ValueSource): string {
	if ('header' in source) return source.header;
	if ('body' in source) return source.body.split('.').pop() ?? source.body;
	return sourceText(source);
}

/** A value source as the Event Types placeholder names it: body.type, header x-shopify-topic, ?name. */
function sourceText(source: ValueSource): string {
	if ('header' in source) return `header ${source.header}`;
	if ('body' in source) return source.body.startsWith('[') ? `body${source.body}` : `body.${source.body}`;
	if ('query' in source) return `?${source.query}`;
	if ('jsonIn' in source) return `${source.jsonIn} → ${source.path}`;
	if ('claim' in source) return `claim ${source.claim}`;
	// Joined values read as one: x-github-event.action, object.field.
	if ('join' in source) return source.join.map(shortSourceText).join(source.separator);
	return 'the verified ID';
}

/** Where the provider's event type comes from, in the Event Types field while it is empty. */
export function eventTypesPlaceholder(entry: ProviderEntry): string {
	if (entry.group === 'custom') return 'Values read by Options → Event Type From; * wildcards';
	const [first, ...others] = entry.eventType;
	if (first === undefined) return `${entry.displayName} sends no event type: leave empty`;
	return `Values of ${sourceText(first)}${others.length > 0 ? ' (or …)' : ''}, comma-separated; * wildcards`;
}

function eventTypesProperty(placeholder: string, displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Event Types',
		name: 'events',
		type: 'string',
		default: '',
		placeholder,
		description:
			'Comma-separated event types to accept, with * wildcards (response.*). A type without a wildcard also matches its sub-types (issues matches issues.opened). Empty accepts all. Other verified events are answered 200 "ignored" without starting the workflow.',
		displayOptions,
	};
}

/** One Event Types field per placeholder the catalogue yields, shown for the providers it describes. */
function eventTypesPerProvider(): INodeProperties[] {
	const byPlaceholder = new Map<string, string[]>();
	for (const entry of OFFERED) {
		const placeholder = eventTypesPlaceholder(entry);
		byPlaceholder.set(placeholder, [...(byPlaceholder.get(placeholder) ?? []), entry.id]);
	}
	return [...byPlaceholder].map(([placeholder, ids]) => eventTypesProperty(placeholder, providerOnly({ provider: ids })));
}

/** The Custom JWT builder's parameters. */
function jwtProperties(displayOptions: IDisplayOptions): INodeProperties[] {
	const withoutBodyHash: IDisplayOptions = { show: { ...displayOptions.show, jwtBodyHashClaim: [''] } };
	return [
		{
			displayName: 'Token Header',
			name: 'jwtTokenHeader',
			// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing -- a header name, not a token
			type: 'string',
			default: 'authorization',
			description: 'Header that carries the token. "authorization" reads Authorization: Bearer &lt;token&gt;.',
			displayOptions,
		},
		{
			displayName: 'Algorithms',
			name: 'jwtAlgorithms',
			type: 'multiOptions',
			options: [
				{ name: 'ES256', value: 'ES256' },
				{ name: 'ES384', value: 'ES384' },
				{ name: 'ES512', value: 'ES512' },
				{ name: 'HS256', value: 'HS256' },
				{ name: 'HS384', value: 'HS384' },
				{ name: 'HS512', value: 'HS512' },
				{ name: 'RS256', value: 'RS256' },
				{ name: 'RS384', value: 'RS384' },
				{ name: 'RS512', value: 'RS512' },
			],
			default: ['HS256'],
			description: 'Accepted algorithms. HS* use the secret, RS*/ES* the public key of the credential.',
			displayOptions,
		},
		{
			displayName: 'Issuer',
			name: 'jwtIssuer',
			type: 'string',
			default: '',
			description: 'Expected iss claim. Empty: not checked.',
			displayOptions,
		},
		{
			displayName: 'Audience',
			name: 'jwtAudience',
			type: 'string',
			default: '',
			description: 'Expected aud claim. Empty: not checked.',
			displayOptions,
		},
		{
			displayName: 'Body Hash Claim',
			name: 'jwtBodyHashClaim',
			type: 'string',
			default: '',
			placeholder: 'body_sha256',
			description: 'Claim that must hold the SHA-256 (hex) of the raw body, binding the token to this request. Empty: not checked.',
			displayOptions,
		},
		{
			displayName:
				'Without a Body Hash Claim the token does not cover the body: whoever captures one request can send any body with its token until the token expires.',
			name: 'jwtNoBodyHashNotice',
			type: 'notice',
			default: '',
			displayOptions: withoutBodyHash,
		},
		{
			displayName: 'Require Expiry (Exp)',
			name: 'jwtRequireExp',
			type: 'boolean',
			default: true,
			description: 'Whether to refuse tokens without an exp claim. A token without one never expires: a captured token could be replayed forever.',
			displayOptions,
		},
		{
			displayName: 'Max Token Age (Seconds)',
			name: 'jwtMaxAgeSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Refuse tokens whose iat is this old or older (plus the tolerance). 0: no limit. Tokens without iat are refused when set.',
			displayOptions,
		},
	];
}

/** Where the Custom builders (typeVersion 1 and 2) read the event type and ID. */
function eventLocationProperties(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Event Type From',
			name: 'eventTypePath',
			type: 'string',
			default: '',
			placeholder: 'type or header:x-event-type',
			description: 'Where the event type is: a dot path into the JSON body, or header:&lt;name&gt;',
			displayOptions,
		},
		{
			displayName: 'Event ID From',
			name: 'eventIdPath',
			type: 'string',
			default: '',
			placeholder: 'ID or header:x-request-ID',
			description: 'Where the unique event ID is (for de-duplication): a dot path into the JSON body, or header:&lt;name&gt;',
			displayOptions,
		},
	];
}

/** The URL the provider is configured to call (Twilio, `{url}` templates). */
function publicUrlProperty(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Public URL',
		name: 'publicUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/twilio-sms',
		description:
			'The production webhook URL exactly as configured at the provider (for Twilio: in its console), without query string. Twilio, and Signed Content templates with the URL placeholder, sign this URL; behind a proxy n8n cannot see it. While you listen in the editor, the test URL is derived from it (…/webhook/… → …/webhook-test/…).',
		displayOptions,
	};
}

/** Meta's subscription check token. */
function verifyTokenProperty(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Verify Token',
		name: 'verifyToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'The Verify Token you entered in Meta\'s webhook settings; answers the GET subscription check',
		displayOptions,
	};
}

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'HTTP Method',
		name: 'httpMethod',
		type: 'options',
		options: [
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'POST',
		description: 'The HTTP method the provider sends events with. GET is answered too: for Meta\'s subscription check, otherwise with 405.',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'Empty: the node\'s webhook ID',
		hint: 'Empty: n8n uses the node\'s webhook ID (a UUID), as for its own Webhook node. The URLs are listed above.',
		description:
			'The path of the webhook URL: /webhook/&lt;path&gt; in production, /webhook-test/&lt;path&gt; while listening in the editor. Empty: the node\'s webhook ID.',
	},
	{
		displayName: 'Signature Scheme',
		name: 'scheme',
		type: 'options',
		options: schemeOptions,
		default: 'standardWebhooks',
		description: 'How the sender signs its requests. The signature is verified over the exact bytes received.',
		displayOptions: legacyOnly(),
	},
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: providerOptions,
		default: DEFAULT_PROVIDER,
		description:
			'Who sends the webhooks. Type to search. Choosing a provider sets how requests are verified, where the event type and ID are, the content types and any handshake; Options can override them. Custom entries take their settings below.',
		displayOptions: providerOnly(),
	},
	...providerNotices,
	{
		displayName:
			'Without verification anyone who knows this URL can start the workflow with any payload. Choose a signature scheme unless the URL is protected in another way.',
		name: 'noVerificationNotice',
		type: 'notice',
		default: '',
		displayOptions: legacyOnly({ scheme: ['none'] }),
	},
	{
		displayName: 'Tolerance (Seconds)',
		name: 'toleranceSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description: 'Requests whose signed timestamp is older than this, or this far in the future, are rejected (replay protection)',
		displayOptions: legacyOnly({ scheme: ['standardWebhooks', 'stripe', 'slack', 'zoom', 'discord', 'hmac', 'jwt'] }),
	},
	eventTypesProperty('response.completed, response.failed', legacyOnly()),
	...eventTypesPerProvider(),
	...genericHmacProperties(legacyOnly({ scheme: ['hmac'] })),
	...genericHmacProperties(providerOnly({ provider: ['hmac'] })),
	...customHmacProperties({ provider: ['hmac'] }),
	...customTokenProperties({ provider: ['token'] }),
	...customHandshakeProperties({ provider: CUSTOM_HANDSHAKE_PROVIDERS }),
	...jwtProperties(legacyOnly({ scheme: ['jwt'] })),
	...jwtProperties(providerOnly({ provider: ['jwt'] })),
	...customJwtProperties({ provider: ['jwt'] }),
	...eventLocationProperties(legacyOnly({ scheme: ['hmac', 'jwt', 'none'] })),
	publicUrlProperty(legacyOnly({ scheme: ['twilio'] })),
	publicUrlProperty(providerOnly({ provider: [...providersNeeding('publicUrl'), 'hmac'] })),
	verifyTokenProperty(legacyOnly({ scheme: ['meta'] })),
	verifyTokenProperty(providerOnly({ provider: providersNeeding('verifyToken') })),
	...providerSettingProperties(providersNeeding),
	{
		displayName: 'De-Duplication Store',
		name: 'dedupeStore',
		type: 'options',
		options: [
			{ name: 'Memory (This Process Only)', value: 'memory' },
			{ name: 'Off', value: 'off' },
			{ name: 'Redis (Queue Mode, Several Webhook Processes)', value: 'redis' },
		],
		default: 'memory',
		description:
			'Where accepted event IDs are remembered so that a repeated delivery does not start the workflow twice. Use Redis when several n8n webhook processes serve this URL.',
	},
	{
		displayName: 'Respond',
		name: 'responseMode',
		type: 'options',
		options: [
			{ name: 'Immediately', value: 'onReceived', description: 'As soon as the event is accepted (providers time out after 5–10 s)' },
			{ name: 'When Last Node Finishes', value: 'lastNode', description: 'With the output of the last node executed' },
			{ name: "Using 'Respond to Webhook' Node", value: 'responseNode', description: 'Response defined in that node' },
		],
		default: 'onReceived',
	},
	{
		displayName: 'Options',
		name: 'settings',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Allowed Content Types',
				name: 'allowedContentTypes',
				type: 'string',
				default: 'application/json',
				description:
					'Comma-separated media types; others are answered 415. Without this option, the content types the provider sends (Twilio and Slack also send application/x-www-form-urlencoded; the Custom entries expect JSON).',
			},
			{
				displayName: 'Client IP Allow-List',
				name: 'ipAllowList',
				type: 'string',
				default: '',
				placeholder: '192.30.252.0/22, 2001:db8::/32',
				description: 'Comma-separated IPv4/IPv6 addresses and CIDR ranges. Empty allows all. Others are answered 403.',
			},
			{
				displayName: 'Credential Cache (Seconds)',
				name: 'credentialCacheSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description:
					'How long each n8n process reuses the decrypted credential instead of reading it for every request. A request that fails verification reads it again (at most once a second), so a new secret applies at once; a removed secret can still verify for up to this long. 0 reads it for every request. Test URLs always read it.',
			},
			{
				displayName: 'De-Duplicate on Body Hash Too',
				name: 'dedupeBodyHash',
				type: 'boolean',
				default: true,
				description:
					'Whether a request whose exact body was already accepted is a duplicate even with another event ID. Without a signed timestamp (GitHub, Shopify, GitLab, Meta, Twilio…) this stops a captured delivery replayed with a changed delivery header. Default in typeVersion 3: on for providers without a signed timestamp; off in 1 and 2.',
			},
			{
				displayName: 'De-Duplication Max Entries',
				name: 'dedupeMaxEntries',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_REPLAY_MAX_ENTRIES, numberPrecision: 0 },
				default: 100000,
				description:
					`Memory store only: the most event IDs remembered (at most ${MAX_REPLAY_MAX_ENTRIES.toLocaleString('en-US')}); the oldest are forgotten first. All triggers of an n8n process together keep at most ${MAX_PROCESS_REPLAY_ENTRIES.toLocaleString('en-US')} IDs in memory; use Redis for more.`,
			},
			{
				displayName: 'De-Duplication Window (Seconds)',
				name: 'dedupeTtlSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 86400,
				description: 'How long an accepted event ID is remembered',
			},
			{
				displayName: 'Event ID From',
				name: 'eventIdPath',
				type: 'string',
				default: '',
				placeholder: 'ID or header:x-request-ID',
				description:
					'Overrides where the provider\'s event ID is (the de-duplication key): a dot path into the body, or header:&lt;name&gt;. It must stay the same when the sender retries an event.',
				displayOptions: { show: { '@version': PROVIDER_VERSIONS } },
			},
			{
				displayName: 'Event Type From',
				name: 'eventTypePath',
				type: 'string',
				default: '',
				placeholder: 'type or header:x-event-type',
				description: 'Overrides where the provider\'s event type is: a dot path into the body, or header:&lt;name&gt;',
				displayOptions: { show: { '@version': PROVIDER_VERSIONS } },
			},
			{
				displayName: 'Include Body in Rejected Output',
				name: 'includeRejectedBody',
				type: 'boolean',
				default: false,
				description: 'Whether rejected items carry the request body (size-capped). Off by default: rejected bodies are untrusted input.',
			},
			{
				displayName: 'JSON Schema',
				name: 'schema',
				type: 'json',
				default: '',
				description: 'Payloads that do not match are answered 422 with the first errors (paths and messages only)',
			},
			{
				displayName: 'Max Body Size (Bytes)',
				name: 'maxBodyBytes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1048576,
				description: 'Larger requests are answered 413',
			},
			{
				displayName: 'Rate Limit (Requests per Second)',
				name: 'rateLimitPerSecond',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Per client IP; over the limit is answered 429 with Retry-After. 0 turns it off.',
			},
			{
				displayName: 'Rate Limit Burst',
				name: 'rateLimitBurst',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 20,
				description: 'Requests a client may send at once before the rate applies',
			},
			{
				displayName: 'Rate Limit Store',
				name: 'rateLimitStore',
				type: 'options',
				options: [
					{ name: 'Memory (This Process Only)', value: 'memory' },
					{ name: 'Redis (Shared by All Webhook Processes)', value: 'redis' },
				],
				default: 'memory',
			},
			{
				displayName: 'Rejected Output',
				name: 'rejectedOutput',
				type: 'boolean',
				default: false,
				description:
					'Whether to add a second output, "Rejected", with one item per rejected request (reason, status, client IP, redacted headers) for audit workflows. Each rejection then starts an execution.',
			},
			{
				displayName: 'Replay Window (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description:
					'Overrides the provider\'s window: a signed timestamp older than this, or this far in the future, is rejected. Without this option each provider uses the window its docs recommend.',
				displayOptions: { show: { '@version': PROVIDER_VERSIONS } },
			},
			{
				displayName: 'Response Body',
				name: 'responseBody',
				type: 'string',
				default: DEFAULT_RESPONSE_BODY,
				description: 'Sent when an event is accepted (Respond: Immediately)',
			},
			{
				displayName: 'Response Code',
				name: 'responseCode',
				type: 'number',
				typeOptions: { minValue: 200, maxValue: 299 },
				default: 200,
				description: 'Sent when an event is accepted (Respond: Immediately)',
			},
			{
				displayName: 'Split Batches',
				name: 'splitBatches',
				type: 'boolean',
				default: false,
				description:
					'Whether a verified batch (a JSON array of events, an object with an events array, or NDJSON) becomes one item per event in one execution, each event de-duplicated and filtered on its own ID and type. For NDJSON add application/x-ndjson to Allowed Content Types.',
			},
			{
				displayName: 'Trusted Proxy Hops',
				name: 'trustedProxyHops',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'How many reverse proxies you run in front of n8n. 0 uses the socket address and ignores X-Forwarded-For (which clients can forge).',
			},
		],
	},
	{
		// typeVersion 1 only: tells n8n not to read or parse the body before the node runs, so the node can reject
		// by size, content type and signature before any parsing of untrusted input.
		displayName: 'Request Handling',
		name: 'options',
		type: 'hidden',
		default: { binaryData: true },
		displayOptions: { show: { '@version': [1] } },
	},
];
