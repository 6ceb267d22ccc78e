import { sign as signBytes, verify as verifyBytes } from 'node:crypto';

import { cachedEd25519PublicKey, parseEd25519PrivateKey, rawEd25519PublicKey } from '../../verify/ed25519Keys';
import { readSingleHeader } from '../../verify/headers';
import { isWithinTolerance } from '../../verify/timestamps';
import type { IncomingWebhook, SignInput, SigningSecrets, VerificationResult, VerifyOptions } from '../../verify/types';
import type { SpecialVerifier } from '../types';

// Discord shows keys without a label, which is the key module's default format: these are the same functions.
export { parseEd25519PrivateKey, parseEd25519PublicKey } from '../../verify/ed25519Keys';

export const DISCORD_SIGNATURE_HEADER = 'x-signature-ed25519';
export const DISCORD_TIMESTAMP_HEADER = 'x-signature-timestamp';

const SIGNATURE_PATTERN = /^[0-9a-fA-F]{128}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

const PRIVATE_KEY_ERROR = 'Not an Ed25519 private key (PEM, or 32-byte hex/base64 seed)';

/** The hex public key Discord would show for this private key: handy in tests and demos. */
export function discordPublicKeyHex(privateKey: string): string {
	const key = parseEd25519PrivateKey(privateKey);
	if (!key) throw new Error(PRIVATE_KEY_ERROR);
	return rawEd25519PublicKey(key).toString('hex');
}

function verifyDiscordRequest(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	const publicKey = cachedEd25519PublicKey(secrets.publicKey);
	// An empty or unusable key is a configuration error, reported like a missing one.
	if (!publicKey) return { ok: false, reason: 'missing_key' };

	const signatureHeader = readSingleHeader(request.headers, DISCORD_SIGNATURE_HEADER);
	if (typeof signatureHeader !== 'string') return signatureHeader;
	const timestampHeader = readSingleHeader(request.headers, DISCORD_TIMESTAMP_HEADER);
	if (typeof timestampHeader !== 'string') return timestampHeader;
	const signatureHex = signatureHeader.trim();
	const timestampText = timestampHeader.trim();
	if (!SIGNATURE_PATTERN.test(signatureHex) || !TIMESTAMP_PATTERN.test(timestampText)) {
		return { ok: false, reason: 'malformed_signature' };
	}

	const message = Buffer.concat([Buffer.from(timestampText, 'utf8'), request.rawBody]);
	let valid: boolean;
	try {
		valid = verifyBytes(null, message, publicKey, Buffer.from(signatureHex, 'hex'));
	} catch {
		valid = false;
	}
	if (!valid) return { ok: false, reason: 'invalid_signature' };

	// Discord itself only asks for the signature check; the timestamp is signed, so bounding it stops replays.
	const timestamp = Number(timestampText);
	if (!isWithinTolerance(timestamp, options)) return { ok: false, reason: 'timestamp_out_of_tolerance' };
	return { ok: true, matched: 'publicKey', timestamp };
}

/** Headers Discord sends: Ed25519 over timestamp + raw body, `key` being the private key (PEM or hex/base64 seed). */
export function signDiscordRequest(input: SignInput): Record<string, string> {
	const privateKey = parseEd25519PrivateKey(input.key);
	if (!privateKey) throw new Error(PRIVATE_KEY_ERROR);
	const timestampText = String(input.timestampSeconds ?? Math.floor(Date.now() / 1000));
	const signature = signBytes(null, Buffer.concat([Buffer.from(timestampText, 'utf8'), input.payload]), privateKey);
	return { [DISCORD_SIGNATURE_HEADER]: signature.toString('hex'), [DISCORD_TIMESTAMP_HEADER]: timestampText };
}

/** Discord interactions: Ed25519, verified with the application's public key (`publicKey` in the credential). */
export const discordVerifier: SpecialVerifier = {
	sensitiveHeaders: [DISCORD_SIGNATURE_HEADER],
	timestamped: true,
	verify: verifyDiscordRequest,
	sign: signDiscordRequest,
};
