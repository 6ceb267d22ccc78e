import * as promClient from 'prom-client';

import { useMetricsForTests } from '../../../../nodes/shared/metrics';
import { registeredMetric } from '../../../../nodes/shared/metrics/metricRegistry';
import { BoundedLabelValues, MAX_LABEL_LENGTH, OTHER } from '../../../../nodes/shared/metrics/boundedLabel';
import { SenderMetrics } from '../../../../nodes/shared/metrics/senderMetrics';
import { TriggerMetrics } from '../../../../nodes/shared/metrics/triggerMetrics';
import { isolatedPromClient, metricValue } from './promRegistry';

const ON = { enabled: true, prefix: 'n8n_', includeWorkflowIdLabel: false };

describe('registeredMetric', () => {
	afterAll(() => useMetricsForTests(undefined));

	it('registers a metric once per process: a second load of the package counts on the same one', async () => {
		const { client, registry } = isolatedPromClient();
		const first = new TriggerMetrics(client, ON);
		first.observe({ provider: 'stripe', nodeName: 'A', workflowId: '1' }, { kind: 'accept' }, 0.001);
		// What n8n does when it loads the package again (a community package update): new module, same registry.
		const reloaded = new TriggerMetrics(client, ON);
		reloaded.observe({ provider: 'stripe', nodeName: 'A', workflowId: '1' }, { kind: 'accept' }, 0.001);
		expect(registry.getMetricsAsArray().map((metric) => metric.name).sort()).toEqual([
			'n8n_secure_webhook_trigger_duration_seconds',
			'n8n_secure_webhook_trigger_requests_total',
		]);
		expect(await metricValue(registry, 'n8n_secure_webhook_trigger_requests_total', { outcome: 'accepted' })).toBe(2);
		new SenderMetrics(client, ON);
		new SenderMetrics(client, ON);
		expect(registry.getMetricsAsArray()).toHaveLength(7);
	});

	it('replaces a metric of the same name with other labels or of another kind (left by another version)', async () => {
		const { client, registry } = isolatedPromClient();
		new promClient.Counter({ name: 'n8n_secure_webhook_trigger_requests_total', help: 'old', labelNames: ['outcome'], registers: [registry] });
		new promClient.Gauge({ name: 'n8n_secure_webhook_trigger_duration_seconds', help: 'old', registers: [registry] });
		const metrics = new TriggerMetrics(client, ON);
		metrics.observe({ provider: 'github', nodeName: 'B', workflowId: '2' }, { kind: 'accept' }, 0.002);
		expect(await metricValue(registry, 'n8n_secure_webhook_trigger_requests_total', { provider: 'github' })).toBe(1);
		expect(registry.getSingleMetric('n8n_secure_webhook_trigger_duration_seconds')).toBeInstanceOf(promClient.Histogram);
	});

	it('re-uses a metric whose labels are the same in another order', () => {
		const { client, registry } = isolatedPromClient();
		const existing = new promClient.Counter({ name: 'x_total', help: 'h', labelNames: ['b', 'a'], registers: [registry] });
		expect(registeredMetric(client, 'Counter', { name: 'x_total', help: 'h', labelNames: ['a', 'b'] })).toBe(existing);
	});
});

describe('BoundedLabelValues', () => {
	it('keeps the first values, folds later ones into "other", and cuts long values', () => {
		const hosts = new BoundedLabelValues(2);
		expect(hosts.value('a.example')).toBe('a.example');
		expect(hosts.value('b.example')).toBe('b.example');
		expect(hosts.value('c.example')).toBe(OTHER);
		expect(hosts.value('a.example')).toBe('a.example');
		expect(hosts.size).toBe(2);
		expect(new BoundedLabelValues(5).value('x'.repeat(500))).toHaveLength(MAX_LABEL_LENGTH);
	});
});
