/** Compatibility: Ed25519 key parsing moved to nodes/shared/verify/ed25519Keys.ts. */
export * from '../verify/ed25519Keys';
