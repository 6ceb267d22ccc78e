import { LEGACY_SCHEME_NAMES, providerSchemeById } from '../providers/catalogue';
import type { SchemeName, SignatureScheme } from './types';

/**
 * The `scheme` parameter's value (typeVersion 1 and 2) → its catalogue entry, compiled. Providers are added to the
 * catalogue (nodes/shared/providers/), not here.
 */
export const SCHEMES: Readonly<Record<SchemeName, SignatureScheme>> = Object.fromEntries(
	LEGACY_SCHEME_NAMES.map((name) => {
		const scheme = providerSchemeById(name);
		// The legacy schemes verify with the credential alone; none of them may turn asynchronous.
		if (scheme.async) throw new Error(`The legacy scheme "${name}" must verify synchronously`);
		return [name, scheme as SignatureScheme];
	}),
) as Record<SchemeName, SignatureScheme>;

export function schemeByName(name: string): SignatureScheme {
	const scheme = (SCHEMES as Record<string, SignatureScheme | undefined>)[name];
	if (!scheme || !Object.hasOwn(SCHEMES, name)) throw new Error(`Unknown signature scheme "${name}"`);
	return scheme;
}
