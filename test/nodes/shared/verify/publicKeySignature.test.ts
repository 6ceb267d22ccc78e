import { X509Certificate, constants, createPublicKey, generateKeyPairSync, verify as verifyBytes } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import fc from 'fast-check';
import nacl from 'tweetnacl';

import {
	cachedPublicKey,
	decodeSignatureText,
	parsePublicKey,
	signPublicKeySignature,
	verifyPublicKeySignature,
	type EcdsaSignatureFormat,
	type PublicKeySignatureAlgorithm,
	type PublicKeySignatureCheck,
} from '../../../../nodes/shared/verify/publicKeySignature';
import { RFC_TEST_1, RFC_TEST_2 } from '../schemes/rfc8032Vectors';

import { AWS_SDK_SNS_CERTIFICATE } from './awsSnsVectors';
import { SENDGRID, WISE_SANDBOX, WYCHEPROOF_P256, WYCHEPROOF_RSA_PSS } from './publishedSignatureVectors';

/** r‖s (IEEE P1363) of a DER ECDSA signature, each integer as exactly 32 bytes. */
function derToP1363(der: Buffer): Buffer {
	const rLength = der[3];
	const r = der.subarray(4, 4 + rLength);
	const s = der.subarray(6 + rLength);
	const fixed = (integer: Buffer) => Buffer.concat([Buffer.alloc(32), integer]).subarray(-32);
	return Buffer.concat([fixed(r), fixed(s)]);
}

function pemOf(base64Der: string): string {
	return `-----BEGIN PUBLIC KEY-----\n${base64Der.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

describe('publicKeySignature: SendGrid Event Webhook (official vector, ECDSA P-256 DER base64)', () => {
	const check = (overrides: Partial<PublicKeySignatureCheck> = {}) =>
		verifyPublicKeySignature({
			algorithm: 'ecdsaP256Sha256',
			publicKey: SENDGRID.publicKey,
			message: [SENDGRID.timestamp, SENDGRID.payload],
			signature: SENDGRID.signature,
			encoding: 'base64',
			...overrides,
		});

	it('verifies over timestamp + payload, given as parts or as one buffer, with the key as base64 DER or PEM', () => {
		expect(check()).toEqual({ ok: true });
		expect(check({ message: Buffer.from(SENDGRID.timestamp + SENDGRID.payload) })).toEqual({ ok: true });
		expect(check({ publicKey: pemOf(SENDGRID.publicKey) })).toEqual({ ok: true });
		expect(check({ publicKey: createPublicKey(pemOf(SENDGRID.publicKey)) })).toEqual({ ok: true });
	});

	it('refuses what the SDK test refuses: another key, another payload, a changed signature, another timestamp', () => {
		expect(check({ publicKey: SENDGRID.otherPublicKey })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(check({ message: [SENDGRID.timestamp, 'payload'] })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(check({ signature: SENDGRID.badSignature })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(check({ message: ['timestamp', SENDGRID.payload] })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('verifies the same signature written as raw r||s (IEEE P1363), hex or base64url, only when told so', () => {
		const p1363 = derToP1363(Buffer.from(SENDGRID.signature, 'base64'));
		expect(check({ signature: p1363.toString('hex'), encoding: 'hex', ecdsaFormat: 'ieee-p1363' })).toEqual({ ok: true });
		expect(check({ signature: p1363.toString('base64url'), encoding: 'base64url', ecdsaFormat: 'ieee-p1363' })).toEqual({ ok: true });
		expect(check({ signature: p1363.toString('base64'), encoding: 'base64' })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(check({ ecdsaFormat: 'ieee-p1363' })).toEqual({ ok: false, reason: 'malformed_signature' });
	});
});

describe('publicKeySignature: Wise (official sandbox vector, RSA PKCS#1 v1.5 SHA-256)', () => {
	const check = (overrides: Partial<PublicKeySignatureCheck> = {}) =>
		verifyPublicKeySignature({
			algorithm: 'rsaPkcs1Sha256',
			publicKey: WISE_SANDBOX.publicKeyPem,
			message: Buffer.from(WISE_SANDBOX.body),
			signature: WISE_SANDBOX.signature,
			encoding: 'base64',
			...overrides,
		});

	it('verifies the raw body', () => {
		expect(check()).toEqual({ ok: true });
		expect(check({ message: [WISE_SANDBOX.body] })).toEqual({ ok: true });
	});

	it('refuses a re-serialised or tampered body, and a PSS check of a PKCS#1 signature', () => {
		expect(check({ message: Buffer.from(JSON.stringify(JSON.parse(WISE_SANDBOX.body), null, 1)) })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(check({ message: Buffer.from(WISE_SANDBOX.body.replace('49983981', '49983982')) })).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(check({ algorithm: 'rsaPssSha256' })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('accepts the key as bare base64 DER and as PKCS#1 (RSA PUBLIC KEY), DER or PEM', () => {
		const key = createPublicKey(WISE_SANDBOX.publicKeyPem);
		const spki = key.export({ format: 'der', type: 'spki' }).toString('base64');
		const pkcs1Der = key.export({ format: 'der', type: 'pkcs1' }).toString('base64');
		const pkcs1Pem = key.export({ format: 'pem', type: 'pkcs1' }).toString();
		for (const publicKey of [spki, pkcs1Der, pkcs1Pem, spki.match(/.{1,64}/g)?.join('\n') ?? '']) {
			expect(check({ publicKey })).toEqual({ ok: true });
		}
	});
});

describe('publicKeySignature: Wycheproof RSA-PSS 2048 SHA-256 MGF1 salt 32', () => {
	const check = (msg: string, sig: string, publicKey = WYCHEPROOF_RSA_PSS.publicKeyPem) =>
		verifyPublicKeySignature({ algorithm: 'rsaPssSha256', publicKey, message: Buffer.from(msg, 'hex'), signature: sig, encoding: 'hex' });

	it.each(WYCHEPROOF_RSA_PSS.valid)('accepts valid tcId $tcId (key as PEM and as JWK)', ({ msg, sig }) => {
		expect(check(msg, sig)).toEqual({ ok: true });
		expect(check(msg, sig, WYCHEPROOF_RSA_PSS.publicKeyJwk)).toEqual({ ok: true });
	});

	it('refuses tcId 62 (modified hash)', () => {
		expect(check(WYCHEPROOF_RSA_PSS.invalidHash.msg, WYCHEPROOF_RSA_PSS.invalidHash.sig)).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('accepts tcId 67 (salt length 0) by design: the salt length is read from the signature, as providers use 32 or the maximum', () => {
		// Wycheproof marks it invalid for a verifier fixed to salt length 32; a valid PSS signature with another salt
		// length still needs the private key, so accepting it forges nothing.
		expect(check(WYCHEPROOF_RSA_PSS.saltLengthZero.msg, WYCHEPROOF_RSA_PSS.saltLengthZero.sig)).toEqual({ ok: true });
	});
});

describe('publicKeySignature: Wycheproof ECDSA P-256 SHA-256, DER and IEEE P1363', () => {
	const check = (signature: string, ecdsaFormat: EcdsaSignatureFormat, publicKey = WYCHEPROOF_P256.publicKeyPem) =>
		verifyPublicKeySignature({ algorithm: 'ecdsaP256Sha256', publicKey, message: Buffer.from(WYCHEPROOF_P256.msg, 'hex'), signature, encoding: 'hex', ecdsaFormat });

	it('accepts the valid signatures in their own encoding only (key as PEM and JWK)', () => {
		expect(check(WYCHEPROOF_P256.p1363Valid, 'ieee-p1363')).toEqual({ ok: true });
		expect(check(WYCHEPROOF_P256.p1363Valid, 'ieee-p1363', WYCHEPROOF_P256.publicKeyJwk)).toEqual({ ok: true });
		expect(check(WYCHEPROOF_P256.derValid, 'der')).toEqual({ ok: true });
		expect(check(WYCHEPROOF_P256.derValid, 'ieee-p1363')).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(check(WYCHEPROOF_P256.p1363Valid, 'der')).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it.each(WYCHEPROOF_P256.p1363Invalid)('refuses invalid P1363 %s', (signature) => {
		expect(check(signature, 'ieee-p1363')).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it.each(WYCHEPROOF_P256.derInvalid)('refuses BER and wrong-length DER %s', (signature) => {
		expect(check(signature, 'der')).toEqual({ ok: false, reason: 'invalid_signature' });
	});
});

describe('publicKeySignature: Ed25519 (RFC 8032 vectors)', () => {
	it.each([
		['TEST 1', RFC_TEST_1],
		['TEST 2', RFC_TEST_2],
	])('%s with the key as raw hex, base64, base64url and PEM', (_label, vector) => {
		const raw = Buffer.from(vector.publicKey, 'hex');
		const pem = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' })
			.export({ format: 'pem', type: 'spki' })
			.toString();
		const spkiBase64 = createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('base64');
		for (const publicKey of [vector.publicKey, raw.toString('base64'), raw.toString('base64url'), pem, spkiBase64]) {
			expect(
				verifyPublicKeySignature({ algorithm: 'ed25519', publicKey, message: Buffer.from(vector.message, 'hex'), signature: vector.signature, encoding: 'hex' }),
			).toEqual({ ok: true });
		}
		expect(
			verifyPublicKeySignature({ algorithm: 'ed25519', publicKey: vector.publicKey, message: Buffer.from('00', 'hex'), signature: vector.signature, encoding: 'hex' }),
		).toEqual({ ok: false, reason: 'invalid_signature' });
	});
});

/**
 * Telnyx API v2 webhooks: Ed25519 over `<telnyx-timestamp>|<raw body>`, base64 signature in `telnyx-signature-ed25519`,
 * the account's public key as base64 of the raw 32 bytes. Telnyx publishes no vector; the algorithm is from
 * https://developers.telnyx.com/docs/development/api-fundamentals/webhooks and the Telnyx SDKs (PyNaCl VerifyKey over
 * timestamp + b"|" + payload). Signed here with tweetnacl, an independent Ed25519 implementation.
 */
describe('publicKeySignature: Telnyx (docs-derived, signed with tweetnacl)', () => {
	const pair = nacl.sign.keyPair.fromSeed(Buffer.alloc(32, 7));
	const publicKey = Buffer.from(pair.publicKey).toString('base64');
	const timestamp = '1764259200';
	const body = Buffer.from('{"data":{"event_type":"message.received","id":"b301ed3f-1490-491f-995f-6e64e69674d4"}}');
	const signed = Buffer.concat([Buffer.from(`${timestamp}|`), body]);

	it('accepts what tweetnacl signs, and tweetnacl accepts what we sign', () => {
		const theirs = Buffer.from(nacl.sign.detached(signed, pair.secretKey)).toString('base64');
		expect(verifyPublicKeySignature({ algorithm: 'ed25519', publicKey, message: [`${timestamp}|`, body], signature: theirs, encoding: 'base64' })).toEqual({ ok: true });
		const ours = signPublicKeySignature(Buffer.from(pair.secretKey).subarray(0, 32).toString('hex'), 'ed25519', [`${timestamp}|`, body], 'base64');
		expect(ours).toBe(theirs);
		expect(nacl.sign.detached.verify(signed, Buffer.from(ours, 'base64'), pair.publicKey)).toBe(true);
	});

	it('refuses another timestamp or body', () => {
		const signature = Buffer.from(nacl.sign.detached(signed, pair.secretKey)).toString('base64');
		for (const message of [[`1764259201|`, body], [`${timestamp}|`, Buffer.from('{}')], [`${timestamp}`, body]]) {
			expect(verifyPublicKeySignature({ algorithm: 'ed25519', publicKey, message, signature, encoding: 'base64' })).toEqual({ ok: false, reason: 'invalid_signature' });
		}
	});
});

describe('publicKeySignature: signers (for tests and senders) round-trip through node:crypto and the verifier', () => {
	const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const ed = generateKeyPairSync('ed25519');
	const message = [Buffer.from('1764259200.'), Buffer.from([0xff, 0x00, 0xfe]), 'ü'];
	const bytes = Buffer.concat([Buffer.from('1764259200.'), Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('ü')]);
	const cases: Array<[PublicKeySignatureAlgorithm, EcdsaSignatureFormat | undefined, { publicKey: KeyObject; privateKey: KeyObject }]> = [
		['ed25519', undefined, ed],
		['ecdsaP256Sha256', 'der', p256],
		['ecdsaP256Sha256', 'ieee-p1363', p256],
		['rsaPkcs1Sha256', undefined, rsa],
		['rsaPssSha256', undefined, rsa],
	];

	it.each(cases)('%s (%s) in every encoding, with the private key as PEM', (algorithm, ecdsaFormat, pair) => {
		const privatePem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
		const publicPem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
		for (const encoding of ['hex', 'base64', 'base64url'] as const) {
			const signature = signPublicKeySignature(privatePem, algorithm, message, encoding, ecdsaFormat);
			expect(verifyPublicKeySignature({ algorithm, publicKey: publicPem, message, signature, encoding, ecdsaFormat })).toEqual({ ok: true });
			expect(verifyPublicKeySignature({ algorithm, publicKey: publicPem, message: bytes, signature, encoding, ecdsaFormat })).toEqual({ ok: true });
			const raw = Buffer.from(signature, encoding);
			const options =
				algorithm === 'rsaPssSha256'
					? { key: pair.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
					: { key: pair.publicKey, dsaEncoding: ecdsaFormat ?? 'der' };
			expect(verifyBytes(algorithm === 'ed25519' ? null : 'sha256', bytes, options, raw)).toBe(true);
		}
	});

	it('takes a JWK JSON public key', () => {
		const signature = signPublicKeySignature(p256.privateKey, 'ecdsaP256Sha256', bytes, 'base64');
		const jwk = JSON.stringify(p256.publicKey.export({ format: 'jwk' }) as JsonWebKey);
		expect(verifyPublicKeySignature({ algorithm: 'ecdsaP256Sha256', publicKey: jwk, message: bytes, signature, encoding: 'base64' })).toEqual({ ok: true });
	});
});

describe('publicKeySignature: keys', () => {
	const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
	const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });

	it('reads the public key of a certificate PEM (the AWS SDK test certificate)', () => {
		const key = parsePublicKey(AWS_SDK_SNS_CERTIFICATE, 'rsaPkcs1Sha256');
		expect(key?.equals(new X509Certificate(AWS_SDK_SNS_CERTIFICATE).publicKey)).toBe(true);
	});

	it('refuses keys of the wrong kind for the algorithm, short RSA keys, other curves and garbage (missing_key)', () => {
		const check = (algorithm: PublicKeySignatureAlgorithm, publicKey: string | KeyObject) =>
			verifyPublicKeySignature({ algorithm, publicKey, message: Buffer.from('x'), signature: 'AA==', encoding: 'base64' });
		expect(check('rsaPkcs1Sha256', SENDGRID.publicKey)).toEqual({ ok: false, reason: 'missing_key' });
		expect(check('ecdsaP256Sha256', WISE_SANDBOX.publicKeyPem)).toEqual({ ok: false, reason: 'missing_key' });
		expect(check('ed25519', SENDGRID.publicKey)).toEqual({ ok: false, reason: 'missing_key' });
		expect(check('rsaPkcs1Sha256', rsa1024.publicKey)).toEqual({ ok: false, reason: 'missing_key' });
		expect(check('rsaPkcs1Sha256', rsa1024.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toEqual({ ok: false, reason: 'missing_key' });
		expect(check('ecdsaP256Sha256', p384.publicKey)).toEqual({ ok: false, reason: 'missing_key' });
		for (const garbage of ['', '   ', 'not a key', '{"kty":"EC"}', '{bad json', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'AAAAAAAAAAAAAAAAAAAAAAAA']) {
			expect(check('rsaPkcs1Sha256', garbage)).toEqual({ ok: false, reason: 'missing_key' });
			expect(check('ed25519', garbage)).toEqual({ ok: false, reason: 'missing_key' });
		}
	});

	it('parses a key text once', () => {
		const first = cachedPublicKey(WISE_SANDBOX.publicKeyPem, 'rsaPkcs1Sha256');
		expect(first).toBeDefined();
		expect(cachedPublicKey(WISE_SANDBOX.publicKeyPem, 'rsaPkcs1Sha256')).toBe(first);
		expect(cachedPublicKey('garbage', 'rsaPkcs1Sha256')).toBeUndefined();
	});
});

describe('publicKeySignature: signature text', () => {
	it.each([
		['hex', 'ABcd01', '0xAB', 'abc', 'ab cd'],
		['base64', '+/8=', '+/9=', '+/8', '+/8=='],
		['base64url', '-_8', '-_9', '+/8', '-_8=='],
	] as const)('%s: canonical text only', (encoding, canonical, strayBits, otherAlphabetOrUnpadded, badPadding) => {
		expect(decodeSignatureText(canonical, encoding)).toBeDefined();
		expect(decodeSignatureText(strayBits, encoding)).toBeUndefined();
		expect(decodeSignatureText(badPadding, encoding)).toBeUndefined();
		if (encoding !== 'base64') expect(decodeSignatureText(otherAlphabetOrUnpadded, encoding)).toBeUndefined();
	});

	it('accepts unpadded base64 and padded base64url, and refuses more than 512 bytes', () => {
		expect(decodeSignatureText('+/8', 'base64')?.toString('hex')).toBe('fbff');
		expect(decodeSignatureText('-_8=', 'base64url')?.toString('hex')).toBe('fbff');
		expect(decodeSignatureText('00'.repeat(512), 'hex')).toBeDefined();
		expect(decodeSignatureText('00'.repeat(513), 'hex')).toBeUndefined();
		expect(decodeSignatureText('', 'hex')).toBeUndefined();
	});

	it('calls a wrong-length signature malformed before any verification', () => {
		const check = (algorithm: PublicKeySignatureAlgorithm, publicKey: string, signature: string) =>
			verifyPublicKeySignature({ algorithm, publicKey, message: Buffer.from('x'), signature, encoding: 'hex' });
		expect(check('ed25519', RFC_TEST_1.publicKey, '00'.repeat(63))).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(check('rsaPkcs1Sha256', WISE_SANDBOX.publicKeyPem, '00'.repeat(255))).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(check('ecdsaP256Sha256', SENDGRID.publicKey, '00'.repeat(73))).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(check('ecdsaP256Sha256', SENDGRID.publicKey, '00'.repeat(70))).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('never throws, whatever the key, signature and message', () => {
		const algorithms: PublicKeySignatureAlgorithm[] = ['ed25519', 'ecdsaP256Sha256', 'rsaPkcs1Sha256', 'rsaPssSha256'];
		const keys = [SENDGRID.publicKey, WISE_SANDBOX.publicKeyPem, RFC_TEST_1.publicKey, WYCHEPROOF_P256.publicKeyJwk];
		fc.assert(
			fc.property(
				fc.constantFrom(...algorithms),
				fc.oneof(fc.constantFrom(...keys), fc.string()),
				fc.oneof(fc.string(), fc.uint8Array({ maxLength: 600 }).map((array) => Buffer.from(array).toString('base64'))),
				fc.constantFrom('hex', 'base64', 'base64url' as const),
				fc.constantFrom<EcdsaSignatureFormat>('der', 'ieee-p1363'),
				(algorithm, publicKey, signature, encoding, ecdsaFormat) => {
					const result = verifyPublicKeySignature({ algorithm, publicKey, message: Buffer.from('m'), signature, encoding, ecdsaFormat });
					expect(result.ok).toBe(false);
				},
			),
			{ numRuns: 500 },
		);
	});
});
