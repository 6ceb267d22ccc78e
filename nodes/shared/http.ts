/** Request headers as Node's IncomingMessage gives them: lower-case names, repeated headers as arrays. */
export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of a header, or undefined. Names are matched case-insensitively. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (Array.isArray(value)) return value[0];
	return value;
}

/** Every value of a header (repeated headers, or a comma-free single value), in arrival order. */
export function headerValues(headers: HeaderMap, name: string): string[] {
	const value = headers[name.toLowerCase()];
	if (value === undefined) return [];
	return Array.isArray(value) ? value : [value];
}
