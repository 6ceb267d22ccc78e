import type { IDataObject, INode } from 'n8n-workflow';

import { readGenericHmacOptions } from '../shared/genericHmacParameters';
import { parsePath } from '../shared/jsonPath';
import { compileEventFilter } from '../shared/checks/eventFilter';
import { parseAllowList, type AllowList } from '../shared/checks/ipAllowList';
import { parseAllowedContentTypes } from '../shared/checks/contentType';
import { compileJsonSchema, type JsonSchemaValidator } from '../shared/checks/jsonSchema';
import { providerById, providerSchemeById } from '../shared/providers/catalogue';
import { isProviderAvailable, providerScheme, providerWindowSeconds } from '../shared/providers/providerScheme';
import type { ProviderEntry } from '../shared/providers/types';
import { schemeByName } from '../shared/schemes/registry';
import type { KeySources } from '../shared/verify/keySources';
import type { GenericHmacOptions, JwtAlgorithm, JwtOptions, SignatureScheme } from '../shared/verify/types';
import { customizedEntry } from './customBuilders';
import { LruMap } from '../shared/stores/lruMap';
import { DEFAULT_PROVIDER, DEFAULT_RESPONSE_BODY } from './description';

export type StoreKind = 'memory' | 'redis' | 'off';

/** Everything the request checks need, derived once from the node's parameters. */
export interface TriggerConfig {
	httpMethod: string;
	/** The catalogue entry: handshakes, content types, event sources. */
	provider: ProviderEntry;
	scheme: SignatureScheme;
	toleranceSeconds: number;
	acceptsEvent: (eventType: string | undefined) => boolean;
	hmac?: GenericHmacOptions;
	jwt?: JwtOptions;
	publicUrl: string;
	verifyToken: string;
	/** Provider settings a JWT or SNS recipe reads (Pub/Sub's audience and service account, SNS's topic). */
	audience: string;
	serviceAccountEmail: string;
	topicArn: string;
	/** Where key-fetching verifiers get keys. Never set from parameters: unit tests only (default: the process's). */
	keySources?: KeySources;
	/** Query-string parameters that carry a secret (a Custom token in the URL): redacted wherever the query is output. */
	sensitiveQueryParameters: string[];
	eventTypePath: string;
	eventIdPath: string;
	dedupeStore: StoreKind;
	/** De-duplicate on a hash of the raw body as well as the event id (stops replays where no timestamp is signed). */
	dedupeBodyHash: boolean;
	dedupeTtlSeconds: number;
	dedupeMaxEntries: number;
	allowedContentTypes: string[];
	maxBodyBytes: number;
	schema?: JsonSchemaValidator;
	ipAllowList: AllowList;
	trustedProxyHops: number;
	rateLimitPerSecond: number;
	rateLimitBurst: number;
	rateLimitStore: 'memory' | 'redis';
	rejectedOutput: boolean;
	includeRejectedBody: boolean;
	/** How long a process reuses the decrypted credential; 0 reads it for every request. */
	credentialCacheSeconds: number;
	/** A verified batch body becomes one item per event, each de-duplicated on its own id. */
	splitBatches: boolean;
}

/** Reads a parameter the way n8n resolves it (expressions included). */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
/** A finite number of at least `min`; anything else (empty, NaN, below min) gives the fallback. */
const count = (value: unknown, fallback: number, min = 1): number => {
	const parsed = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(parsed) && parsed >= min ? parsed : fallback;
};

/** `header:<name>` or a dot path into the body; a malformed path fails here, at activation, not per request. */
function eventLocation(location: string): string {
	const trimmed = location.trim();
	if (trimmed !== '' && !trimmed.toLowerCase().startsWith('header:')) parsePath(trimmed);
	return trimmed;
}

/** Default replay window of providers without one of their own (Custom builders), as typeVersion 1 and 2 have it. */
const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The catalogue entry and its compiled scheme. typeVersion 3 names a provider; typeVersion 1 and 2 a `scheme`, whose
 * values are the ids of the entries that replaced them.
 */
function chosenProvider(read: ParameterReader, typeVersion: number): { provider: ProviderEntry; scheme: SignatureScheme } {
	if (typeVersion < 3) {
		const scheme = schemeByName(text(read('scheme', 'standardWebhooks'), 'standardWebhooks'));
		return { provider: providerById(scheme.name)!, scheme };
	}
	const id = text(read('provider', DEFAULT_PROVIDER), DEFAULT_PROVIDER);
	const provider = providerById(id);
	if (!provider || !isProviderAvailable(provider)) throw new Error(`Unknown provider "${id}"`);
	return { provider, scheme: providerSchemeById(id) };
}

export function buildTriggerConfig(read: ParameterReader, typeVersion = 2): TriggerConfig {
	const settings = (read('settings', {}) ?? {}) as IDataObject;
	const chosen = chosenProvider(read, typeVersion);
	const usesProviders = typeVersion >= 3;
	const builder = chosen.provider.signature.kind === 'custom' ? chosen.provider.signature.builder : undefined;
	const isCustom = chosen.provider.group === 'custom';
	const hmac = chosen.provider.id === 'hmac' ? readGenericHmacOptions(read) : undefined;
	const jwt: JwtOptions | undefined =
		builder === 'jwt'
			? {
					tokenHeader: text(read('jwtTokenHeader', 'authorization'), 'authorization').toLowerCase(),
					algorithms: (read('jwtAlgorithms', ['HS256']) as JwtAlgorithm[]) ?? ['HS256'],
					issuer: text(read('jwtIssuer', '')),
					audience: text(read('jwtAudience', '')),
					bodyHashClaim: text(read('jwtBodyHashClaim', '')),
					requireExp: read('jwtRequireExp', true) !== false,
					maxAgeSeconds: count(read('jwtMaxAgeSeconds', 0), 0, 0),
				}
			: undefined;
	const window = providerWindowSeconds(chosen.provider) ?? DEFAULT_TOLERANCE_SECONDS;
	// typeVersion 3's Custom entries are the building blocks configured in the node: their recipe and handshake.
	const provider = usesProviders ? customizedEntry(chosen.provider, read, hmac, window, jwt) : chosen.provider;
	const scheme = provider === chosen.provider ? chosen.scheme : providerScheme(provider);
	const token = provider.signature.kind === 'token' ? provider.signature.location : undefined;
	const schemaText = settings.schema;
	const schemaSource =
		typeof schemaText === 'string' ? schemaText.trim() : schemaText ? JSON.stringify(schemaText) : '';
	// typeVersion 3 keeps the overrides in Options; 1 and 2 have them as node parameters of the Custom schemes.
	const location = (name: 'eventTypePath' | 'eventIdPath') =>
		usesProviders ? eventLocation(text(settings[name])) : isCustom ? eventLocation(text(read(name, ''))) : '';
	const needsPublicUrl = provider.settings?.includes('publicUrl') === true || (usesProviders && builder === 'hmac');
	const setting = (name: 'audience' | 'serviceAccountEmail' | 'topicArn') => (provider.settings?.includes(name) ? text(read(name, '')).trim() : '');

	return {
		httpMethod: text(read('httpMethod', 'POST'), 'POST').toUpperCase(),
		provider,
		scheme,
		toleranceSeconds: usesProviders ? count(settings.toleranceSeconds, window) : count(read('toleranceSeconds', 300), 300),
		acceptsEvent: compileEventFilter(text(read('events', ''))),
		hmac,
		jwt,
		publicUrl: needsPublicUrl ? text(read('publicUrl', '')) : '',
		verifyToken: provider.settings?.includes('verifyToken') ? text(read('verifyToken', '')) : '',
		audience: setting('audience'),
		serviceAccountEmail: setting('serviceAccountEmail'),
		topicArn: setting('topicArn'),
		sensitiveQueryParameters: token && 'query' in token ? [token.query] : [],
		eventTypePath: location('eventTypePath'),
		eventIdPath: location('eventIdPath'),
		dedupeStore: text(read('dedupeStore', 'memory'), 'memory') as StoreKind,
		// typeVersion 3: on by default where no timestamp is signed (replays are only stopped by de-duplication there).
		dedupeBodyHash:
			typeof settings.dedupeBodyHash === 'boolean' ? settings.dedupeBodyHash : usesProviders && !scheme.timestamped && provider.signature.kind !== 'none',
		dedupeTtlSeconds: count(settings.dedupeTtlSeconds, 86400),
		dedupeMaxEntries: count(settings.dedupeMaxEntries, 100000),
		// Unless set, what the provider sends (Twilio and Slack commands post forms).
		allowedContentTypes:
			typeof settings.allowedContentTypes === 'string'
				? parseAllowedContentTypes(settings.allowedContentTypes)
				: parseAllowedContentTypes(provider.contentTypes.join(',')),
		maxBodyBytes: count(settings.maxBodyBytes, 1048576),
		schema: schemaSource ? compileJsonSchema(schemaSource) : undefined,
		ipAllowList: parseAllowList(text(settings.ipAllowList, '')),
		trustedProxyHops: Math.floor(count(settings.trustedProxyHops, 0, 0)),
		rateLimitPerSecond: count(settings.rateLimitPerSecond, 0, 0),
		rateLimitBurst: count(settings.rateLimitBurst, 20),
		rateLimitStore: settings.rateLimitStore === 'redis' ? 'redis' : 'memory',
		rejectedOutput: settings.rejectedOutput === true,
		includeRejectedBody: settings.includeRejectedBody === true,
		credentialCacheSeconds: count(settings.credentialCacheSeconds, 10, 0),
		splitBatches: settings.splitBatches === true,
	};
}

export function responseBodyFrom(settings: IDataObject | undefined): unknown {
	const body = typeof settings?.responseBody === 'string' ? settings.responseBody : DEFAULT_RESPONSE_BODY;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

const CACHE_LIMIT = 256;
const configCache = new LruMap<TriggerConfig>(CACHE_LIMIT);

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/**
 * The config for this node, built once per distinct parameter set. Parameters with expressions are
 * resolved on every request, as n8n would; static ones need no expression engine after the first request.
 */
export function cachedTriggerConfig(node: INode, workflowId: string | undefined, read: ParameterReader): TriggerConfig {
	if (hasExpression(node.parameters)) return buildTriggerConfig(read, node.typeVersion);
	const key = `${workflowId ?? ''}\u0000${node.id}\u0000${node.typeVersion}\u0000${JSON.stringify(node.parameters)}`;
	let config = configCache.get(key);
	if (!config) {
		config = buildTriggerConfig(read, node.typeVersion);
		configCache.set(key, config);
	}
	return config;
}
