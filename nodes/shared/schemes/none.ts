import type { SignatureScheme } from './types';

/** No verification: every request is accepted. For endpoints protected by other means (IP allow-list, a private network). */
export const noneScheme: SignatureScheme = {
	name: 'none',
	sensitiveHeaders: [],
	timestamped: false,
	verify() {
		return { ok: true, matched: 'none' };
	},
	describeEvent() {
		return {};
	},
};
