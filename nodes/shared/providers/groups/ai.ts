import type { ProviderEntry } from '../types';

/** Entries are added here, one per provider, each with its fixture in test/nodes/shared/providers/groups/ai.test.ts. */
export const AI_PROVIDERS: readonly ProviderEntry[] = [];
