// RFC 9110 token characters, the only ones allowed in a media type's type and subtype.
const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);

/**
 * Parses the allowed media types: separated by commas or new lines, case-insensitive, parameters dropped
 * (`application/json; charset=utf-8` allows `application/json`). `*\/*` and `type/*` are wildcards.
 * Throws on an entry that is not `type/subtype`, naming it.
 */
export function parseAllowedContentTypes(text: string): string[] {
	const allowed: string[] = [];
	for (const rawEntry of text.split(/[,\r\n]/)) {
		const entry = rawEntry.trim();
		if (entry === '') continue;
		const mediaType = mediaTypeOf(entry);
		if (mediaType === undefined || (mediaType.startsWith('*/') && mediaType !== '*/*')) {
			throw new Error(
				`Invalid content type "${entry.slice(0, 80)}": expected a media type such as application/json, text/*, or */*`,
			);
		}
		if (!allowed.includes(mediaType)) allowed.push(mediaType);
	}
	return allowed;
}

/**
 * Whether a request's Content-Type header is allowed. Only the media type counts (parameters such as charset are
 * ignored). An empty allowed list accepts anything, and `*\/*` accepts anything including a missing header;
 * otherwise a missing or malformed header is refused.
 */
export function isContentTypeAllowed(header: string | undefined, allowed: readonly string[]): boolean {
	if (allowed.length === 0 || allowed.includes('*/*')) return true;
	if (header === undefined) return false;
	const mediaType = mediaTypeOf(header);
	if (mediaType === undefined) return false;
	const type = mediaType.slice(0, mediaType.indexOf('/'));
	for (const pattern of allowed) {
		if (pattern === mediaType) return true;
		if (pattern.endsWith('/*') && pattern.slice(0, -2) === type) return true;
	}
	return false;
}

function mediaTypeOf(value: string): string | undefined {
	const semicolon = value.indexOf(';');
	const mediaType = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
	return MEDIA_TYPE.test(mediaType) ? mediaType : undefined;
}
