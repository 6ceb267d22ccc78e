import type { AwsSnsRecipe } from '../providers/types';
import { confirmSnsSubscription, signSnsMessage, verifySnsMessage, type SnsMessage } from './awsSns';
import { readSingleHeader } from './headers';
import { processKeySources } from './keySources';
import { fail } from './results';
import type { IncomingWebhook, SignInput, VerificationResult, VerifyOptions } from './types';

/**
 * The AWS SNS recipe as the trigger runs it (awsSns.ts does the work): the body is the signed message, its type must
 * match the `x-amz-sns-message-type` header AWS always sends, the Topic ARN setting pins the topic, and the result
 * carries the MessageId as the event id and, for a SubscriptionConfirmation, its SubscribeURL (confirmed by the
 * handshake, never before the message verified).
 */

export const SNS_MESSAGE_TYPE_HEADER = 'x-amz-sns-message-type';

/** Verifies an SNS delivery. Never throws. */
export async function verifySnsRecipe(recipe: AwsSnsRecipe, request: IncomingWebhook, options: VerifyOptions): Promise<VerificationResult> {
	const messageType = readSingleHeader(request.headers, SNS_MESSAGE_TYPE_HEADER);
	if (typeof messageType !== 'string') return messageType;
	let topicArn: string | undefined;
	if (recipe.topicArn === 'configured') {
		topicArn = (options.topicArn ?? '').trim();
		// Without the topic pinned, any AWS account's topic could deliver here: nothing verifies until it is set.
		if (topicArn === '') return fail('missing_key');
	}
	const sources = options.keySources ?? processKeySources();
	const result = await verifySnsMessage(request.rawBody, {
		topicArn,
		messageTypeHeader: messageType.trim(),
		hostPattern: sources.snsHostPattern,
		cache: sources.snsCertificates,
		nowMs: options.nowSeconds * 1000,
	});
	if (!result.ok) return fail(result.reason);
	return {
		ok: true,
		matched: 'publicKey',
		id: result.messageId,
		timestamp: result.timestamp,
		...(result.subscribeUrl !== undefined ? { subscribeUrl: result.subscribeUrl } : {}),
	};
}

/** Confirms the subscription of a verified SubscriptionConfirmation: a GET of its SubscribeURL, on the pinned host. */
export async function confirmSnsRecipeSubscription(subscribeUrl: string, options: Pick<VerifyOptions, 'keySources'> = {}): Promise<boolean> {
	const sources = options.keySources ?? processKeySources();
	const confirmed = await confirmSnsSubscription(subscribeUrl, { hostPattern: sources.snsHostPattern, ca: sources.snsConfirmCa });
	return confirmed.ok;
}

/**
 * For tests: SNS signs inside the body, so a delivery is signed by rewriting it. `input.payload` is an unsigned SNS
 * message (JSON), `input.key` the PEM private key of the certificate at `input.url` (its SigningCertURL); the result
 * is the message with SignatureVersion 2, SigningCertURL and Signature added.
 */
export function signedSnsBody(input: SignInput): Buffer {
	if (!input.url) throw new Error('input.url must be the SigningCertURL of the certificate input.key belongs to');
	const fields = JSON.parse(input.payload.toString('utf8')) as Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>;
	return Buffer.from(JSON.stringify(signSnsMessage(fields, input.key, input.url, '2')), 'utf8');
}
