'use strict';

/** globalSetup hands the registry and the tarballs to the test files through this variable. */
const INSTALL_STATE_VARIABLE = 'N8N_E2E_INSTALL_STATE';

function installState() {
	const text = process.env[INSTALL_STATE_VARIABLE];
	if (!text) throw new Error(`${INSTALL_STATE_VARIABLE} is not set: run the suite with npm run test:e2e:install`);
	return JSON.parse(text);
}

module.exports = { INSTALL_STATE_VARIABLE, installState };
