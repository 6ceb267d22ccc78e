'use strict';

/**
 * End-to-end files that start n8n processes of their own (metrics with N8N_METRICS, a SIGKILLed sender). They run as
 * the `e2e-isolated` suite, one at a time and after the shared-n8n suite: next to it they took the CPU that the shared
 * n8n and the editor test in Chromium need (on 2 cores the editor's sign-in page timed out).
 */
module.exports = ['metrics.e2e.test.js', 'signedWebhookKill.e2e.test.js', 'keyFetch.e2e.test.js'];
