import { customizedEntry, readCustomHandshake, readCustomHmacRecipe, readCustomJwtRecipe, readCustomTokenRecipe } from '../../../nodes/SecureWebhookTrigger/customBuilders';
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

describe('customBuilders: the Custom JWT builder with a JWKS URL', () => {
	const jwt = { tokenHeader: 'authorization', algorithms: ['RS256' as const, 'ES256' as const], issuer: 'https://issuer.example.com', audience: 'n8n', bodyHashClaim: '', requireExp: true, maxAgeSeconds: 0 };

	it('is a JWT recipe with keys from that set, read as the builder reads tokens', () => {
		expect(readCustomJwtRecipe(reader({ jwtJwksUrl: ' https://issuer.example.com/jwks.json ' }), jwt)).toEqual({
			kind: 'jwt',
			token: { header: 'authorization', bearer: 'required' },
			algorithms: ['RS256', 'ES256'],
			jwksUrl: 'https://issuer.example.com/jwks.json',
			issuer: 'https://issuer.example.com',
			audience: 'n8n',
			requireExp: true,
			maxAgeSeconds: undefined,
			bodyHashClaim: undefined,
		});
		expect(readCustomJwtRecipe(reader({ jwtJwksUrl: 'https://issuer.example.com/jwks.json' }), { ...jwt, tokenHeader: 'x-token' })?.token).toEqual({ header: 'x-token', bearer: 'optional' });
	});

	it('without a JWKS URL stays the builder that verifies with the credential', () => {
		expect(readCustomJwtRecipe(reader({ jwtJwksUrl: '  ' }), jwt)).toBeUndefined();
		const config = buildTriggerConfig(reader({ provider: 'jwt' }), 3);
		expect(config.provider.signature).toEqual({ kind: 'custom', builder: 'jwt' });
		expect(config.scheme.async).toBeFalsy();
	});

	it('the trigger compiles it into an asynchronous scheme (it may have to fetch the set)', () => {
		const config = buildTriggerConfig(reader({ provider: 'jwt', jwtJwksUrl: 'https://issuer.example.com/jwks.json', jwtAlgorithms: ['RS256'] }), 3);
		expect(config.provider.signature).toMatchObject({ kind: 'jwt', jwksUrl: 'https://issuer.example.com/jwks.json', algorithms: ['RS256'] });
		expect(config.scheme.async).toBe(true);
	});
});
