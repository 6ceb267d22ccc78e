/**
 * Compatibility: the request, result and scheme types moved to nodes/shared/verify/types.ts, the scheme names to the
 * provider catalogue (nodes/shared/providers/catalogue.ts). Import from there in new code.
 */
import type { LegacySchemeName } from '../providers/catalogue';
import type { SyncSignatureScheme } from '../verify/types';

export { LEGACY_SCHEME_NAMES as SCHEME_NAMES } from '../providers/catalogue';
export type {
	EventDescription,
	GenericHmacOptions,
	HmacAlgorithm,
	IncomingWebhook,
	JwtAlgorithm,
	JwtOptions,
	SecretMatch,
	SignInput,
	SignatureEncoding,
	SigningSecrets,
	VerificationFailureReason,
	VerificationResult,
	VerifyOptions,
} from '../verify/types';

export type SchemeName = LegacySchemeName;

/** One of the trigger's thirteen `scheme` values, as its catalogue entry compiles it: all verify synchronously. */
export type SignatureScheme = SyncSignatureScheme<SchemeName>;
