import {
	asRecord,
	asString,
	nowInSeconds,
	verifyVersionedTimestampHmac,
	versionedTimestampSignature,
} from './hmacPrimitives';
import type { EventDescription, SignatureScheme } from './types';

const SIGNATURE_HEADER = 'x-slack-signature';
const TIMESTAMP_HEADER = 'x-slack-request-timestamp';

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
	const timestamp = String(Math.floor(input.timestampSeconds ?? nowInSeconds()));
	return {
		[SIGNATURE_HEADER]: versionedTimestampSignature(input.payload, input.signingSecret, timestamp),
		[TIMESTAMP_HEADER]: timestamp,
	};
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
	try {
		return asRecord(JSON.parse(text));
	} catch {
		return undefined;
	}
}

/**
 * Events API deliveries are JSON (`event_callback` wraps the event; `url_verification` and
 * `app_rate_limited` stand alone). Slash commands and interactivity are forms: a `command` field, or a
 * `payload` field holding JSON with its own `type` (`block_actions`, `view_submission`, `shortcut`…).
 */
export function describeSlackEvent(body: unknown): EventDescription {
	const fields = asRecord(body);
	if (!fields) return {};
	if (fields.type === 'event_callback') {
		return { type: asString(asRecord(fields.event)?.type), id: asString(fields.event_id) };
	}
	const command = asString(fields.command);
	if (command) return { type: command };
	const interaction = typeof fields.payload === 'string' ? parseJsonObject(fields.payload) : undefined;
	if (interaction) return { type: asString(interaction.type) };
	return { type: asString(fields.type) };
}

export const slackScheme: SignatureScheme = {
	name: 'slack',
	sensitiveHeaders: [SIGNATURE_HEADER],
	timestamped: true,
	verify: (request, secrets, options) =>
		verifyVersionedTimestampHmac(request, secrets, options, { signatureHeader: SIGNATURE_HEADER, timestampHeader: TIMESTAMP_HEADER }),
	describeEvent: (_request, body) => describeSlackEvent(body),
	sign: (input) => signSlackRequest({ payload: input.payload, signingSecret: input.key, timestampSeconds: input.timestampSeconds }),
};
