import { createRequire } from 'node:module';

import { loadN8nPromClient, n8nMetricsSettings, settingsFromEnvironment } from '../../../../nodes/shared/metrics/n8nRuntime';

describe("n8n's metrics settings", () => {
	it('reads N8N_METRICS, N8N_METRICS_PREFIX and N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL as n8n does ("true" or "1")', () => {
		expect(settingsFromEnvironment({})).toEqual({ enabled: false, prefix: 'n8n_', includeWorkflowIdLabel: false });
		expect(settingsFromEnvironment({ N8N_METRICS: 'true', N8N_METRICS_PREFIX: 'acme_', N8N_METRICS_INCLUDE_WORKFLOW_ID_LABEL: '1' })).toEqual({
			enabled: true,
			prefix: 'acme_',
			includeWorkflowIdLabel: true,
		});
		expect(settingsFromEnvironment({ N8N_METRICS: 'TRUE' }).enabled).toBe(true);
		expect(settingsFromEnvironment({ N8N_METRICS: 'yes' }).enabled).toBe(false);
		expect(settingsFromEnvironment({ N8N_METRICS: 'false' }).enabled).toBe(false);
	});

	it("reads n8n's own GlobalConfig (endpoints.metrics) from n8n's dependency-injection container", () => {
		const load = createRequire(__filename);
		const { Container } = load('@n8n/di') as { Container: { get(type: unknown): unknown } };
		const { GlobalConfig } = load('@n8n/config') as { GlobalConfig: unknown };
		const metrics = (Container.get(GlobalConfig) as { endpoints: { metrics: Record<string, unknown> } }).endpoints.metrics;
		const saved = { ...metrics };
		try {
			Object.assign(metrics, { enable: true, prefix: 'from_config_', includeWorkflowIdLabel: true });
			expect(n8nMetricsSettings()).toEqual({ enabled: true, prefix: 'from_config_', includeWorkflowIdLabel: true });
			Object.assign(metrics, { enable: false });
			expect(n8nMetricsSettings().enabled).toBe(false);
		} finally {
			Object.assign(metrics, saved);
		}
	});

	it('loads a prom-client with the classes and the global register the metrics need', () => {
		const client = loadN8nPromClient();
		expect(client).toBeDefined();
		expect(typeof client!.Counter).toBe('function');
		expect(typeof client!.register.getSingleMetric).toBe('function');
	});
});
