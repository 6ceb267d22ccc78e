/** Compatibility facade: the Custom JWT builder (nodes/shared/verify/jwt.ts). */
import { SCHEMES } from './registry';

export { DEFAULT_JWT_OPTIONS, jwtSensitiveHeaders, signJwtRequest, verifyJwtRequest } from '../verify/jwt';

/** A JWT per request (HS* with the shared secret and rotation, RS and ES algorithms with the PEM public key). */
export const jwtScheme = SCHEMES.jwt;
