import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { clientIp, isIpAllowed, normalizeIp, parseAllowList } from '../../../../nodes/shared/checks/ipAllowList';

describe('parseAllowList', () => {
	it('reads addresses and ranges separated by commas and new lines, with comments and blank lines', () => {
		const list = parseAllowList(' 10.0.0.0/8, 192.168.1.7\n\n2001:db8::/32 # office\n# a whole comment line\r\n::1');
		expect(list.rules.map((rule) => rule.source)).toEqual(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1']);
	});

	it('returns an empty list for empty or comment-only text', () => {
		expect(parseAllowList('').rules).toHaveLength(0);
		expect(parseAllowList(' , \n # nothing here ').rules).toHaveLength(0);
	});

	it.each([
		['hello'],
		['10.0.0.0/33'],
		['2001:db8::/129'],
		['10.0.0.0/'],
		['10.0.0.0/-1'],
		['10.0.0.0/8/8'],
		['10.0.0.0/a'],
		['256.1.1.1'],
		['1.2.3'],
		['1.2.3.4.5'],
		['010.0.0.1'],
		['1.2.3.4:80'],
		['[::1]'],
		['fe80::1%eth0'],
		['2001:db8:::1'],
		['1:2:3:4:5:6:7:8:9'],
		['::ffff:999.1.1.1'],
		['example.com'],
	])('rejects %p with an error that names the entry', (entry) => {
		expect(() => parseAllowList(`10.0.0.1, ${entry}`)).toThrow(`Invalid IP allow list entry "${entry}"`);
	});

	it('shortens a very long bad entry in the message', () => {
		const entry = 'x'.repeat(500);
		let message = '';
		try {
			parseAllowList(entry);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain('x'.repeat(80));
		expect(message).not.toContain('x'.repeat(81));
	});
});

describe('isIpAllowed', () => {
	it('allows everything when the list is empty', () => {
		const list = parseAllowList('');
		expect(isIpAllowed(list, '203.0.113.9')).toBe(true);
		expect(isIpAllowed(list, '2001:db8::1')).toBe(true);
	});

	it('matches IPv4 CIDR ranges at their boundaries', () => {
		const list = parseAllowList('192.168.10.0/24, 10.0.0.0/8, 172.16.0.0/12');
		expect(isIpAllowed(list, '192.168.10.0')).toBe(true);
		expect(isIpAllowed(list, '192.168.10.255')).toBe(true);
		expect(isIpAllowed(list, '192.168.11.0')).toBe(false);
		expect(isIpAllowed(list, '192.168.9.255')).toBe(false);
		expect(isIpAllowed(list, '10.255.255.255')).toBe(true);
		expect(isIpAllowed(list, '11.0.0.0')).toBe(false);
		expect(isIpAllowed(list, '172.31.255.255')).toBe(true);
		expect(isIpAllowed(list, '172.32.0.0')).toBe(false);
	});

	it('treats a bare address as a single host and ignores host bits in a range', () => {
		expect(isIpAllowed(parseAllowList('203.0.113.5'), '203.0.113.5')).toBe(true);
		expect(isIpAllowed(parseAllowList('203.0.113.5'), '203.0.113.6')).toBe(false);
		expect(isIpAllowed(parseAllowList('10.1.2.3/8'), '10.200.0.1')).toBe(true);
	});

	it('handles /0 and /32 for IPv4 without letting 0.0.0.0/0 allow IPv6', () => {
		const allV4 = parseAllowList('0.0.0.0/0');
		expect(isIpAllowed(allV4, '1.2.3.4')).toBe(true);
		expect(isIpAllowed(allV4, '255.255.255.255')).toBe(true);
		expect(isIpAllowed(allV4, '2001:db8::1')).toBe(false);
		expect(isIpAllowed(parseAllowList('1.2.3.4/32'), '1.2.3.4')).toBe(true);
		expect(isIpAllowed(parseAllowList('1.2.3.4/32'), '1.2.3.5')).toBe(false);
	});

	it('matches IPv6 ranges, compressed or not, in any case', () => {
		const list = parseAllowList('2001:DB8:abcd::/48, fe80::/10');
		expect(isIpAllowed(list, '2001:db8:abcd:ffff::1')).toBe(true);
		expect(isIpAllowed(list, '2001:0db8:ABCD:0000:0000:0000:0000:0001')).toBe(true);
		expect(isIpAllowed(list, '2001:db8:abce::1')).toBe(false);
		expect(isIpAllowed(list, 'fe80::1')).toBe(true);
		expect(isIpAllowed(list, 'febf:ffff::1')).toBe(true);
		expect(isIpAllowed(list, 'fec0::1')).toBe(false);
		expect(isIpAllowed(parseAllowList('::1'), '::1')).toBe(true);
		expect(isIpAllowed(parseAllowList('::1'), '::2')).toBe(false);
		expect(isIpAllowed(parseAllowList('2001:db8::1/128'), '2001:db8::1')).toBe(true);
	});

	it('ignores a zone index on the client address', () => {
		expect(isIpAllowed(parseAllowList('fe80::/10'), 'fe80::1%eth0')).toBe(true);
	});

	it('matches an IPv4-mapped IPv6 client against IPv4 rules', () => {
		const list = parseAllowList('10.0.0.0/8');
		expect(isIpAllowed(list, '::ffff:10.1.2.3')).toBe(true);
		expect(isIpAllowed(list, '::FFFF:10.1.2.3')).toBe(true);
		expect(isIpAllowed(list, '::ffff:a01:203')).toBe(true);
		expect(isIpAllowed(list, '0:0:0:0:0:ffff:10.1.2.3')).toBe(true);
		expect(isIpAllowed(list, '::ffff:11.1.2.3')).toBe(false);
		// IPv4-compatible (::a.b.c.d) is not mapped: a different address.
		expect(isIpAllowed(list, '::10.1.2.3')).toBe(false);
	});

	it('matches an IPv4 client against IPv4-mapped IPv6 rules', () => {
		expect(isIpAllowed(parseAllowList('::ffff:10.0.0.0/104'), '10.9.8.7')).toBe(true);
		expect(isIpAllowed(parseAllowList('::ffff:10.0.0.0/104'), '11.9.8.7')).toBe(false);
		expect(isIpAllowed(parseAllowList('::ffff:192.0.2.1'), '192.0.2.1')).toBe(true);
	});

	it('accepts a client address with brackets or a port', () => {
		const list = parseAllowList('198.51.100.0/24, 2001:db8::/32');
		expect(isIpAllowed(list, '198.51.100.7:51234')).toBe(true);
		expect(isIpAllowed(list, '[2001:db8::7]:443')).toBe(true);
		expect(isIpAllowed(list, '[2001:db8::7]')).toBe(true);
	});

	it('refuses anything that is not an address when the list is not empty', () => {
		const list = parseAllowList('0.0.0.0/0, ::/0');
		expect(isIpAllowed(list, undefined)).toBe(false);
		expect(isIpAllowed(parseAllowList(''), undefined)).toBe(true);
		expect(isIpAllowed(list, '1'.repeat(100_000))).toBe(false);
		for (const garbage of ['', 'unknown', 'localhost', '1.2.3', '::g', '999.0.0.1', '[', '1.2.3.4.5', '%']) {
			expect(isIpAllowed(list, garbage)).toBe(false);
		}
	});
});

describe('clientIp', () => {
	it('uses the socket address when no proxy is trusted, ignoring X-Forwarded-For', () => {
		expect(clientIp('203.0.113.10', '1.1.1.1', 0)).toBe('203.0.113.10');
		expect(clientIp('::ffff:203.0.113.10', '1.1.1.1', 0)).toBe('203.0.113.10');
		expect(clientIp(undefined, '1.1.1.1', 0)).toBeUndefined();
	});

	it('takes the address the trusted proxy saw: the right-most entry for one hop', () => {
		expect(clientIp('10.0.0.2', '198.51.100.20', 1)).toBe('198.51.100.20');
	});

	it('ignores spoofed left-most entries a client prepended', () => {
		// The client sent "X-Forwarded-For: 127.0.0.1, 10.0.0.1"; our single proxy appended the real peer.
		expect(clientIp('10.0.0.2', '127.0.0.1, 10.0.0.1, 198.51.100.20', 1)).toBe('198.51.100.20');
		// Two trusted proxies: the inner one appended the outer one's address.
		expect(clientIp('10.0.0.3', '6.6.6.6, 198.51.100.20, 10.0.0.2', 2)).toBe('198.51.100.20');
	});

	it('combines repeated X-Forwarded-For headers in order', () => {
		expect(clientIp('10.0.0.3', ['6.6.6.6', '198.51.100.20, 10.0.0.2'], 2)).toBe('198.51.100.20');
		expect(clientIp('10.0.0.3', ['6.6.6.6, 198.51.100.20', '10.0.0.2'], 1)).toBe('10.0.0.2');
	});

	it('falls back to the left-most entry when there are fewer entries than hops', () => {
		expect(clientIp('10.0.0.2', '198.51.100.20', 3)).toBe('198.51.100.20');
		expect(clientIp('10.0.0.2', '198.51.100.20, 10.0.0.1', 5)).toBe('198.51.100.20');
	});

	it('falls back to the socket address when a proxy is trusted but the header is absent or empty', () => {
		expect(clientIp('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
		expect(clientIp('10.0.0.2', ' , ', 2)).toBe('10.0.0.2');
		expect(clientIp(undefined, undefined, 1)).toBeUndefined();
	});

	it('strips ports and brackets and normalises mapped and IPv6 addresses', () => {
		expect(clientIp('10.0.0.2', '198.51.100.20:4711', 1)).toBe('198.51.100.20');
		expect(clientIp('10.0.0.2', '[2001:DB8:0:0::1]:4711', 1)).toBe('2001:db8::1');
		expect(clientIp('10.0.0.2', '"[2001:db8::1]"', 1)).toBe('2001:db8::1');
		expect(clientIp('10.0.0.2', '::ffff:198.51.100.20', 1)).toBe('198.51.100.20');
		expect(clientIp('[::ffff:7f00:1]:80', undefined, 0)).toBe('127.0.0.1');
	});

	it('returns undefined when the selected entry is not an address', () => {
		expect(clientIp('10.0.0.2', 'unknown', 1)).toBeUndefined();
		expect(clientIp('10.0.0.2', '198.51.100.20, _hidden', 1)).toBeUndefined();
	});

	it('treats negative, fractional and non-finite hop counts sanely', () => {
		expect(clientIp('10.0.0.2', '198.51.100.20', -1)).toBe('10.0.0.2');
		expect(clientIp('10.0.0.2', '198.51.100.20', Number.NaN)).toBe('10.0.0.2');
		expect(clientIp('10.0.0.2', '198.51.100.20', 1.9)).toBe('198.51.100.20');
	});
});

describe('normalizeIp', () => {
	it.each([
		['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
		['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
		['2001:db8::0:1', '2001:db8::1'],
		['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
		['0:0:0:0:0:0:0:0', '::'],
		['::1', '::1'],
		['1::', '1::'],
		['::ffff:1.2.3.4', '1.2.3.4'],
		['::ffff:0102:0304', '1.2.3.4'],
		['1.2.3.4', '1.2.3.4'],
		['1.2.3.4:8080', '1.2.3.4'],
		['fe80::1%eth0', 'fe80::1'],
	])('%s → %s (RFC 5952)', (input, expected) => {
		expect(normalizeIp(input)).toBe(expected);
	});

	it('returns undefined for non-addresses', () => {
		expect(normalizeIp('nope')).toBeUndefined();
		expect(normalizeIp(undefined)).toBeUndefined();
	});
});

describe('cross-checked against node:net BlockList (property tests)', () => {
	const octet = fc.integer({ min: 0, max: 255 });
	const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
	const ipv6 = fc
		.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
		.map((groups) => groups.map((group) => group.toString(16)).join(':'));

	it('agrees on IPv4 ranges, also for the IPv4-mapped form of the client', () => {
		fc.assert(
			fc.property(ipv4, fc.integer({ min: 0, max: 32 }), ipv4, (network, prefix, candidate) => {
				const reference = new BlockList();
				reference.addSubnet(network, prefix, 'ipv4');
				const list = parseAllowList(`${network}/${prefix}`);
				const expected = reference.check(candidate, 'ipv4');
				expect(isIpAllowed(list, candidate)).toBe(expected);
				expect(isIpAllowed(list, `::ffff:${candidate}`)).toBe(expected);
			}),
			{ numRuns: 2000 },
		);
	});

	it('agrees on IPv6 ranges', () => {
		fc.assert(
			fc.property(ipv6, fc.integer({ min: 0, max: 128 }), ipv6, fc.boolean(), (network, prefix, other, near) => {
				// Half the candidates share the network's first groups, so matches are common too.
				const candidate = near ? `${network.split(':').slice(0, 4).join(':')}:${other.split(':').slice(4).join(':')}` : other;
				const reference = new BlockList();
				reference.addSubnet(network, prefix, 'ipv6');
				expect(isIpAllowed(parseAllowList(`${network}/${prefix}`), candidate)).toBe(
					reference.check(candidate, 'ipv6'),
				);
			}),
			{ numRuns: 2000 },
		);
	});

	it('normalises to a valid address that means the same', () => {
		fc.assert(
			fc.property(fc.oneof(ipv4, ipv6), (address) => {
				const normal = normalizeIp(address);
				expect(normal).toBeDefined();
				expect(isIP(normal as string)).not.toBe(0);
				expect(normalizeIp(normal)).toBe(normal);
				expect(isIpAllowed(parseAllowList(normal as string), address)).toBe(true);
			}),
			{ numRuns: 2000 },
		);
	});
});
