import { createHmac } from 'node:crypto';

import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import { signZoomRequest, zoomScheme, zoomTimestampSeconds } from '../../../../nodes/shared/schemes/zoom';
import {
	NON_UTF8_BODY,
	expectAccepted,
	expectGarbageNeverVerifies,
	expectRejected,
	verifyOptions,
	webhookRequest,
} from './schemeTestKit';

// Zoom publishes no secret/body/signature triple. Its docs define the scheme
// (https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events: `v0=` + hex HMAC-SHA256 with the
// Secret Token over `v0:{x-zm-request-timestamp}:{request body}`), as does its official sample
// (zoom/webhook-sample index.js: createHmac('sha256', token).update(`v0:${ts}:${JSON.stringify(req.body)}`)).
// Zoom's SDK (@zoom/rivet) is not among our devDependencies, so this vector was computed with Python's hmac module,
// independently of Node. The timestamp is in seconds, alongside a millisecond `event_ts` in the body, as in
// a captured delivery (x-zm-request-timestamp "1688752773", event_ts 1688752773282).
const SECRET_TOKEN = 'zoom_secret_token';
const TIMESTAMP = 1688752773;
const BODY =
	'{"event":"meeting.started","payload":{"account_id":"AAAAAABBBB","object":{"id":"1234567890","topic":"My Meeting"}},"event_ts":1688752773282}';
const SIGNATURE = 'v0=4b9a53eadaf0d70a79daeaa5b4d17b23a14503907f539ba2afcc83f4529cb8af';

const OPTIONS = verifyOptions(TIMESTAMP + 5);

function headers(signature: string | string[] = SIGNATURE, timestamp: string | string[] = String(TIMESTAMP)): Record<string, string | string[]> {
	return { 'x-zm-signature': signature, 'x-zm-request-timestamp': timestamp };
}

function verify(requestHeaders: Record<string, string | string[]>, body: Buffer | string, secrets: SigningSecrets, options = OPTIONS) {
	return zoomScheme.verify(webhookRequest(requestHeaders, body), secrets, options);
}

describe('zoom: vector', () => {
	it('matches what Zoom’s official sample computes for a compact body', () => {
		// JSON.stringify(JSON.parse(BODY)) === BODY here, so the sample's re-serialisation does not change the bytes.
		const sample = createHmac('sha256', SECRET_TOKEN).update(`v0:${TIMESTAMP}:${JSON.stringify(JSON.parse(BODY))}`).digest('hex');
		expect(`v0=${sample}`).toBe(SIGNATURE);
	});

	it('signs and verifies it, reporting the timestamp in seconds', () => {
		expect(signZoomRequest({ payload: Buffer.from(BODY), secretToken: SECRET_TOKEN, timestampSeconds: TIMESTAMP })).toEqual({
			'x-zm-signature': SIGNATURE,
			'x-zm-request-timestamp': String(TIMESTAMP),
		});
		expect(verify(headers(), BODY, { secret: SECRET_TOKEN })).toEqual({ ok: true, matched: 'current', timestamp: TIMESTAMP });
	});
});

describe('zoom: timestamp unit', () => {
	it('reads seconds, and converts a 13-digit millisecond value instead of calling it far future', () => {
		expect(zoomTimestampSeconds('1688752773')).toBe(1688752773);
		expect(zoomTimestampSeconds('1688752773282')).toBe(1688752773);
		expect(zoomTimestampSeconds('99999999999')).toBe(99999999999);
		expect(zoomTimestampSeconds('1.6e9')).toBeUndefined();
		expect(zoomTimestampSeconds('')).toBeUndefined();
	});

	it('verifies a millisecond timestamp over the header text exactly as sent', () => {
		const ms = '1688752773282';
		const signed = createHmac('sha256', SECRET_TOKEN).update(`v0:${ms}:${BODY}`).digest('hex');
		const result = verify(headers(`v0=${signed}`, ms), BODY, { secret: SECRET_TOKEN });
		expect(result).toEqual({ ok: true, matched: 'current', timestamp: TIMESTAMP });
		expectRejected(verify(headers(`v0=${signed}`, ms), BODY, { secret: SECRET_TOKEN }, verifyOptions(TIMESTAMP + 301)), 'timestamp_out_of_tolerance');
	});
});

describe('zoom: rejections', () => {
	const secrets = { secret: SECRET_TOKEN };

	it('rejects a tampered body, a tampered timestamp and the wrong token', () => {
		expectRejected(verify(headers(), BODY.replace('My Meeting', 'Your Meeting'), secrets), 'invalid_signature');
		expectRejected(verify(headers(SIGNATURE, String(TIMESTAMP + 1)), BODY, secrets), 'invalid_signature');
		expectRejected(verify(headers(), BODY, { secret: 'zoom_secret_tokeN' }), 'invalid_signature');
	});

	it('rejects a missing signature or timestamp header', () => {
		expectRejected(verify({ 'x-zm-request-timestamp': String(TIMESTAMP) }, BODY, secrets), 'missing_signature');
		expectRejected(verify({ 'x-zm-signature': SIGNATURE }, BODY, secrets), 'missing_signature');
	});

	it.each([
		['no prefix', headers(SIGNATURE.slice(3))],
		['non-hex', headers('v0=' + '-'.repeat(64))],
		['long', headers(SIGNATURE + 'ab')],
		['timestamp garbage', headers(SIGNATURE, 'now')],
		['timestamp huge', headers(SIGNATURE, '1'.repeat(30))],
		['duplicated signature', headers([SIGNATURE, SIGNATURE])],
	])('rejects malformed headers (%s)', (_case, requestHeaders) => {
		expectRejected(verify(requestHeaders, BODY, secrets), 'malformed_signature');
	});

	it('rejects an expired and a future timestamp', () => {
		expectRejected(verify(headers(), BODY, secrets, verifyOptions(TIMESTAMP + 301)), 'timestamp_out_of_tolerance');
		expectRejected(verify(headers(), BODY, secrets, verifyOptions(TIMESTAMP - 301)), 'timestamp_out_of_tolerance');
	});

	it('returns missing_key for an empty secret', () => {
		expectRejected(verify(headers(), BODY, { secret: '' }), 'missing_key');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(zoomScheme, ['x-zm-signature', 'x-zm-request-timestamp'], secrets);
	});
});

describe('zoom: rotation and raw bytes', () => {
	it('accepts the previous token and reports it', () => {
		expect(expectAccepted(verify(headers(), BODY, { secret: 'rotated', previousSecret: SECRET_TOKEN })).matched).toBe('previous');
	});

	it('verifies a non-UTF-8 body over its bytes', () => {
		const signed = signZoomRequest({ payload: NON_UTF8_BODY, secretToken: SECRET_TOKEN, timestampSeconds: TIMESTAMP });
		expectAccepted(verify(signed, NON_UTF8_BODY, { secret: SECRET_TOKEN }));
		expectRejected(verify(signed, Buffer.from(NON_UTF8_BODY.toString('utf8')), { secret: SECRET_TOKEN }), 'invalid_signature');
	});
});

describe('zoom: describeEvent and sign', () => {
	const verification = { ok: true as const, matched: 'current' as const, timestamp: TIMESTAMP };

	it('takes the type from body.event and claims no id', () => {
		expect(zoomScheme.describeEvent(webhookRequest(headers(), BODY), JSON.parse(BODY), verification)).toEqual({ type: 'meeting.started' });
		expect(zoomScheme.describeEvent(webhookRequest({}, ''), { event: 'endpoint.url_validation', payload: { plainToken: 'x' } }, verification)).toEqual({
			type: 'endpoint.url_validation',
		});
		expect(zoomScheme.describeEvent(webhookRequest({}, ''), undefined, verification)).toEqual({ type: undefined });
	});

	it('sign() defaults to now; sensitive header and timestamped are declared', () => {
		const now = Math.floor(Date.now() / 1000);
		const signed = zoomScheme.sign!({ payload: Buffer.from(BODY), key: SECRET_TOKEN });
		expectAccepted(verify(signed, BODY, { secret: SECRET_TOKEN }, verifyOptions(now)));
		expect(zoomScheme.sensitiveHeaders).toEqual(['x-zm-signature']);
		expect(zoomScheme.timestamped).toBe(true);
	});
});
