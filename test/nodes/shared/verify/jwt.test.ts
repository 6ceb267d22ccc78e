import { generateKeyPairSync } from 'node:crypto';

import { DEFAULT_JWT_OPTIONS, signJwtRequest, verifyJwtRequest } from '../../../../nodes/shared/verify/jwt';
import type { IncomingWebhook, VerifyOptions } from '../../../../nodes/shared/verify/types';
import { expectAccepted, expectRejected } from '../schemes/schemeTestKit';

// The module object itself, so that the spy sees every call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof import('node:crypto');

const NOW = 1_700_000_000;
const BODY = Buffer.from('{"id":"evt_1"}');
const OPTIONS: VerifyOptions = { nowSeconds: NOW, toleranceSeconds: 300, jwt: { ...DEFAULT_JWT_OPTIONS, algorithms: ['RS256'] } };

function keyPair(): { privatePem: string; publicPem: string } {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
		publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
	};
}

function signedRequest(privatePem: string): IncomingWebhook {
	const headers = signJwtRequest({
		payload: BODY,
		key: privatePem,
		timestampSeconds: NOW,
		jwt: { tokenHeader: 'authorization', issuer: '', audience: '', bodyHashClaim: '', algorithm: 'RS256' },
	});
	return { method: 'POST', url: '/webhook/x', headers, rawBody: BODY };
}

describe('jwt: parsed public keys', () => {
	const first = keyPair();
	const second = keyPair();

	it('keeps the key of each trigger when two triggers with different keys alternate (was: only the last one)', () => {
		const requests = [signedRequest(first.privatePem), signedRequest(second.privatePem)];
		const parse = jest.spyOn(crypto, 'createPublicKey');
		try {
			for (let round = 0; round < 3; round++) {
				expectAccepted(verifyJwtRequest(requests[0], { secret: '', publicKey: first.publicPem }, OPTIONS));
				expectAccepted(verifyJwtRequest(requests[1], { secret: '', publicKey: second.publicPem }, OPTIONS));
			}
			expect(parse.mock.calls.length).toBeLessThanOrEqual(2);
		} finally {
			parse.mockRestore();
		}
	});

	it('remembers an unusable key as unusable, without parsing it again', () => {
		const request = signedRequest(first.privatePem);
		const parse = jest.spyOn(crypto, 'createPublicKey');
		try {
			for (let round = 0; round < 3; round++) {
				expectRejected(verifyJwtRequest(request, { secret: '', publicKey: 'not a key' }, OPTIONS), 'missing_key');
			}
			expect(parse.mock.calls.filter(([key]) => key === 'not a key')).toHaveLength(1);
		} finally {
			parse.mockRestore();
		}
	});
});
