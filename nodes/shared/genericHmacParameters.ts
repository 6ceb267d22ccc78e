import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { GenericHmacOptions, HmacAlgorithm, SignatureEncoding } from './schemes/types';

/**
 * The generic HMAC scheme's parameters, shared by the Secure Webhook Trigger (verifying) and the Signed Webhook
 * node (signing), so that the same settings on both sides always mean the same signature.
 */
export function genericHmacProperties(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'HMAC Algorithm',
			name: 'hmacAlgorithm',
			type: 'options',
			options: [
				{ name: 'SHA-1', value: 'sha1' },
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: 'sha256',
			displayOptions,
		},
		{
			displayName: 'Signature Header',
			name: 'hmacSignatureHeader',
			type: 'string',
			default: 'x-signature',
			description: 'Header that carries the signature',
			displayOptions,
		},
		{
			displayName: 'Signature Encoding',
			name: 'hmacEncoding',
			type: 'options',
			options: [
				{ name: 'Base64', value: 'base64' },
				{ name: 'Base64url', value: 'base64url' },
				{ name: 'Hex', value: 'hex' },
			],
			default: 'hex',
			displayOptions,
		},
		{
			displayName: 'Signature Prefix',
			name: 'hmacPrefix',
			type: 'string',
			default: '',
			placeholder: 'sha256=',
			description: 'Text before the encoded signature in the header, if any',
			displayOptions,
		},
		{
			displayName: 'Timestamp Header',
			name: 'hmacTimestampHeader',
			type: 'string',
			default: '',
			placeholder: 'x-timestamp',
			description:
				'Header with the Unix timestamp (seconds) that is signed; the receiver rejects it outside its tolerance. Empty: no timestamp.',
			displayOptions,
		},
		{
			displayName: 'Signed Content',
			name: 'hmacSignedContent',
			type: 'string',
			default: '{body}',
			placeholder: '{timestamp}.{body}',
			description: 'What is signed: {body} is the exact body bytes, {timestamp} the timestamp header value',
			displayOptions,
		},
	];
}

/** The generic HMAC settings as the schemes take them, from a parameter reader. */
export function readGenericHmacOptions(read: (name: string, fallback: string) => unknown): GenericHmacOptions {
	const text = (name: string, fallback: string) => {
		const value = read(name, fallback);
		return typeof value === 'string' ? value : fallback;
	};
	return {
		algorithm: text('hmacAlgorithm', 'sha256') as HmacAlgorithm,
		signatureHeader: text('hmacSignatureHeader', 'x-signature').trim().toLowerCase(),
		encoding: text('hmacEncoding', 'hex') as SignatureEncoding,
		prefix: text('hmacPrefix', ''),
		timestampHeader: text('hmacTimestampHeader', '').trim().toLowerCase(),
		signedContent: text('hmacSignedContent', '{body}'),
	};
}
