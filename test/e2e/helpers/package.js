'use strict';

const path = require('node:path');

const { REPO_ROOT, PACKAGE_NAME } = require('../../../scripts/lib');

/** The package's own signing helpers, from the build the tests run against (one implementation per scheme). */
function signing() {
	return require(path.join(REPO_ROOT, 'dist', 'index.js'));
}

const TRIGGER_TYPE = `${PACKAGE_NAME}.secureWebhookTrigger`;
const ROUTER_TYPE = `${PACKAGE_NAME}.aiRouter`;
const SENDER_TYPE = `${PACKAGE_NAME}.signedWebhook`;
const CREDENTIAL_TYPE = 'webhookSigningApi';

/**
 * The name of the trigger's options collection, read from the built node description, so the workflows
 * built here use the same parameter layout the editor would save.
 */
function triggerOptionsCollection() {
	const { SecureWebhookTrigger } = require(path.join(REPO_ROOT, 'dist', 'nodes', 'SecureWebhookTrigger', 'SecureWebhookTrigger.node.js'));
	const collection = new SecureWebhookTrigger().description.properties.find((property) => property.type === 'collection');
	return collection ? collection.name : 'options';
}

module.exports = { signing, TRIGGER_TYPE, ROUTER_TYPE, SENDER_TYPE, CREDENTIAL_TYPE, triggerOptionsCollection };
