/** Compatibility facade: Stripe is a catalogue entry (nodes/shared/providers/groups/payments.ts). */
import { SCHEMES } from './registry';

export const stripeScheme = SCHEMES.stripe;

/** Verifies `Stripe-Signature: t=…,v1=…[,v1=…][,v0=…]`. Several v1 entries appear while Stripe rolls a secret. */
export const verifyStripeSignature = stripeScheme.verify;

export interface StripeSignatureInput {
	payload: Buffer;
	/** The endpoint's signing secret, `whsec_…`. */
	secret: string;
	/** Unix seconds; now when omitted. */
	timestampSeconds?: number;
}

/**
 * The `Stripe-Signature` header value (`t=…,v1=…`) for `payload`, like stripe-node's
 * `stripe.webhooks.generateTestHeaderString` but over the exact bytes. Use it to sign test deliveries.
 */
export function generateStripeSignatureHeader(input: StripeSignatureInput): string {
	return stripeScheme.sign!({ payload: input.payload, key: input.secret, timestampSeconds: input.timestampSeconds })['stripe-signature'];
}
