/** Compatibility facade: the Custom HMAC builder (nodes/shared/verify/genericHmac.ts, an HMAC recipe underneath). */
import { SCHEMES } from './registry';

export {
	DEFAULT_GENERIC_HMAC_OPTIONS,
	genericHmacSensitiveHeaders,
	parseGenericTimestamp,
	signGenericHmac,
} from '../verify/genericHmac';

/**
 * Any provider that signs with an HMAC: algorithm, header, encoding, prefix and signed content are options
 * (`VerifyOptions.hmac`). The signature header is configurable, so `sensitiveHeaders` only lists the default;
 * use `genericHmacSensitiveHeaders(options)` for the configured one.
 */
export const hmacScheme = SCHEMES.hmac;
