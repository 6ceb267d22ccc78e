import type { ProviderEntry } from '../types';

/** Entries are added here, one per provider, each with its fixture in test/nodes/shared/providers/groups/crm.test.ts. */
export const CRM_PROVIDERS: readonly ProviderEntry[] = [];
