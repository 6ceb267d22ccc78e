/** Compatibility facade: `none` is the catalogue's unverified Custom entry. */
import { SCHEMES } from './registry';

/** No verification: every request is accepted. For endpoints protected by other means (IP allow-list, a private network). */
export const noneScheme = SCHEMES.none;
