/**
 * Compatibility facade: Standard Webhooks is a catalogue entry with a special verifier
 * (nodes/shared/providers/special/standardWebhooks.ts).
 */
import { SCHEMES } from './registry';

export {
	STANDARD_WEBHOOKS_PUBLIC_KEY,
	STANDARD_WEBHOOKS_SIGNING_KEY,
	parseEd25519PrivateKey,
	parseEd25519PublicKey,
	parseStandardWebhooksPublicKey,
	parseStandardWebhooksSigningKey,
	signStandardWebhook,
	verifyStandardWebhook,
	type StandardWebhookSignInput,
} from '../providers/special/standardWebhooks';

export const standardWebhooksScheme = SCHEMES.standardWebhooks;
