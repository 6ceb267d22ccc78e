import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { HandshakeRule, JwtRecipe, ProviderEntry } from '../shared/providers/types';
import type { HmacRecipe, TimestampRule } from '../shared/verify/hmacRecipe';
import { genericHmacRecipe } from '../shared/verify/genericHmac';
import type { SecretFormat } from '../shared/verify/secretFormats';
import type { TokenLocation, TokenRecipe } from '../shared/verify/staticToken';
import type { TimestampUnit } from '../shared/verify/timestamps';
import type { GenericHmacOptions, JwtOptions } from '../shared/verify/types';

/**
 * typeVersion 3's Custom entries: the generic building blocks, configured in the node. Each reader turns the node's
 * parameters into the same data a catalogue entry holds (an HMAC or token recipe, handshake rules), so a custom
 * configuration runs through the same code as every provider.
 */

type Show = NonNullable<IDisplayOptions['show']>;
type ParameterReader = (name: string, fallback: unknown) => unknown;

const V3 = { '@version': [3] };
const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

/** The Custom HMAC builder's settings beyond the ones it shares with the Signed Webhook node. */
export function customHmacProperties(show: Show): INodeProperties[] {
	const when = (extra: Show = {}): IDisplayOptions => ({ show: { ...show, ...V3, ...extra } });
	return [
		{
			displayName: 'Signature Format',
			name: 'hmacSignatureFormat',
			type: 'options',
			options: [
				{ name: 'Header Value Is the Signature', value: 'header', description: 'With the prefix, if any (sha256=…)' },
				{ name: 'Key=Value List', value: 'list', description: 'Like Stripe\'s t=…,v1=…: one or more signatures and maybe the timestamp' },
			],
			default: 'header',
			displayOptions: when(),
		},
		{
			displayName: 'Signature Keys',
			name: 'hmacSignatureKeys',
			type: 'string',
			default: 'v1',
			placeholder: 'v1',
			description: 'Comma-separated keys whose values are signatures (any of them may match)',
			displayOptions: when({ hmacSignatureFormat: ['list'] }),
		},
		{
			// Options rather than free text: n8n reads a parameter value starting with "=" as an expression.
			displayName: 'Pair Separator',
			name: 'hmacListPairSeparator',
			type: 'options',
			options: [
				{ name: 'Comma', value: 'comma', description: 'T=…,v1=… (Stripe)' },
				{ name: 'Semicolon', value: 'semicolon', description: 'Ts=…;h1=… (Paddle)' },
				{ name: 'Space', value: 'space' },
			],
			default: 'comma',
			displayOptions: when({ hmacSignatureFormat: ['list'] }),
		},
		{
			displayName: 'Key/Value Separator',
			name: 'hmacListKeyValueSeparator',
			type: 'options',
			options: [
				{ name: 'Colon', value: 'colon' },
				{ name: 'Equals Sign', value: 'equals' },
			],
			default: 'equals',
			displayOptions: when({ hmacSignatureFormat: ['list'] }),
		},
		{
			displayName: 'Timestamp From',
			name: 'hmacTimestampFrom',
			type: 'options',
			options: [
				{ name: 'Timestamp Header', value: 'header', description: 'The Timestamp Header above; empty: no timestamp' },
				{ name: 'Key in the Signature List', value: 'listKey', description: 'Like Stripe\'s t=' },
				{ name: 'Body Field', value: 'body', description: 'A field of the JSON body, checked once the signature holds' },
			],
			default: 'header',
			displayOptions: when(),
		},
		{
			displayName: 'Timestamp Key',
			name: 'hmacTimestampKey',
			type: 'string',
			default: 't',
			displayOptions: when({ hmacTimestampFrom: ['listKey'] }),
		},
		{
			displayName: 'Timestamp Field',
			name: 'hmacTimestampPath',
			type: 'string',
			default: '',
			placeholder: 'created_at',
			description: 'A dot path into the JSON body',
			displayOptions: when({ hmacTimestampFrom: ['body'] }),
		},
		{
			displayName: 'Timestamp Unit',
			name: 'hmacTimestampUnit',
			type: 'options',
			options: [
				{ name: 'ISO 8601', value: 'iso8601', description: '2024-05-01T12:00:00Z' },
				{ name: 'Milliseconds', value: 'ms' },
				{ name: 'Seconds', value: 's' },
				{ name: 'Seconds or Milliseconds (by Magnitude)', value: 'auto' },
			],
			default: 'auto',
			displayOptions: when(),
		},
		{
			displayName: 'Secret Format',
			name: 'hmacSecretFormat',
			type: 'options',
			options: [
				{ name: 'Base64 (Decoded Before Use)', value: 'base64' },
				{ name: 'Hex (Decoded Before Use)', value: 'hex' },
				{ name: 'Text as Shown (UTF-8)', value: 'utf8' },
				{ name: 'Whsec_ + Base64 (Standard Webhooks)', value: 'whsec' },
			],
			default: 'utf8',
			description: 'How the secret the provider shows becomes the HMAC key',
			displayOptions: when(),
		},
		{
			displayName: 'Secret Prefix to Strip',
			name: 'hmacSecretPrefix',
			// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing -- a name, not a secret
			type: 'string',
			default: '',
			placeholder: 'whsec_',
			description: 'A label before the secret that is not part of the key',
			displayOptions: when({ hmacSecretFormat: ['utf8', 'hex', 'base64'] }),
		},
	];
}

/** The Custom Token builder's settings. */
export function customTokenProperties(show: Show): INodeProperties[] {
	const when = (extra: Show = {}): IDisplayOptions => ({ show: { ...show, ...V3, ...extra } });
	return [
		{
			displayName: 'Token Location',
			name: 'tokenLocation',
			type: 'options',
			options: [
				{ name: 'Header', value: 'header' },
				{ name: 'HTTP Basic Credentials', value: 'basicAuth', description: 'Secret: user:password' },
				{ name: 'Query String Parameter', value: 'query', description: 'The token is in the URL: it can end up in logs' },
			],
			default: 'header',
			displayOptions: when(),
		},
		{
			displayName: 'Token Header Name',
			name: 'tokenHeader',
			// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing -- a name, not a secret
			type: 'string',
			default: 'authorization',
			displayOptions: when({ tokenLocation: ['header'] }),
		},
		{
			displayName: 'Bearer',
			name: 'tokenBearer',
			type: 'options',
			options: [
				{ name: 'Optional', value: 'optional', description: 'With or without "Bearer "' },
				{ name: 'Required', value: 'required', description: '"Bearer &lt;token&gt;"' },
				{ name: 'Not Used', value: 'none', description: 'The header value is the token itself' },
			],
			default: 'required',
			displayOptions: when({ tokenLocation: ['header'] }),
		},
		{
			displayName: 'Query Parameter',
			name: 'tokenQueryParameter',
			// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing -- a name, not a secret
			type: 'string',
			default: 'token',
			displayOptions: when({ tokenLocation: ['query'] }),
		},
	];
}

/** The Custom JWT builder's settings beyond the ones typeVersion 1 and 2 have (jwtProperties in description.ts). */
export function customJwtProperties(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'JWKS URL',
			name: 'jwtJwksUrl',
			type: 'string',
			default: '',
			placeholder: 'https://issuer.example.com/.well-known/jwks.json',
			description:
				'Where the sender publishes its public keys (a JSON Web Key Set, https only). The key is picked by the token\'s kid; the set is cached, refreshed hourly and when a new kid appears (at most once a minute). RS*, ES* only. Empty: verify with the credential\'s secret or public key.',
			displayOptions: { show: { ...show, ...V3 } },
		},
	];
}

/** A handshake for the Custom entries: the endpoint checks providers send before their first event. */
export function customHandshakeProperties(show: Show): INodeProperties[] {
	const when = (extra: Show = {}): IDisplayOptions => ({ show: { ...show, ...V3, ...extra } });
	return [
		{
			displayName: 'Handshake',
			name: 'customHandshake',
			type: 'options',
			options: [
				{ name: 'Echo a Body Field', value: 'bodyField', description: 'A verified request with the field is answered with its value (monday.com challenge, Twitch)' },
				{ name: 'Echo a Header', value: 'header', description: 'A request with the header gets it back (Asana X-Hook-Secret)' },
				{ name: 'Echo a Query Parameter (GET)', value: 'getQuery', description: 'GET ?challenge=… answered as text (Dropbox)' },
				{ name: 'Echo a Query Parameter (POST)', value: 'postQuery', description: 'POST ?validationToken=… answered as text (Microsoft Graph)' },
				{ name: 'None', value: 'none' },
			],
			default: 'none',
			description: 'Answered by the node itself, never starting the workflow',
			displayOptions: when(),
		},
		{
			displayName: 'Handshake Field',
			name: 'customHandshakeName',
			type: 'string',
			default: 'challenge',
			description: 'The body field, header or query parameter that carries the challenge',
			displayOptions: when({ customHandshake: ['bodyField', 'header', 'getQuery', 'postQuery'] }),
		},
		{
			displayName: 'Answer As',
			name: 'customHandshakeAnswer',
			type: 'options',
			options: [
				{ name: 'JSON Object With the Same Field', value: 'json' },
				{ name: 'Plain Text', value: 'text' },
			],
			default: 'json',
			displayOptions: when({ customHandshake: ['bodyField'] }),
		},
	];
}

const TIMESTAMP_UNITS: readonly TimestampUnit[] = ['s', 'ms', 'auto', 'iso8601'];
const PAIR_SEPARATORS: Readonly<Record<string, string>> = { comma: ',', semicolon: ';', space: ' ' };
const KEY_VALUE_SEPARATORS: Readonly<Record<string, string>> = { equals: '=', colon: ':' };
const SECRET_DECODINGS = ['utf8', 'hex', 'base64'] as const;

function secretFormat(read: ParameterReader): SecretFormat {
	const format = text(read('hmacSecretFormat', 'utf8'), 'utf8');
	if (format === 'whsec') return 'whsec';
	const decode = (SECRET_DECODINGS as readonly string[]).includes(format) ? (format as (typeof SECRET_DECODINGS)[number]) : 'utf8';
	const prefix = text(read('hmacSecretPrefix', ''));
	return prefix === '' ? decode : { stripPrefix: prefix, decode };
}

/**
 * The Custom HMAC builder's recipe: the shared settings (algorithm, header, encoding, prefix, template, timestamp
 * header) read as typeVersion 1 and 2 read them, plus the list format, timestamp source and unit, and secret format.
 */
export function readCustomHmacRecipe(read: ParameterReader, shared: GenericHmacOptions, windowSeconds: number): HmacRecipe {
	const base = genericHmacRecipe(shared);
	const unitText = text(read('hmacTimestampUnit', 'auto'), 'auto');
	const unit = (TIMESTAMP_UNITS as readonly string[]).includes(unitText) ? (unitText as TimestampUnit) : 'auto';
	const list =
		text(read('hmacSignatureFormat', 'header'), 'header') === 'list'
			? {
					pairSeparator: PAIR_SEPARATORS[text(read('hmacListPairSeparator', 'comma'), 'comma')] ?? ',',
					keyValueSeparator: KEY_VALUE_SEPARATORS[text(read('hmacListKeyValueSeparator', 'equals'), 'equals')] ?? '=',
					signatureKeys: text(read('hmacSignatureKeys', 'v1'), 'v1')
						.split(',')
						.map((key) => key.trim())
						.filter((key) => key !== ''),
				}
			: undefined;
	let timestamp: TimestampRule | undefined;
	switch (text(read('hmacTimestampFrom', 'header'), 'header')) {
		case 'listKey':
			timestamp = { from: { signatureKey: text(read('hmacTimestampKey', 't'), 't').trim() }, unit, windowSeconds };
			break;
		case 'body':
			timestamp = { from: { body: text(read('hmacTimestampPath', '')).trim() }, unit, windowSeconds };
			break;
		default:
			timestamp = base.timestamp && { ...base.timestamp, unit, windowSeconds };
	}
	return { ...base, signature: { ...base.signature, list }, secret: secretFormat(read), timestamp };
}

/**
 * The Custom JWT builder with a JWKS URL: a JWT recipe whose keys come from that set (asynchronous, like the
 * catalogue's JWKS providers). Without one, undefined: the builder verifies with the credential (VerifyOptions.jwt).
 */
export function readCustomJwtRecipe(read: ParameterReader, jwt: JwtOptions): JwtRecipe | undefined {
	const jwksUrl = text(read('jwtJwksUrl', '')).trim();
	if (jwksUrl === '') return undefined;
	const header = jwt.tokenHeader.trim().toLowerCase() || 'authorization';
	return {
		kind: 'jwt',
		// As the builder reads it with the credential: Authorization needs Bearer, another header may have it.
		token: { header, bearer: header === 'authorization' ? 'required' : 'optional' },
		algorithms: jwt.algorithms,
		jwksUrl,
		issuer: jwt.issuer || undefined,
		audience: jwt.audience || undefined,
		requireExp: jwt.requireExp !== false,
		maxAgeSeconds: jwt.maxAgeSeconds || undefined,
		bodyHashClaim: jwt.bodyHashClaim || undefined,
	};
}

/** The Custom Token builder's recipe. */
export function readCustomTokenRecipe(read: ParameterReader): TokenRecipe {
	let location: TokenLocation;
	switch (text(read('tokenLocation', 'header'), 'header')) {
		case 'basicAuth':
			location = { basicAuth: true };
			break;
		case 'query':
			location = { query: text(read('tokenQueryParameter', 'token'), 'token').trim() };
			break;
		default: {
			const bearer = text(read('tokenBearer', 'required'), 'required');
			const header = text(read('tokenHeader', 'authorization'), 'authorization').trim().toLowerCase() || 'authorization';
			location = bearer === 'required' || bearer === 'optional' ? { header, bearer } : { header };
		}
	}
	return { kind: 'token', location };
}

const CUSTOM_HANDSHAKE_DOCS = 'https://github.com/n8n-nodes-ai-webhooks/n8n-nodes-ai-webhooks/blob/main/docs/adding-a-provider.md#handshakes';

/** The Custom entries' handshake as a rule, or none. */
export function readCustomHandshake(read: ParameterReader): HandshakeRule[] {
	const name = text(read('customHandshakeName', 'challenge'), 'challenge').trim();
	if (name === '') return [];
	switch (text(read('customHandshake', 'none'), 'none')) {
		case 'bodyField':
			return [
				{
					phase: 'signed',
					when: [{ source: { body: name }, present: true }],
					respond:
						text(read('customHandshakeAnswer', 'json'), 'json') === 'text' ? { text: { body: name } } : { json: { [name]: { body: name } } },
					docsUrl: CUSTOM_HANDSHAKE_DOCS,
				},
			];
		case 'header':
			return [{ phase: 'unsigned', when: [{ source: { header: name }, present: true }], respond: { headers: { [name]: { header: name } } }, docsUrl: CUSTOM_HANDSHAKE_DOCS }];
		case 'getQuery':
			return [
				{
					phase: 'unsigned',
					method: 'GET',
					when: [{ source: { query: name }, present: true }],
					respond: { text: { query: name }, headers: { 'x-content-type-options': 'nosniff' } },
					docsUrl: CUSTOM_HANDSHAKE_DOCS,
				},
			];
		case 'postQuery':
			return [{ phase: 'unsigned', method: 'POST', when: [{ source: { query: name }, present: true }], respond: { text: { query: name } }, docsUrl: CUSTOM_HANDSHAKE_DOCS }];
		default:
			return [];
	}
}

/** The ids of the Custom entries that take a handshake setting. */
export const CUSTOM_HANDSHAKE_PROVIDERS = ['hmac', 'jwt', 'token', 'none'];

/**
 * The catalogue entry as this node's Custom settings make it: its recipe and handshakes replaced; other entries as
 * they are.
 */
export function customizedEntry(
	entry: ProviderEntry,
	read: ParameterReader,
	shared: GenericHmacOptions | undefined,
	windowSeconds: number,
	jwt?: JwtOptions,
): ProviderEntry {
	if (entry.group !== 'custom') return entry;
	const handshakes = CUSTOM_HANDSHAKE_PROVIDERS.includes(entry.id) ? readCustomHandshake(read) : [];
	if (entry.id === 'hmac' && shared) return { ...entry, signature: readCustomHmacRecipe(read, shared, windowSeconds), handshakes };
	if (entry.id === 'token') return { ...entry, signature: readCustomTokenRecipe(read), handshakes };
	const jwksRecipe = entry.id === 'jwt' && jwt ? readCustomJwtRecipe(read, jwt) : undefined;
	if (jwksRecipe) return { ...entry, signature: jwksRecipe, handshakes };
	return { ...entry, handshakes };
}
