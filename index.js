// Signing and verification helpers for tests, docs and senders: one implementation per scheme,
// the same one the Secure Webhook Trigger and the Signed Webhook node use.
module.exports = require('./dist/index.js');
