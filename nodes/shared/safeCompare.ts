import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two byte strings. Only the length may leak, and every value compared here
 * is a fixed-length MAC or token whose length is public.
 */
export function safeEqual(a: Buffer | string, b: Buffer | string): boolean {
	const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
	const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
	if (left.length !== right.length) return false;
	return timingSafeEqual(left, right);
}
