import { checkKeyUrl, fetchKeyDocument, isLoopbackHost, type KeyFetchOptions } from '../../../../nodes/shared/verify/keyFetch';

import {
	hang,
	json,
	makeSelfSignedCertificate,
	redirect,
	startHttpKeyServer,
	startHttpsKeyServer,
	text,
	type KeyServer,
	type SelfSignedCertificate,
} from './keyServer';

const LOOPBACK: KeyFetchOptions = { timeoutMs: 2000, maxBytes: 1024, allowLoopbackHttp: true };

describe('keyFetch: which URLs may be fetched', () => {
	it.each([
		['https://www.googleapis.com/oauth2/v3/certs', {}, true],
		['http://www.googleapis.com/oauth2/v3/certs', { allowLoopbackHttp: true }, 'insecure_url'],
		['http://127.0.0.1:8080/jwks', {}, 'insecure_url'],
		['http://127.0.0.1:8080/jwks', { allowLoopbackHttp: true }, true],
		['http://127.1.2.3/jwks', { allowLoopbackHttp: true }, true],
		['http://localhost/jwks', { allowLoopbackHttp: true }, true],
		['http://[::1]:9/jwks', { allowLoopbackHttp: true }, true],
		['http://10.0.0.1/jwks', { allowLoopbackHttp: true }, 'insecure_url'],
		['http://localhost.example.com/jwks', { allowLoopbackHttp: true }, 'insecure_url'],
		['ftp://example.com/jwks', {}, 'invalid_url'],
		['file:///etc/passwd', {}, 'invalid_url'],
		['https://user:pass@example.com/jwks', {}, 'invalid_url'],
		['/relative/jwks', {}, 'invalid_url'],
		['', {}, 'invalid_url'],
	])('%s (%j) -> %s', (url, options, expected) => {
		const result = checkKeyUrl(url, options);
		if (expected === true) expect(result.ok).toBe(true);
		else expect(result).toEqual({ ok: false, reason: expected });
	});

	it('knows loopback hosts', () => {
		expect(isLoopbackHost(new URL('http://127.0.0.1'))).toBe(true);
		expect(isLoopbackHost(new URL('http://[::1]'))).toBe(true);
		expect(isLoopbackHost(new URL('http://LOCALHOST'))).toBe(true);
		expect(isLoopbackHost(new URL('http://128.0.0.1'))).toBe(false);
		expect(isLoopbackHost(new URL('http://[::2]'))).toBe(false);
	});
});

describe('keyFetch: fetching over a real loopback server', () => {
	let server: KeyServer;
	beforeAll(async () => {
		server = await startHttpKeyServer();
		server.routes.set('/ok', json({ keys: [] }));
		server.routes.set('/big', text('x'.repeat(5000)));
		server.routes.set('/big-chunked', (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			for (let index = 0; index < 10; index++) response.write('y'.repeat(500));
			response.end();
		});
		server.routes.set('/exact', text('z'.repeat(1024)));
		server.routes.set('/hang', hang);
		server.routes.set('/error', text('{"keys":[]}', 500));
		server.routes.set('/same-origin', redirect('/ok'));
		server.routes.set('/loop', redirect('/loop'));
	});
	afterAll(async () => await server.close());

	it('returns the body of a 200 answer', async () => {
		const result = await fetchKeyDocument(`${server.origin}/ok`, LOOPBACK);
		expect(result).toEqual({ ok: true, body: Buffer.from('{"keys":[]}') });
	});

	it('accepts a body of exactly maxBytes and refuses a longer one, declared or chunked', async () => {
		expect((await fetchKeyDocument(`${server.origin}/exact`, LOOPBACK)).ok).toBe(true);
		expect(await fetchKeyDocument(`${server.origin}/big`, LOOPBACK)).toEqual({ ok: false, reason: 'too_large' });
		expect(await fetchKeyDocument(`${server.origin}/big-chunked`, LOOPBACK)).toEqual({ ok: false, reason: 'too_large' });
	});

	it('gives up after timeoutMs', async () => {
		expect(await fetchKeyDocument(`${server.origin}/hang`, { ...LOOPBACK, timeoutMs: 200 })).toEqual({ ok: false, reason: 'timeout' });
	});

	it('refuses a non-200 answer without reading it as keys', async () => {
		expect(await fetchKeyDocument(`${server.origin}/error`, LOOPBACK)).toEqual({ ok: false, reason: 'http_status' });
		expect(await fetchKeyDocument(`${server.origin}/missing`, LOOPBACK)).toEqual({ ok: false, reason: 'http_status' });
	});

	it('follows a redirect to the same origin only', async () => {
		expect((await fetchKeyDocument(`${server.origin}/same-origin`, LOOPBACK)).ok).toBe(true);
		expect(await fetchKeyDocument(`${server.origin}/same-origin`, { ...LOOPBACK, maxRedirects: 0 })).toEqual({ ok: false, reason: 'redirect_refused' });
		expect(await fetchKeyDocument(`${server.origin}/loop`, LOOPBACK)).toEqual({ ok: false, reason: 'redirect_refused' });
	});

	it('refuses a redirect to another host, even another name for the same machine, without following it', async () => {
		const other = await startHttpKeyServer();
		try {
			other.routes.set('/jwks', json({ keys: [] }));
			server.routes.set('/elsewhere', redirect(`http://localhost:${other.port}/jwks`));
			server.routes.set('/other-port', redirect(`${other.origin}/jwks`));
			expect(await fetchKeyDocument(`${server.origin}/elsewhere`, LOOPBACK)).toEqual({ ok: false, reason: 'redirect_refused' });
			expect(await fetchKeyDocument(`${server.origin}/other-port`, LOOPBACK)).toEqual({ ok: false, reason: 'redirect_refused' });
			expect(other.hits).toEqual([]);
		} finally {
			await other.close();
		}
	});

	it('refuses plain http unless loopback http is allowed, without connecting', async () => {
		const before = server.hits.length;
		expect(await fetchKeyDocument(`${server.origin}/ok`, { timeoutMs: 2000, maxBytes: 1024 })).toEqual({ ok: false, reason: 'insecure_url' });
		expect(server.hits.length).toBe(before);
	});

	it('reports a refused connection as a network failure', async () => {
		const closed = await startHttpKeyServer();
		const origin = closed.origin;
		await closed.close();
		expect(await fetchKeyDocument(`${origin}/ok`, LOOPBACK)).toEqual({ ok: false, reason: 'network' });
	});
});

describe('keyFetch: https with a self-signed certificate made by openssl', () => {
	let tls: SelfSignedCertificate;
	let server: KeyServer;
	beforeAll(async () => {
		tls = makeSelfSignedCertificate();
		server = await startHttpsKeyServer(tls);
		server.routes.set('/ok', json({ keys: [] }));
	});
	afterAll(async () => await server.close());

	it('fetches when the certificate is trusted through `ca`', async () => {
		expect((await fetchKeyDocument(`${server.origin}/ok`, { timeoutMs: 2000, maxBytes: 1024, ca: tls.certificatePem })).ok).toBe(true);
	});

	it('refuses an untrusted certificate', async () => {
		expect(await fetchKeyDocument(`${server.origin}/ok`, { timeoutMs: 2000, maxBytes: 1024 })).toEqual({ ok: false, reason: 'network' });
	});
});
