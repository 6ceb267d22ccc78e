import * as promClient from 'prom-client';

import type { PromClient } from '../../../../nodes/shared/metrics/n8nRuntime';

/** prom-client with a registry of its own as its "global" one: what n8n's /metrics would show, per test. */
export function isolatedPromClient(): { client: PromClient; registry: promClient.Registry } {
	const registry = new promClient.Registry();
	return { client: { ...(promClient as unknown as PromClient), register: registry }, registry };
}

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

async function samples(registry: promClient.Registry, name: string): Promise<Sample[]> {
	const metric = registry.getSingleMetric(name);
	if (!metric) return [];
	return (await metric.get()).values as Sample[];
}

/** The sum of every sample of `name` (a histogram's `_count` / `_sum` / `_bucket` via `sampleName`) matching `labels`. */
export async function metricValue(
	registry: promClient.Registry,
	name: string,
	labels: Record<string, string> = {},
	sampleName = name,
): Promise<number> {
	return (await samples(registry, name))
		.filter((sample) => (sample.metricName ?? name) === sampleName)
		.filter((sample) => Object.entries(labels).every(([key, value]) => String(sample.labels[key]) === value))
		.reduce((sum, sample) => sum + sample.value, 0);
}

/** Label sets of a metric's samples (a histogram's `_count` samples: one per series of label values). */
export async function labelSets(registry: promClient.Registry, name: string, sampleName = name): Promise<Array<Record<string, string>>> {
	return (await samples(registry, name))
		.filter((sample) => (sample.metricName ?? name) === sampleName)
		.map((sample) => Object.fromEntries(Object.entries(sample.labels).map(([key, value]) => [key, String(value)])));
}

/** How many series the registry exposes: one per line of the text format that is not a comment. */
export async function seriesCount(registry: promClient.Registry): Promise<number> {
	const text = await registry.metrics();
	return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}
