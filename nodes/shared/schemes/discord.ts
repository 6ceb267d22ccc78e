/** Compatibility facade: Discord is a catalogue entry with a special verifier (nodes/shared/providers/special/discord.ts). */
import { SCHEMES } from './registry';

export {
	DISCORD_SIGNATURE_HEADER,
	DISCORD_TIMESTAMP_HEADER,
	discordPublicKeyHex,
	parseEd25519PrivateKey,
	parseEd25519PublicKey,
	signDiscordRequest,
} from '../providers/special/discord';

export const discordScheme = SCHEMES.discord;
