import { BoundedLabelValues, MAX_LABEL_LENGTH, OTHER } from './boundedLabel';
import { registeredMetric } from './metricRegistry';
import type { Counter, Histogram, Labels, MetricsSettings, PromClient } from './n8nRuntime';

export type TriggerOutcome = 'accepted' | 'ignored' | 'duplicate' | 'handshake' | 'rejected';

/** What the trigger answered, as its webhook() knows it (a RequestOutcome, or a DirectResponse built on an error). */
export interface ObservedResponse {
	status: number;
	body: unknown;
	rejection?: string;
}
export type ObservedTriggerResult =
	| { kind: 'accept' }
	| { kind: 'respond'; response: ObservedResponse; state?: { failure?: { result: { reason?: string } } } }
	| ObservedResponse;

/**
 * Rejection reasons as counted. The trigger's codes (responses.ts), except that the one public 401 is split by the
 * verifier's own reason, which the client never sees. A fixed set: an unknown code is counted as "other".
 */
const REJECTION_REASONS: Readonly<Record<string, string>> = {
	rate_limited: 'rate_limited',
	method_not_allowed: 'method_not_allowed',
	ip_not_allowed: 'ip_not_allowed',
	payload_too_large: 'payload_too_large',
	unsupported_content_type: 'unsupported_content_type',
	invalid_json: 'invalid_json',
	unreadable_body: 'unreadable_body',
	schema_mismatch: 'schema_invalid',
	invalid_verify_token: 'invalid_verify_token',
	event_in_progress: 'event_in_progress',
	store_unavailable: 'store_unavailable',
	key_unavailable: 'key_unavailable',
	confirmation_failed: 'confirmation_failed',
	internal_error: 'internal_error',
};
const SIGNATURE_FAILURES: Readonly<Record<string, string>> = {
	missing_signature: 'missing_signature',
	malformed_signature: 'malformed_signature',
	invalid_signature: 'invalid_signature',
	timestamp_out_of_tolerance: 'timestamp_out_of_tolerance',
	missing_key: 'unknown_key',
};

export const TRIGGER_REJECTION_REASONS: readonly string[] = [
	...new Set([...Object.values(REJECTION_REASONS), ...Object.values(SIGNATURE_FAILURES), OTHER]),
];

/** The outcome and, for a rejection, the reason; "" for every other outcome. */
export function classifyTriggerResult(result: ObservedTriggerResult): { outcome: TriggerOutcome; reason: string } {
	if ('kind' in result && result.kind === 'accept') return { outcome: 'accepted', reason: '' };
	const response = 'kind' in result ? result.response : result;
	if (response.rejection !== undefined) {
		if (response.rejection === 'invalid_signature') {
			const failure = 'kind' in result ? result.state?.failure?.result.reason : undefined;
			return { outcome: 'rejected', reason: (failure && SIGNATURE_FAILURES[failure]) || 'invalid_signature' };
		}
		return { outcome: 'rejected', reason: REJECTION_REASONS[response.rejection] ?? OTHER };
	}
	// The two 200 answers requestChecks.ts gives without starting an execution; any other one is a handshake.
	const status = (response.body as { status?: unknown } | null | undefined)?.status;
	if (status === 'ignored') return { outcome: 'ignored', reason: '' };
	if (status === 'duplicate') return { outcome: 'duplicate', reason: '' };
	return { outcome: 'handshake', reason: '' };
}

/** The trigger's own work per request: a credential read, a Redis round trip, a schema check. */
export const TRIGGER_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Distinct (workflow, node) pairs labelled as they are; later ones are counted as node_name/workflow_id "other". */
export const TRIGGER_IDENTITY_LIMIT = 100;

export interface TriggerIdentity {
	provider: string;
	nodeName: string;
	workflowId: string;
}

export class TriggerMetrics {
	readonly requestsName: string;
	readonly durationName: string;
	private readonly requests: Counter;
	private readonly duration: Histogram;
	private readonly identities = new BoundedLabelValues(TRIGGER_IDENTITY_LIMIT, Infinity);
	/** Provider ids come from the catalogue; the bound only guards against a value that did not. */
	private readonly providers = new BoundedLabelValues(TRIGGER_IDENTITY_LIMIT);

	constructor(
		client: PromClient,
		private readonly settings: MetricsSettings,
	) {
		const identityLabels = settings.includeWorkflowIdLabel ? ['provider', 'node_name', 'workflow_id'] : ['provider', 'node_name'];
		this.requestsName = `${settings.prefix}secure_webhook_trigger_requests_total`;
		this.durationName = `${settings.prefix}secure_webhook_trigger_duration_seconds`;
		this.requests = registeredMetric(client, 'Counter', {
			name: this.requestsName,
			help: 'Requests answered by Secure Webhook Trigger nodes (production URLs), by outcome and, for rejections, reason.',
			labelNames: ['outcome', 'reason', ...identityLabels],
		});
		this.duration = registeredMetric(client, 'Histogram', {
			name: this.durationName,
			help: "Secure Webhook Trigger's own time per request (checks, verification, stores), in seconds, by outcome.",
			labelNames: ['outcome', 'provider'],
			buckets: TRIGGER_DURATION_BUCKETS,
		});
	}

	observe(identity: TriggerIdentity, result: ObservedTriggerResult, seconds: number): void {
		const { outcome, reason } = classifyTriggerResult(result);
		const provider = this.providers.value(identity.provider);
		const labels: Labels = { outcome, reason, provider, ...this.identityLabels(identity) };
		this.requests.inc(labels);
		this.duration.observe({ outcome, provider }, seconds);
	}

	private identityLabels({ nodeName, workflowId }: TriggerIdentity): Labels {
		const node = nodeName.slice(0, MAX_LABEL_LENGTH);
		const workflow = workflowId.slice(0, MAX_LABEL_LENGTH);
		const key = this.settings.includeWorkflowIdLabel ? `${workflow}\u0000${node}` : node;
		const admitted = this.identities.value(key) !== OTHER;
		if (!this.settings.includeWorkflowIdLabel) return { node_name: admitted ? node : OTHER };
		return admitted ? { node_name: node, workflow_id: workflow } : { node_name: OTHER, workflow_id: OTHER };
	}
}
