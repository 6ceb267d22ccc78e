export type EventFilter = (eventType: string | undefined) => boolean;

// Separators between an event type and its sub-types: `issues.opened` (GitHub, Stripe), `orders/create` (Shopify).
const SUB_TYPE_SEPARATORS = ['.', '/'];

/**
 * Compiles an event filter from patterns separated by commas or new lines. `*` matches any run of characters
 * (`response.*`); everything else is literal and case-sensitive. A pattern without `*` also matches its sub-types:
 * `issues` matches `issues` and `issues.opened`. An empty filter matches everything; an unknown (undefined) event
 * type is matched only by the empty filter or a pattern of only `*`.
 */
export function compileEventFilter(text: string): EventFilter {
	const patterns = [
		...new Set(
			text
				.split(/[,\r\n]/)
				.map((pattern) => pattern.trim())
				.filter((pattern) => pattern !== ''),
		),
	];
	if (patterns.length === 0 || patterns.some(isMatchAll)) return () => true;

	const exact = new Set(patterns.filter((pattern) => !pattern.includes('*')));
	const wildcards = patterns.filter((pattern) => pattern.includes('*'));

	return (eventType) => {
		if (eventType === undefined) return false;
		if (exact.has(eventType)) return true;
		for (const separator of SUB_TYPE_SEPARATORS) {
			// Every prefix that ends just before a separator is a parent type: a.b.c → a, a.b.
			for (let at = eventType.indexOf(separator); at !== -1; at = eventType.indexOf(separator, at + 1)) {
				if (exact.has(eventType.slice(0, at))) return true;
			}
		}
		return wildcards.some((pattern) => matchesWildcard(pattern, eventType));
	};
}

function isMatchAll(pattern: string): boolean {
	return /^\*+$/.test(pattern);
}

/**
 * Glob match with `*` only, without building a RegExp from user text: no escaping to get wrong and no catastrophic
 * backtracking. Greedy with a single backtrack point, so O(pattern × text) in the worst case.
 */
function matchesWildcard(pattern: string, text: string): boolean {
	let p = 0;
	let t = 0;
	let starAt = -1;
	let textAtStar = 0;
	while (t < text.length) {
		if (p < pattern.length && pattern[p] === '*') {
			starAt = p++;
			textAtStar = t;
		} else if (p < pattern.length && pattern[p] === text[t]) {
			p++;
			t++;
		} else if (starAt !== -1) {
			p = starAt + 1;
			t = ++textAtStar;
		} else {
			return false;
		}
	}
	while (p < pattern.length && pattern[p] === '*') p++;
	return p === pattern.length;
}
