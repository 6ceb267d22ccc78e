import { githubScheme, signGithubPayload } from '../../../../nodes/shared/schemes/github';
import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import {
	NON_UTF8_BODY,
	expectAccepted,
	expectGarbageNeverVerifies,
	expectRejected,
	runEsm,
	verifyOptions,
	webhookRequest,
} from './schemeTestKit';

// Official vector: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
// ("Testing the webhook payload validation").
const DOCS_SECRET = "It's a Secret to Everybody";
const DOCS_PAYLOAD = 'Hello, World!';
const DOCS_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

// @octokit/webhooks-methods test/verify.test.ts: secret "mysecret", payload {"foo":"bar"}.
const OCTOKIT_SECRET = 'mysecret';
const OCTOKIT_PAYLOAD = '{"foo":"bar"}';
const OCTOKIT_SIGNATURE = 'sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3';

const OPTIONS = verifyOptions(1_700_000_000);

function verify(signature: string | string[] | undefined, body: Buffer | string, secrets: SigningSecrets) {
	const headers = signature === undefined ? {} : { 'x-hub-signature-256': signature };
	return githubScheme.verify(webhookRequest(headers, body), secrets, OPTIONS);
}

describe('github: official vectors', () => {
	it('signs and verifies the GitHub docs vector', () => {
		expect(signGithubPayload(Buffer.from(DOCS_PAYLOAD), DOCS_SECRET)).toBe(DOCS_SIGNATURE);
		expect(verify(DOCS_SIGNATURE, DOCS_PAYLOAD, { secret: DOCS_SECRET })).toEqual({ ok: true, matched: 'current' });
	});

	it('signs and verifies the @octokit/webhooks-methods test vector', () => {
		expect(signGithubPayload(Buffer.from(OCTOKIT_PAYLOAD), OCTOKIT_SECRET)).toBe(OCTOKIT_SIGNATURE);
		expectAccepted(verify(OCTOKIT_SIGNATURE, OCTOKIT_PAYLOAD, { secret: OCTOKIT_SECRET }));
	});

	it('accepts upper-case hex digits', () => {
		expectAccepted(verify('sha256=' + DOCS_SIGNATURE.slice(7).toUpperCase(), DOCS_PAYLOAD, { secret: DOCS_SECRET }));
	});
});

describe('github: cross-check with @octokit/webhooks-methods', () => {
	// The package is ESM-only, so it runs in a child Node process.
	const body = '{"action":"opened","issue":{"title":"Ünïcödé ✓"}}';
	const secret = 'octokit-cross-check';

	it('accepts what octokit signs and octokit accepts what we sign', () => {
		const script = `
			import { sign, verify } from '@octokit/webhooks-methods';
			const [body, secret, ours] = JSON.parse(process.env.ESM_INPUT);
			console.log(JSON.stringify({ theirs: await sign(secret, body), theyAcceptOurs: await verify(secret, body, ours) }));
		`;
		const ours = signGithubPayload(Buffer.from(body), secret);
		const { theirs, theyAcceptOurs } = runEsm(script, [body, secret, ours]) as { theirs: string; theyAcceptOurs: boolean };
		expect(theyAcceptOurs).toBe(true);
		expect(theirs).toBe(ours);
		expectAccepted(verify(theirs, body, { secret }));
	});
});

describe('github: rejections', () => {
	const secrets = { secret: DOCS_SECRET };

	it('rejects a tampered body and the wrong secret', () => {
		expectRejected(verify(DOCS_SIGNATURE, 'Hello, World?', secrets), 'invalid_signature');
		expectRejected(verify(DOCS_SIGNATURE, DOCS_PAYLOAD, { secret: "It's a Secret to Nobody" }), 'invalid_signature');
	});

	it('rejects a missing header, and ignores the legacy SHA-1 X-Hub-Signature', () => {
		expectRejected(verify(undefined, DOCS_PAYLOAD, secrets), 'missing_signature');
		const sha1Only = webhookRequest({ 'x-hub-signature': 'sha1=0000000000000000000000000000000000000000' }, DOCS_PAYLOAD);
		expectRejected(githubScheme.verify(sha1Only, secrets, OPTIONS), 'missing_signature');
	});

	it.each([
		['no prefix', DOCS_SIGNATURE.slice(7)],
		['sha1 prefix', 'sha1=' + DOCS_SIGNATURE.slice(7)],
		['non-hex', 'sha256=' + 'z'.repeat(64)],
		['truncated', DOCS_SIGNATURE.slice(0, -2)],
		['too long', DOCS_SIGNATURE + '00'],
		['huge', 'sha256=' + 'a'.repeat(100_000)],
	])('rejects a malformed header (%s)', (_case, signature) => {
		expectRejected(verify(signature, DOCS_PAYLOAD, secrets), 'malformed_signature');
	});

	it('rejects duplicated headers', () => {
		expectRejected(verify([DOCS_SIGNATURE, DOCS_SIGNATURE], DOCS_PAYLOAD, secrets), 'malformed_signature');
	});

	it('returns missing_key for an empty secret', () => {
		expectRejected(verify(DOCS_SIGNATURE, DOCS_PAYLOAD, { secret: '' }), 'missing_key');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(githubScheme, ['x-hub-signature-256'], secrets);
	});
});

describe('github: rotation and raw bytes', () => {
	it('accepts the previous secret and reports it', () => {
		expect(expectAccepted(verify(DOCS_SIGNATURE, DOCS_PAYLOAD, { secret: 'new', previousSecret: DOCS_SECRET })).matched).toBe('previous');
	});

	it('verifies a non-UTF-8 body over its bytes', () => {
		const signature = signGithubPayload(NON_UTF8_BODY, DOCS_SECRET);
		expectAccepted(verify(signature, NON_UTF8_BODY, { secret: DOCS_SECRET }));
		expectRejected(verify(signature, Buffer.from(NON_UTF8_BODY.toString('utf8')), { secret: DOCS_SECRET }), 'invalid_signature');
	});
});

describe('github: describeEvent and sign', () => {
	const verification = { ok: true as const, matched: 'current' as const };
	const headers = { 'x-github-event': 'issues', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' };

	it('combines X-GitHub-Event with body.action', () => {
		expect(githubScheme.describeEvent(webhookRequest(headers, ''), { action: 'opened' }, verification)).toEqual({
			type: 'issues.opened',
			id: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
		});
	});

	it('uses the header alone when there is no string action', () => {
		const push = { ...headers, 'x-github-event': 'push' };
		expect(githubScheme.describeEvent(webhookRequest(push, ''), { ref: 'refs/heads/main' }, verification).type).toBe('push');
		expect(githubScheme.describeEvent(webhookRequest(push, ''), { action: { name: 'x' } }, verification).type).toBe('push');
		expect(githubScheme.describeEvent(webhookRequest(push, ''), undefined, verification).type).toBe('push');
		expect(githubScheme.describeEvent(webhookRequest({}, ''), { action: 'opened' }, verification)).toEqual({ type: undefined, id: undefined });
	});

	it('sign() returns the X-Hub-Signature-256 header; the scheme is not timestamped', () => {
		expect(githubScheme.sign!({ payload: Buffer.from(DOCS_PAYLOAD), key: DOCS_SECRET })).toEqual({ 'x-hub-signature-256': DOCS_SIGNATURE });
		expect(githubScheme.timestamped).toBe(false);
		expect(githubScheme.sensitiveHeaders).toEqual(['x-hub-signature-256', 'x-hub-signature']);
	});
});
