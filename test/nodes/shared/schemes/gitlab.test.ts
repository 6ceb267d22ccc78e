import { gitlabScheme, signGitlabRequest } from '../../../../nodes/shared/schemes/gitlab';
import type { SigningSecrets } from '../../../../nodes/shared/schemes/types';
import { NON_UTF8_BODY, expectAccepted, expectGarbageNeverVerifies, expectRejected, verifyOptions, webhookRequest } from './schemeTestKit';

// GitLab does not sign payloads, so there is no MAC vector. Per its docs
// (https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers and
// https://docs.gitlab.com/user/project/integrations/webhook_events/#push-events) a delivery carries
// `X-Gitlab-Token: <the secret token as configured>`, `X-Gitlab-Event: Push Hook`, `X-Gitlab-Event-UUID`, and a
// body whose `object_kind` names the event. The request below follows that documented shape.
const TOKEN = 'gl-secret-token-1234';
const DOCS_HEADERS = {
	'x-gitlab-event': 'Push Hook',
	'x-gitlab-token': TOKEN,
	'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
	'x-gitlab-webhook-uuid': '8b77c3e5-51c1-4d37-8b3e-2d3a2a7c2d8e',
	'x-gitlab-instance': 'https://gitlab.com',
};
const PUSH_BODY = '{"object_kind":"push","event_name":"push","before":"95790bf891e76fee5e1747ab589903a6a1f80f22","ref":"refs/heads/master"}';

const OPTIONS = verifyOptions(1_700_000_000);

function verify(headers: Record<string, string | string[]>, secrets: SigningSecrets, body: Buffer | string = PUSH_BODY) {
	return gitlabScheme.verify(webhookRequest(headers, body), secrets, OPTIONS);
}

describe('gitlab: documented delivery', () => {
	it('accepts the configured token', () => {
		expect(verify(DOCS_HEADERS, { secret: TOKEN })).toEqual({ ok: true, matched: 'current' });
	});

	it('describes it by object_kind and X-Gitlab-Event-UUID', () => {
		const described = gitlabScheme.describeEvent(webhookRequest(DOCS_HEADERS, PUSH_BODY), JSON.parse(PUSH_BODY), { ok: true, matched: 'current' });
		expect(described).toEqual({ type: 'push', id: '13792a34-cac6-4fda-95a8-c58e00a3954e' });
	});

	it('falls back to the X-Gitlab-Event header when the body has no object_kind', () => {
		const described = gitlabScheme.describeEvent(webhookRequest(DOCS_HEADERS, 'x'), undefined, { ok: true, matched: 'current' });
		expect(described.type).toBe('Push Hook');
	});
});

describe('gitlab: rejections', () => {
	it('rejects a wrong token, including one differing only in length or case', () => {
		expectRejected(verify(DOCS_HEADERS, { secret: 'another-token' }), 'invalid_signature');
		expectRejected(verify({ ...DOCS_HEADERS, 'x-gitlab-token': TOKEN + 'x' }, { secret: TOKEN }), 'invalid_signature');
		expectRejected(verify({ ...DOCS_HEADERS, 'x-gitlab-token': TOKEN.slice(0, -1) }, { secret: TOKEN }), 'invalid_signature');
		expectRejected(verify({ ...DOCS_HEADERS, 'x-gitlab-token': TOKEN.toUpperCase() }, { secret: TOKEN }), 'invalid_signature');
	});

	it('rejects a missing or empty token header', () => {
		const { 'x-gitlab-token': _token, ...withoutToken } = DOCS_HEADERS;
		expectRejected(verify(withoutToken, { secret: TOKEN }), 'missing_signature');
		expectRejected(verify({ ...DOCS_HEADERS, 'x-gitlab-token': '' }, { secret: TOKEN }), 'missing_signature');
	});

	it('rejects duplicated and huge token headers', () => {
		expectRejected(verify({ ...DOCS_HEADERS, 'x-gitlab-token': [TOKEN, TOKEN] }, { secret: TOKEN }), 'malformed_signature');
		expectRejected(verify({ ...DOCS_HEADERS, 'x-gitlab-token': 'a'.repeat(100_000) }, { secret: TOKEN }), 'malformed_signature');
	});

	it('returns missing_key for an empty secret (an empty token must never match)', () => {
		expectRejected(verify({ ...DOCS_HEADERS, 'x-gitlab-token': '' }, { secret: '' }), 'missing_key');
		expectRejected(verify(DOCS_HEADERS, { secret: '' }), 'missing_key');
	});

	it('never throws on garbage headers', () => {
		expectGarbageNeverVerifies(gitlabScheme, ['x-gitlab-token'], { secret: TOKEN });
	});
});

describe('gitlab: rotation and bodies', () => {
	it('accepts the previous token and reports it', () => {
		expect(expectAccepted(verify(DOCS_HEADERS, { secret: 'new-token', previousSecret: TOKEN })).matched).toBe('previous');
	});

	it('accepts any body, including non-UTF-8 bytes: GitLab authenticates the sender, not the payload', () => {
		expectAccepted(verify(DOCS_HEADERS, { secret: TOKEN }, NON_UTF8_BODY));
	});

	it('sign() returns the X-Gitlab-Token header; not timestamped; the token header is sensitive', () => {
		expect(signGitlabRequest(TOKEN)).toEqual({ 'x-gitlab-token': TOKEN });
		expect(gitlabScheme.sign!({ payload: NON_UTF8_BODY, key: TOKEN })).toEqual({ 'x-gitlab-token': TOKEN });
		expect(gitlabScheme.timestamped).toBe(false);
		expect(gitlabScheme.sensitiveHeaders).toEqual(['x-gitlab-token']);
	});
});
