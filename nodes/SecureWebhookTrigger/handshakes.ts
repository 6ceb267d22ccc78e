import { createHmac } from 'node:crypto';

import { safeEqualText } from '../shared/schemes/hmacPrimitives';
import type { SchemeName, SecretMatch, SigningSecrets } from '../shared/schemes/types';
import { reject, respondOk, type DirectResponse } from './responses';

/**
 * Meta's GET subscription check: echo hub.challenge when hub.verify_token matches the configured token.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 */
export function answerMetaSubscription(query: Record<string, unknown>, verifyToken: string): DirectResponse {
	const mode = query['hub.mode'];
	const token = query['hub.verify_token'];
	const challenge = query['hub.challenge'];
	if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !verifyToken) {
		return reject(403, 'invalid_verify_token', 'invalid verification request');
	}
	// Any length, in constant time: a length mismatch must not answer sooner (issue 14).
	if (!safeEqualText(token, verifyToken)) return reject(403, 'invalid_verify_token', 'invalid verify token');
	return { status: 200, body: challenge, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Handshakes that arrive as signed POSTs and must be answered by the endpoint itself, after the signature
 * was verified. Returns undefined when the request is an ordinary event.
 */
export function answerSignedHandshake(
	scheme: SchemeName,
	body: unknown,
	secrets: SigningSecrets | undefined,
	matched: SecretMatch,
): DirectResponse | undefined {
	if (!isRecord(body)) return undefined;
	switch (scheme) {
		case 'slack':
			// https://api.slack.com/events/url_verification
			if (body.type === 'url_verification' && typeof body.challenge === 'string') {
				return respondOk({ challenge: body.challenge });
			}
			return undefined;
		case 'discord':
			// https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
			if (body.type === 1) return respondOk({ type: 1 });
			return undefined;
		case 'zoom': {
			// https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint
			const payload = body.payload;
			if (body.event !== 'endpoint.url_validation' || !isRecord(payload) || typeof payload.plainToken !== 'string') {
				return undefined;
			}
			const secret = matched === 'previous' ? secrets?.previousSecret : secrets?.secret;
			if (!secret) return undefined;
			const encryptedToken = createHmac('sha256', secret).update(payload.plainToken).digest('hex');
			return respondOk({ plainToken: payload.plainToken, encryptedToken });
		}
		default:
			return undefined;
	}
}
