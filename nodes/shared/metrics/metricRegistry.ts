import type { Counter, Gauge, Histogram, MetricConfiguration, PromClient } from './n8nRuntime';

export type MetricKind = 'Counter' | 'Gauge' | 'Histogram';
type MetricOfKind = { Counter: Counter; Gauge: Gauge; Histogram: Histogram };

export interface MetricDefinition {
	name: string;
	help: string;
	labelNames: readonly string[];
	buckets?: readonly number[];
}

const sameLabels = (a: readonly string[], b: readonly string[]) =>
	a.length === b.length && [...a].sort().every((name, index) => name === [...b].sort()[index]);

/**
 * The metric registered under `definition.name` in n8n's registry, created on first use. Registered once per
 * process: when n8n loads the package again (an update of the community package), the new module finds the
 * metric the previous one registered and keeps counting on it. A metric left by a version with other labels,
 * or of another kind, is replaced (its counts would not fit the new labels).
 */
export function registeredMetric<K extends MetricKind>(client: PromClient, kind: K, definition: MetricDefinition): MetricOfKind[K] {
	const MetricClass = client[kind] as unknown as new (configuration: MetricConfiguration) => MetricOfKind[K];
	const existing = client.register.getSingleMetric(definition.name) as { labelNames?: readonly string[] } | undefined;
	if (existing) {
		if (existing instanceof MetricClass && sameLabels(existing.labelNames ?? [], definition.labelNames)) {
			return existing as MetricOfKind[K];
		}
		client.register.removeSingleMetric(definition.name);
	}
	return new MetricClass({ ...definition, registers: [client.register] });
}
