'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * Debian's `postgresql` package keeps its programs in /usr/lib/postgresql/<major>/bin (not on PATH);
 * the newest installed major wins. POSTGRES_BIN_DIR overrides the search.
 */
function findPostgresBinDir() {
	const candidates = [];
	if (process.env.POSTGRES_BIN_DIR) candidates.push(process.env.POSTGRES_BIN_DIR);
	const root = '/usr/lib/postgresql';
	if (fs.existsSync(root)) {
		const majors = fs
			.readdirSync(root)
			.filter((name) => /^\d+$/.test(name))
			.sort((a, b) => Number(b) - Number(a));
		candidates.push(...majors.map((major) => path.join(root, major, 'bin')));
	}
	const found = candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((name) => fs.existsSync(path.join(dir, name))));
	if (!found) {
		throw new Error('PostgreSQL is not installed: no initdb/pg_ctl under /usr/lib/postgresql/*/bin. Install it with: apt-get install -y postgresql');
	}
	return found;
}

/** `redis-server` from Debian's package (/usr/bin), or REDIS_SERVER_BIN. */
function findRedisServer() {
	const candidates = [process.env.REDIS_SERVER_BIN, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].filter(Boolean);
	const found = candidates.find((file) => fs.existsSync(file));
	if (!found) throw new Error('redis-server is not installed. Install it with: apt-get install -y redis-server');
	return found;
}

/**
 * initdb and postgres refuse to run as root. As root we run them as the `postgres` system user that
 * Debian's package creates (runuser, else setpriv); as anyone else, directly.
 */
function unprivilegedUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	const passwd = fs.readFileSync('/etc/passwd', 'utf8');
	const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
	if (!line) throw new Error('Running as root, but there is no postgres system user to run PostgreSQL as (apt-get install -y postgresql creates it)');
	const [, , uid, gid] = line.split(':');
	return { name: 'postgres', uid: Number(uid), gid: Number(gid) };
}

/** `[command, args]` that runs `command args` as `user` (or unchanged when `user` is undefined). */
function asUser(user, command, args) {
	if (!user) return [command, args];
	if (fs.existsSync('/usr/sbin/runuser') || fs.existsSync('/sbin/runuser')) {
		return ['runuser', ['-u', user.name, '--', command, ...args]];
	}
	return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', command, ...args]];
}

module.exports = { findPostgresBinDir, findRedisServer, unprivilegedUser, asUser };
