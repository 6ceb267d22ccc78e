import { createHmac } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** HMAC-SHA256 of `parts` in order. Prefer a KeyObject key: Node 24 spends ~25-35 µs per createHmac given a Buffer. */
export function hmacSha256(key: KeyObject | string | Buffer, ...parts: Buffer[]): Buffer {
	const hmac = createHmac('sha256', key);
	for (const part of parts) hmac.update(part);
	return hmac.digest();
}

/**
 * HMAC-SHA256 of the text `signedPrefix` (UTF-8) followed by the body bytes. The body goes into the HMAC as received:
 * concatenating first would copy it (a 256 KiB body costs ~20 µs to copy).
 */
export function hmacSha256OfPrefixedBody(key: KeyObject, signedPrefix: string, body: Buffer): Buffer {
	const hmac = createHmac('sha256', key);
	if (signedPrefix !== '') hmac.update(signedPrefix, 'utf8');
	return hmac.update(body).digest();
}
