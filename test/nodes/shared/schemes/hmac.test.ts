import { createHmac } from 'node:crypto';

import Stripe from 'stripe';

import {
	DEFAULT_GENERIC_HMAC_OPTIONS,
	genericHmacSensitiveHeaders,
	hmacScheme,
	parseGenericTimestamp,
	signGenericHmac,
} from '../../../../nodes/shared/schemes/hmac';
import type { GenericHmacOptions, SigningSecrets, VerifyOptions } from '../../../../nodes/shared/schemes/types';
import { NON_UTF8_BODY, expectAccepted, expectGarbageNeverVerifies, expectRejected, runEsm, webhookRequest } from './schemeTestKit';

const NOW = 1_700_000_000;

function options(hmac: Partial<GenericHmacOptions> = {}, nowSeconds = NOW, toleranceSeconds = 300): VerifyOptions {
	return { nowSeconds, toleranceSeconds, hmac: { ...DEFAULT_GENERIC_HMAC_OPTIONS, ...hmac } };
}

function verify(headers: Record<string, string | string[]>, body: Buffer | string, secrets: SigningSecrets, verifyOptions = options()) {
	return hmacScheme.verify(webhookRequest(headers, body), secrets, verifyOptions);
}

// RFC 4231 §4.3 (HMAC-SHA256/512 test case 2) and RFC 2202 §3 (HMAC-SHA1 test case 2):
// https://www.rfc-editor.org/rfc/rfc4231#section-4.3, https://www.rfc-editor.org/rfc/rfc2202#section-3
const RFC_KEY = 'Jefe';
const RFC_DATA = 'what do ya want for nothing?';
const RFC_MACS = {
	sha1: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
	sha256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
	sha512:
		'164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
} as const;

// GitHub's documented test values (secret, payload, X-Hub-Signature-256):
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
const GITHUB_VECTOR = {
	secret: "It's a Secret to Everybody",
	payload: 'Hello, World!',
	signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};

// Slack's worked example (signing secret, X-Slack-Request-Timestamp, body, X-Slack-Signature):
// https://api.slack.com/authentication/verifying-requests-from-slack#validating-a-request
const SLACK_VECTOR = {
	secret: '8f742231b10e8888abcd99yyyzzz85a5',
	timestamp: '1531420618',
	body:
		'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
		'&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
		'%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
	signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const SLACK_OPTIONS: Partial<GenericHmacOptions> = {
	signatureHeader: 'x-slack-signature',
	prefix: 'v0=',
	timestampHeader: 'x-slack-request-timestamp',
	signedContent: 'v0:{timestamp}:{body}',
};

describe('hmac: official vectors', () => {
	it.each(Object.entries(RFC_MACS))('verifies the RFC %s test case 2 MAC (hex)', (algorithm, mac) => {
		const result = verify({ 'x-signature': mac }, RFC_DATA, { secret: RFC_KEY }, options({ algorithm: algorithm as GenericHmacOptions['algorithm'] }));
		expect(expectAccepted(result).matched).toBe('current');
	});

	it.each(Object.entries(RFC_MACS))('signs the RFC %s test case 2 MAC', (algorithm, mac) => {
		const headers = signGenericHmac({
			payload: Buffer.from(RFC_DATA),
			key: RFC_KEY,
			hmac: { ...DEFAULT_GENERIC_HMAC_OPTIONS, algorithm: algorithm as GenericHmacOptions['algorithm'] },
		});
		expect(headers).toEqual({ 'x-signature': mac });
	});

	it('rejects an RFC MAC checked with another algorithm', () => {
		expectRejected(verify({ 'x-signature': RFC_MACS.sha256 }, RFC_DATA, { secret: RFC_KEY }, options({ algorithm: 'sha512' })), 'malformed_signature');
	});

	it("verifies GitHub's documented X-Hub-Signature-256 with prefix sha256=", () => {
		const opts = options({ signatureHeader: 'X-Hub-Signature-256', prefix: 'sha256=' });
		expectAccepted(verify({ 'x-hub-signature-256': GITHUB_VECTOR.signature }, GITHUB_VECTOR.payload, { secret: GITHUB_VECTOR.secret }, opts));
		expect(
			signGenericHmac({ payload: Buffer.from(GITHUB_VECTOR.payload), key: GITHUB_VECTOR.secret, hmac: opts.hmac }),
		).toEqual({ 'x-hub-signature-256': GITHUB_VECTOR.signature });
	});

	it("verifies Slack's worked example with the template v0:{timestamp}:{body}", () => {
		const opts = options(SLACK_OPTIONS, Number(SLACK_VECTOR.timestamp) + 30);
		const headers = { 'x-slack-signature': SLACK_VECTOR.signature, 'x-slack-request-timestamp': SLACK_VECTOR.timestamp };
		const result = expectAccepted(verify(headers, SLACK_VECTOR.body, { secret: SLACK_VECTOR.secret }, opts));
		expect(result.timestamp).toBe(Number(SLACK_VECTOR.timestamp));
		expect(
			signGenericHmac({
				payload: Buffer.from(SLACK_VECTOR.body),
				key: SLACK_VECTOR.secret,
				timestampSeconds: Number(SLACK_VECTOR.timestamp),
				hmac: opts.hmac,
			}),
		).toEqual(headers);
	});
});

describe('hmac: SDK cross-checks', () => {
	// Stripe signs `{timestamp}.{body}` with HMAC-SHA256 (hex); stripe-node's test-header generator is the reference.
	const stripe = new Stripe('sk_test_unused');
	const stripeTemplate = options({ signatureHeader: 'x-sig', timestampHeader: 'x-ts', signedContent: '{timestamp}.{body}' });

	it('accepts what stripe-node generates for the {timestamp}.{body} template', () => {
		const payload = '{"id":"evt_1","object":"event","note":"héllo ✓"}';
		const header = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_test', timestamp: NOW });
		const v1 = /v1=([0-9a-f]+)/.exec(header)?.[1] ?? '';
		expectAccepted(verify({ 'x-sig': v1, 'x-ts': String(NOW) }, payload, { secret: 'whsec_test' }, stripeTemplate));
	});

	it('produces signatures stripe-node accepts', () => {
		const payload = Buffer.from('{"id":"evt_2","object":"event"}');
		const headers = signGenericHmac({ payload, key: 'whsec_test', timestampSeconds: NOW, hmac: stripeTemplate.hmac });
		const stripeHeader = `t=${headers['x-ts']},v1=${headers['x-sig']}`;
		const event = stripe.webhooks.constructEvent(payload, stripeHeader, 'whsec_test', 300, undefined, NOW);
		expect(event.id).toBe('evt_2');
	});

	it('agrees with @octokit/webhooks-methods both ways (prefix sha256=)', () => {
		const payload = '{"action":"opened","title":"ünïcödé"}';
		const githubOptions = options({ signatureHeader: 'x-hub-signature-256', prefix: 'sha256=' });
		const ours = signGenericHmac({ payload: Buffer.from(payload), key: 'octo-secret', hmac: githubOptions.hmac })['x-hub-signature-256'];
		const octokit = runEsm(
			`
			import { sign, verify } from '@octokit/webhooks-methods';
			const { payload, ours } = JSON.parse(process.env.ESM_INPUT);
			console.log(JSON.stringify({ signature: await sign('octo-secret', payload), accepts: await verify('octo-secret', payload, ours) }));
		`,
			{ payload, ours },
		) as { signature: string; accepts: boolean };
		expect(octokit.accepts).toBe(true);
		expectAccepted(verify({ 'x-hub-signature-256': octokit.signature }, payload, { secret: 'octo-secret' }, githubOptions));
	});
});

describe('hmac: rejections', () => {
	const body = Buffer.from('{"type":"order.created","id":"ord_1"}');
	const secrets = { secret: 'current-secret', previousSecret: 'previous-secret' };
	const signature = signGenericHmac({ payload: body, key: 'current-secret' })['x-signature'];

	it('accepts the untouched request', () => {
		expect(expectAccepted(verify({ 'x-signature': signature }, body, secrets)).matched).toBe('current');
	});

	it('rejects a tampered body', () => {
		expectRejected(verify({ 'x-signature': signature }, Buffer.from('{"type":"order.created","id":"ord_2"}'), secrets), 'invalid_signature');
	});

	it('rejects a signature made with another secret', () => {
		const forged = signGenericHmac({ payload: body, key: 'attacker' })['x-signature'];
		expectRejected(verify({ 'x-signature': forged }, body, secrets), 'invalid_signature');
	});

	it('reports a missing signature header', () => {
		expectRejected(verify({}, body, secrets), 'missing_signature');
		expectRejected(verify({ 'x-other': signature }, body, secrets), 'missing_signature');
	});

	it.each([
		['not hex', 'zz' + signature.slice(2)],
		['too short', signature.slice(0, 62)],
		['odd length', signature + 'a'],
		['too long', signature + 'ab'],
		['padding on hex', signature + '=='],
		['base64 where hex is configured', Buffer.from(signature, 'hex').toString('base64')],
	])('reports a malformed signature (%s)', (_label, value) => {
		expectRejected(verify({ 'x-signature': value }, body, secrets), 'malformed_signature');
	});

	it('reports a repeated signature header as malformed', () => {
		expectRejected(verify({ 'x-signature': [signature, signature] }, body, secrets), 'malformed_signature');
	});

	it('reports a missing or mismatched prefix as malformed', () => {
		const prefixed = options({ prefix: 'sha256=' });
		expectRejected(verify({ 'x-signature': signature }, body, secrets, prefixed), 'malformed_signature');
		expectRejected(verify({ 'x-signature': `sha1=${signature}` }, body, secrets, prefixed), 'malformed_signature');
	});

	it('reports missing_key when no secret is configured', () => {
		expectRejected(verify({ 'x-signature': signature }, body, { secret: '' }), 'missing_key');
		expectRejected(verify({ 'x-signature': signature }, body, { secret: '', previousSecret: '' }), 'missing_key');
	});

	it('reports missing_key for a {timestamp} template without a timestamp header', () => {
		expectRejected(verify({ 'x-signature': signature }, body, secrets, options({ signedContent: '{timestamp}.{body}' })), 'missing_key');
		expect(() => signGenericHmac({ payload: body, key: 'k', hmac: { ...DEFAULT_GENERIC_HMAC_OPTIONS, signedContent: '{timestamp}.{body}' } })).toThrow();
	});

	it('reports missing_key for an unknown algorithm or encoding', () => {
		expectRejected(verify({ 'x-signature': signature }, body, secrets, options({ algorithm: 'md5' as GenericHmacOptions['algorithm'] })), 'missing_key');
		expectRejected(verify({ 'x-signature': signature }, body, secrets, options({ encoding: 'base32' as GenericHmacOptions['encoding'] })), 'missing_key');
	});

	// Issue 14: the padding was stripped with /=+$/ before the length check, a backtracking regex that is quadratic on
	// a long run of "=" not at the end (~60 ms of CPU per 8 KB header, before any secret is involved). A String
	// replace (how that regex ran) on the header is the observable part of that work; none must happen now.
	it.each(['base64', 'base64url', 'hex'] as const)('refuses an oversized %s signature by its length, before any text processing', (encoding) => {
		const header = 'A' + '='.repeat(8000) + 'A';
		const replace = jest.spyOn(String.prototype, 'replace');
		try {
			expectRejected(verify({ 'x-signature': header }, body, secrets, options({ encoding })), 'malformed_signature');
			expect(replace).not.toHaveBeenCalled();
		} finally {
			replace.mockRestore();
		}
	});

	it('still accepts padded base64 and base64url, and rejects extra padding', () => {
		const mac = createHmac('sha256', 'current-secret').update(body).digest();
		expectAccepted(verify({ 'x-signature': mac.toString('base64') }, body, secrets, options({ encoding: 'base64' })));
		expectAccepted(verify({ 'x-signature': `${mac.toString('base64url')}=` }, body, secrets, options({ encoding: 'base64url' })));
		expectRejected(verify({ 'x-signature': `${mac.toString('base64')}==` }, body, secrets, options({ encoding: 'base64' })), 'malformed_signature');
	});

	it('never throws on and never accepts arbitrary header values', () => {
		expectGarbageNeverVerifies(hmacScheme, ['x-signature'], secrets);
	});
});

describe('hmac: rotation', () => {
	const body = Buffer.from('rotating');

	it('reports which secret matched', () => {
		const secrets = { secret: 'new', previousSecret: 'old' };
		const byOld = signGenericHmac({ payload: body, key: 'old' });
		const byNew = signGenericHmac({ payload: body, key: 'new' });
		expect(expectAccepted(verify(byNew, body, secrets)).matched).toBe('current');
		expect(expectAccepted(verify(byOld, body, secrets)).matched).toBe('previous');
	});

	it('stops accepting the old secret once the previous secret is cleared', () => {
		const byOld = signGenericHmac({ payload: body, key: 'old' });
		expectRejected(verify(byOld, body, { secret: 'new', previousSecret: '' }), 'invalid_signature');
	});

	it('needs a current secret: a previous secret alone is a configuration error', () => {
		const byOld = signGenericHmac({ payload: body, key: 'old' });
		expectRejected(verify(byOld, body, { secret: '', previousSecret: 'old' }), 'missing_key');
	});
});

describe('hmac: timestamps', () => {
	const body = Buffer.from('{"ok":true}');
	const secrets = { secret: 'ts-secret' };
	const timed = { timestampHeader: 'X-Timestamp', signedContent: '{timestamp}.{body}' };

	function signedAt(timestampSeconds: number) {
		return signGenericHmac({ payload: body, key: 'ts-secret', timestampSeconds, hmac: options(timed).hmac });
	}

	it('accepts a fresh timestamp and reports it', () => {
		const headers = signedAt(NOW - 100);
		expect(headers['x-timestamp']).toBe(String(NOW - 100));
		expect(expectAccepted(verify(headers, body, secrets, options(timed))).timestamp).toBe(NOW - 100);
	});

	it('accepts the tolerance boundary and rejects one second beyond it', () => {
		expectAccepted(verify(signedAt(NOW - 300), body, secrets, options(timed)));
		expectRejected(verify(signedAt(NOW - 301), body, secrets, options(timed)), 'timestamp_out_of_tolerance');
	});

	it('rejects an expired timestamp', () => {
		expectRejected(verify(signedAt(NOW - 3600), body, secrets, options(timed)), 'timestamp_out_of_tolerance');
	});

	it('rejects a timestamp in the future', () => {
		expectRejected(verify(signedAt(NOW + 3600), body, secrets, options(timed)), 'timestamp_out_of_tolerance');
	});

	it('rejects a timestamp changed after signing', () => {
		const headers = { ...signedAt(NOW), 'x-timestamp': String(NOW - 1) };
		expectRejected(verify(headers, body, secrets, options(timed)), 'invalid_signature');
	});

	it('reports a missing or non-numeric timestamp header', () => {
		const headers = signedAt(NOW);
		expectRejected(verify({ 'x-signature': headers['x-signature'] }, body, secrets, options(timed)), 'missing_signature');
		expectRejected(verify({ ...headers, 'x-timestamp': 'yesterday' }, body, secrets, options(timed)), 'malformed_signature');
		expectRejected(verify({ ...headers, 'x-timestamp': '-5' }, body, secrets, options(timed)), 'malformed_signature');
	});

	it('accepts millisecond timestamps and applies the tolerance in seconds', () => {
		const ms = String(NOW * 1000 - 5000);
		const mac = createHmac('sha256', 'ts-secret').update(`${ms}.`).update(body).digest('hex');
		const result = expectAccepted(verify({ 'x-signature': mac, 'x-timestamp': ms }, body, secrets, options(timed)));
		expect(result.timestamp).toBe(NOW - 5);
		const staleMs = String((NOW - 301) * 1000);
		const staleMac = createHmac('sha256', 'ts-secret').update(`${staleMs}.`).update(body).digest('hex');
		expectRejected(verify({ 'x-signature': staleMac, 'x-timestamp': staleMs }, body, secrets, options(timed)), 'timestamp_out_of_tolerance');
	});

	it('reads seconds and milliseconds by magnitude', () => {
		expect(parseGenericTimestamp('1700000000')).toBe(1_700_000_000);
		expect(parseGenericTimestamp('1700000000123')).toBe(1_700_000_000.123);
		expect(parseGenericTimestamp('1700000000.5')).toBe(1_700_000_000.5);
		expect(parseGenericTimestamp('1e9')).toBeUndefined();
		expect(parseGenericTimestamp('')).toBeUndefined();
	});

	it('checks no timestamp when no timestamp header is configured', () => {
		const headers = signGenericHmac({ payload: body, key: 'ts-secret' });
		const result = expectAccepted(verify({ ...headers, 'x-timestamp': '1' }, body, secrets));
		expect(result.timestamp).toBeUndefined();
	});
});

describe('hmac: encodings, prefix and raw bytes', () => {
	const secrets = { secret: 'enc-secret' };
	const body = Buffer.from('payload');
	const mac = createHmac('sha256', 'enc-secret').update(body).digest();

	it.each([
		['hex', mac.toString('hex')],
		['base64', mac.toString('base64')],
		['base64url', mac.toString('base64url')],
	] as const)('verifies %s signatures and signs them the same way', (encoding, value) => {
		expectAccepted(verify({ 'x-signature': value }, body, secrets, options({ encoding })));
		expect(signGenericHmac({ payload: body, key: 'enc-secret', hmac: options({ encoding }).hmac })).toEqual({ 'x-signature': value });
	});

	it('accepts upper-case hex and a prefix in another case (the prefix is a label, matched case-insensitively)', () => {
		const opts = options({ prefix: 'sha256=' });
		expectAccepted(verify({ 'x-signature': `SHA256=${mac.toString('hex').toUpperCase()}` }, body, secrets, opts));
	});

	it('rejects non-canonical base64 (stray bits after the last byte)', () => {
		const canonical = mac.toString('base64');
		const lastChar = canonical[42];
		const altered = canonical.slice(0, 42) + String.fromCharCode(lastChar.charCodeAt(0) ^ 1) + '=';
		expect(Buffer.from(altered, 'base64')).toEqual(mac);
		expectRejected(verify({ 'x-signature': altered }, body, secrets, options({ encoding: 'base64' })), 'malformed_signature');
		expectAccepted(verify({ 'x-signature': canonical.replace(/=$/, '') }, body, secrets, options({ encoding: 'base64' })));
	});

	it('rejects base64url characters where base64 is configured', () => {
		const urlSafe = Buffer.alloc(32, 0xfb).toString('base64url');
		expectRejected(verify({ 'x-signature': urlSafe }, body, secrets, options({ encoding: 'base64' })), 'malformed_signature');
	});

	it('signs the raw bytes of a non-UTF-8 body, never a decoded string', () => {
		const expected = createHmac('sha256', 'enc-secret').update(NON_UTF8_BODY).digest('hex');
		const decodedThenEncoded = createHmac('sha256', 'enc-secret').update(NON_UTF8_BODY.toString('utf8')).digest('hex');
		expect(expected).not.toBe(decodedThenEncoded);
		expectAccepted(verify({ 'x-signature': expected }, NON_UTF8_BODY, secrets));
		expectRejected(verify({ 'x-signature': decodedThenEncoded }, NON_UTF8_BODY, secrets), 'invalid_signature');
		expect(signGenericHmac({ payload: NON_UTF8_BODY, key: 'enc-secret' })['x-signature']).toBe(expected);
	});

	it('keeps template literals as UTF-8 and the body as raw bytes', () => {
		const opts = options({ timestampHeader: 'x-ts', signedContent: 'é:{timestamp}:{body}' });
		const expected = createHmac('sha256', 'enc-secret')
			.update(Buffer.concat([Buffer.from(`é:${NOW}:`, 'utf8'), NON_UTF8_BODY]))
			.digest('hex');
		expectAccepted(verify({ 'x-signature': expected, 'x-ts': String(NOW) }, NON_UTF8_BODY, secrets, opts));
	});

	it('signs non-ASCII UTF-8 bodies', () => {
		const unicode = Buffer.from('{"name":"Zoë 🚀"}');
		const headers = signGenericHmac({ payload: unicode, key: 'enc-secret' });
		expectAccepted(verify(headers, unicode, secrets));
	});
});

describe('hmac: scheme description', () => {
	it('names lower-case sensitive headers, including the configured one', () => {
		expect(hmacScheme.sensitiveHeaders).toEqual(['x-signature']);
		expect(genericHmacSensitiveHeaders({ ...DEFAULT_GENERIC_HMAC_OPTIONS, signatureHeader: 'X-Hub-Signature-256' })).toEqual(['x-hub-signature-256']);
	});

	it('leaves event type and id to the trigger', () => {
		expect(hmacScheme.describeEvent(webhookRequest({}, '{}'), { type: 'x', id: 'y' }, { ok: true, matched: 'current' })).toEqual({});
	});

	it('uses the trigger defaults when no options are given', () => {
		const headers = signGenericHmac({ payload: Buffer.from('x'), key: 'k' });
		expectAccepted(hmacScheme.verify(webhookRequest(headers, 'x'), { secret: 'k' }, { nowSeconds: NOW, toleranceSeconds: 300 }));
	});
});
