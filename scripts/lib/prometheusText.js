'use strict';

/**
 * Prometheus text exposition format (what n8n's /metrics serves) as samples: `{ name, labels, value }`.
 * Comments and blank lines are skipped; label values are unescaped (\\, \", \n).
 */
function parsePrometheusText(text) {
	const samples = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
		if (!match) continue;
		samples.push({ name: match[1], labels: parseLabels(match[3] ?? ''), value: Number(match[4]) });
	}
	return samples;
}

function parseLabels(text) {
	const labels = {};
	const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
	for (const [, name, raw] of text.matchAll(pattern)) {
		labels[name] = raw.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
	}
	return labels;
}

/** The sum of the samples named `name` whose labels include `labels` (a label given as '' must be absent or empty). */
function sampleSum(samples, name, labels = {}) {
	return samples
		.filter((sample) => sample.name === name)
		.filter((sample) => Object.entries(labels).every(([key, value]) => (sample.labels[key] ?? '') === value))
		.reduce((sum, sample) => sum + sample.value, 0);
}

/** GET `<baseUrl>/metrics` and parse it. */
async function scrapeMetrics(baseUrl) {
	const response = await fetch(`${baseUrl.replace(/\/$/, '')}/metrics`, { signal: AbortSignal.timeout(10000) });
	if (!response.ok) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
	return parsePrometheusText(await response.text());
}

module.exports = { parsePrometheusText, sampleSum, scrapeMetrics };
