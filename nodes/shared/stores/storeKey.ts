import { createHash } from 'node:crypto';

const MAX_PLAIN_KEY_LENGTH = 128;

/**
 * Keys come from requests (event ids, client addresses), so their length is the sender's choice. Long keys are
 * replaced by their SHA-256 so that a bounded number of entries also bounds memory, in-process and in Redis.
 */
export function compactStoreKey(key: string): string {
	if (key.length <= MAX_PLAIN_KEY_LENGTH) return key;
	return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
