import { safeEqual } from '../safeCompare';
import { fail } from './results';
import type { SigningSecrets, VerificationResult } from './types';

/** A secret to try and what to report when it matches: rotation keeps the previous secret working for a while. */
export interface SecretCandidate {
	key: string;
	matched: 'current' | 'previous';
}

/**
 * The secrets to try, in order: the current one, then the previous one while a rotation is under way.
 * None without a current secret: a previous secret alone is a half-finished configuration, not a key.
 */
export function secretCandidates(secrets: SigningSecrets): SecretCandidate[] {
	if (typeof secrets.secret !== 'string' || secrets.secret === '') return [];
	const candidates: SecretCandidate[] = [{ key: secrets.secret, matched: 'current' }];
	if (typeof secrets.previousSecret === 'string' && secrets.previousSecret !== '') {
		candidates.push({ key: secrets.previousSecret, matched: 'previous' });
	}
	return candidates;
}

/**
 * Which secret produced one of the received MACs, trying each secret against each MAC in constant time per
 * comparison; undefined when none did. `computeMac` gets the key exactly as stored (and turns it into a cached
 * KeyObject); it returns undefined for a secret that is not in the provider's format.
 */
export function findMatchingSecret(
	candidates: readonly SecretCandidate[],
	received: readonly Buffer[],
	computeMac: (key: string) => Buffer | undefined,
): SecretCandidate['matched'] | undefined {
	for (const candidate of candidates) {
		const expected = computeMac(candidate.key);
		if (!expected) continue;
		for (const mac of received) {
			if (safeEqual(expected, mac)) return candidate.matched;
		}
	}
	return undefined;
}

/** `findMatchingSecret` as a verification result. */
export function matchSecret(
	candidates: readonly SecretCandidate[],
	received: readonly Buffer[],
	computeMac: (key: string) => Buffer | undefined,
): VerificationResult {
	const matched = findMatchingSecret(candidates, received, computeMac);
	return matched ? { ok: true, matched } : fail('invalid_signature');
}
