/**
 * Compatibility: this module did several jobs and was split into building blocks, one per job, under
 * nodes/shared/verify/ (headers, signatureEncoding, timestamps, secretCandidates, constantTime, hmacSha256, results).
 * Import from there in new code.
 */
export { safeEqualText } from '../verify/constantTime';
export { readSingleHeader } from '../verify/headers';
export { hmacSha256, hmacSha256OfPrefixedBody } from '../verify/hmacSha256';
export { fail, verifiedAt } from '../verify/results';
export { findMatchingSecret, matchSecret, secretCandidates, type SecretCandidate } from '../verify/secretCandidates';
export { decodeFixedBase64, decodeFixedHex } from '../verify/signatureEncoding';
export { isWithinTolerance, nowInSeconds, parseUnixTimestamp } from '../verify/timestamps';
export type { VerificationFailure } from '../verify/types';
