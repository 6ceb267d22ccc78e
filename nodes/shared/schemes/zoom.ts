import {
	asRecord,
	asString,
	nowInSeconds,
	parseUnixTimestamp,
	verifyVersionedTimestampHmac,
	versionedTimestampSignature,
} from './hmacPrimitives';
import type { SignatureScheme } from './types';

const SIGNATURE_HEADER = 'x-zm-signature';
const TIMESTAMP_HEADER = 'x-zm-request-timestamp';

/** Below this a Unix time is in seconds (until the year 5138); at or above it, milliseconds. */
const FIRST_MILLISECOND_TIMESTAMP = 1e11;

/**
 * `x-zm-request-timestamp` is Unix seconds (a delivery carries e.g. `1688752773` beside a body whose
 * `event_ts` is `1688752773282` ms). Zoom's SDK (Rivet) signs the header as text and never checks its age;
 * some third-party write-ups show 13-digit milliseconds there, so such a value is converted rather than
 * judged 50 000 years in the future. The signed text always uses the header exactly as received.
 */
export function zoomTimestampSeconds(text: string): number | undefined {
	const value = parseUnixTimestamp(text);
	if (value === undefined) return undefined;
	return value >= FIRST_MILLISECOND_TIMESTAMP ? Math.floor(value / 1000) : value;
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
	const timestamp = String(Math.floor(input.timestampSeconds ?? nowInSeconds()));
	return {
		[SIGNATURE_HEADER]: versionedTimestampSignature(input.payload, input.secretToken, timestamp),
		[TIMESTAMP_HEADER]: timestamp,
	};
}

export const zoomScheme: SignatureScheme = {
	name: 'zoom',
	sensitiveHeaders: [SIGNATURE_HEADER],
	timestamped: true,
	verify: (request, secrets, options) =>
		verifyVersionedTimestampHmac(request, secrets, options, {
			signatureHeader: SIGNATURE_HEADER,
			timestampHeader: TIMESTAMP_HEADER,
			toSeconds: zoomTimestampSeconds,
		}),
	// Zoom documents no delivery id; `event_ts` is not unique per event, so no id is claimed.
	describeEvent: (_request, body) => ({ type: asString(asRecord(body)?.event) }),
	sign: (input) => signZoomRequest({ payload: input.payload, secretToken: input.key, timestampSeconds: input.timestampSeconds }),
};
