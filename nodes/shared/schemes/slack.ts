/** Compatibility facade: Slack is a catalogue entry (nodes/shared/providers/groups/messaging.ts). */
import type { EventDescription } from '../verify/types';
import { SCHEMES } from './registry';

export const slackScheme = SCHEMES.slack;

export interface SlackSignInput {
	/** The exact body: JSON for the Events API, `application/x-www-form-urlencoded` for commands and interactivity. */
	payload: Buffer;
	signingSecret: string;
	/** Unix seconds; now when omitted. */
	timestampSeconds?: number;
}

/**
 * The `X-Slack-Signature` (`v0=<hex>` over `v0:<timestamp>:<body>`) and `X-Slack-Request-Timestamp` headers
 * Slack sends for `payload`. Use it to sign test deliveries.
 */
export function signSlackRequest(input: SlackSignInput): Record<string, string> {
	return slackScheme.sign!({ payload: input.payload, key: input.signingSecret, timestampSeconds: input.timestampSeconds });
}

const NO_REQUEST = { method: 'POST', url: '/', headers: {}, rawBody: Buffer.alloc(0) };

/** The event type and id of a parsed Slack body (JSON event, or the parsed form of a command or interaction). */
export function describeSlackEvent(body: unknown): EventDescription {
	return slackScheme.describeEvent(NO_REQUEST, body, { ok: true, matched: 'none' });
}
