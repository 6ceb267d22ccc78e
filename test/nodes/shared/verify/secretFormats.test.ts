import { createHmac } from 'node:crypto';

import { hmacKeyFor, secretBytes } from '../../../../nodes/shared/verify/secretFormats';

const mac = (key: Parameters<typeof createHmac>[1]) => createHmac('sha256', key).update('x').digest('hex');

describe('secretFormats', () => {
	it('utf8: the text as shown', () => {
		expect(secretBytes('whsec_abc', 'utf8')).toEqual(Buffer.from('whsec_abc'));
		expect(secretBytes('', 'utf8')).toBeUndefined();
	});

	it('hex: the bytes the text encodes; anything that is not even-length hex is no key', () => {
		expect(secretBytes('00ffAB', 'hex')).toEqual(Buffer.from([0, 255, 0xab]));
		for (const text of ['0', '0g', '', 'zz', '00 ff']) expect(secretBytes(text, 'hex')).toBeUndefined();
	});

	it('base64: standard or url-safe, padded or not', () => {
		const bytes = Buffer.from([0xfb, 0xff, 0x01]);
		expect(secretBytes(bytes.toString('base64'), 'base64')).toEqual(bytes);
		expect(secretBytes(bytes.toString('base64url'), 'base64')).toEqual(bytes);
		expect(secretBytes('', 'base64')).toBeUndefined();
	});

	it('whsec: an optional whsec_ label, then base64 (Standard Webhooks)', () => {
		const bytes = Buffer.alloc(24, 7);
		expect(secretBytes(`whsec_${bytes.toString('base64')}`, 'whsec')).toEqual(bytes);
		expect(secretBytes(bytes.toString('base64'), 'whsec')).toEqual(bytes);
		expect(secretBytes('whsec_', 'whsec')).toBeUndefined();
	});

	it('a label stripped before any decoding, when present', () => {
		expect(secretBytes('pdl_ntfset_abc', { stripPrefix: 'pdl_ntfset_', decode: 'utf8' })).toEqual(Buffer.from('abc'));
		expect(secretBytes('abc', { stripPrefix: 'pdl_ntfset_', decode: 'utf8' })).toEqual(Buffer.from('abc'));
		expect(secretBytes('sk_00ff', { stripPrefix: 'sk_', decode: 'hex' })).toEqual(Buffer.from([0, 255]));
	});

	it('hmacKeyFor: a cached KeyObject per format and text, undefined when the text is not in the format', () => {
		const key = hmacKeyFor('00ff', 'hex');
		expect(key).toBe(hmacKeyFor('00ff', 'hex'));
		expect(mac(key!)).toBe(mac(Buffer.from([0, 255])));
		expect(mac(hmacKeyFor('00ff', 'utf8')!)).toBe(mac(Buffer.from('00ff')));
		expect(hmacKeyFor('xyz', 'hex')).toBeUndefined();
		expect(hmacKeyFor('xyz', 'hex')).toBeUndefined();
		for (let i = 0; i < 100; i++) expect(mac(hmacKeyFor(`secret-${i}`, { stripPrefix: 's_', decode: 'utf8' })!)).toBe(mac(Buffer.from(`secret-${i}`)));
	});
});
