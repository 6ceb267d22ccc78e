import { isLatin1Whitespace } from './headers';

/**
 * Signature headers written as a list of key/value pairs: Stripe's `t=…,v1=…,v1=…`, Paddle's `ts=…;h1=…`.
 * Separators are configurable; whitespace around keys and values is tolerated (as `trim()` removes it).
 */
export interface KeyValueListFormat {
	/** Between pairs: "," for Stripe, ";" for Paddle. */
	pairSeparator: string;
	/** Between a key and its value: "=" almost everywhere. */
	keyValueSeparator: string;
}

/**
 * Calls `visit(key, valueStart, valueEnd)` for each pair of `text` in order, scanning in place (no split: header
 * parsing is most of a small delivery's overhead); the value's bounds exclude surrounding whitespace, so a value can
 * be decoded where it is. Items without the key/value separator are skipped. Returns false, having stopped, when
 * there are more than `maxItems` items or `visit` returns false.
 */
export function scanKeyValueList(
	text: string,
	format: Readonly<KeyValueListFormat>,
	maxItems: number,
	visit: (key: string, valueStart: number, valueEnd: number) => boolean,
): boolean {
	const { pairSeparator, keyValueSeparator } = format;
	if (pairSeparator === '' || keyValueSeparator === '') return false;
	let items = 0;
	for (let start = 0; start <= text.length; ) {
		if (++items > maxItems) return false;
		let end = text.indexOf(pairSeparator, start);
		if (end < 0) end = text.length;
		const separator = text.indexOf(keyValueSeparator, start);
		if (separator >= 0 && separator < end) {
			// Bounds without surrounding whitespace, found in place (no tuples, no slices but the key's).
			let keyStart = start;
			let keyEnd = separator;
			while (keyStart < keyEnd && isLatin1Whitespace(text.charCodeAt(keyStart))) keyStart++;
			while (keyEnd > keyStart && isLatin1Whitespace(text.charCodeAt(keyEnd - 1))) keyEnd--;
			let valueStart = separator + keyValueSeparator.length;
			let valueEnd = end;
			while (valueStart < valueEnd && isLatin1Whitespace(text.charCodeAt(valueStart))) valueStart++;
			while (valueEnd > valueStart && isLatin1Whitespace(text.charCodeAt(valueEnd - 1))) valueEnd--;
			if (!visit(text.slice(keyStart, keyEnd), valueStart, valueEnd)) return false;
		}
		start = end + pairSeparator.length;
	}
	return true;
}
