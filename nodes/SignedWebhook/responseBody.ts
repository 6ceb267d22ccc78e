/**
 * A response body for an output item: parsed when the receiver says it is JSON (and it parses, which a body cut
 * at the size cap usually does not), otherwise UTF-8 text. Empty bodies become ''.
 */
export function readableResponseBody(body: Buffer, contentType: string | undefined): unknown {
	const text = body.toString('utf8');
	if (text === '' || !isJsonContentType(contentType)) return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

function isJsonContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	const mediaType = contentType.split(';')[0].trim().toLowerCase();
	return mediaType === 'application/json' || mediaType.endsWith('+json');
}
