import {
	LEGACY_SCHEME_NAMES,
	PROVIDERS,
	providerById,
	providerForLegacyScheme,
	providerSchemeById,
} from '../../../../nodes/shared/providers/catalogue';
import { PROVIDER_GROUPS } from '../../../../nodes/shared/providers/types';
import { SCHEMES, schemeByName } from '../../../../nodes/shared/schemes/registry';

describe('provider catalogue', () => {
	it('has unique ids that are safe to save in workflows', () => {
		const ids = PROVIDERS.map((entry) => entry.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
	});

	it('puts every entry in a known group, with a display name unique in its group', () => {
		const seen = new Set<string>();
		for (const entry of PROVIDERS) {
			expect(Object.keys(PROVIDER_GROUPS)).toContain(entry.group);
			const name = `${entry.group}:${entry.displayName.toLowerCase()}`;
			expect(seen.has(name)).toBe(false);
			seen.add(name);
		}
	});

	it('keeps every legacy scheme value: each is the id of its entry', () => {
		for (const name of LEGACY_SCHEME_NAMES) {
			expect(providerForLegacyScheme(name).id).toBe(name);
			expect(SCHEMES[name].name).toBe(name);
			expect(schemeByName(name)).toBe(SCHEMES[name]);
			expect(providerSchemeById(name)).toBe(SCHEMES[name]);
		}
	});

	it('refuses unknown ids and scheme names, including inherited property names', () => {
		expect(providerById('nope')).toBeUndefined();
		expect(() => providerSchemeById('nope')).toThrow('Unknown provider "nope"');
		expect(() => schemeByName('toString')).toThrow('Unknown signature scheme');
		expect(() => schemeByName('nope')).toThrow('Unknown signature scheme "nope"');
	});

	it('compiles an entry once', () => {
		expect(providerSchemeById('stripe')).toBe(providerSchemeById('stripe'));
	});
});
