'use strict';

// The launcher's public surface: plain CommonJS so scripts, jest and benchmarks use it without a build.
module.exports = {
	...require('./paths'),
	...require('./poll'),
	...require('./freePort'),
	...require('./run'),
	...require('./http'),
	...require('./processGroup'),
	...require('./install'),
	...require('./projectPackage'),
	...require('./n8nProcess'),
	...require('./restClient'),
	...require('./localN8n'),
	...require('./n8nSettings'),
	...require('./examples'),
	...require('./localRegistry'),
	...require('./egressRecorder'),
};
