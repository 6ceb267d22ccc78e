import { SCHEMES } from '../shared/schemes/registry';
import type { GenericHmacOptions, SignInput } from '../shared/schemes/types';

/** The schemes this node signs with; each verifies in the Secure Webhook Trigger with the same credential. */
export const SENDER_SCHEME_NAMES = ['standardWebhooks', 'github', 'stripe', 'hmac', 'jwt', 'none'] as const;

export type SenderSchemeName = (typeof SENDER_SCHEME_NAMES)[number];

export function isSenderSchemeName(value: string): value is SenderSchemeName {
	return (SENDER_SCHEME_NAMES as readonly string[]).includes(value);
}

export interface SigningSetup {
	scheme: SenderSchemeName;
	/** The credential's `secret`: the HMAC key, or for RS/ES JWTs the private key PEM. Empty for `none`. */
	key: string;
	hmac?: GenericHmacOptions;
	jwt?: SignInput['jwt'];
}

export interface SignatureRequest {
	payload: Buffer;
	id: string;
	timestampSeconds: number;
	url: string;
}

/** The headers that sign `request.payload` under `setup`'s scheme; lower-case names; none for `none`. */
export function signatureHeaders(setup: SigningSetup, request: SignatureRequest): Record<string, string> {
	if (setup.scheme === 'none') return {};
	const sign = SCHEMES[setup.scheme].sign;
	if (!sign) throw new Error(`The ${setup.scheme} scheme cannot sign`);
	const headers = sign({
		payload: request.payload,
		key: setup.key,
		id: request.id,
		timestampSeconds: request.timestampSeconds,
		url: request.url,
		hmac: setup.hmac,
		jwt: setup.jwt,
	});
	return lowerCaseNames(headers);
}

/**
 * Names of the headers whose values are signatures or tokens, redacted wherever sent headers are output. The
 * generic HMAC and JWT schemes put them in a configurable header, which the scheme's static list cannot know.
 */
export function signatureHeaderNames(setup: SigningSetup): string[] {
	if (setup.scheme === 'none') return [];
	const names = new Set(SCHEMES[setup.scheme].sensitiveHeaders.map((name) => name.toLowerCase()));
	if (setup.scheme === 'hmac' && setup.hmac?.signatureHeader) names.add(setup.hmac.signatureHeader.trim().toLowerCase());
	if (setup.scheme === 'jwt' && setup.jwt?.tokenHeader) names.add(setup.jwt.tokenHeader.trim().toLowerCase());
	return [...names];
}

/**
 * Headers that name the event for the receiver's routing and de-duplication. GitHub receivers read their own
 * names; the Standard Webhooks id also travels, signed, as `webhook-id`.
 */
export function eventHeaders(scheme: SenderSchemeName, eventType: string, eventId: string): Record<string, string> {
	const typeHeader = scheme === 'github' ? 'x-github-event' : 'x-event-type';
	const idHeader = scheme === 'github' ? 'x-github-delivery' : 'x-event-id';
	const headers: Record<string, string> = { [idHeader]: eventId };
	if (eventType !== '') headers[typeHeader] = eventType;
	return headers;
}

export function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
	const lowered: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
	return lowered;
}
