import type { ProviderEntry } from '../types';

export const DEVTOOLS_PROVIDERS: readonly ProviderEntry[] = [
	{
		id: 'github',
		displayName: 'GitHub',
		group: 'devtools',
		docsUrl: 'https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries',
		sdkUrl: 'https://github.com/octokit/webhooks-methods.js',
		signature: {
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-hub-signature-256', prefix: 'sha256=' },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{body}',
		},
		// GitHub still sends the legacy SHA-1 X-Hub-Signature too; it is redacted but never trusted.
		sensitiveHeaders: ['x-hub-signature'],
		eventType: [{ join: [{ header: 'x-github-event' }, { body: 'action' }], separator: '.' }],
		eventId: [{ header: 'x-github-delivery' }],
		redelivery:
			'GitHub does not retry on its own; a redelivery (web UI or REST API) keeps the X-GitHub-Delivery GUID, which identifies the event, not the attempt (github/docs#32822).',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Secret as you entered it (repository, organisation or app → Webhooks → the hook → Secret).',
		vectors: {
			source: 'official',
			reference: 'https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation',
		},
		caveats: [
			'No signed timestamp: a captured delivery can be replayed; only de-duplication stops it.',
			'Choose the content type application/json in the webhook settings (the default form encoding works too when allowed).',
		],
	},
	{
		id: 'gitlab',
		displayName: 'GitLab',
		group: 'devtools',
		docsUrl: 'https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers',
		signature: { kind: 'token', location: { header: 'x-gitlab-token' } },
		eventType: [{ body: 'object_kind' }, { header: 'x-gitlab-event' }],
		eventId: [{ header: 'x-gitlab-event-uuid' }],
		redelivery: 'X-Gitlab-Event-UUID identifies the event that triggered the hook.',
		contentTypes: ['application/json'],
		secretHelp: 'The webhook\'s Secret token as you entered it (project or group → Settings → Webhooks).',
		vectors: { source: 'none', reference: 'GitLab sends a token, not a signature: the documented delivery headers are the test' },
		caveats: ['GitLab sends the secret token itself, not a signature: the body is not authenticated, so use HTTPS.'],
	},
];
