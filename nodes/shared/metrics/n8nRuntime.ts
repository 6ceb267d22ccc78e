import { createRequire } from 'node:module';

/** Label values by label name. */
export type Labels = Record<string, string>;

/** The parts of prom-client this package uses. It is n8n's copy: the package does not depend on prom-client. */
export interface Counter {
	inc(labels: Labels, value?: number): void;
}
export interface Gauge {
	inc(labels: Labels, value?: number): void;
	dec(labels: Labels, value?: number): void;
}
export interface Histogram {
	observe(labels: Labels, value: number): void;
}
export interface MetricConfiguration {
	name: string;
	help: string;
	labelNames: readonly string[];
	buckets?: readonly number[];
	registers: readonly Registry[];
}
export interface Registry {
	getSingleMetric(name: string): unknown;
	removeSingleMetric(name: string): void;
}
export interface PromClient {
	register: Registry;
	Counter: new (configuration: MetricConfiguration) => Counter;
	Gauge: new (configuration: MetricConfiguration) => Gauge;
	Histogram: new (configuration: MetricConfiguration) => Histogram;
}

/** n8n's own metrics settings (`N8N_METRICS`, `N8N_METRICS_PREFIX`, `N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL`). */
export interface MetricsSettings {
	enabled: boolean;
	prefix: string;
	includeWorkflowIdLabel: boolean;
}

export const DEFAULT_PREFIX = 'n8n_';

/**
 * `require` as n8n's own code does it, then as this package's. n8n serves prom-client's global registry on
 * /metrics; only the prom-client n8n itself loaded has that registry. Resolving from n8n's entry point (bin/n8n)
 * finds n8n's copy even when another community package installed a prom-client of its own next to this one,
 * which a plain `require` (n8n puts its node_modules on NODE_PATH, after the package's own folders) would find first.
 */
function n8nRequires(): NodeRequire[] {
	const requires: NodeRequire[] = [];
	const entry = require.main?.filename;
	if (entry) requires.push(createRequire(entry));
	requires.push(require);
	return requires;
}

function loadFromN8n<T>(moduleId: string): T | undefined {
	for (const load of n8nRequires()) {
		try {
			return load(moduleId) as T;
		} catch {
			// Not resolvable from there: try the next place.
		}
	}
	return undefined;
}

export function loadN8nPromClient(): PromClient | undefined {
	const client = loadFromN8n<PromClient & { default?: PromClient }>('prom-client');
	const candidate = client?.Counter ? client : client?.default;
	return candidate && typeof candidate.Counter === 'function' && candidate.register ? candidate : undefined;
}

/** n8n's Boolean environment parsing (@n8n/config): "true" or "1", any case. */
const isTrue = (value: string | undefined) => value !== undefined && ['true', '1'].includes(value.trim().toLowerCase());

export function settingsFromEnvironment(environment: NodeJS.ProcessEnv): MetricsSettings {
	return {
		enabled: isTrue(environment.N8N_METRICS),
		prefix: environment.N8N_METRICS_PREFIX ?? DEFAULT_PREFIX,
		includeWorkflowIdLabel: isTrue(environment.N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL),
	};
}

interface N8nMetricsConfig {
	enable?: unknown;
	prefix?: unknown;
	includeWorkflowIdLabel?: unknown;
}

/**
 * The settings n8n itself runs with: its GlobalConfig from its dependency-injection container (which also
 * honours `*_FILE` variables and config files), or the environment variables when that cannot be reached.
 */
export function n8nMetricsSettings(): MetricsSettings {
	try {
		const di = loadFromN8n<{ Container: { get(type: unknown): unknown } }>('@n8n/di');
		const config = loadFromN8n<{ GlobalConfig: unknown }>('@n8n/config');
		if (di && config) {
			const global = di.Container.get(config.GlobalConfig) as { endpoints?: { metrics?: N8nMetricsConfig } };
			const metrics = global.endpoints?.metrics;
			if (metrics && typeof metrics.enable === 'boolean') {
				return {
					enabled: metrics.enable,
					prefix: typeof metrics.prefix === 'string' ? metrics.prefix : DEFAULT_PREFIX,
					includeWorkflowIdLabel: metrics.includeWorkflowIdLabel === true,
				};
			}
		}
	} catch {
		// Not inside n8n, or an n8n without these modules: its environment variables say the same.
	}
	return settingsFromEnvironment(process.env);
}
