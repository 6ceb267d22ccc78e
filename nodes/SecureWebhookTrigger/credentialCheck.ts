import { createPrivateKey, createPublicKey } from 'node:crypto';

import type { ProviderEntry } from '../shared/providers/types';
import { parseEd25519PublicKey } from '../shared/verify/ed25519Keys';
import { secretBytes, type SecretFormat } from '../shared/verify/secretFormats';

/** The Webhook Signing Secret credential's fields, as n8n hands them over (absent in credentials saved before `provider`). */
export interface SigningCredentialFields {
	provider?: unknown;
	secret?: unknown;
	previousSecret?: unknown;
	publicKey?: unknown;
}

export interface CredentialCheck {
	ok: boolean;
	message: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Why the trigger refuses this credential: it was made for another provider. Undefined when it names none (credentials
 * saved before the field existed, or "Any") or the trigger's own.
 */
export function credentialProviderMismatch(
	credential: SigningCredentialFields,
	provider: ProviderEntry,
	providerById: (id: string) => ProviderEntry | undefined,
): string | undefined {
	const id = text(credential.provider);
	if (id === '' || id === provider.id) return undefined;
	const madeFor = providerById(id)?.displayName ?? id;
	return `The credential was made for ${madeFor}, but this trigger verifies ${provider.displayName}: choose or create a Webhook Signing Secret credential for ${provider.displayName} (or set its Provider to Any).`;
}

function needsPublicKey(entry: ProviderEntry): boolean {
	const recipe = entry.signature;
	return (recipe.kind === 'publicKey' && recipe.publishedKey === undefined) || (recipe.kind === 'special' && recipe.verifier === 'discord');
}

function needsSecret(entry: ProviderEntry): boolean {
	const recipe = entry.signature;
	return recipe.kind === 'hmac' || recipe.kind === 'token' || (recipe.kind === 'special' && recipe.verifier === 'twilio');
}

/** The secret format the provider's HMAC reads, where the text must decode (hex, base64, whsec_). */
function secretFormat(entry: ProviderEntry): SecretFormat | undefined {
	const recipe = entry.signature;
	if (recipe.kind === 'hmac') return recipe.secret === 'utf8' ? undefined : recipe.secret;
	if (recipe.kind === 'special' && recipe.verifier === 'standardWebhooks') return 'whsec';
	return undefined;
}

function publicKeyProblem(publicKey: string): string | undefined {
	if (publicKey.startsWith('-----BEGIN')) {
		try {
			createPublicKey(publicKey);
			return undefined;
		} catch {
			return 'Public Key looks like a PEM key but does not parse: paste it whole, with its BEGIN and END lines and its line breaks.';
		}
	}
	if (parseEd25519PublicKey(publicKey) || parseEd25519PublicKey(publicKey, { prefix: 'whpk_', prefixRequired: true })) return undefined;
	return 'Public Key is neither a PEM key nor a 32-byte Ed25519 key in hex, base64 or whpk_… form.';
}

/**
 * The credential test: what can be checked without the provider. No provider offers an API that confirms a webhook
 * signing secret (it only signs outgoing requests), so the fields are checked for form: present where the chosen
 * provider needs them, decodable where it decodes them, keys that parse.
 */
export function checkSigningCredential(
	credential: SigningCredentialFields,
	providerById: (id: string) => ProviderEntry | undefined,
): CredentialCheck {
	const id = text(credential.provider);
	const entry = id === '' ? undefined : providerById(id);
	if (id !== '' && !entry) return { ok: false, message: `Unknown provider "${id}": choose one from the list.` };
	const secret = text(credential.secret);
	const previousSecret = text(credential.previousSecret);
	const publicKey = text(credential.publicKey);

	if (secret === '' && publicKey === '') return { ok: false, message: `Enter the Secret${entry ? `: ${entry.secretHelp}` : ' (or the Public Key for public-key signatures).'}` };
	if (entry && needsPublicKey(entry) && publicKey === '') return { ok: false, message: `${entry.displayName} signs with a key pair: ${entry.secretHelp}` };
	if (entry && needsSecret(entry) && secret === '') return { ok: false, message: `${entry.displayName} needs the Secret: ${entry.secretHelp}` };
	const format = entry ? secretFormat(entry) : undefined;
	if (format !== undefined && secret !== '' && !(entry?.signature.kind === 'special' && publicKey !== '')) {
		for (const [name, value] of [['Secret', secret], ['Previous Secret', previousSecret]] as const) {
			if (value !== '' && secretBytes(value, format) === undefined) {
				return { ok: false, message: `${name} does not decode as ${entry!.displayName} shows its secret: ${entry!.secretHelp}` };
			}
		}
	}
	if (publicKey !== '') {
		const problem = publicKeyProblem(publicKey);
		if (problem) return { ok: false, message: problem };
	}
	if (secret.startsWith('-----BEGIN')) {
		try {
			createPrivateKey(secret);
		} catch {
			return { ok: false, message: 'Secret looks like a PEM private key but does not parse: paste it whole, with its BEGIN and END lines and its line breaks.' };
		}
	}
	return {
		ok: true,
		message: `Well-formed${entry ? ` for ${entry.displayName}` : ''}. No provider can confirm a signing secret through an API: the first signed request does (the Test URL answers with the reason when it fails).`,
	};
}
