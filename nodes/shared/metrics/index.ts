import { performance } from 'node:perf_hooks';

import { loadN8nPromClient, n8nMetricsSettings, type MetricsSettings, type PromClient } from './n8nRuntime';
import { SenderMetrics, type ObservedAttempt, type ObservedDelivery } from './senderMetrics';
import { TriggerMetrics, type ObservedTriggerResult } from './triggerMetrics';

/**
 * The package's Prometheus metrics, on n8n's own /metrics. Present only when n8n runs with N8N_METRICS=true and
 * its prom-client can be loaded; otherwise every hook below is a no-op after one cached check. No metric
 * operation may fail a request or a delivery: errors are swallowed.
 */
export interface PackageMetrics {
	trigger: TriggerMetrics;
	sender: SenderMetrics;
}

let current: { metrics: PackageMetrics | undefined } | undefined;

function createMetrics(client: PromClient | undefined, settings: MetricsSettings): PackageMetrics | undefined {
	if (!settings.enabled || !client) return undefined;
	try {
		return { trigger: new TriggerMetrics(client, settings), sender: new SenderMetrics(client, settings) };
	} catch {
		return undefined;
	}
}

/** Decided once per process (per load of the package), on first use: n8n's configuration is complete by then. */
export function packageMetrics(): PackageMetrics | undefined {
	current ??= { metrics: metricsAsN8nRuns() };
	return current.metrics;
}

function metricsAsN8nRuns(): PackageMetrics | undefined {
	try {
		const settings = n8nMetricsSettings();
		// Off: prom-client is not even loaded.
		return settings.enabled ? createMetrics(loadN8nPromClient(), settings) : undefined;
	} catch {
		return undefined;
	}
}

/** Tests: metrics on the given prom-client (its register) with these settings, or undefined to decide again as n8n would. */
export function useMetricsForTests(client: PromClient | undefined, settings?: MetricsSettings): PackageMetrics | undefined {
	current = settings ? { metrics: createMetrics(client, settings) } : undefined;
	return current?.metrics;
}

function safely(action: () => void): void {
	try {
		action();
	} catch {
		// Metrics never fail a request.
	}
}

/** The parts of a webhook context (IWebhookFunctions) the trigger's metrics read. */
export interface TriggerContext {
	getNode(): { name: string };
	getWorkflow(): { id?: string };
	getMode(): string;
}

export interface TriggerRequestMetrics {
	/** Called once per request with what the trigger answered; `config` is undefined when it could not be built. */
	observe(config: { provider: { id: string } } | undefined, result: ObservedTriggerResult): void;
}

const NOT_OBSERVED: TriggerRequestMetrics = { observe: () => undefined };

/**
 * Starts timing one request to a Secure Webhook Trigger. Production URLs only: requests to a test URL
 * ("Listen for test event") are someone trying things out in the editor, not traffic.
 */
export function triggerRequestMetrics(context: TriggerContext): TriggerRequestMetrics {
	const metrics = packageMetrics();
	if (!metrics) return NOT_OBSERVED;
	const startedMs = performance.now();
	let mode: string;
	try {
		mode = context.getMode();
	} catch {
		return NOT_OBSERVED;
	}
	if (mode === 'manual') return NOT_OBSERVED;
	return {
		observe: (config, result) =>
			safely(() =>
				metrics.trigger.observe(
					{ provider: config?.provider.id ?? 'unknown', nodeName: context.getNode().name, workflowId: context.getWorkflow().id ?? 'unsaved' },
					result,
					(performance.now() - startedMs) / 1000,
				),
			),
	};
}

type ObservableDeliver<D, P, Deps, R, Rest extends unknown[]> = (delivery: D, policy: P, dependencies: Deps, ...rest: Rest) => Promise<R>;

/**
 * `deliver` (nodes/SignedWebhook/deliver.ts) with its attempts and its final outcome counted, per destination host.
 * With metrics off it calls `deliver` as it is.
 */
export function observeDeliveries<
	D extends { url: URL },
	P,
	Deps extends { send: (request: never) => Promise<ObservedAttempt> },
	R extends ObservedDelivery,
	Rest extends unknown[],
>(deliver: ObservableDeliver<D, P, Deps, R, Rest>): ObservableDeliver<D, P, Deps, R, Rest> {
	return async (delivery, policy, dependencies, ...rest) => {
		const metrics = packageMetrics();
		if (!metrics) return await deliver(delivery, policy, dependencies, ...rest);
		let host: string;
		try {
			host = metrics.sender.host(delivery.url);
		} catch {
			return await deliver(delivery, policy, dependencies, ...rest);
		}
		const send = dependencies.send as (request: unknown) => Promise<ObservedAttempt>;
		const observedSend = async (request: unknown): Promise<ObservedAttempt> => {
			safely(() => metrics.sender.attemptStarted(host));
			let attempt: ObservedAttempt | undefined;
			try {
				attempt = await send(request);
				return attempt;
			} finally {
				safely(() => metrics.sender.attemptFinished(host, attempt));
			}
		};
		const result = await deliver(delivery, policy, { ...dependencies, send: observedSend as Deps['send'] }, ...rest);
		safely(() => metrics.sender.deliveryFinished(host, result));
		return result;
	};
}
