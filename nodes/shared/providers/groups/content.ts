import type { ProviderEntry } from '../types';

/** Entries are added here, one per provider, each with its fixture in test/nodes/shared/providers/groups/content.test.ts. */
export const CONTENT_PROVIDERS: readonly ProviderEntry[] = [];
