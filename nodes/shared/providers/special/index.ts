import type { SpecialVerifier, SpecialVerifierName } from '../types';
import { discordVerifier } from './discord';
import { standardWebhooksVerifier } from './standardWebhooks';
import { twilioVerifier } from './twilio';

/** The algorithms that are not a recipe, by the name a catalogue entry uses (`{ kind: 'special', verifier }`). */
export const SPECIAL_VERIFIERS: Readonly<Record<SpecialVerifierName, SpecialVerifier>> = {
	standardWebhooks: standardWebhooksVerifier,
	twilio: twilioVerifier,
	discord: discordVerifier,
};
