/**
 * `npm run fuzz:live`: FUZZ_LIVE_REQUESTS (default 10,000) adversarial requests, written byte by byte on raw sockets, to
 * a real n8n (started through scripts/lib with the packed package installed) that has one Secure Webhook Trigger
 * workflow per catalogue provider (typeVersion 3) and the legacy schemes at typeVersion 1 and 2: oversized and slow
 * bodies, header floods, repeated headers, odd encodings, invalid UTF-8, methods and paths of every kind, and correctly
 * signed events among them. Afterwards:
 *
 * - n8n is alive (its process, /healthz, and one more signed event per workflow accepted);
 * - every execution n8n recorded belongs to a correctly signed request (no unsigned execution), and every signed
 *   request it accepted ran once;
 * - no secret and no signature appears in n8n's log (written at debug level) or in any answer;
 * - every answer the trigger gave (its JSON error or status bodies) has a status the README documents.
 *
 * n8n runs with the settings `npm start` uses (scripts/lib/n8nSettings.js); FUZZ_LIVE_N8N_DEFAULTS=1 runs it on n8n's
 * defaults instead. Prints a summary and exits 1 on any failure. Not part of `npm test`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import fc from 'fast-check';

import { catalogueTraffic, tamperedBody, type ProviderTraffic } from './providerTraffic';

// Compiled to .fuzz-build/fuzz/ (scripts/fuzz.sh), beside no copy of the plain-JS scripts/lib: two folders up is the repository.
const lib = require(path.join(__dirname, '..', '..', 'scripts', 'lib'));

const REQUESTS = Number(process.env.FUZZ_LIVE_REQUESTS ?? 10_000);
const CONCURRENCY = Number(process.env.FUZZ_LIVE_CONCURRENCY ?? 16);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUEST_TIMEOUT_MS = 20_000;

/** The trigger's documented answers (README, "Order of checks and status codes"). */
const TRIGGER_STATUSES = new Set([200, 400, 401, 403, 405, 409, 413, 415, 422, 429]);
const TRIGGER_ERRORS = new Set([
	'rate limited', 'method not allowed', 'client address not allowed', 'unsupported content type', 'invalid signature',
	'body is not valid JSON', 'payload does not match schema', 'event is being processed, retry later', 'internal error',
	'temporarily unavailable',
]);

interface Target {
	traffic: ProviderTraffic;
	typeVersion: number;
	path: string;
	workflowId?: string;
}

interface Answer {
	status?: number;
	headers: Record<string, string>;
	body: string;
	/** The server closed or reset the connection without a status line. */
	noAnswer?: string;
	ms: number;
}

/** What a request writes: all bytes at once, or pieces with pauses (slow clients). */
type Writer = Buffer | Array<{ bytes: Buffer; afterMs: number }>;

interface Planned {
	kind: string;
	target: Target;
	writer: Writer;
	/** A correctly signed event: its nonce (in the body) and the signature values that must never be logged. */
	signed?: { nonce: string; signatureValues: string[] };
}

// ---------------------------------------------------------------------------------------------------------------
// Raw HTTP/1.1 on a socket: nothing is validated or normalised on the way out.

function decodeChunked(bytes: Buffer): Buffer {
	const parts: Buffer[] = [];
	let offset = 0;
	while (offset < bytes.length) {
		const lineEnd = bytes.indexOf('\r\n', offset);
		if (lineEnd === -1) break;
		const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
		if (!Number.isFinite(size) || size === 0) break;
		parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
		offset = lineEnd + 2 + size + 2;
	}
	return Buffer.concat(parts);
}

function parseAnswer(bytes: Buffer, ms: number, closedBy?: string): Answer {
	const headerEnd = bytes.indexOf('\r\n\r\n');
	if (headerEnd === -1) return { headers: {}, body: '', noAnswer: closedBy ?? 'closed without an answer', ms };
	const [statusLine, ...lines] = bytes.subarray(0, headerEnd).toString('latin1').split('\r\n');
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	let body = bytes.subarray(headerEnd + 4);
	if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = decodeChunked(body);
	return { status: Number.isFinite(status) ? status : undefined, headers, body: body.toString('utf8'), ms };
}

function sendRaw(port: number, writer: Writer): Promise<Answer> {
	return new Promise((resolve) => {
		const started = performance.now();
		const socket = net.connect(port, '127.0.0.1');
		const received: Buffer[] = [];
		let settled = false;
		const finish = (closedBy?: string) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			resolve(parseAnswer(Buffer.concat(received), performance.now() - started, closedBy));
		};
		const timer = setTimeout(() => finish('no answer within the timeout'), REQUEST_TIMEOUT_MS);
		socket.on('data', (chunk: Buffer) => received.push(chunk));
		socket.on('end', () => finish());
		socket.on('close', () => finish());
		socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
		socket.on('connect', async () => {
			if (Buffer.isBuffer(writer)) {
				socket.write(writer);
				return;
			}
			for (const piece of writer) {
				if (settled) return;
				await new Promise((wait) => setTimeout(wait, piece.afterMs));
				if (!settled && !socket.destroyed) socket.write(piece.bytes);
			}
		});
	});
}

const CRLF = '\r\n';

/** A request as bytes: headers in the order given (repeats allowed), Connection: close unless the caller sets one. */
function requestBytes(method: string, target: string, headers: Array<[string, string | Buffer]>, body: Buffer, options: { contentLength?: boolean } = {}): Buffer {
	const lines: Buffer[] = [Buffer.from(`${method} ${target} HTTP/1.1${CRLF}`, 'latin1')];
	const names = new Set(headers.map(([name]) => name.toLowerCase()));
	const all: Array<[string, string | Buffer]> = [['host', '127.0.0.1'], ...headers];
	if (!names.has('connection')) all.push(['connection', 'close']);
	if (options.contentLength !== false && !names.has('content-length') && !names.has('transfer-encoding')) all.push(['content-length', String(body.length)]);
	for (const [name, value] of all) lines.push(Buffer.concat([Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from(CRLF)]));
	lines.push(Buffer.from(CRLF));
	return Buffer.concat([...lines, body]);
}

// ---------------------------------------------------------------------------------------------------------------

const pick = <T>(items: readonly T[], random: number): T => items[random % items.length];

const METHODS = ['POST', 'POST', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'FOO', 'post', 'P0ST', 'CONNECT'];
const CONTENT_TYPES = [
	'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16le', 'application/x-www-form-urlencoded',
	'text/plain', 'multipart/form-data; boundary=----x', 'application/xml', 'application/octet-stream', '', 'application/json;;;', 'APPLICATION/JSON',
];

async function main(): Promise<void> {
	lib.installCleanupHandlers();
	const startedAt = performance.now();
	const defaults = process.env.FUZZ_LIVE_N8N_DEFAULTS === '1';
	const userFolder = path.join(lib.SCRATCH_DIR, `fuzz-live-${process.pid}`);
	const local = await lib.launchLocalN8n({
		userFolder,
		fresh: true,
		build: false,
		env: { ...(defaults ? {} : lib.RECOMMENDED_N8N_ENV), N8N_LOG_LEVEL: 'debug', EXECUTIONS_DATA_PRUNE: 'false' },
	});
	const port: number = local.n8n.port;
	const publicUrlBase = `http://127.0.0.1:${port}/webhook`;
	const failures: string[] = [];
	const fail = (text: string) => {
		if (failures.length < 1000) failures.push(text);
	};

	try {
		// One workflow per provider at typeVersion 3, the legacy schemes at 1 and 2 as well. `none` accepts anything by
		// design, so it cannot show "no unsigned execution": it is left out here (the in-process fuzz covers it).
		const { traffic, unavailable } = catalogueTraffic();
		const targets: Target[] = [];
		for (const entry of traffic.filter((item) => !item.acceptsAnything)) {
			for (const typeVersion of entry.legacyScheme ? [1, 2, 3] : [3]) {
				targets.push({ traffic: entry, typeVersion, path: `fz-${entry.provider.id.toLowerCase()}-v${typeVersion}` });
			}
		}
		for (const target of targets) {
			const credential = await local.client.createCredential({
				name: `fuzz ${target.path}`,
				type: 'webhookSigningApi',
				data: { previousSecret: '', publicKey: '', ...target.traffic.credential },
			});
			const settings: Record<string, unknown> = { allowedContentTypes: target.traffic.provider.contentTypes.join(', ') };
			if (target.typeVersion >= 3 && target.traffic.provider.signature.kind === 'custom') Object.assign(settings, { eventTypePath: 'type', eventIdPath: 'id' });
			const workflow = await local.client.createActiveWorkflow({
				name: `fuzz ${target.path}`,
				nodes: [
					{
						id: `node-${target.path}`,
						name: 'Secure Webhook Trigger',
						type: `${lib.PACKAGE_NAME}.secureWebhookTrigger`,
						typeVersion: target.typeVersion,
						position: [0, 0],
						webhookId: `hook-${target.path}`,
						parameters: { path: target.path, ...target.traffic.parameters(target.typeVersion, `${publicUrlBase}/${target.path}`), settings },
						credentials: { webhookSigningApi: { id: credential.id, name: credential.name } },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			});
			target.workflowId = workflow.id;
		}
		const signable = targets.filter((target) => target.traffic.sign);
		process.stderr.write(`[fuzz:live] n8n ${local.n8n.n8nVersion} on ${port} (${defaults ? "n8n's default settings" : 'recommended settings'}), ${targets.length} workflows, ${REQUESTS} requests, seed ${SEED}\n`);

		let sequence = 0;
		const signedRequest = (target: Target, change: (body: Buffer, headers: Record<string, string>) => { body: Buffer; headers: Record<string, string> } = (body, headers) => ({ body, headers })) => {
			const nonce = `${SEED}-${++sequence}-${randomBytes(4).toString('hex')}`;
			const event = target.traffic.event(nonce);
			const body = event.body;
			const parts = target.traffic.sign!({ body, headers: event.headers, url: `/webhook/${target.path}`, publicUrl: `${publicUrlBase}/${target.path}`, id: `msg_${nonce}` });
			const signatureValues = Object.entries(parts.headers)
				.filter(([header]) => target.traffic.signatureHeaders.includes(header.toLowerCase()))
				.map(([, value]) => value)
				.filter((value) => value.length >= 12);
			const changed = change(body, { ...parts.headers, 'content-type': target.traffic.contentType });
			return { nonce, url: parts.url, body: changed.body, headers: changed.headers, signatureValues };
		};

		const garbage = fc.sample(
			fc.record({
				text: fc.string({ maxLength: 200 }),
				bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }),
				json: fc.json({ maxDepth: 3 }),
				numbers: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
			}),
			{ seed: SEED, numRuns: REQUESTS },
		);

		const plan = (index: number): Planned => {
			const { text, bytes, json, numbers } = garbage[index];
			const target = pick(targets, numbers[0]);
			const kind = pick(
				[
					'signed', 'signed', 'tamperedBody', 'tamperedSignature', 'unsigned', 'methodAndPath', 'methodAndPath', 'headerFlood',
					'repeatedHeaders', 'hugeHeader', 'invalidUtf8', 'oddEncoding', 'oddEncoding', 'oversized', 'slowBody', 'badFraming',
					'garbageJson', 'garbageBytes',
				],
				numbers[1],
			);
			const hookPath = `/webhook/${target.path}`;
			const contentType = target.traffic.contentType;
			const canSign = target.traffic.sign !== undefined;
			switch (kind) {
				case 'signed': {
					if (!canSign) break;
					const request = signedRequest(target);
					return { kind, target, writer: requestBytes('POST', request.url, Object.entries(request.headers), request.body), signed: { nonce: request.nonce, signatureValues: request.signatureValues } };
				}
				case 'tamperedBody': {
					if (!canSign || !target.traffic.bodySigned) break;
					const request = signedRequest(target, (body, headers) => ({ body: tamperedBody(body, contentType, numbers[2], 1 + (numbers[3] % 254)), headers }));
					return { kind, target, writer: requestBytes('POST', request.url, Object.entries(request.headers), request.body) };
				}
				case 'tamperedSignature': {
					if (!canSign) break;
					const request = signedRequest(target, (body, headers) => {
						const names = Object.keys(headers).filter((header) => target.traffic.signatureHeaders.includes(header));
						if (names.length === 0) return { body, headers };
						const name = pick(names, numbers[2]);
						const value = headers[name];
						const at = numbers[3] % Math.max(1, value.length - 4);
						return { body, headers: { ...headers, [name]: value.slice(0, at) + (value[at]?.toLowerCase() === 'a' ? 'b' : 'a') + value.slice(at + 1) } };
					});
					// A token in the query string is left alone by the change above: drop the query instead.
					const url = target.traffic.signatureHeaders.some((header) => header in request.headers) ? request.url : hookPath;
					return { kind, target, writer: requestBytes('POST', url, Object.entries(request.headers), request.body) };
				}
				case 'methodAndPath': {
					const method = pick(METHODS, numbers[2]);
					const paths = [
						hookPath, `${hookPath}/`, `/webhook-test/${target.path}`, `/webhook//${target.path}`, `/webhook/${target.path}?${encodeURIComponent(text)}`,
						`/webhook/..%2f..%2frest%2flogin`, `/webhook/%2e%2e/rest/settings`, `/webhook/${'a'.repeat(4000)}`, '/webhook/%ZZ', `/webhook/${target.path}%00`,
						'/rest/workflows', '/', '*', `http://127.0.0.1${hookPath}`, `/webhook-waiting/${numbers[3]}`, `/form/${target.path}`, `${hookPath}#x`, `${hookPath}?a=1&a=2&a[]=3&__proto__[x]=1`,
					];
					const url = pick(paths, numbers[3]);
					return { kind, target, writer: requestBytes(method, url, [['content-type', pick(CONTENT_TYPES, numbers[4])]], Buffer.from(json)) };
				}
				case 'headerFlood': {
					const count = 200 + (numbers[2] % 1800);
					const headers: Array<[string, string]> = Array.from({ length: count }, (_, at) => [`x-flood-${at}`, String(at)]);
					return { kind, target, writer: requestBytes('POST', hookPath, [['content-type', contentType], ...headers], Buffer.from(json)) };
				}
				case 'repeatedHeaders': {
					const names = [...target.traffic.signatureHeaders, 'content-type', 'content-length', 'host', 'x-forwarded-for', 'transfer-encoding'];
					const name = pick(names, numbers[2]);
					const times = 2 + (numbers[3] % 20);
					const headers: Array<[string, string]> = Array.from({ length: times }, (_, at) => [name, at % 2 === 0 ? text.replace(/[\r\n]/g, '') || 'x' : `v${at}`]);
					if (name !== 'content-type') headers.push(['content-type', contentType]);
					return { kind, target, writer: requestBytes('POST', hookPath, headers, Buffer.from(json)) };
				}
				case 'hugeHeader': {
					const size = 8_000 + (numbers[2] % 20_000);
					const name = pick([...target.traffic.signatureHeaders, 'x-huge', 'cookie', 'user-agent'], numbers[3]);
					return { kind, target, writer: requestBytes('POST', hookPath, [['content-type', contentType], [name, 'A'.repeat(size)]], Buffer.from(json)) };
				}
				case 'invalidUtf8': {
					const invalid = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe, ...bytes.slice(0, 20)].map((byte) => (byte === 10 || byte === 13 ? 0x80 : byte)));
					const name = pick([...target.traffic.signatureHeaders, 'content-type', 'x-anything'], numbers[2]);
					const where = numbers[3] % 3;
					if (where === 0) return { kind, target, writer: requestBytes('POST', hookPath, [['content-type', contentType], [name, invalid]], invalid) };
					if (where === 1) return { kind, target, writer: requestBytes('POST', Buffer.concat([Buffer.from(`${hookPath}?q=`), invalid]).toString('latin1'), [['content-type', contentType]], invalid) };
					return { kind, target, writer: requestBytes('POST', hookPath, [['content-type', 'application/json; charset=utf-8']], Buffer.concat([Buffer.from('{"type":"'), invalid, Buffer.from('"}')])) };
				}
				case 'oddEncoding': {
					const encodings = ['gzip', 'deflate', 'br', 'identity, gzip', 'x-unknown', 'gzip, gzip'];
					const body = numbers[2] % 2 === 0 ? Buffer.from(bytes) : Buffer.from(json, 'utf16le');
					const charsets = [contentType, `${contentType}; charset=utf-16`, `${contentType}; charset=latin1`, `${contentType}; charset="x-bogus"`];
					const headers: Array<[string, string]> = [['content-type', pick(charsets, numbers[3])]];
					if (numbers[4] % 2 === 0) headers.push(['content-encoding', pick(encodings, numbers[5])]);
					return { kind, target, writer: requestBytes('POST', hookPath, headers, numbers[6] % 3 === 0 ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body) };
				}
				case 'oversized': {
					// Mostly 1-3 MB (over the trigger's 1 MiB default); now and then over n8n's own 16 MiB limit.
					const size = numbers[2] % 40 === 0 ? 17 * 1024 * 1024 : 1024 * 1024 + (numbers[3] % (2 * 1024 * 1024));
					const body = Buffer.alloc(size, 0x20);
					Buffer.from('{"a":"').copy(body);
					return { kind, target, writer: requestBytes('POST', hookPath, [['content-type', numbers[4] % 2 === 0 ? contentType : 'application/octet-stream']], body) };
				}
				case 'slowBody': {
					// Headers at once, the body trickled over about two seconds (or promised and never finished).
					const body = Buffer.from(json);
					const head = requestBytes('POST', hookPath, [['content-type', contentType], ['content-length', String(body.length + (numbers[2] % 3 === 0 ? 100 : 0))]], Buffer.alloc(0));
					const pieces = [{ bytes: head, afterMs: 0 }];
					for (let at = 0; at < body.length; at += Math.max(1, Math.ceil(body.length / 8))) pieces.push({ bytes: body.subarray(at, at + Math.ceil(body.length / 8)), afterMs: 250 });
					return { kind, target, writer: pieces };
				}
				case 'badFraming': {
					const body = Buffer.from(json);
					const variants: Buffer[] = [
						requestBytes('POST', hookPath, [['content-type', contentType], ['transfer-encoding', 'chunked'], ['content-length', '5']], Buffer.from(`${body.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`)),
						requestBytes('POST', hookPath, [['content-type', contentType], ['transfer-encoding', 'chunked']], Buffer.from(`zz\r\n${json}\r\n0\r\n\r\n`)),
						requestBytes('POST', hookPath, [['content-type', contentType], ['content-length', '-1']], body),
						requestBytes('POST', hookPath, [['content-type', contentType], ['content-length', '1, 2']], body),
						requestBytes('POST', hookPath, [['content-type', contentType], ['content-length', String(Math.max(0, body.length - 3))]], body),
						requestBytes('POST', hookPath, [['content-type', contentType], ['transfer-encoding', 'gzip, chunked']], Buffer.from(`${body.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`)),
						Buffer.from(`POST ${hookPath} HTTP/1.1\r\nhost: x\r\ncontent-type: ${contentType}\r\n folded: header\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n${json}`, 'latin1'),
						Buffer.from(`POST ${hookPath} HTTP/1.0\r\ncontent-type: ${contentType}\r\n\r\n${json}`, 'latin1'),
						Buffer.from(`POST ${hookPath}\r\n\r\n`, 'latin1'),
						Buffer.from(`\r\n\r\nPOST ${hookPath} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, 'latin1'),
					];
					return { kind, target, writer: pick(variants, numbers[2]) };
				}
				case 'garbageBytes':
					return { kind, target, writer: Buffer.concat([Buffer.from(`POST ${hookPath} HTTP/1.1\r\n`), Buffer.from(bytes), Buffer.from('\r\n\r\n')]) };
				default:
					break;
			}
			// unsigned, garbageJson, and kinds a target cannot do: a plausible request without a valid signature.
			const headers: Array<[string, string]> = [['content-type', contentType]];
			for (const name of target.traffic.signatureHeaders) if (numbers[5] % 2 === 0) headers.push([name, text.replace(/[\r\n]/g, '') || 'x']);
			return { kind: kind === 'garbageJson' ? kind : 'unsigned', target, writer: requestBytes('POST', hookPath, headers, Buffer.from(kind === 'garbageJson' ? json : text)) };
		};

		// -----------------------------------------------------------------------------------------------------------
		const secretTexts = targets.flatMap((target) => target.traffic.secretTexts);
		const signatureValues: string[] = [];
		const signedNonces = new Map<string, Target>();
		const acceptedNonces = new Set<string>();
		const statuses = new Map<string, number>();
		const kinds = new Map<string, number>();
		const noAnswers = new Map<string, number>();
		let triggerAnswers = 0;
		let slowest = { ms: 0, where: '' };
		const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

		let next = 0;
		const worker = async () => {
			while (next < REQUESTS) {
				const index = next++;
				const planned = plan(index);
				count(kinds, planned.kind);
				if (planned.signed) {
					signedNonces.set(planned.signed.nonce, planned.target);
					signatureValues.push(...planned.signed.signatureValues);
				}
				const answer = await sendRaw(port, planned.writer);
				if (answer.status === undefined) count(noAnswers, `${planned.kind}: ${answer.noAnswer}`);
				else count(statuses, String(answer.status));
				if (answer.ms > slowest.ms && planned.kind !== 'slowBody') slowest = { ms: answer.ms, where: `${planned.kind} ${planned.target.path} → ${answer.status ?? answer.noAnswer}` };
				let json: { error?: unknown; status?: unknown } | undefined;
				try {
					json = JSON.parse(answer.body) as typeof json;
				} catch {
					json = undefined;
				}
				const fromTrigger = (typeof json?.error === 'string' && TRIGGER_ERRORS.has(json.error)) || json?.status === 'accepted' || json?.status === 'duplicate' || json?.status === 'ignored';
				if (fromTrigger) {
					triggerAnswers++;
					if (!TRIGGER_STATUSES.has(answer.status ?? 0)) fail(`the trigger answered ${answer.status} ${answer.body.slice(0, 120)} (${planned.kind} ${planned.target.path})`);
				}
				if (planned.signed) {
					if (answer.status === 200 && json?.status === 'accepted') acceptedNonces.add(planned.signed.nonce);
					else fail(`a signed event was not accepted: ${answer.status ?? answer.noAnswer} ${answer.body.slice(0, 120)} (${planned.target.path})`);
				}
				for (const secret of secretTexts) if (answer.body.includes(secret)) fail(`an answer contains a secret (${planned.kind} ${planned.target.path})`);
				if ((index + 1) % 1000 === 0) process.stderr.write(`[fuzz:live] ${index + 1} requests sent\n`);
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));
		const sendingSeconds = (performance.now() - startedAt) / 1000;

		// n8n is alive: process, health, and a signed event through every signable workflow.
		if (!local.n8n.isRunning()) fail('n8n is no longer running');
		const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.status, (error: Error) => error.message);
		if (health !== 200) fail(`/healthz answered ${health}`);
		for (const target of signable) {
			const request = signedRequest(target);
			signedNonces.set(request.nonce, target);
			signatureValues.push(...request.signatureValues);
			const answer = await sendRaw(port, requestBytes('POST', request.url, Object.entries(request.headers), request.body));
			if (answer.status === 200) acceptedNonces.add(request.nonce);
			else fail(`after the run, a signed event to ${target.path} was answered ${answer.status ?? answer.noAnswer} ${answer.body.slice(0, 120)}`);
		}

		// Every execution is a signed request's, and every accepted signed request ran once.
		let executions = 0;
		let unsignedExecutions = 0;
		const ran = new Map<string, number>();
		for (const target of targets) {
			await lib.waitFor(async () => (await local.client.request('GET', '/rest/executions', { query: { filter: { workflowId: target.workflowId, status: ['running', 'new', 'waiting'] }, limit: '1' } })).count === 0, {
				timeoutMs: 120_000,
				intervalMs: 250,
				description: `executions of ${target.path} to finish`,
			});
			for (const summary of await local.client.listExecutions(target.workflowId)) {
				executions++;
				const execution = await local.client.getExecution(summary.id);
				// nodeOutput gives the items' json.
				const item = lib.nodeOutput(execution, 'Secure Webhook Trigger')?.[0] as { body?: unknown } | undefined;
				const nonce = JSON.stringify(item?.body ?? '').match(/\d+-\d+-[0-9a-f]{8}/)?.[0];
				if (!nonce || !signedNonces.has(nonce)) {
					unsignedExecutions++;
					fail(`execution ${summary.id} of ${target.path} is not one of the signed requests (${String(JSON.stringify(item?.body)).slice(0, 120)})`);
				} else {
					ran.set(nonce, (ran.get(nonce) ?? 0) + 1);
				}
			}
		}
		for (const nonce of acceptedNonces) if (ran.get(nonce) !== 1) fail(`the signed event ${nonce} was accepted and ran ${ran.get(nonce) ?? 0} times`);

		// n8n's log, at debug level: no secret, no signature.
		const log = fs.readFileSync(local.n8n.logFile, 'utf8');
		let leaks = 0;
		for (const text of [...secretTexts, ...signatureValues]) {
			if (log.includes(text)) {
				leaks++;
				if (leaks <= 5) fail(`n8n's log contains a secret or signature (${text.slice(0, 6)}…)`);
			}
		}

		const say = (line = '') => process.stdout.write(`${line}\n`);
		say();
		say(`Secure Webhook Trigger live fuzz against n8n ${local.n8n.n8nVersion} (${defaults ? "n8n's default settings" : `recommended settings: ${Object.entries(lib.RECOMMENDED_N8N_ENV).map(([name, value]) => `${name}=${value}`).join(' ')}`}), seed ${SEED}`);
		say(`  requests:               ${REQUESTS} on raw sockets, ${CONCURRENCY} at a time, in ${sendingSeconds.toFixed(0)} s, to ${targets.length} workflows (${targets.map((target) => target.path.replace(/^fz-/, '')).join(', ')})`);
		for (const entry of traffic.filter((item) => item.acceptsAnything)) say(`  not in this run:        ${entry.provider.id} (accepts anything by design)`);
		for (const line of unavailable) say(`  not offered, not fuzzed: ${line}`);
		say(`  kinds:                  ${[...kinds].map(([kind, total]) => `${kind} ${total}`).join(', ')}`);
		say(`  statuses:               ${[...statuses].sort(([a], [b]) => Number(a) - Number(b)).map(([status, total]) => `${status}×${total}`).join(' ')}`);
		say(`  no answer:              ${[...noAnswers].map(([reason, total]) => `${reason} ×${total}`).join('; ') || 'none'}`);
		say(`  answered by the trigger: ${triggerAnswers} (every status documented: ${failures.some((line) => line.startsWith('the trigger answered')) ? 'NO' : 'yes'})`);
		say(`  signed events:          ${signedNonces.size}, accepted ${acceptedNonces.size}; executions recorded: ${executions}`);
		say(`  unsigned executions:    ${unsignedExecutions}`);
		say(`  secrets/signatures in n8n's log (${(log.length / 1e6).toFixed(1)} MB, debug level): ${leaks}`);
		say(`  n8n alive afterwards:   ${local.n8n.isRunning() && health === 200 ? 'yes' : 'NO'} (/healthz ${health}; a signed event accepted by ${signable.length} workflows)`);
		say(`  slowest answer:         ${slowest.ms.toFixed(0)} ms (${slowest.where}; slow-body requests not counted)`);
		say(`  failures:               ${failures.length}`);
		for (const line of failures.slice(0, 20)) say(`    ${line}`);
		say(failures.length === 0 ? 'Live fuzz passed.' : 'Live fuzz FAILED.');
		process.exitCode = failures.length === 0 ? 0 : 1;
	} finally {
		await local.stop();
		if (process.exitCode === 0) fs.rmSync(userFolder, { recursive: true, force: true });
		else process.stderr.write(`[fuzz:live] n8n's user folder and log kept in ${userFolder}\n`);
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
	lib.stopAllGroups().finally(() => process.exit(1));
});
