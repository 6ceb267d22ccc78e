import type { ProviderEntry } from '../types';

/** Entries are added here, one per provider, each with its fixture in test/nodes/shared/providers/groups/cloud.test.ts. */
export const CLOUD_PROVIDERS: readonly ProviderEntry[] = [];
