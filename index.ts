/**
 * Signing and verification helpers, the same implementation per scheme that the nodes use: sign in your own
 * tests and senders exactly as the Secure Webhook Trigger verifies.
 */
export { SCHEMES, schemeByName } from './nodes/shared/schemes/registry';
export * from './nodes/shared/schemes/types';
export { signStandardWebhook, verifyStandardWebhook } from './nodes/shared/schemes/standardWebhooks';
export { generateStripeSignatureHeader, verifyStripeSignature } from './nodes/shared/schemes/stripe';
export { signGithubPayload } from './nodes/shared/schemes/github';
export { signSlackRequest } from './nodes/shared/schemes/slack';
export { signShopifyPayload, verifyShopifyWebhook } from './nodes/shared/schemes/shopify';
export { signMetaPayload } from './nodes/shared/schemes/meta';
export { signTwilioRequest, twilioSignature, twilioUrlWithBodyHash } from './nodes/shared/schemes/twilio';
export { signZoomRequest } from './nodes/shared/schemes/zoom';
export { signDiscordRequest, discordPublicKeyHex } from './nodes/shared/schemes/discord';
export { signGitlabRequest } from './nodes/shared/schemes/gitlab';
export { signGenericHmac } from './nodes/shared/schemes/hmac';
export { signJwtRequest } from './nodes/shared/schemes/jwt';

/** The provider catalogue: every provider as data (recipe, event id and type, content types, handshakes, sources). */
export { PROVIDERS, providerById, providerSchemeById } from './nodes/shared/providers/catalogue';
export type { ProviderEntry, ProviderGroup, SignatureRecipe, ValueSource } from './nodes/shared/providers/types';
export { signHmacRecipe, verifyHmacRecipe, type HmacRecipe } from './nodes/shared/verify/hmacRecipe';
