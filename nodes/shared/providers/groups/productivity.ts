import type { ProviderEntry } from '../types';

/** Entries are added here, one per provider, each with its fixture in test/nodes/shared/providers/groups/productivity.test.ts. */
export const PRODUCTIVITY_PROVIDERS: readonly ProviderEntry[] = [];
