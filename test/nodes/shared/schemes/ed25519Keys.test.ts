import { generateKeyPairSync, sign as signBytes, verify as verifyBytes } from 'node:crypto';

import nacl from 'tweetnacl';

import * as discord from '../../../../nodes/shared/schemes/discord';
import {
	BARE_ED25519_KEY,
	cachedEd25519PublicKey,
	decodeEd25519KeyBytes,
	parseEd25519PrivateKey,
	parseEd25519PublicKey,
	rawEd25519PublicKey,
	type Ed25519KeyFormat,
} from '../../../../nodes/shared/schemes/ed25519Keys';
import * as standardWebhooks from '../../../../nodes/shared/schemes/standardWebhooks';

import { RFC_TEST_1, RFC_TEST_2 } from './rfc8032Vectors';

const PUBLIC_RAW = Buffer.from(RFC_TEST_1.publicKey, 'hex');
const SEED_RAW = Buffer.from(RFC_TEST_1.seed, 'hex');
const LABELLED: Ed25519KeyFormat = { prefix: 'whpk_', prefixRequired: false };
const LABEL_REQUIRED: Ed25519KeyFormat = { prefix: 'whsk_', prefixRequired: true };

function publicHex(key: ReturnType<typeof parseEd25519PublicKey>): string | undefined {
	return key && rawEd25519PublicKey(key).toString('hex');
}

describe('ed25519Keys: RFC 8032 vectors', () => {
	it.each([
		['TEST 1', RFC_TEST_1],
		['TEST 2', RFC_TEST_2],
	])('raw hex keys reproduce %s', (_label, vector) => {
		const privateKey = parseEd25519PrivateKey(vector.seed);
		const publicKey = parseEd25519PublicKey(vector.publicKey);
		if (!privateKey || !publicKey) throw new Error('RFC key did not parse');
		const message = Buffer.from(vector.message, 'hex');
		expect(signBytes(null, message, privateKey).toString('hex')).toBe(vector.signature);
		expect(verifyBytes(null, message, publicKey, Buffer.from(vector.signature, 'hex'))).toBe(true);
		expect(rawEd25519PublicKey(privateKey).toString('hex')).toBe(vector.publicKey);
		expect(rawEd25519PublicKey(publicKey).toString('hex')).toBe(vector.publicKey);
	});
});

describe('ed25519Keys: text formats', () => {
	it('reads a public key as hex (either case), base64, base64url (with or without padding), PEM, with whitespace around', () => {
		const pem = parseEd25519PublicKey(RFC_TEST_1.publicKey)?.export({ format: 'pem', type: 'spki' }).toString() ?? '';
		expect(pem).toContain('BEGIN PUBLIC KEY');
		const texts = [
			RFC_TEST_1.publicKey,
			RFC_TEST_1.publicKey.toUpperCase(),
			PUBLIC_RAW.toString('base64'),
			PUBLIC_RAW.toString('base64').replace(/=+$/, ''),
			PUBLIC_RAW.toString('base64url'),
			pem,
			`  ${RFC_TEST_1.publicKey}\n`,
		];
		for (const text of texts) expect(publicHex(parseEd25519PublicKey(text))).toBe(RFC_TEST_1.publicKey);
	});

	it('reads a private key as a 32-byte seed (hex, base64), PEM, or the 64-byte seed + public key of libsodium/tweetnacl', () => {
		const pem = parseEd25519PrivateKey(RFC_TEST_1.seed)?.export({ format: 'pem', type: 'pkcs8' }).toString() ?? '';
		expect(pem).toContain('BEGIN PRIVATE KEY');
		const naclSecretKey = Buffer.from(nacl.sign.keyPair.fromSeed(SEED_RAW).secretKey);
		expect(naclSecretKey.length).toBe(64);
		for (const text of [RFC_TEST_1.seed, SEED_RAW.toString('base64'), SEED_RAW.toString('base64url'), pem, naclSecretKey.toString('hex'), naclSecretKey.toString('base64')]) {
			const key = parseEd25519PrivateKey(text);
			expect(key && signBytes(null, Buffer.alloc(0), key).toString('hex')).toBe(RFC_TEST_1.signature);
		}
	});

	it('refuses a 64-byte secret key whose public half belongs to another seed', () => {
		const mismatched = Buffer.concat([SEED_RAW, Buffer.from(RFC_TEST_2.publicKey, 'hex')]);
		expect(parseEd25519PrivateKey(mismatched.toString('hex'))).toBeUndefined();
		expect(parseEd25519PrivateKey(mismatched.toString('base64'))).toBeUndefined();
	});

	it('reads a label when the format has one, optional or required', () => {
		const labelled = 'whpk_' + PUBLIC_RAW.toString('base64');
		expect(publicHex(parseEd25519PublicKey(labelled, LABELLED))).toBe(RFC_TEST_1.publicKey);
		expect(publicHex(parseEd25519PublicKey(PUBLIC_RAW.toString('base64'), LABELLED))).toBe(RFC_TEST_1.publicKey);
		// Without the format the label is just text that is not a key.
		expect(parseEd25519PublicKey(labelled)).toBeUndefined();

		expect(parseEd25519PrivateKey('whsk_' + SEED_RAW.toString('base64'), LABEL_REQUIRED)).toBeDefined();
		expect(parseEd25519PrivateKey(SEED_RAW.toString('base64'), LABEL_REQUIRED)).toBeUndefined();
		expect(parseEd25519PrivateKey(RFC_TEST_1.seed, LABEL_REQUIRED)).toBeUndefined();
		// PEM needs no label in any format.
		const pem = parseEd25519PrivateKey(RFC_TEST_1.seed)?.export({ format: 'pem', type: 'pkcs8' }).toString() ?? '';
		expect(parseEd25519PrivateKey(pem, LABEL_REQUIRED)).toBeDefined();
	});

	it.each([
		['empty', ''],
		['whitespace', '  \n'],
		['too short', 'abcd'],
		['33 bytes of hex', RFC_TEST_1.publicKey + 'ab'],
		['31 bytes of base64', PUBLIC_RAW.subarray(1).toString('base64')],
		['hex with a stray character', 'g' + RFC_TEST_1.publicKey.slice(1)],
		['base64 with a character Buffer.from would skip', PUBLIC_RAW.toString('base64').replace(/^(.{10})/, '$1!')],
		['base64 with stray bits in the last character', PUBLIC_RAW.toString('base64').replace(/.=$/, (last) => String.fromCharCode(last.charCodeAt(0) + 1) + '=')],
		['a bare label', 'whpk_'],
		['garbage PEM', '-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----'],
	])('refuses %s', (_label, text) => {
		expect(parseEd25519PublicKey(text)).toBeUndefined();
		expect(parseEd25519PublicKey(text, LABELLED)).toBeUndefined();
		expect(parseEd25519PrivateKey(text)).toBeUndefined();
	});

	it('refuses PEM keys of other algorithms, and undefined', () => {
		const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
		const ed448 = generateKeyPairSync('ed448');
		for (const pair of [rsa, ed448]) {
			expect(parseEd25519PublicKey(pair.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toBeUndefined();
			expect(parseEd25519PrivateKey(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toBeUndefined();
		}
		expect(parseEd25519PublicKey(undefined)).toBeUndefined();
		expect(parseEd25519PrivateKey(undefined)).toBeUndefined();
	});
});

describe('ed25519Keys: decodeEd25519KeyBytes', () => {
	it('decodes exactly the accepted lengths', () => {
		expect(decodeEd25519KeyBytes(RFC_TEST_1.publicKey, [32])).toEqual(PUBLIC_RAW);
		expect(decodeEd25519KeyBytes(RFC_TEST_1.publicKey, [64])).toBeUndefined();
		const sixtyFour = Buffer.concat([SEED_RAW, PUBLIC_RAW]);
		expect(decodeEd25519KeyBytes(sixtyFour.toString('base64'), [32, 64])).toEqual(sixtyFour);
		expect(decodeEd25519KeyBytes(sixtyFour.toString('base64'), [32])).toBeUndefined();
	});
});

describe('ed25519Keys: cachedEd25519PublicKey', () => {
	it('returns the same KeyObject for the same text and format, and a new one when the text changes', () => {
		const first = cachedEd25519PublicKey(RFC_TEST_1.publicKey);
		expect(publicHex(first)).toBe(RFC_TEST_1.publicKey);
		expect(cachedEd25519PublicKey(RFC_TEST_1.publicKey)).toBe(first);
		expect(publicHex(cachedEd25519PublicKey(RFC_TEST_2.publicKey))).toBe(RFC_TEST_2.publicKey);
		expect(cachedEd25519PublicKey(RFC_TEST_1.publicKey)).toBe(first);
	});

	it('keeps formats apart: a labelled key is only a key where the label is known', () => {
		const labelled = 'whpk_' + PUBLIC_RAW.toString('base64');
		expect(cachedEd25519PublicKey(labelled)).toBeUndefined();
		expect(publicHex(cachedEd25519PublicKey(labelled, LABELLED))).toBe(RFC_TEST_1.publicKey);
		expect(cachedEd25519PublicKey(labelled, BARE_ED25519_KEY)).toBeUndefined();
		// An equal format given as another object shares the entry.
		expect(cachedEd25519PublicKey(labelled, { ...LABELLED })).toBe(cachedEd25519PublicKey(labelled, LABELLED));
	});

	it('remembers unusable keys as unusable and stays correct past its bound', () => {
		expect(cachedEd25519PublicKey('not a key')).toBeUndefined();
		expect(cachedEd25519PublicKey('not a key')).toBeUndefined();
		expect(cachedEd25519PublicKey('')).toBeUndefined();
		expect(cachedEd25519PublicKey(undefined)).toBeUndefined();
		for (let i = 0; i < 200; i++) {
			const { publicKey } = nacl.sign.keyPair.fromSeed(Buffer.alloc(32, i));
			const hex = Buffer.from(publicKey).toString('hex');
			expect(publicHex(cachedEd25519PublicKey(hex))).toBe(hex);
		}
		expect(publicHex(cachedEd25519PublicKey(RFC_TEST_1.publicKey))).toBe(RFC_TEST_1.publicKey);
	});
});

describe('ed25519Keys: the schemes’ old names still work', () => {
	it('discord re-exports the bare-format parsers', () => {
		expect(discord.parseEd25519PublicKey).toBe(parseEd25519PublicKey);
		expect(discord.parseEd25519PrivateKey).toBe(parseEd25519PrivateKey);
	});

	it('standardWebhooks keeps its whpk_/whsk_ readings under the old names', () => {
		expect(standardWebhooks.parseEd25519PublicKey).toBe(standardWebhooks.parseStandardWebhooksPublicKey);
		expect(standardWebhooks.parseEd25519PrivateKey).toBe(standardWebhooks.parseStandardWebhooksSigningKey);
	});
});
