/** Compatibility: secret formats moved to nodes/shared/verify/secretFormats.ts. */
export { secretKeyFor, whsecSecretKeyFor } from '../verify/secretFormats';
