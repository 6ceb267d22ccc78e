export type ParsedBody = { ok: true; value: unknown } | { ok: false };

const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0].trim().toLowerCase();

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/** Form fields as strings, repeated fields as arrays of strings, in a prototype-free object. */
export function parseForm(text: string): Record<string, string | string[]> {
	const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
	for (const [key, value] of new URLSearchParams(text)) {
		const existing = fields[key];
		if (existing === undefined) fields[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else fields[key] = [existing, value];
	}
	return { ...fields };
}

/** Parses a verified body by its content type. Only JSON can fail: other types fall back to text. */
export function parseBody(rawBody: Buffer, contentType: string | undefined): ParsedBody {
	const type = mediaType(contentType);
	if (rawBody.length === 0) return { ok: true, value: isJson(type) ? {} : '' };
	const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
	if (isJson(type)) {
		try {
			return { ok: true, value: JSON.parse(text) as unknown };
		} catch {
			return { ok: false };
		}
	}
	if (type === 'application/x-www-form-urlencoded') return { ok: true, value: parseForm(text) };
	return { ok: true, value: text };
}
