import type { SignatureScheme } from '../verify/types';
import { AI_PROVIDERS } from './groups/ai';
import { CLOUD_PROVIDERS } from './groups/cloud';
import { COMMERCE_PROVIDERS } from './groups/commerce';
import { CONTENT_PROVIDERS } from './groups/content';
import { CRM_PROVIDERS } from './groups/crm';
import { CUSTOM_PROVIDERS } from './groups/custom';
import { DEVTOOLS_PROVIDERS } from './groups/devtools';
import { IDENTITY_PROVIDERS } from './groups/identity';
import { MESSAGING_PROVIDERS } from './groups/messaging';
import { PAYMENTS_PROVIDERS } from './groups/payments';
import { PRODUCTIVITY_PROVIDERS } from './groups/productivity';
import { STANDARDS_PROVIDERS } from './groups/standards';
import { providerScheme } from './providerScheme';
import type { ProviderEntry } from './types';

/**
 * The provider catalogue: every group's data file, one import each. Adding a provider is one entry in its group's
 * file (and its fixture in the group's test file); a new group is one more file and one more line here.
 */
const GROUP_FILES: ReadonlyArray<readonly ProviderEntry[]> = [
	AI_PROVIDERS,
	CLOUD_PROVIDERS,
	COMMERCE_PROVIDERS,
	CONTENT_PROVIDERS,
	CRM_PROVIDERS,
	CUSTOM_PROVIDERS,
	DEVTOOLS_PROVIDERS,
	IDENTITY_PROVIDERS,
	MESSAGING_PROVIDERS,
	PAYMENTS_PROVIDERS,
	PRODUCTIVITY_PROVIDERS,
	STANDARDS_PROVIDERS,
];

function indexById(groups: ReadonlyArray<readonly ProviderEntry[]>): ReadonlyMap<string, ProviderEntry> {
	const byId = new Map<string, ProviderEntry>();
	for (const entry of groups.flat()) {
		// A duplicate would make a saved workflow's provider ambiguous: refuse to load (the catalogue tests say which).
		if (byId.has(entry.id)) throw new Error(`Duplicate provider id "${entry.id}" in the catalogue`);
		byId.set(entry.id, entry);
	}
	return byId;
}

const BY_ID = indexById(GROUP_FILES);

/** Every entry, in group-file order. */
export const PROVIDERS: readonly ProviderEntry[] = [...BY_ID.values()];

export function providerById(id: string): ProviderEntry | undefined {
	return BY_ID.get(id);
}

/**
 * The trigger's `scheme` values before the catalogue (typeVersion 1 and 2 save them): each is the id of the entry
 * that replaced its hand-written module, so a saved value keeps its meaning.
 */
export const LEGACY_SCHEME_NAMES = [
	'standardWebhooks',
	'stripe',
	'github',
	'slack',
	'shopify',
	'meta',
	'twilio',
	'zoom',
	'discord',
	'gitlab',
	'hmac',
	'jwt',
	'none',
] as const;

export type LegacySchemeName = (typeof LEGACY_SCHEME_NAMES)[number];

/** The catalogue entry a legacy `scheme` value means. */
export function providerForLegacyScheme(scheme: LegacySchemeName): ProviderEntry {
	const entry = providerById(scheme);
	if (!entry) throw new Error(`The catalogue lost the entry of the legacy scheme "${scheme}"`);
	return entry;
}

const schemes = new Map<string, SignatureScheme>();

/** The entry with this id, compiled for the trigger (once per process). Throws for an unknown id. */
export function providerSchemeById(id: string): SignatureScheme {
	let scheme = schemes.get(id);
	if (!scheme) {
		const entry = providerById(id);
		if (!entry) throw new Error(`Unknown provider "${id}"`);
		scheme = providerScheme(entry);
		schemes.set(id, scheme);
	}
	return scheme;
}
