'use strict';

const os = require('node:os');
const path = require('node:path');

/** The repository this launcher belongs to (scripts/lib → repo root). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where install-n8n.sh keeps n8n and Node.js 24: outside the clone, shared by every checkout. */
const CACHE_DIR = process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-ai-webhooks');

/** Ignored by git: the persistent user folder of `npm start`. */
const LOCAL_USER_FOLDER = path.join(REPO_ROOT, '.n8n-local');

/** Ignored by git: throw-away user folders of test and benchmark runs. */
const SCRATCH_DIR = path.join(REPO_ROOT, '.e2e');

const PACKAGE_JSON = require(path.join(REPO_ROOT, 'package.json'));

module.exports = { REPO_ROOT, CACHE_DIR, LOCAL_USER_FOLDER, SCRATCH_DIR, PACKAGE_NAME: PACKAGE_JSON.name, PACKAGE_JSON };
