import { customizedEntry, readCustomHandshake, readCustomHmacRecipe, readCustomTokenRecipe } from '../../../nodes/SecureWebhookTrigger/customBuilders';
import { runRequestChecks } from '../../../nodes/SecureWebhookTrigger/requestChecks';
import { buildTriggerConfig } from '../../../nodes/SecureWebhookTrigger/config';
import { providerById } from '../../../nodes/shared/providers/catalogue';
import { DEFAULT_GENERIC_HMAC_OPTIONS } from '../../../nodes/shared/verify/genericHmac';

const reader = (parameters: Record<string, unknown>) => (name: string, fallback: unknown) => (name in parameters ? parameters[name] : fallback);

describe('customBuilders: the Custom HMAC recipe', () => {
	it('is the shared builder\'s recipe by default (header value, header timestamp by magnitude, text secret)', () => {
		const recipe = readCustomHmacRecipe(reader({}), { ...DEFAULT_GENERIC_HMAC_OPTIONS, timestampHeader: 'x-ts', signedContent: '{timestamp}.{body}' }, 300);
		expect(recipe).toEqual({
			kind: 'hmac',
			algorithm: 'sha256',
			signature: { header: 'x-signature', prefix: '', paddingOptional: true, list: undefined },
			encoding: 'hex',
			secret: 'utf8',
			signedContent: '{timestamp}.{body}',
			timestamp: { from: { header: 'x-ts' }, unit: 'auto', windowSeconds: 300 },
		});
	});

	it('reads the list format, the timestamp source and unit, and the secret format', () => {
		const recipe = readCustomHmacRecipe(
			reader({
				hmacSignatureFormat: 'list',
				hmacListPairSeparator: 'semicolon',
				hmacListKeyValueSeparator: 'colon',
				hmacSignatureKeys: ' h1 , ,h2',
				hmacTimestampFrom: 'listKey',
				hmacTimestampKey: 'ts',
				hmacTimestampUnit: 'iso8601',
				hmacSecretFormat: 'base64',
				hmacSecretPrefix: 'sk_',
			}),
			DEFAULT_GENERIC_HMAC_OPTIONS,
			60,
		);
		expect(recipe.signature.list).toEqual({ pairSeparator: ';', keyValueSeparator: ':', signatureKeys: ['h1', 'h2'] });
		expect(recipe.timestamp).toEqual({ from: { signatureKey: 'ts' }, unit: 'iso8601', windowSeconds: 60 });
		expect(recipe.secret).toEqual({ stripPrefix: 'sk_', decode: 'base64' });
		expect(readCustomHmacRecipe(reader({ hmacTimestampFrom: 'body', hmacTimestampPath: 'data.sent_at', hmacSecretFormat: 'whsec', hmacTimestampUnit: 'bogus' }), DEFAULT_GENERIC_HMAC_OPTIONS, 300)).toMatchObject({
			timestamp: { from: { body: 'data.sent_at' }, unit: 'auto' },
			secret: 'whsec',
		});
	});
});

describe('customBuilders: the Custom Token recipe and handshake', () => {
	it('reads the token location', () => {
		expect(readCustomTokenRecipe(reader({}))).toEqual({ kind: 'token', location: { header: 'authorization', bearer: 'required' } });
		expect(readCustomTokenRecipe(reader({ tokenHeader: ' X-Token ', tokenBearer: 'none' }))).toEqual({ kind: 'token', location: { header: 'x-token' } });
		expect(readCustomTokenRecipe(reader({ tokenLocation: 'basicAuth' }))).toEqual({ kind: 'token', location: { basicAuth: true } });
		expect(readCustomTokenRecipe(reader({ tokenLocation: 'query', tokenQueryParameter: 'key' }))).toEqual({ kind: 'token', location: { query: 'key' } });
	});

	it('makes one rule per handshake kind, and none by default', () => {
		expect(readCustomHandshake(reader({}))).toEqual([]);
		expect(readCustomHandshake(reader({ customHandshake: 'getQuery' }))[0]).toMatchObject({ phase: 'unsigned', method: 'GET' });
		expect(readCustomHandshake(reader({ customHandshake: 'postQuery', customHandshakeName: 'validationToken' }))[0]).toMatchObject({ phase: 'unsigned', method: 'POST' });
		expect(readCustomHandshake(reader({ customHandshake: 'header', customHandshakeName: 'X-Hook-Secret' }))[0]).toMatchObject({ phase: 'unsigned', respond: { headers: { 'X-Hook-Secret': { header: 'X-Hook-Secret' } } } });
		expect(readCustomHandshake(reader({ customHandshake: 'bodyField' }))[0]).toMatchObject({ phase: 'signed', respond: { json: { challenge: { body: 'challenge' } } } });
		expect(readCustomHandshake(reader({ customHandshake: 'bodyField', customHandshakeName: ' ' }))).toEqual([]);
	});

	it('leaves catalogue providers as they are', () => {
		const stripe = providerById('stripe')!;
		expect(customizedEntry(stripe, reader({ customHandshake: 'getQuery' }), undefined, 300)).toBe(stripe);
	});
});

describe('requestChecks: a subscription confirmation handshake goes to its verifier\'s hook', () => {
	const config = buildTriggerConfig(reader({ provider: 'none', settings: { allowedContentTypes: 'text/plain' } }), 3);
	const provider = {
		...config.provider,
		handshakes: [{ phase: 'signed' as const, when: [{ source: { header: 'x-amz-sns-message-type' }, equals: 'SubscriptionConfirmation' }], respond: { confirmSubscription: 'awsSns' as const }, docsUrl: 'https://docs.aws.amazon.com/sns/' }],
	};
	const request = {
		method: 'POST',
		url: '/webhook/sns',
		headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'SubscriptionConfirmation' },
		query: {},
		remoteAddress: '127.0.0.1',
		readRawBody: async () => Buffer.from('{"Type":"SubscriptionConfirmation"}'),
	};
	const env = { loadSecrets: async () => ({ secret: '' }), rateLimiter: () => undefined, replayStore: () => undefined, nowSeconds: () => 1_700_000_000 };

	it('answers 501 while no verifier supplies the hook, and never starts an execution', async () => {
		const outcome = await runRequestChecks({ ...config, provider }, request, env);
		expect(outcome.kind).toBe('respond');
		expect(outcome.kind === 'respond' && outcome.response).toMatchObject({ status: 501, rejection: 'handshake_unsupported' });
	});

	it('answers with what the hook answers', async () => {
		const confirmSubscription = jest.fn(async () => ({ status: 200, body: { status: 'subscribed' } }));
		const outcome = await runRequestChecks({ ...config, provider }, request, { ...env, confirmSubscription });
		expect(confirmSubscription).toHaveBeenCalledWith('awsSns', expect.objectContaining({ url: '/webhook/sns' }));
		expect(outcome.kind === 'respond' && outcome.response).toEqual({ status: 200, body: { status: 'subscribed' } });
	});
});
