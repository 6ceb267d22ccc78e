import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface RedisServer {
	port: number;
	url: string;
	stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;

const requirements = require('../../scripts/lib/systemRequirements') as {
	requirementState(name: string): 'present' | 'left-out' | 'missing';
	missingReason(name: string): string;
	recordLeftOut(name: string, what: string): void;
	REQUIREMENTS: Record<string, { find(): string | undefined }>;
};
const { REPO_ROOT } = require('../../scripts/lib/paths') as { REPO_ROOT: string };

/**
 * Tests that need redis-server run whenever it is installed. When it is missing they still run, and fail with a
 * one-line reason, unless the developer asked for a partial run (TEST_ALLOW_MISSING=redis-server, never in CI):
 * then they are left out, and what was left out is recorded for the summary of `npm test`.
 */
const REDIS_LEFT_OUT = requirements.requirementState('redis-server') === 'left-out';

function currentTestFile(): string {
	const testPath = expect.getState().testPath;
	return testPath ? relative(REPO_ROOT, testPath) : 'a unit test file';
}

/** True when TEST_ALLOW_MISSING left out the Redis tests (and records `what` as left out); false otherwise. */
export function redisLeftOut(what: string): boolean {
	if (REDIS_LEFT_OUT) requirements.recordLeftOut('redis-server', `${currentTestFile()}: ${what}`);
	return REDIS_LEFT_OUT;
}

/** `describe` for tests against a real redis-server: skipped only when TEST_ALLOW_MISSING left Redis out. */
export function describeWithRedis(name: string, body: () => void): void {
	if (redisLeftOut(name)) describe.skip(name, body);
	else describe(name, body);
}

/**
 * Starts a throw-away redis-server on a free 127.0.0.1 port with its own temporary directory and no persistence.
 * `password` sets requirepass; `port` restarts a server on a known port (a stopped one's, to test reconnects).
 * Without a redis-server binary it fails with the one-line reason and the command that installs it.
 */
export async function startRedisServer(options: { password?: string; port?: number } = {}): Promise<RedisServer> {
	const binary = findRedisServerBinary();
	if (binary === undefined) throw new Error(requirements.missingReason('redis-server'));
	if (options.port !== undefined) return await startOn(binary, options.port, options.password);
	let lastError: unknown;
	// A free port can be taken by someone else between probing and binding; try a few.
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			return await startOn(binary, await freePort(), options.password);
		} catch (error) {
			lastError = error;
		}
	}
	throw lastError;
}

/** redis-server from REDIS_SERVER_BIN, PATH or the system folders (where the installer looks too). */
export function findRedisServerBinary(): string | undefined {
	return requirements.REQUIREMENTS['redis-server'].find();
}

async function startOn(binary: string, port: number, password: string | undefined, extraArgs: string[] = []): Promise<RedisServer> {
	const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
	const child = spawn(
		binary,
		[
			'--port', String(port),
			'--bind', '127.0.0.1',
			'--dir', dir,
			'--save', '',
			'--appendonly', 'no',
			'--daemonize', 'no',
			'--loglevel', 'warning',
			...(password === undefined ? [] : ['--requirepass', password]),
			...extraArgs,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

	let stopped = false;
	const stop = async (): Promise<void> => {
		if (stopped) return;
		stopped = true;
		await terminate(child);
		rmSync(dir, { recursive: true, force: true });
	};

	try {
		await waitForPong(port, child, () => output);
	} catch (error) {
		await stop();
		throw error;
	}
	return { port, url: `redis://127.0.0.1:${port}`, stop };
}

async function waitForPong(port: number, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`redis-server exited during startup: ${output().trim()}`);
		}
		// With a password PING answers -NOAUTH: still proof that the server is up.
		if (await answersPing(port)) return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`redis-server did not answer PING on port ${port} within ${STARTUP_TIMEOUT_MS} ms`);
}

function answersPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let reply = '';
		const finish = (result: boolean) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(1000, () => finish(false));
		socket.on('error', () => finish(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) finish(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
		});
	});
}

/** A port below the ephemeral range, where no outgoing connection takes it before the server listens (scripts/lib). */
const { freePort } = require('../../scripts/lib/freePort') as { freePort(): Promise<number> };

function terminate(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(kill);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

export interface RedisCluster {
	nodes: RedisServer[];
	/** The nodes as n8n's QUEUE_BULL_REDIS_CLUSTER_NODES lists them: `127.0.0.1:p1,127.0.0.1:p2,…`. */
	clusterNodes: string;
	stop(): Promise<void>;
}

/**
 * A throw-away Redis Cluster of `size` masters (no replicas) on free loopback ports, its slots assigned with
 * `redis-cli --cluster create`. Fails with the one-line reason when there is no redis-server (or redis-cli, from the same package).
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
	const binary = findRedisServerBinary();
	const cli = binary && join(dirname(binary), 'redis-cli');
	if (binary === undefined || cli === undefined || !existsSync(cli)) throw new Error(requirements.missingReason('redis-server'));
	const nodes: RedisServer[] = [];
	const stop = async () => {
		await Promise.all(nodes.map((node) => node.stop()));
	};
	try {
		for (let index = 0; index < size; index++) {
			const clusterArgs = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(await freePort())];
			nodes.push(await startOn(binary, await freePort(), undefined, clusterArgs));
		}
		const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
		await run(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
		const deadline = Date.now() + STARTUP_TIMEOUT_MS;
		for (const node of nodes) {
			while (!(await run(cli, ['-p', String(node.port), 'cluster', 'info'])).includes('cluster_state:ok')) {
				if (Date.now() > deadline) throw new Error(`Redis Cluster node ${node.port} did not reach cluster_state:ok`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		}
		return { nodes, clusterNodes: addresses.join(','), stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

function run(file: string, args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(file, args, { timeout: STARTUP_TIMEOUT_MS }, (error, stdout, stderr) =>
			error ? reject(new Error(`${file} ${args.join(' ')}: ${String(stderr || error.message).trim()}`)) : resolve(String(stdout)),
		);
	});
}
