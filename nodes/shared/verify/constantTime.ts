import { createHash } from 'node:crypto';

import { safeEqual } from '../safeCompare';

export { safeEqual };

/**
 * Equality of two texts of any length (tokens, passwords, verify tokens) without revealing where, or whether only
 * the length, differs: both are hashed to a fixed length first, then compared in constant time.
 */
export function safeEqualText(received: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return safeEqual(digest(received), digest(expected));
}
