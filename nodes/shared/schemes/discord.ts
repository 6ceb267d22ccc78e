import { createPrivateKey, createPublicKey, sign as signBytes, verify as verifyBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { isWithinTolerance, readSingleHeader } from './hmacPrimitives';
import type {
	IncomingWebhook,
	SignInput,
	SignatureScheme,
	SigningSecrets,
	VerificationResult,
	VerifyOptions,
} from './types';

export const DISCORD_SIGNATURE_HEADER = 'x-signature-ed25519';
export const DISCORD_TIMESTAMP_HEADER = 'x-signature-timestamp';

/** DER prefixes that turn a raw 32-byte Ed25519 key into SubjectPublicKeyInfo / PKCS#8 (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const SIGNATURE_PATTERN = /^[0-9a-fA-F]{128}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

/** 32 raw bytes from hex (64 digits) or base64/base64url (43-44 characters); undefined otherwise. */
function rawEd25519Bytes(text: string): Buffer | undefined {
	if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
	if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
		const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		if (bytes.length === 32) return bytes;
	}
	return undefined;
}

/** Discord shows the application's public key as hex; PEM and base64 are accepted too. */
export function parseEd25519PublicKey(text: string): KeyObject | undefined {
	const trimmed = text.trim();
	try {
		if (trimmed.startsWith('-----BEGIN')) {
			const key = createPublicKey(trimmed);
			return key.asymmetricKeyType === 'ed25519' ? key : undefined;
		}
		const raw = rawEd25519Bytes(trimmed);
		if (!raw) return undefined;
		return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
	} catch {
		return undefined;
	}
}

/** A private key from a PEM (PKCS#8) or a hex/base64 32-byte seed. */
export function parseEd25519PrivateKey(text: string): KeyObject | undefined {
	const trimmed = text.trim();
	try {
		if (trimmed.startsWith('-----BEGIN')) {
			const key = createPrivateKey(trimmed);
			return key.asymmetricKeyType === 'ed25519' ? key : undefined;
		}
		const raw = rawEd25519Bytes(trimmed);
		if (!raw) return undefined;
		return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
	} catch {
		return undefined;
	}
}

/** The hex public key Discord would show for this private key: handy in tests and demos. */
export function discordPublicKeyHex(privateKey: string): string {
	const key = parseEd25519PrivateKey(privateKey);
	if (!key) throw new Error('Not an Ed25519 private key (PEM, or 32-byte hex/base64 seed)');
	const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
	return der.subarray(ED25519_SPKI_PREFIX.length).toString('hex');
}

// Parsing a key costs more than verifying; the credential changes rarely, so remember the last one.
let cachedPublicKeyText: string | undefined;
let cachedPublicKey: KeyObject | undefined;

function publicKeyFor(text: string): KeyObject | undefined {
	if (text !== cachedPublicKeyText) {
		cachedPublicKey = parseEd25519PublicKey(text);
		cachedPublicKeyText = text;
	}
	return cachedPublicKey;
}

function verifyDiscordRequest(request: IncomingWebhook, secrets: SigningSecrets, options: VerifyOptions): VerificationResult {
	if (!secrets.publicKey || secrets.publicKey.trim() === '') return { ok: false, reason: 'missing_key' };
	const publicKey = publicKeyFor(secrets.publicKey);
	// An unusable key is a configuration error, reported like a missing one.
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
	if (!privateKey) throw new Error('Not an Ed25519 private key (PEM, or 32-byte hex/base64 seed)');
	const timestampText = String(input.timestampSeconds ?? Math.floor(Date.now() / 1000));
	const signature = signBytes(null, Buffer.concat([Buffer.from(timestampText, 'utf8'), input.payload]), privateKey);
	return { [DISCORD_SIGNATURE_HEADER]: signature.toString('hex'), [DISCORD_TIMESTAMP_HEADER]: timestampText };
}

function stringOrNumber(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** Discord interactions: Ed25519, verified with the application's public key (`publicKey` in the credential). */
export const discordScheme: SignatureScheme = {
	name: 'discord',
	sensitiveHeaders: [DISCORD_SIGNATURE_HEADER],
	timestamped: true,
	verify: verifyDiscordRequest,
	describeEvent(_request, body) {
		if (typeof body !== 'object' || body === null) return {};
		const fields = body as Record<string, unknown>;
		// Interaction types are numbers (1 = PING); the event filter works on strings.
		return { type: stringOrNumber(fields.type), id: stringOrNumber(fields.id) };
	},
	sign: signDiscordRequest,
};
