'use strict';

const { randomBytes } = require('node:crypto');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../freePort');
const { run } = require('../run');
const { sleep } = require('../poll');
const { asUser, findPostgresBinDir, unprivilegedUser } = require('./systemBinaries');

const log = (message) => process.stderr.write(`[queue] ${message}\n`);

/**
 * Server settings for a throw-away cluster: loopback TCP only, unix socket in the cluster's own folder
 * (never /var/run/postgresql), and no fsync because nothing here has to survive a power cut.
 */
function serverOptions({ port, socketDir }) {
	return [
		`-p ${port}`,
		`-k '${socketDir}'`,
		"-c listen_addresses='127.0.0.1'",
		'-c fsync=off',
		'-c synchronous_commit=off',
		'-c full_page_writes=off',
		'-c max_connections=100',
	].join(' ');
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or undefined when it is gone. */
function processGroupOf(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may contain spaces.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return Number(fields[2]);
	} catch {
		return undefined;
	}
}

/**
 * Kills the postmaster if this process dies without stopping it (the launcher's own watchdog, which
 * signals a whole process group: pg_ctl starts the postmaster in a session of its own, so its pid is
 * its process group).
 */
function guardPostmaster(pid) {
	if (processGroupOf(pid) !== pid) return undefined;
	const watchdog = spawn(process.execPath, [path.join(__dirname, '..', 'watchdog.js'), String(pid), '10000'], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
	});
	watchdog.unref();
	watchdog.stdin.on('error', () => {});
	if (typeof watchdog.stdin.unref === 'function') watchdog.stdin.unref();
	return watchdog;
}

/**
 * A private PostgreSQL cluster: `initdb` into a fresh folder (a temporary one unless `baseDir` is
 * given), started with `pg_ctl` on a free 127.0.0.1 port with its unix socket in that folder, and one
 * database with a password-protected owner. As root, everything runs as the `postgres` system user,
 * which owns the folder. Returns a handle; `stop()` shuts the server down and removes the folder
 * (unless `keep`).
 */
async function startPostgresCluster({ baseDir, port, database = 'n8n', user = 'n8n', keep = false } = {}) {
	const binDir = findPostgresBinDir();
	const runAs = unprivilegedUser();
	const root = baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	fs.mkdirSync(root, { recursive: true, mode: 0o700 });
	if (runAs) fs.chownSync(root, runAs.uid, runAs.gid);
	fs.chmodSync(root, 0o700);

	const dataDir = path.join(root, 'data');
	const logFile = path.join(root, 'postgres.log');
	const password = randomBytes(18).toString('base64url');
	const listenPort = port ?? (await freePort());
	const bin = (name) => path.join(binDir, name);
	const runPg = (name, args, label) => {
		const [command, finalArgs] = asUser(runAs, bin(name), args);
		return run(command, finalArgs, { cwd: root, label: label ?? `${name} ${args.join(' ')}` });
	};

	const started = Date.now();
	const passwordFile = path.join(root, 'initdb-password');
	fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
	if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
	try {
		await runPg(
			'initdb',
			['-D', dataDir, '-U', user, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'],
			'initdb',
		);
	} finally {
		fs.rmSync(passwordFile, { force: true });
	}

	await runPg('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions({ port: listenPort, socketDir: root }), 'start'], 'pg_ctl start');
	const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
	const watchdog = guardPostmaster(pid);

	let stopping;
	const handle = {
		host: '127.0.0.1',
		port: listenPort,
		database,
		user,
		password,
		socketDir: root,
		dataDir,
		logFile,
		pid,
		binDir,
		/** n8n's database variables for this cluster. */
		n8nEnv: () => ({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(listenPort),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		}),
		/** Runs SQL through psql over the unix socket; returns the unaligned, tuples-only output. */
		query: async (sql) => {
			const { stdout } = await runPg('psql', ['-h', root, '-p', String(listenPort), '-U', user, '-d', database, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], 'psql');
			return stdout.trim();
		},
		readLog: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
		/** Fast shutdown (open sessions are ended); the folder is removed unless `keep` or `keepFiles`. */
		stop: ({ keepFiles = false } = {}) => {
			stopping = stopping ?? stopCluster(keep || keepFiles);
			return stopping;
		},
	};

	async function stopCluster(keepFolder) {
		try {
			await runPg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], 'pg_ctl stop');
		} catch (error) {
			log(`pg_ctl stop failed, killing the postmaster: ${error.message.split('\n')[0]}`);
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
			await sleep(200);
		}
		if (watchdog) watchdog.kill('SIGKILL');
		if (!keepFolder) fs.rmSync(root, { recursive: true, force: true });
	}

	try {
		await runPg('createdb', ['-h', root, '-p', String(listenPort), '-U', user, database], 'createdb');
	} catch (error) {
		await handle.stop();
		throw error;
	}
	log(`PostgreSQL ${path.basename(path.dirname(binDir))} on 127.0.0.1:${listenPort} (cluster ${root}) ready in ${Date.now() - started} ms`);
	return handle;
}

module.exports = { startPostgresCluster };
