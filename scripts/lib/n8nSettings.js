'use strict';

/**
 * The n8n settings this package recommends, and why (measured with `npm run bench:n8n`; docs/n8n-settings.md).
 * n8n 2.x's default expression engine (`vm`) takes a fresh V8 isolate before every webhook request whose start node
 * is not n8n's own Webhook node (live-webhooks.js, webhookPhaseNeedsIsolate), so every request to a community
 * trigger, a rejected one too, costs an isolate. Lazy acquisition takes one only when an expression needs it.
 */
const RECOMMENDED_N8N_ENV = Object.freeze({ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' });

const RECOMMENDED_N8N_ENV_REASON =
	'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true: without it n8n takes an expression isolate for every request to a ' +
	'community trigger before the node runs, so rejecting an unsigned request costs as much as starting a workflow ' +
	'(docs/n8n-settings.md).';

module.exports = { RECOMMENDED_N8N_ENV, RECOMMENDED_N8N_ENV_REASON };
