'use strict';

// Queue mode (Postgres + Redis + n8n main, webhook processes, workers, a proxy) on top of ../ (the
// single-instance launcher). Plain CommonJS, like the rest of scripts/lib.
module.exports = {
	...require('./systemBinaries'),
	...require('./postgresCluster'),
	...require('./redisServer'),
	...require('./roundRobinProxy'),
	...require('./proxyProcess'),
	...require('./queueExamples'),
	...require('./queueCluster'),
};
