import { DEFAULT_JWT_OPTIONS } from '../../../../../nodes/shared/verify/jwt';
import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const JWT_SECRET = 'jwt-demo-hs256-secret-of-enough-length';
const JWT_OPTIONS = { ...DEFAULT_JWT_OPTIONS, bodyHashClaim: 'body_sha256' };

const FIXTURES: ProviderFixture[] = [
	{
		provider: 'hmac',
		vector: {
			source: 'official',
			// RFC 4231 §4.3, test case 2: HMAC-SHA256 with key "Jefe" (https://www.rfc-editor.org/rfc/rfc4231#section-4.3).
			reference: 'RFC 4231 §4.3 test case 2',
			secrets: { secret: 'Jefe' },
			request: { body: 'what do ya want for nothing?', headers: { 'x-signature': '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' } },
			nowSeconds: 1_700_000_000,
		},
		event: (key) => ({ body: JSON.stringify({ id: key, type: 'lead.scored' }), headers: { 'content-type': 'application/json' } }),
	},
	{
		provider: 'jwt',
		vector: {
			source: 'sdk',
			// jsonwebtoken 9 sign({ iat: 1700000000, exp: 1700000300, jti, body_sha256 }, secret, { algorithm: 'HS256' }).
			reference: 'jsonwebtoken 9.0.2 sign, HS256, with a body_sha256 claim',
			secrets: { secret: JWT_SECRET },
			request: {
				body: '{"id":"lead_1","type":"lead.scored","score":0.9}',
				headers: {
					'content-type': 'application/json',
					authorization:
						'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDMwMCwianRpIjoiZXZ0LWp3dC0xIiwiYm9keV9zaGEyNTYiOiI5YjcyMTcxNGI3NzA3YjVlNWExZGQxNGIyOTkxNGQ5MzQ5ZDJkNmU2YThmMmUyODVkNTA2YzNlODk1Y2ZkY2QxIn0.0RgTmbHFw2nRW2mTor6hJz3uXoOyUB4qM8bzu_Ghngs',
				},
			},
			nowSeconds: 1_700_000_100,
			expected: { id: 'evt-jwt-1' },
		},
		options: { jwt: JWT_OPTIONS },
		// The kit passes the event key as the token's jti: a sender that keeps it on retries.
		signInput: { jwt: { ...JWT_OPTIONS, algorithm: 'HS256' } },
		event: (key) => ({ body: JSON.stringify({ id: key, type: 'lead.scored' }), headers: { 'content-type': 'application/json' } }),
	},
	{
		provider: 'token',
		vector: {
			source: 'docs',
			// RFC 6750 §2.1: "Authorization: Bearer mF_9.B5f-4.1JqM" (the RFC's example token).
			reference: 'RFC 6750 §2.1 example request',
			secrets: { secret: 'mF_9.B5f-4.1JqM' },
			request: { body: '{"id":"e1"}', headers: { 'content-type': 'application/json', authorization: 'Bearer mF_9.B5f-4.1JqM' } },
			nowSeconds: 1_700_000_000,
		},
		event: (key) => ({ body: JSON.stringify({ id: key }), headers: { 'content-type': 'application/json' } }),
	},
	{
		provider: 'none',
		vector: { source: 'none', reference: 'nothing is verified', secrets: { secret: '' }, request: { body: '{}', headers: {} }, nowSeconds: 0 },
		event: (key) => ({ body: JSON.stringify({ id: key }) }),
	},
];

testProviderGroup('custom', FIXTURES);
