import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export type DestinationCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Thrown from the DNS lookup when a host name resolves to a refused address; the delivery is not retried. */
export class DestinationRefusedError extends Error {
	readonly code = 'ERR_DESTINATION_REFUSED';

	constructor(message: string) {
		super(message);
		this.name = 'DestinationRefusedError';
	}
}

/**
 * Private, loopback, link-local and other non-public ranges (RFC 6890 special-purpose registries). A node that
 * sends to user-chosen URLs could otherwise be pointed at the n8n host itself, a cloud metadata service
 * (169.254.169.254) or the internal network.
 */
const NON_PUBLIC_RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
	['0.0.0.0', 8, 'ipv4'],
	['10.0.0.0', 8, 'ipv4'],
	['100.64.0.0', 10, 'ipv4'],
	['127.0.0.0', 8, 'ipv4'],
	['169.254.0.0', 16, 'ipv4'],
	['172.16.0.0', 12, 'ipv4'],
	['192.0.0.0', 24, 'ipv4'],
	['192.168.0.0', 16, 'ipv4'],
	['198.18.0.0', 15, 'ipv4'],
	['224.0.0.0', 4, 'ipv4'],
	['240.0.0.0', 4, 'ipv4'],
	['::', 128, 'ipv6'],
	['::1', 128, 'ipv6'],
	['fc00::', 7, 'ipv6'],
	['fe80::', 10, 'ipv6'],
	['fec0::', 10, 'ipv6'],
	['ff00::', 8, 'ipv6'],
];

const nonPublicAddresses = new BlockList();
for (const [network, prefix, family] of NON_PUBLIC_RANGES) nonPublicAddresses.addSubnet(network, prefix, family);

/** True for private, loopback, link-local, unspecified, multicast and reserved addresses (IPv4-mapped IPv6 included). */
export function isNonPublicAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 0) return false;
	return nonPublicAddresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Host name without the brackets URL puts around IPv6 literals. */
function bareHost(url: URL): string {
	return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * The checks that can be made on the URL text: it parses, it is http or https, and, when private destinations
 * are refused, a literal IP host is public. Host names are checked later, on the addresses they resolve to,
 * by {@link createGuardedLookup}: the text "internal.example.com" says nothing about where it points.
 */
export function checkDestinationUrl(text: string, refuseNonPublic: boolean): DestinationCheck {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return { ok: false, reason: 'not a valid URL' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { ok: false, reason: `only http and https URLs are allowed, not ${url.protocol.replace(/:$/, '')}` };
	}
	if (refuseNonPublic && isIP(bareHost(url)) !== 0 && isNonPublicAddress(bareHost(url))) {
		return { ok: false, reason: 'private, loopback and link-local destinations are refused' };
	}
	return { ok: true, url };
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The `lookup` signature `net.connect` and `http.request` accept. */
export type ConnectLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

type ResolveAll = (
	hostname: string,
	options: LookupAllOptions,
	callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveAllWithDns: ResolveAll = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * A DNS lookup for outgoing connections that refuses host names resolving to non-public addresses. Checking
 * the address the socket actually connects to (not a separate, earlier resolution) leaves no window for DNS
 * rebinding. A host is refused if any of its addresses is non-public.
 */
export function createGuardedLookup(resolveAll: ResolveAll = resolveAllWithDns): ConnectLookup {
	return (hostname, options, callback) => {
		const wantsAll = (options as LookupAllOptions).all === true;
		const { family, hints } = options as LookupOneOptions;
		resolveAll(hostname, { family, hints, all: true }, (error, addresses) => {
			if (error) {
				callback(error, wantsAll ? [] : '');
				return;
			}
			if (addresses.some(({ address }) => isNonPublicAddress(address))) {
				callback(
					new DestinationRefusedError(`${hostname} resolves to a private, loopback or link-local address`),
					wantsAll ? [] : '',
				);
				return;
			}
			if (wantsAll) {
				callback(null, addresses);
				return;
			}
			const [first] = addresses;
			if (!first) {
				const notFound: NodeJS.ErrnoException = new Error(`${hostname} did not resolve to any address`);
				notFound.code = 'ENOTFOUND';
				callback(notFound, '');
				return;
			}
			callback(null, first.address, first.family);
		});
	};
}
