import { createHmac } from 'node:crypto';

import Stripe from 'stripe';

import { generateStripeSignatureHeader, stripeScheme } from '../../../../nodes/shared/schemes/stripe';
import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import {
	NON_UTF8_BODY,
	expectAccepted,
	expectGarbageNeverVerifies,
	expectRejected,
	verifyOptions,
	webhookRequest,
} from './schemeTestKit';

// Stripe publishes no fixed secret/payload/signature triple (stripe-node's test/Webhook.spec.ts signs on the fly
// with `whsec_test_secret`). This vector was derived from the official SDK in devDependencies,
// stripe-node 23.1.0 `stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: 1700000000 })`,
// and confirmed with Python's hmac module; the test below re-derives it from the SDK every run.
const SECRET = 'whsec_test_secret';
const PAYLOAD = JSON.stringify({ id: 'evt_test_webhook', object: 'event', type: 'payment_intent.succeeded' }, null, 2);
const TIMESTAMP = 1700000000;
const HEADER = 't=1700000000,v1=eff1d2c6bc8bde2a9c9492db8f9912986b91cf6f9a4b0453e9c3cfbbf84a9b99';
const OPTIONS = verifyOptions(TIMESTAMP + 5);

const stripe = new Stripe('sk_test_not_used_no_requests_are_made');

function verify(header: string | string[] | undefined, body: Buffer | string, secrets: SigningSecrets, options = OPTIONS) {
	const headers = header === undefined ? {} : { 'stripe-signature': header };
	return stripeScheme.verify(webhookRequest(headers, body), secrets, options);
}

describe('stripe: vector', () => {
	it('is what stripe-node generates for these inputs', () => {
		expect(stripe.webhooks.generateTestHeaderString({ payload: PAYLOAD, secret: SECRET, timestamp: TIMESTAMP })).toBe(HEADER);
	});

	it('signs it byte for byte and verifies it', () => {
		expect(generateStripeSignatureHeader({ payload: Buffer.from(PAYLOAD), secret: SECRET, timestampSeconds: TIMESTAMP })).toBe(HEADER);
		expect(verify(HEADER, PAYLOAD, { secret: SECRET })).toEqual({ ok: true, matched: 'current', timestamp: TIMESTAMP });
	});

	it('uses the whsec_ secret literally: a base64-decoded key (the classic mistake) does not verify', () => {
		const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
		const wrong = createHmac('sha256', decodedKey).update(`${TIMESTAMP}.${PAYLOAD}`).digest('hex');
		expectRejected(verify(`t=${TIMESTAMP},v1=${wrong}`, PAYLOAD, { secret: SECRET }), 'invalid_signature');
	});
});

describe('stripe: cross-checks with stripe-node', () => {
	const body = '{"id":"evt_1","object":"event","type":"invoice.paid","data":{"object":{"customer_name":"Zoë ✓"}}}';

	it('accepts what stripe-node signs', () => {
		const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: TIMESTAMP });
		expectAccepted(verify(header, body, { secret: SECRET }));
	});

	it('signs what stripe-node constructEvent accepts', () => {
		const now = Math.floor(Date.now() / 1000);
		const header = stripeScheme.sign!({ payload: Buffer.from(body), key: SECRET })['stripe-signature'];
		const event = stripe.webhooks.constructEvent(Buffer.from(body), header, SECRET, 300);
		expect(event.id).toBe('evt_1');
		expect(header).toMatch(new RegExp(`^t=(${now}|${now + 1}),v1=[0-9a-f]{64}$`));
	});

	it('and stripe-node rejects what we sign with another secret', () => {
		const header = generateStripeSignatureHeader({ payload: Buffer.from(body), secret: 'whsec_other' });
		expect(() => stripe.webhooks.constructEvent(body, header, SECRET)).toThrow(/No signatures found matching/);
	});
});

describe('stripe: header parsing', () => {
	const good = HEADER.split(',v1=')[1];
	const zeros = '0'.repeat(64);

	it('accepts several v1 entries (Stripe sends one per active secret) and ignores v0 and unknown keys', () => {
		expectAccepted(verify(`t=${TIMESTAMP},v1=${zeros},v1=${good},v0=${zeros},x=1`, PAYLOAD, { secret: SECRET }));
		expectAccepted(verify(`t=${TIMESTAMP}, v1=${good}`, PAYLOAD, { secret: SECRET }));
	});

	it('tolerates whitespace around keys and values, as trim() would remove it', () => {
		// Accepted, so the signed text is the timestamp without the whitespace around it (what Stripe signed).
		expectAccepted(verify(` t = ${TIMESTAMP} ,\tv1=\t${good}\u00a0, v1 = ${zeros} `, PAYLOAD, { secret: SECRET }));
		expectAccepted(verify(`t=${TIMESTAMP},v1= ${good}`, PAYLOAD, { secret: SECRET }));
		// Whitespace inside a value is not around it.
		expectRejected(verify(`t=${TIMESTAMP},v1=${good.slice(0, 32)} ${good.slice(32)}`, PAYLOAD, { secret: SECRET }), 'malformed_signature');
		expectRejected(verify(`t=17000 00000,v1=${good}`, PAYLOAD, { secret: SECRET }), 'malformed_signature');
	});

	it('does not accept a v0 signature alone', () => {
		const v0 = createHmac('sha256', SECRET).update(`${TIMESTAMP}.${PAYLOAD}`).digest('hex');
		expectRejected(verify(`t=${TIMESTAMP},v0=${v0}`, PAYLOAD, { secret: SECRET }), 'malformed_signature');
	});

	it('rejects a missing header', () => {
		expectRejected(verify(undefined, PAYLOAD, { secret: SECRET }), 'missing_signature');
		expectRejected(verify('', PAYLOAD, { secret: SECRET }), 'missing_signature');
	});

	it.each([
		['no timestamp', `v1=${good}`],
		['no v1', `t=${TIMESTAMP}`],
		['two timestamps', `t=${TIMESTAMP},t=${TIMESTAMP},v1=${good}`],
		['non-numeric timestamp', `t=abc,v1=${good}`],
		['fractional timestamp', `t=${TIMESTAMP}.5,v1=${good}`],
		['non-hex v1', `t=${TIMESTAMP},v1=${'g'.repeat(64)}`],
		['short v1', `t=${TIMESTAMP},v1=${good.slice(0, 63)}`],
		['long v1', `t=${TIMESTAMP},v1=${good}00`],
		['no separators', `garbage`],
		['too many entries', `t=${TIMESTAMP},` + Array.from({ length: 40 }, () => `v1=${good}`).join(',')],
	])('rejects a malformed header (%s)', (_case, header) => {
		expectRejected(verify(header, PAYLOAD, { secret: SECRET }), 'malformed_signature');
	});

	it('rejects duplicated Stripe-Signature headers', () => {
		expectRejected(verify([HEADER, HEADER], PAYLOAD, { secret: SECRET }), 'malformed_signature');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(stripeScheme, ['stripe-signature'], { secret: SECRET });
	});
});

describe('stripe: rejections, tolerance, rotation, raw bytes', () => {
	it('rejects a tampered body and the wrong secret', () => {
		expectRejected(verify(HEADER, PAYLOAD.replace('succeeded', 'failed'), { secret: SECRET }), 'invalid_signature');
		expectRejected(verify(HEADER, PAYLOAD, { secret: 'whsec_test_secreT' }), 'invalid_signature');
	});

	it('rejects a tampered timestamp (it is signed)', () => {
		expectRejected(verify(HEADER.replace('t=1700000000', 't=1700000001'), PAYLOAD, { secret: SECRET }), 'invalid_signature');
	});

	it('rejects an expired and a future timestamp', () => {
		expectRejected(verify(HEADER, PAYLOAD, { secret: SECRET }, verifyOptions(TIMESTAMP + 301)), 'timestamp_out_of_tolerance');
		expectRejected(verify(HEADER, PAYLOAD, { secret: SECRET }, verifyOptions(TIMESTAMP - 301)), 'timestamp_out_of_tolerance');
		expectAccepted(verify(HEADER, PAYLOAD, { secret: SECRET }, verifyOptions(TIMESTAMP + 300)));
	});

	it('accepts the previous secret during a rotation and reports it', () => {
		expect(expectAccepted(verify(HEADER, PAYLOAD, { secret: 'whsec_new', previousSecret: SECRET })).matched).toBe('previous');
		expectRejected(verify(HEADER, PAYLOAD, { secret: 'whsec_new', previousSecret: '' }), 'invalid_signature');
	});

	it('returns missing_key for an empty secret', () => {
		expectRejected(verify(HEADER, PAYLOAD, { secret: '' }), 'missing_key');
		expectRejected(verify(HEADER, PAYLOAD, { secret: '', previousSecret: SECRET }), 'missing_key');
	});

	it('verifies a non-UTF-8 body over its bytes', () => {
		const header = generateStripeSignatureHeader({ payload: NON_UTF8_BODY, secret: SECRET, timestampSeconds: TIMESTAMP });
		const expected = createHmac('sha256', SECRET).update(Buffer.concat([Buffer.from(`${TIMESTAMP}.`), NON_UTF8_BODY])).digest('hex');
		expect(header).toBe(`t=${TIMESTAMP},v1=${expected}`);
		expectAccepted(verify(header, NON_UTF8_BODY, { secret: SECRET }));
		expectRejected(verify(header, Buffer.from(NON_UTF8_BODY.toString('utf8')), { secret: SECRET }), 'invalid_signature');
	});
});

describe('stripe: describeEvent', () => {
	it('takes type and id from the event body', () => {
		const verification = { ok: true as const, matched: 'current' as const, timestamp: TIMESTAMP };
		expect(stripeScheme.describeEvent(webhookRequest({}, PAYLOAD), JSON.parse(PAYLOAD), verification)).toEqual({
			type: 'payment_intent.succeeded',
			id: 'evt_test_webhook',
		});
		expect(stripeScheme.describeEvent(webhookRequest({}, 'x'), undefined, verification)).toEqual({ type: undefined, id: undefined });
		expect(stripeScheme.describeEvent(webhookRequest({}, '[]'), [1], verification)).toEqual({ type: undefined, id: undefined });
	});

	it('declares its sensitive header and that it is timestamped', () => {
		expect(stripeScheme.sensitiveHeaders).toEqual(['stripe-signature']);
		expect(stripeScheme.timestamped).toBe(true);
	});
});
