/** Compatibility facade: Zoom is a catalogue entry (nodes/shared/providers/groups/messaging.ts). */
import { parseTimestamp } from '../verify/timestamps';
import { SCHEMES } from './registry';

export const zoomScheme = SCHEMES.zoom;

/**
 * `x-zm-request-timestamp` in Unix seconds: seconds as sent, a 13-digit millisecond value converted (some write-ups
 * show milliseconds there), rather than judged 50 000 years in the future.
 */
export function zoomTimestampSeconds(text: string): number | undefined {
	const seconds = parseTimestamp(text, 'auto');
	return seconds === undefined ? undefined : Math.floor(seconds);
}

export interface ZoomSignInput {
	payload: Buffer;
	/** The app's Secret Token (Marketplace → Features → Access). */
	secretToken: string;
	/** Unix seconds; now when omitted. */
	timestampSeconds?: number;
}

/**
 * The `x-zm-signature` (`v0=<hex>` over `v0:<timestamp>:<body>`) and `x-zm-request-timestamp` headers Zoom
 * sends for `payload`. Use it to sign test deliveries.
 */
export function signZoomRequest(input: ZoomSignInput): Record<string, string> {
	return zoomScheme.sign!({ payload: input.payload, key: input.secretToken, timestampSeconds: input.timestampSeconds });
}
