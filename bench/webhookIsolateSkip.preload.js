'use strict';

/**
 * Loaded into n8n with `--require` by bench:n8n's `vm-proposed` profile: n8n's own defaults (N8N_EXPRESSION_ENGINE=vm,
 * isolates taken eagerly) with the change to n8n that docs/n8n-settings.md proposes, so that its gain is measured
 * rather than guessed. n8n 2.41's LiveWebhooks.webhookPhaseNeedsIsolate skips the isolate only for its own Webhook
 * node; the proposal lets any node type whose description declares `webhookPhaseIsolateFree: true` (a flag that does
 * not exist yet, so this file treats the Secure Webhook Trigger as declaring it) follow the same rule: static
 * parameters and a natively resolvable webhook description. Nothing else in n8n is changed.
 */
const Module = require('node:module');

const OPTED_IN = new Set(['n8n-nodes-ai-webhooks.secureWebhookTrigger']);
const WEBHOOK_NODE_TYPE = 'n8n-nodes-base.webhook';

let workflowModule;
let patched = false;
const load = Module._load;

Module._load = function loadAndPatch(request, ...rest) {
	const exported = load.call(this, request, ...rest);
	if (request === 'n8n-workflow' && !workflowModule) workflowModule = exported;
	const liveWebhooks = exported && exported.LiveWebhooks;
	if (!patched && typeof liveWebhooks === 'function' && typeof liveWebhooks.prototype.webhookPhaseNeedsIsolate === 'function') {
		patched = true;
		liveWebhooks.prototype.webhookPhaseNeedsIsolate = function webhookPhaseNeedsIsolate(startNode) {
			if (!this.expressionEngineConfig.allowWebhookIsolateSkip) return true;
			if (startNode === null) return true;
			const description = this.nodeTypes.getByNameAndVersion(startNode.type, startNode.typeVersion)?.description;
			const isolateFree =
				startNode.type === WEBHOOK_NODE_TYPE ? startNode.typeVersion !== 1 : OPTED_IN.has(startNode.type) || description?.webhookPhaseIsolateFree === true;
			if (!isolateFree) return true;
			if (!workflowModule.nodeParametersAreStatic(startNode)) return true;
			const webhooks = description?.webhooks;
			if (!webhooks?.length) return true;
			return !webhooks.every(workflowModule.webhookDescriptionIsNativelyResolvable);
		};
		process.stderr.write('[bench] webhookPhaseNeedsIsolate replaced by the proposed rule (docs/n8n-settings.md)\n');
	}
	return exported;
};
