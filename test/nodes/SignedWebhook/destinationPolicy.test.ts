import type { LookupAddress } from 'node:dns';
import { request } from 'node:http';

import {
	checkDestinationUrl,
	createGuardedLookup,
	isNonPublicAddress,
	type ConnectLookup,
} from '../../../nodes/SignedWebhook/destinationPolicy';
import { startLocalReceiver } from './localReceiver';

describe('isNonPublicAddress', () => {
	it.each([
		'127.0.0.1',
		'127.255.0.9',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.1',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'::1',
		'::',
		'fe80::1',
		'fd12:3456::1',
		'fc00::1',
		'::ffff:127.0.0.1',
		'::ffff:a9fe:a9fe',
		'224.0.0.1',
	])('%s is not public', (address) => {
		expect(isNonPublicAddress(address)).toBe(true);
	});

	it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
		expect(isNonPublicAddress(address)).toBe(false);
	});
});

describe('checkDestinationUrl', () => {
	it('accepts http and https', () => {
		expect(checkDestinationUrl(' https://example.com/hook ', false)).toMatchObject({ ok: true });
		expect(checkDestinationUrl('http://10.0.0.5:8080/hook', false)).toMatchObject({ ok: true });
	});

	it.each(['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://example.com', 'data:,x'])('refuses %s', (url) => {
		const check = checkDestinationUrl(url, false);
		expect(check.ok).toBe(false);
		if (!check.ok) expect(check.reason).toMatch(/only http and https/);
	});

	it('refuses text that is not a URL', () => {
		expect(checkDestinationUrl('example.com/hook', false)).toEqual({ ok: false, reason: 'not a valid URL' });
	});

	it('refuses literal private addresses only when asked to', () => {
		for (const url of ['http://127.0.0.1/', 'http://[::1]:80/', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:10.0.0.1]/', 'http://0x7f000001/']) {
			expect(checkDestinationUrl(url, true).ok).toBe(false);
			expect(checkDestinationUrl(url, false).ok).toBe(true);
		}
		expect(checkDestinationUrl('http://8.8.8.8/', true).ok).toBe(true);
	});
});

describe('createGuardedLookup', () => {
	const fakeResolver =
		(addresses: LookupAddress[]) =>
		(_host: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) =>
			callback(null, addresses);

	async function lookUp(lookup: ConnectLookup, all: boolean): Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }> {
		return await new Promise((resolve) => lookup('service.test', { all }, (error, address, family) => resolve({ error, address, family })));
	}

	it('refuses a host name that resolves to a private address, whatever the name says', async () => {
		const lookup = createGuardedLookup(fakeResolver([{ address: '10.0.0.7', family: 4 }]));
		const { error } = await lookUp(lookup, false);
		expect(error?.code).toBe('ERR_DESTINATION_REFUSED');
		expect(error?.message).toMatch(/private, loopback or link-local/);
	});

	it('refuses when any of the addresses is private', async () => {
		const lookup = createGuardedLookup(
			fakeResolver([
				{ address: '93.184.216.34', family: 4 },
				{ address: 'fe80::1', family: 6 },
			]),
		);
		expect((await lookUp(lookup, true)).error?.code).toBe('ERR_DESTINATION_REFUSED');
	});

	it('passes public addresses through in both result shapes', async () => {
		const addresses = [
			{ address: '93.184.216.34', family: 4 },
			{ address: '2606:2800:220:1::1', family: 6 },
		];
		const lookup = createGuardedLookup(fakeResolver(addresses));
		expect(await lookUp(lookup, true)).toEqual({ error: null, address: addresses, family: undefined });
		expect(await lookUp(lookup, false)).toEqual({ error: null, address: '93.184.216.34', family: 4 });
	});

	it('stops a real connection to "localhost" (resolved to loopback) before anything is sent', async () => {
		const receiver = await startLocalReceiver({ '/hook': () => ({ status: 200 }) });
		try {
			const port = new URL(receiver.url('/')).port;
			const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
				const req = request(`http://localhost:${port}/hook`, { method: 'POST', lookup: createGuardedLookup() }, () => reject(new Error('connected')));
				req.on('error', resolve);
				req.end('{}');
			});
			expect(error.code).toBe('ERR_DESTINATION_REFUSED');
			expect(receiver.requests).toHaveLength(0);
		} finally {
			await receiver.close();
		}
	});
});
