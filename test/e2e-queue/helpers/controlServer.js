'use strict';

const { randomBytes } = require('node:crypto');
const http = require('node:http');

/**
 * Lets test files (jest workers) stop and start parts of the cluster that globalSetup owns: a webhook
 * process (SIGKILL and restart) and Redis. Loopback only, and every call needs the random token.
 */
function startControlServer(cluster) {
	const token = randomBytes(24).toString('hex');
	const actions = {
		'kill-webhook': async ({ index, signal = 'SIGKILL' }) => {
			await cluster.killWebhook(index, signal);
			return { name: cluster.webhooks[index].name };
		},
		'start-webhook': async ({ index }) => {
			const webhook = await cluster.startWebhook(index);
			return { name: webhook.name, pid: webhook.process.pid };
		},
		'stop-redis': async () => {
			await cluster.redis.stop();
			return { running: cluster.redis.isRunning() };
		},
		'start-redis': async () => {
			await cluster.redis.start();
			return { running: cluster.redis.isRunning() };
		},
		processes: async () => cluster.processes(),
	};

	const server = http.createServer((request, response) => {
		const reply = (status, body) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (request.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'unauthorized' });
		const action = actions[request.url.replace(/^\//, '')];
		if (request.method !== 'POST' || !action) return reply(404, { error: 'unknown action' });
		let text = '';
		request.on('data', (chunk) => (text += chunk));
		request.on('end', () => {
			Promise.resolve()
				.then(() => action(text ? JSON.parse(text) : {}))
				.then((result) => reply(200, result ?? {}))
				.catch((error) => reply(500, { error: error.message }));
		});
		return undefined;
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${server.address().port}`,
				token,
				close: () => new Promise((done) => server.close(() => done())),
			});
		});
	});
}

module.exports = { startControlServer };
