import * as n8nWorkflow from 'n8n-workflow';
import type { IDataObject, IWebhookDescription } from 'n8n-workflow';

/**
 * A webhook-description field derived from the node's parameters: the expression template the editor
 * evaluates, and the same logic as a plain function. n8n ≥ 2.40 resolves such fields natively when the
 * parameters hold no expressions, sparing every request an expression-engine round trip.
 */
interface DescriptionField {
	template: string;
	resolve: (parameters: IDataObject) => unknown;
}

export function parameterField(path: string[], fallback?: string | number): DescriptionField {
	const accessor = path.map((segment) => `["${segment}"]`).join('');
	const tail = fallback === undefined ? '' : ` || ${JSON.stringify(fallback)}`;
	return {
		template: `={{$parameter${accessor}${tail}}}`,
		resolve: (parameters) => {
			let current: unknown = parameters;
			for (const key of path) {
				if (current === null || current === undefined) return fallback;
				current = (current as IDataObject)[key];
			}
			if (fallback !== undefined && !current) return fallback;
			return current;
		},
	};
}

/** `fn` must be self-contained: its source text becomes the editor's expression. */
export function computedField(fn: (parameters: IDataObject) => unknown): DescriptionField {
	return { template: `={{(${String(fn)})($parameter)}}`, resolve: fn };
}

/**
 * Whether the editor hides the GET URL: shown only where a GET handshake exists (Meta's subscription check and the
 * catalogue's other GET handshakes, a Custom entry's GET query handshake, the `meta` scheme of typeVersion 1 and 2).
 * The lists are inlined into the template, which cannot see module constants.
 */
export function getUrlHiddenField(getProviders: readonly string[], customProviders: readonly string[]): DescriptionField {
	const resolve = (parameters: IDataObject): boolean =>
		!(
			getProviders.includes(parameters.provider as string) ||
			parameters.scheme === 'meta' ||
			(parameters.customHandshake === 'getQuery' && customProviders.includes(parameters.provider as string))
		);
	const template =
		`={{!(${JSON.stringify(getProviders)}.includes($parameter["provider"]) || $parameter["scheme"] === "meta" || ` +
		`($parameter["customHandshake"] === "getQuery" && ${JSON.stringify(customProviders)}.includes($parameter["provider"])))}}`;
	return { template, resolve };
}

type WebhookFields = Omit<IWebhookDescription, 'name' | 'httpMethod' | 'path'>;

export function webhookFields(fields: Record<string, DescriptionField>): WebhookFields & {
	httpMethod: string;
	path: string;
} {
	const native = (n8nWorkflow as Partial<typeof n8nWorkflow>).webhookDescriptionFields;
	if (typeof native === 'function') {
		return native(fields as unknown as Parameters<typeof native>[0]) as unknown as WebhookFields & { httpMethod: string; path: string };
	}
	// n8n 1.x: templates only, evaluated by the expression engine.
	const templates: Record<string, string> = {};
	for (const [name, field] of Object.entries(fields)) templates[name] = field.template;
	return templates as unknown as WebhookFields & { httpMethod: string; path: string };
}
