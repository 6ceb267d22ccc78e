import {
	compileSignedContent,
	publicRequestUrl,
	signedBytes,
	signedSegments,
	withoutQuery,
} from '../../../../nodes/shared/verify/signedContent';

const VALUES = { timestamp: '1700000000', method: 'POST', url: 'https://n8n.example.com/webhook/x?a=1', headers: { 'webhook-id': 'msg_1' } };

describe('signedContent: templates', () => {
	it('parses placeholders and keeps everything else literal, unknown placeholders included', () => {
		const template = compileSignedContent('{method}{url}{body}{timestamp}{header:Webhook-Id}{id}');
		expect(template.parts).toEqual([
			{ kind: 'method' },
			{ kind: 'url' },
			{ kind: 'body' },
			{ kind: 'timestamp' },
			{ kind: 'header', name: 'webhook-id' },
			{ kind: 'literal', text: '{id}' },
		]);
		expect(template).toMatchObject({ usesTimestamp: true, usesUrl: true, headerNames: ['webhook-id'] });
		expect(compileSignedContent('{body}')).toMatchObject({ usesTimestamp: false, usesUrl: false, headerNames: [] });
		expect(compileSignedContent('{body}')).toBe(compileSignedContent('{body}'));
	});

	it('joins text parts into one UTF-8 segment and passes the body as the same Buffer (never copied)', () => {
		const body = Buffer.from([0xff, 0x00]);
		const segments = signedSegments(compileSignedContent('v0:{timestamp}:{body}'), body, VALUES);
		expect(segments).toEqual(['v0:1700000000:', body]);
		expect(segments[1]).toBe(body);
		expect(signedSegments(compileSignedContent('{header:webhook-id}.{timestamp}.{body}.é'), body, VALUES)).toEqual(['msg_1.1700000000.', body, '.é']);
		expect(signedBytes(compileSignedContent('{method}{url}{body}'), body, VALUES)).toEqual(
			Buffer.concat([Buffer.from('POSThttps://n8n.example.com/webhook/x?a=1'), body]),
		);
	});
});

describe('signedContent: the public URL', () => {
	it('is the configured URL plus the query as received (a query pasted into the setting is dropped)', () => {
		const request = { url: '/webhook/x?b=2', headers: { host: 'internal:5678' } };
		expect(publicRequestUrl(request, 'https://public.example.com/hooks/x?stale=1')).toBe('https://public.example.com/hooks/x?b=2');
		expect(publicRequestUrl({ url: '/webhook/x', headers: {} }, 'https://public.example.com/hooks/x')).toBe('https://public.example.com/hooks/x');
	});

	it('falls back to Host and X-Forwarded-Proto (https by default), or is unknown', () => {
		expect(publicRequestUrl({ url: '/w?x=1', headers: { host: 'a.ngrok.app' } }, '')).toBe('https://a.ngrok.app/w?x=1');
		expect(publicRequestUrl({ url: '/w', headers: { host: 'a:5678', 'x-forwarded-proto': 'http, https' } }, undefined)).toBe('http://a:5678/w');
		expect(publicRequestUrl({ url: '/w', headers: {} }, '')).toBeUndefined();
		expect(withoutQuery('https://x/y#f')).toBe('https://x/y');
	});
});
