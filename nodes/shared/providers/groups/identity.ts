import type { ProviderEntry } from '../types';

/** Entries are added here, one per provider, each with its fixture in test/nodes/shared/providers/groups/identity.test.ts. */
export const IDENTITY_PROVIDERS: readonly ProviderEntry[] = [];
