import { isIPv6 } from 'node:net';

/** One allowed range. IPv4 is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so one comparison covers both families. */
export interface AllowRule {
	readonly network: bigint;
	readonly prefixLength: number;
	readonly mask: bigint;
	/** The entry as written, for messages. */
	readonly source: string;
}

export interface AllowList {
	readonly rules: readonly AllowRule[];
}

const ALL_BITS = (1n << 128n) - 1n;
const MAPPED_IPV4_PREFIX = 0xffffn << 32n;
const MAPPED_IPV4_MASK = ALL_BITS ^ 0xffffffffn;
const MAX_ENTRY_IN_MESSAGE = 80;

/**
 * Parses an allow list: IPv4/IPv6 addresses and CIDR ranges separated by commas or new lines; `#` starts a comment
 * that runs to the end of the line. Throws on the first entry that is not an address or range, naming it.
 */
export function parseAllowList(text: string): AllowList {
	const rules: AllowRule[] = [];
	for (const line of text.split(/\r?\n|\r/)) {
		const withoutComment = line.split('#', 1)[0];
		for (const rawEntry of withoutComment.split(',')) {
			const entry = rawEntry.trim();
			if (entry === '') continue;
			rules.push(parseRule(entry));
		}
	}
	return { rules };
}

/**
 * An empty list allows every address; an unknown address (undefined) or one that cannot be parsed is never allowed
 * by a non-empty list.
 */
export function isIpAllowed(list: AllowList, ip: string | undefined): boolean {
	if (list.rules.length === 0) return true;
	if (typeof ip !== 'string') return false;
	const address = parseAddress(stripPortAndBrackets(ip));
	if (address === undefined) return false;
	for (const rule of list.rules) {
		if ((address & rule.mask) === rule.network) return true;
	}
	return false;
}

/**
 * The address of the client as seen by the outermost trusted proxy.
 *
 * Every proxy appends the address it received the request from to X-Forwarded-For, so only the right-most
 * `trustedProxyHops` entries were written by proxies we trust; anything left of those was sent by the client and may
 * be forged. hops=0 ignores the header entirely. Returns the canonical text of the address (IPv4-mapped IPv6 as
 * dotted IPv4, IPv6 compressed and lower-case), or undefined when the selected entry is not an IP address.
 */
export function clientIp(
	remoteAddress: string | undefined,
	forwardedFor: string | string[] | undefined,
	trustedProxyHops: number,
): string | undefined {
	const hops = Number.isFinite(trustedProxyHops) && trustedProxyHops > 0 ? Math.floor(trustedProxyHops) : 0;
	if (hops === 0) return normalizeIp(remoteAddress);

	const headerValues = forwardedFor === undefined ? [] : Array.isArray(forwardedFor) ? forwardedFor : [forwardedFor];
	const hopsFromClient: Array<string | undefined> = [];
	for (const value of headerValues) {
		if (typeof value !== 'string') continue;
		for (const entry of value.split(',')) {
			const trimmed = entry.trim();
			if (trimmed !== '') hopsFromClient.push(trimmed);
		}
	}
	// The socket peer is the innermost hop: the proxy closest to us.
	hopsFromClient.push(remoteAddress);
	const index = Math.max(0, hopsFromClient.length - 1 - hops);
	return normalizeIp(hopsFromClient[index]);
}

/** Canonical text of an address (ports, brackets, quotes and zone index removed), or undefined if it is not one. */
export function normalizeIp(text: string | undefined): string | undefined {
	if (typeof text !== 'string') return undefined;
	const address = parseAddress(stripPortAndBrackets(text));
	return address === undefined ? undefined : formatAddress(address);
}

function parseRule(entry: string): AllowRule {
	const slash = entry.indexOf('/');
	const addressText = slash === -1 ? entry : entry.slice(0, slash);
	const prefixText = slash === -1 ? undefined : entry.slice(slash + 1);
	const isV4 = parseIpv4(addressText) !== undefined;
	const address = addressText.includes('%') ? undefined : parseAddress(addressText);
	if (address === undefined) throw invalidEntry(entry);

	const familyBits = isV4 ? 32 : 128;
	let prefixLength = 128;
	if (prefixText !== undefined) {
		if (!/^\d{1,3}$/.test(prefixText)) throw invalidEntry(entry);
		const bits = Number(prefixText);
		if (bits > familyBits) throw invalidEntry(entry);
		prefixLength = isV4 ? 96 + bits : bits;
	}
	const mask = prefixLength === 0 ? 0n : (ALL_BITS << BigInt(128 - prefixLength)) & ALL_BITS;
	// Host bits set in a range (10.1.2.3/8) are ignored, as most firewalls do.
	return { network: address & mask, prefixLength, mask, source: entry };
}

function invalidEntry(entry: string): Error {
	const shown = entry.length > MAX_ENTRY_IN_MESSAGE ? `${entry.slice(0, MAX_ENTRY_IN_MESSAGE)}…` : entry;
	return new Error(
		`Invalid IP allow list entry "${shown}": expected an IPv4 or IPv6 address or a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`,
	);
}

function stripPortAndBrackets(text: string): string {
	let value = text.trim();
	if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).trim();
	if (value.startsWith('[')) {
		const close = value.indexOf(']');
		return close === -1 ? value : value.slice(1, close);
	}
	// Exactly one colon can only be IPv4 with a port; IPv6 always has at least two.
	const colon = value.indexOf(':');
	if (colon !== -1 && value.indexOf(':', colon + 1) === -1) return value.slice(0, colon);
	return value;
}

/** 128-bit value of an IPv4 (as IPv4-mapped IPv6) or IPv6 address; a zone index (%eth0) is ignored. */
function parseAddress(text: string): bigint | undefined {
	const v4 = parseIpv4(text);
	if (v4 !== undefined) return MAPPED_IPV4_PREFIX | BigInt(v4);
	const zone = text.indexOf('%');
	const v6 = zone === -1 ? text : text.slice(0, zone);
	return parseIpv6(v6);
}

/** Strict dotted quad: four decimal parts 0-255 without leading zeros (010 is octal to some parsers, so refused). */
function parseIpv4(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	let value = 0;
	for (const part of parts) {
		if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
		const octet = Number(part);
		if (octet > 255) return undefined;
		value = value * 256 + octet;
	}
	return value;
}

function parseIpv6(text: string): bigint | undefined {
	if (!isIPv6(text)) return undefined;
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const head = halves[0] === '' ? [] : halves[0].split(':');
	const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
	const groups = [...head, ...tail];
	const last = groups[groups.length - 1];
	let trailingV4: number | undefined;
	if (last !== undefined && last.includes('.')) {
		trailingV4 = parseIpv4(last);
		if (trailingV4 === undefined) return undefined;
		groups.pop();
		if (tail.length > 0) tail.pop();
		else head.pop();
	}
	const groupCount = groups.length + (trailingV4 === undefined ? 0 : 2);
	if (halves.length === 1 ? groupCount !== 8 : groupCount > 7) return undefined;

	let value = 0n;
	for (const group of head) value = (value << 16n) | BigInt(parseInt(group, 16));
	const zeroGroups = 8 - groupCount;
	value <<= BigInt(16 * zeroGroups);
	for (const group of tail) value = (value << 16n) | BigInt(parseInt(group, 16));
	if (trailingV4 !== undefined) value = (value << 32n) | BigInt(trailingV4);
	return value;
}

/** IPv4-mapped addresses as dotted IPv4; IPv6 in RFC 5952 form (lower case, longest zero run compressed). */
function formatAddress(address: bigint): string {
	if ((address & MAPPED_IPV4_MASK) === MAPPED_IPV4_PREFIX) {
		const v4 = Number(address & 0xffffffffn);
		return [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.');
	}
	const groups: number[] = [];
	for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((address >> shift) & 0xffffn));

	let bestStart = -1;
	let bestLength = 1;
	for (let start = 0; start < 8; ) {
		if (groups[start] !== 0) {
			start++;
			continue;
		}
		let end = start;
		while (end < 8 && groups[end] === 0) end++;
		if (end - start > bestLength) {
			bestStart = start;
			bestLength = end - start;
		}
		start = end;
	}
	const hex = groups.map((group) => group.toString(16));
	if (bestStart === -1) return hex.join(':');
	return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
