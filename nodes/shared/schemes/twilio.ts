/** Compatibility facade: Twilio is a catalogue entry with a special verifier (nodes/shared/providers/special/twilio.ts). */
import { SCHEMES } from './registry';

export {
	TWILIO_SIGNATURE_HEADER,
	TWILIO_SIGNATURE_SETTINGS_HEADER,
	parseTwilioForm,
	signTwilioRequest,
	twilioSignature,
	twilioUrlWithBodyHash,
	type TwilioParams,
} from '../providers/special/twilio';

export const twilioScheme = SCHEMES.twilio;
