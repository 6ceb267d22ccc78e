/**
 * `npm run fuzz`: the Secure Webhook Trigger's webhook() through n8n-core's real WebhookContext (the unit tests'
 * harness, test/helpers/webhookHarness.ts) with FUZZ_REQUESTS (default 100,000) adversarial and valid requests,
 * spread over every provider the catalogue offers and every trigger typeVersion. It checks, for every request:
 *
 * - no exception escapes webhook(), and every status is one the README documents;
 * - only correctly signed requests start an execution (a `none` trigger accepts anything, by design);
 * - no secret, and no signature or token the request carried, appears in the answer, an output item or a log line;
 * - the time a rejected request costs stays bounded: any request slower than FUZZ_SLOW_MS (default 20 ms) is sent
 *   three more times, and counts as slow only if it is slow every time (so a GC pause is not a finding). Long runs
 *   of one character in the signature headers of otherwise well-formed requests look for super-linear parsing (a
 *   backtracking regex on an 8 KB header cost ~60 ms before issue 14).
 *
 * Prints a summary and exits 1 on any failure. FUZZ_SEED makes a run repeatable; FUZZ_PROVIDERS=id,id limits it to
 * those catalogue entries (to chase a finding). Not part of `npm test`.
 */
import { performance } from 'node:perf_hooks';

import fc from 'fast-check';

import { providerWindowSeconds } from '../nodes/shared/providers/providerScheme';
import { closeAllRedis } from '../nodes/shared/stores/redisConnection';
import { TriggerHarness, type HarnessResult } from '../test/helpers/webhookHarness';
import { catalogueTraffic, tamperedBody, type ProviderTraffic } from './providerTraffic';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? 10);
/** FUZZ_PROVIDERS=a,b: only these catalogue ids (to chase a finding); all by default. */
const ONLY = (process.env.FUZZ_PROVIDERS ?? '').split(',').map((id) => id.trim()).filter(Boolean);
const BATCH = 500;
const PATH = 'fuzz';

/** Every status the README documents for the trigger (no Redis in this run, so no 503). 422 is n8n's own JSON check. */
const DOCUMENTED_STATUSES = new Set([200, 400, 401, 403, 405, 409, 413, 415, 422, 429]);

type Kind =
	| 'valid'
	| 'replay'
	| 'tamperedBody'
	| 'tamperedSignature'
	| 'wrongKey'
	| 'expired'
	| 'garbage'
	| 'repeatedHeader'
	| 'longRun'
	| 'oversized';

/** A request kind may start an execution only if it carries a valid signature. */
const MAY_EXECUTE: ReadonlySet<Kind> = new Set<Kind>(['valid', 'repeatedHeader']);

interface Target {
	traffic: ProviderTraffic;
	typeVersion: number;
}

interface Outgoing {
	method: string;
	url: string;
	headers: Record<string, string | string[]>;
	body: Buffer;
	/** Values a signer produced: never to be seen in an answer, item or log. */
	signatureValues: string[];
	/** Of those, the ones a handshake echoes into the answer headers by design (Asana's X-Hook-Secret). */
	echoedValues?: string[];
}

interface Failure {
	check: string;
	target: string;
	kind: Kind;
	detail: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Random material (fast-check arbitraries, sampled in seeded batches)

const headerText = fc
	.oneof(
		fc.string({ maxLength: 80 }),
		fc.constantFrom('', ' ', ',', '=', 't=', 'v1=', 't=1,v1=', 'v1,', 'v1a,', 'sha256=', 'v0=', 'Bearer ', 'Bearer a.b.c', 'Basic Og==', 'whsec_', 't=abc,v1=zz', '0', '-1', '1e309', 'NaN', '=='.repeat(40)),
		fc.stringMatching(/^[0-9a-f]{0,140}$/),
		fc.stringMatching(/^[A-Za-z0-9+/=]{0,120}$/),
		fc.string({ unit: 'binary', maxLength: 60 }),
		fc.integer().map(String),
	)
	// What Node's HTTP client refuses to send; other Latin-1 bytes (invalid UTF-8) go through.
	.map((value) => value.replace(/[\r\n\0]/g, '').replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));

const garbageBody = fc.oneof(
	fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
	fc.json().map((text) => Buffer.from(text)),
	fc.string({ unit: 'grapheme', maxLength: 300 }).map((text) => Buffer.from(text)),
	fc.constantFrom(
		'{"__proto__":{"polluted":true},"type":"x","id":"1"}',
		'{"constructor":{"prototype":{"polluted":true}}}',
		'{"type":{"__proto__":null},"id":[]}',
		'[]', 'null', '"', '{', `{"a":${'['.repeat(5000)}`, '\uFEFF{}', 'a=1&a=2&__proto__[x]=1',
	).map((text) => Buffer.from(text)),
	fc.constant(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc])),
);

const garbageShape = fc.record({
	method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
	contentType: fc.constantFrom(
		'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded',
		'text/plain', 'multipart/form-data; boundary=x', 'application/xml', '', 'application/vnd.api+json', '*/*', 'application/json, text/plain',
	),
	body: garbageBody,
	signatureHeaders: fc.array(fc.tuple(fc.nat(), fc.oneof(headerText, fc.array(headerText, { minLength: 2, maxLength: 3 }))), { maxLength: 6 }),
	otherHeaders: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerText, { maxKeys: 5 }),
	// One big header at most: beyond Node's 16 KiB header limit the HTTP server answers 431 itself, before n8n.
	hugeHeader: fc.option(fc.stringMatching(/^[ -~]{2000,8000}$/), { nil: undefined }),
	// Or one long run in a signature header: what a parser with super-linear cost (a backtracking regex) chokes on.
	longSignature: fc.option(
		fc.tuple(
			fc.nat(),
			fc.constantFrom('=', ',', ' ', 'v1=', 'v1,', 't=1,', 'a', '0', '=a', 'sha256=', '\t', 'Bearer '),
			fc.integer({ min: 1000, max: 8190 }),
			fc.constantFrom('', 'x', '!', '='),
		),
		{ nil: undefined },
	),
	query: fc.constantFrom('', '?a=1', '?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1', '?__proto__[x]=1', '?bodySHA256=00', '?token=x&token=y', `?q=${'%'.repeat(30)}`),
});

const mutation = fc.record({ position: fc.nat(), flip: fc.integer({ min: 1, max: 255 }), pick: fc.nat() });

/** What a slow request was, without its values: method, content type, body size, headers and their longest value. */
function describeRequest(request: Outgoing): string {
	const headers = Object.entries(request.headers);
	const longest = headers.reduce((max, [, value]) => Math.max(max, String(value).length), 0);
	const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
	return `${request.method} ${String(contentType) || '(no content type)'}, body ${request.body?.length ?? 0} bytes, ${headers.length} headers, longest ${longest} chars`;
}

// ---------------------------------------------------------------------------------------------------------------

function chooseKind(random: number, target: Target): Kind {
	// `random` is any non-negative integer.
	const { traffic } = target;
	if (!traffic.sign) return 'garbage';
	const table: Array<[Kind, number]> = [
		['valid', 16],
		['replay', 5],
		['tamperedBody', traffic.bodySigned ? 10 : 0],
		['tamperedSignature', 10],
		['wrongKey', 5],
		['expired', traffic.scheme.timestamped ? 6 : 0],
		['garbage', 38],
		['repeatedHeader', 5],
		['longRun', 5],
		['oversized', 5],
	];
	const total = table.reduce((sum, [, weight]) => sum + weight, 0);
	let pick = random % total;
	for (const [kind, weight] of table) {
		if (pick < weight) return kind;
		pick -= weight;
	}
	return 'garbage';
}

const withContentType = (headers: Record<string, string>, contentType: string) => ({ ...headers, 'content-type': contentType });

/** `url` with the query parameter `name` replaced by what `change` makes of it. */
function withQueryToken(url: string, name: string, change: (token: string) => string): string {
	const queryStart = url.indexOf('?');
	const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
	query.set(name, change(query.get(name) ?? ''));
	return `${queryStart === -1 ? url : url.slice(0, queryStart)}?${query.toString()}`;
}

/**
 * One character changed so that the value means something else: never only its case (hex and prefixes are read
 * case-insensitively), and never in the last four characters (a base64 MAC's last character carries unused bits, so
 * changing it can leave the same MAC).
 */
function flipChar(text: string, position: number): string {
	if (text.length <= 4) return `${text}x`;
	const index = position % (text.length - 4);
	const replacement = text[index].toLowerCase() === 'a' ? 'b' : 'a';
	return text.slice(0, index) + replacement + text.slice(index + 1);
}

async function main(): Promise<void> {
	const harness = new TriggerHarness({ parameters: { path: PATH } });
	await harness.start();
	const publicUrl = harness.url;
	const catalogue = catalogueTraffic();
	const traffic = ONLY.length === 0 ? catalogue.traffic : catalogue.traffic.filter((entry) => ONLY.includes(entry.provider.id));
	const { unavailable } = catalogue;
	const targets: Target[] = [];
	for (const entry of traffic) {
		targets.push({ traffic: entry, typeVersion: 3 });
		if (entry.legacyScheme) for (const typeVersion of [1, 2]) targets.push({ traffic: entry, typeVersion });
	}
	const name = (target: Target) => `${target.traffic.provider.id}@v${target.typeVersion}`;

	const failures: Failure[] = [];
	const fail = (check: string, target: Target, kind: Kind, detail: string) => {
		if (failures.length < 10_000) failures.push({ check, target: name(target), kind, detail });
	};
	const statuses = new Map<number, number>();
	const kinds = new Map<Kind, number>();
	const perTarget = new Map<string, { requests: number; executions: number }>();
	let escapes = 0;
	let unsignedExecutions = 0;
	let leaks = 0;
	let accepted = 0;
	let replaysRefused = 0;
	const rejectedTimes: number[] = [];
	let slowest = { ms: 0, where: '' };
	let slowestConfirmed = { ms: 0, where: '' };
	let sequence = 0;
	/** Accepted valid requests, per target, for replays. */
	const acceptedRequests = new Map<string, Array<{ request: Outgoing; hadId: boolean }>>();

	/** Node parameters: a few settings variants, so that limits, schema and the Rejected output are exercised too. */
	const configure = (target: Target, variant: number) => {
		const { traffic: entry, typeVersion } = target;
		const settings: Record<string, unknown> =
			variant === 0
				? {}
				: { rejectedOutput: true, maxBodyBytes: 2048, ...(entry.contentType === 'application/json' && !entry.event('schema').body.toString().startsWith('[') ? { schema: '{"type":"object"}' } : {}) };
		// What the provider sends (the trigger's default is application/json).
		settings.allowedContentTypes = entry.provider.contentTypes.join(', ');
		// The Custom builders read the event from the body; typeVersion 3 keeps these in Options.
		if (typeVersion >= 3 && entry.provider.signature.kind === 'custom') Object.assign(settings, { eventTypePath: 'type', eventIdPath: 'id' });
		harness.configure({
			typeVersion,
			parameters: { path: PATH, ...entry.parameters(typeVersion, publicUrl), settings },
			credentials: { webhookSigningApi: entry.credential as unknown as Record<string, string> },
			// One node per target: its settings change from request to request, its de-duplication store stays.
			nodeId: `fuzz-${name(target)}`,
		});
	};

	const send = async (request: Outgoing): Promise<HarnessResult> => {
		const queryStart = request.url.indexOf('?');
		return await harness.send({ method: request.method, body: request.body, headers: request.headers, query: queryStart === -1 ? '' : request.url.slice(queryStart) });
	};

	const signed = (target: Target, options: { body?: Buffer; id?: string; timestampSeconds?: number; key?: string } = {}): Outgoing => {
		const { traffic: entry } = target;
		const nonce = `${SEED}-${++sequence}`;
		const event = entry.event(nonce, options.timestampSeconds);
		const body = options.body ?? event.body;
		const parts = entry.sign!({ body, headers: event.headers, url: `/webhook/${PATH}`, publicUrl, id: options.id ?? `msg_${nonce}`, timestampSeconds: options.timestampSeconds, key: options.key });
		const signatureValues = Object.entries(parts.headers)
			.filter(([header]) => entry.signatureHeaders.includes(header.toLowerCase()))
			.map(([, value]) => value)
			.filter((value) => value.length >= 12);
		return { method: 'POST', url: parts.url, headers: withContentType(parts.headers, entry.contentType), body, signatureValues };
	};

	const build = (target: Target, kind: Kind, shape: GarbageShape, change: Mutation): Outgoing => {
		const { traffic: entry } = target;
		const now = Math.floor(Date.now() / 1000);
		switch (kind) {
			case 'valid':
				return signed(target);
			case 'replay': {
				const earlier = acceptedRequests.get(name(target)) ?? [];
				return earlier[change.pick % earlier.length].request;
			}
			case 'tamperedBody': {
				const request = signed(target);
				return { ...request, body: tamperedBody(request.body, entry.contentType, change.position, change.flip) };
			}
			case 'tamperedSignature': {
				const request = signed(target);
				const sensitive = Object.keys(request.headers).filter((header) => entry.signatureHeaders.includes(header));
				// A token in the query string: change it there.
				if (sensitive.length === 0 && entry.tokenQuery) return { ...request, url: withQueryToken(request.url, entry.tokenQuery, (token) => flipChar(token, change.position)) };
				const header = sensitive[change.pick % sensitive.length];
				return { ...request, headers: { ...request.headers, [header]: flipChar(String(request.headers[header]), change.position) } };
			}
			case 'wrongKey': {
				const original = entry.credential.secret || entry.credential.publicKey || 'x';
				const key = entry.provider.signature.kind === 'special' && entry.provider.signature.verifier === 'discord' ? 'b'.repeat(64) : flipChar(original, change.position);
				return signed(target, { key: entry.wrongKey ?? key });
			}
			case 'expired': {
				const tolerance = target.typeVersion >= 3 ? (providerWindowSeconds(entry.provider) ?? 300) : 300;
				const offset = (tolerance + 60 + (change.position % 10_000)) * (change.flip % 2 === 0 ? -1 : 1);
				return signed(target, { timestampSeconds: now + offset });
			}
			case 'repeatedHeader': {
				const request = signed(target);
				const sensitive = Object.keys(request.headers).filter((header) => entry.signatureHeaders.includes(header));
				if (sensitive.length === 0) return request;
				const header = sensitive[change.pick % sensitive.length];
				const value = String(request.headers[header]);
				return { ...request, headers: { ...request.headers, [header]: change.flip % 2 === 0 ? [value, 'garbage'] : ['garbage', value] } };
			}
			case 'longRun': {
				// A well-formed request (method, content type, body) whose signature or timestamp header is one long run.
				const request = signed(target);
				const [index, unit, length, end] = shape.longSignature ?? [change.pick, '=', 8000, 'x'];
				const timestampHeaders = entry.scheme.timestamped ? Object.keys(request.headers).filter((header) => header.includes('timestamp')) : [];
				// Only headers the signed request carries: another one (a legacy signature header) is not what it verifies.
				const names = [...entry.signatureHeaders.filter((header) => header in request.headers), ...timestampHeaders];
				if (names.length === 0 && entry.tokenQuery) {
					// A third as long: URL-encoded, it must still fit Node's 16 KiB for the request line and headers.
					return { ...request, url: withQueryToken(request.url, entry.tokenQuery, () => unit.repeat(Math.floor(length / 3 / unit.length)) + end), signatureValues: [] };
				}
				const header = names[index % names.length];
				const value = unit.repeat(Math.floor((length - end.length) / unit.length)) + end;
				return { ...request, headers: { ...request.headers, [header]: value }, signatureValues: [] };
			}
			case 'oversized': {
				const request = signed(target, { body: Buffer.concat([entry.event(`big-${++sequence}`).body, Buffer.alloc(3000 + (change.position % 5000), 0x20)]) });
				return request;
			}
			default: {
				const names = [...entry.signatureHeaders, 'webhook-id', 'webhook-timestamp', 'x-slack-request-timestamp', 'x-signature-timestamp', 'authorization', 'x-fuzz-timestamp'];
				const headers: Record<string, string | string[]> = { ...shape.otherHeaders };
				for (const [index, value] of shape.signatureHeaders) headers[names[index % names.length]] = value;
				if (shape.longSignature !== undefined) {
					const [index, unit, length, end] = shape.longSignature;
					headers[entry.signatureHeaders[index % entry.signatureHeaders.length] ?? 'authorization'] = unit.repeat(Math.ceil(length / unit.length)) + end;
				} else if (shape.hugeHeader !== undefined) {
					headers['x-huge'] = shape.hugeHeader;
				}
				if (shape.contentType) headers['content-type'] = shape.contentType;
				// What a garbage request puts in a signature header is redacted like a real signature (Rejected output).
				const valuesOf = (signature: boolean) =>
					Object.entries(headers)
						.filter(([header]) => entry.signatureHeaders.includes(header) === signature)
						.flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
				// Random values repeat: one that the request also carries elsewhere may rightly appear in the output.
				const elsewhere = [...valuesOf(false), shape.query, shape.body.toString('latin1'), shape.body.toString('utf8')].join('\n');
				const signatureValues = valuesOf(true).filter((value) => value.trim().length >= 16 && !elsewhere.includes(value));
				const echoedValues = Object.entries(headers)
					.filter(([header]) => entry.echoedHeaders.includes(header))
					.flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
				return { method: shape.method, url: `/webhook/${PATH}${shape.query}`, headers, body: shape.body, signatureValues, echoedValues };
			}
		}
	};

	const leakedIn = (texts: string[], result: HarnessResult, newLogs: string[], echoed: readonly string[] = []): string | undefined => {
		const places: Array<[string, string]> = [
			['answer', result.text],
			['answer headers', JSON.stringify(result.headers)],
			['output items', JSON.stringify(result.workflowData ?? null)],
			['log', newLogs.join('\n')],
		];
		for (const text of texts) {
			for (const [place, content] of places) {
				// A handshake hands the caller back what the caller sent, in the answer headers: by design, not a leak.
				if (place === 'answer headers' && echoed.some((value) => value.includes(text))) continue;
				if (content.includes(text)) return `${place} contains ${text.slice(0, 6)}…`;
			}
		}
		return undefined;
	};

	const started = performance.now();
	process.stderr.write(`[fuzz] ${REQUESTS} requests, seed ${SEED}, ${targets.length} targets (${traffic.length} providers)\n`);

	// Each provider first proves the fuzzer can sign for it: otherwise "only signed requests execute" would be vacuous.
	for (const target of targets) {
		if (!target.traffic.sign) continue;
		configure(target, 0);
		const request = signed(target);
		const result = await send(request);
		if (result.status !== 200 || !result.workflowData?.[0]?.length) {
			fail('a correctly signed request is accepted', target, 'valid', `${result.status} ${result.text.slice(0, 200)}`);
		}
	}

	for (let batchStart = 0; batchStart < REQUESTS; batchStart += BATCH) {
		const size = Math.min(BATCH, REQUESTS - batchStart);
		const batchSeed = SEED + batchStart;
		const shapes = fc.sample(garbageShape, { seed: batchSeed, numRuns: size });
		const changes = fc.sample(mutation, { seed: batchSeed + 1, numRuns: size });
		const picks = fc.sample(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 1 })), { seed: batchSeed + 2, numRuns: size });
		for (let index = 0; index < size; index++) {
			const number = batchStart + index;
			const target = targets[number % targets.length];
			const [kindPick, , variant] = picks[index];
			const chosen = chooseKind(kindPick, target);
			// Nothing to replay yet: a new event instead.
			const kind = chosen === 'replay' && !acceptedRequests.get(name(target))?.length ? 'valid' : chosen;
			configure(target, kind === 'oversized' ? 1 : variant);
			const request = build(target, kind, shapes[index], changes[index]);
			const logsBefore = harness.logs.length;
			const result = await send(request);
			const newLogs = harness.logs.slice(logsBefore);

			kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
			statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
			const stats = perTarget.get(name(target)) ?? { requests: 0, executions: 0 };
			stats.requests++;
			const executed = (result.workflowData?.[0]?.length ?? 0) > 0;
			if (executed) stats.executions++;
			perTarget.set(name(target), stats);

			if (result.thrown !== undefined) {
				escapes++;
				fail('no exception escapes webhook()', target, kind, String((result.thrown as Error)?.stack ?? result.thrown).slice(0, 300));
			}
			if (!DOCUMENTED_STATUSES.has(result.status)) fail('every status is documented', target, kind, `${result.status} ${result.text.slice(0, 200)}`);
			if (executed && !MAY_EXECUTE.has(kind) && !target.traffic.acceptsAnything) {
				const earlier = kind === 'replay' ? acceptedRequests.get(name(target))?.find((entry) => entry.request === request) : undefined;
				// A provider without an event id cannot tell a replay from a new event (documented per provider).
				if (!(earlier && !earlier.hadId)) {
					unsignedExecutions++;
					fail('only correctly signed requests execute', target, kind, `${result.status} ${result.text.slice(0, 200)}`);
				}
			}
			if (kind === 'replay' && !executed) replaysRefused++;
			if (kind === 'valid') {
				if (result.status === 200 && executed) {
					accepted++;
					const item = result.workflowData![0][0].json as { id?: unknown };
					const list = acceptedRequests.get(name(target)) ?? [];
					if (list.length < 50) list.push({ request, hadId: item.id !== null && item.id !== undefined });
					acceptedRequests.set(name(target), list);
				} else {
					fail('a correctly signed request is accepted', target, kind, `${result.status} ${result.text.slice(0, 200)}`);
				}
			}
			const leak = leakedIn([...target.traffic.secretTexts, ...request.signatureValues], result, newLogs, request.echoedValues);
			if (leak) {
				leaks++;
				fail('no secret or signature in any output or log', target, kind, leak);
			}
			const ms = result.elapsedMs ?? 0;
			if (ms > slowest.ms) slowest = { ms, where: `${name(target)} ${kind} → ${result.status}` };
			if (!executed) {
				rejectedTimes.push(ms);
				if (ms > SLOW_MS) {
					// Slow once may be a GC pause or the machine; slow every time is the request.
					let fastest = ms;
					for (let again = 0; again < 3 && fastest > SLOW_MS; again++) fastest = Math.min(fastest, (await send(request)).elapsedMs ?? 0);
					if (fastest > slowestConfirmed.ms) slowestConfirmed = { ms: fastest, where: `${name(target)} ${kind} → ${result.status}` };
					if (fastest > SLOW_MS) fail(`a rejected request costs at most ${SLOW_MS} ms`, target, kind, `${fastest.toFixed(1)} ms every time (${describeRequest(request)})`);
				}
			}
		}
		if ((batchStart / BATCH) % 20 === 19) process.stderr.write(`[fuzz] ${batchStart + size} requests, ${failures.length} failures\n`);
	}
	const seconds = (performance.now() - started) / 1000;
	await harness.stop();
	await closeAllRedis();

	rejectedTimes.sort((a, b) => a - b);
	const quantile = (q: number) => rejectedTimes[Math.min(rejectedTimes.length - 1, Math.floor(q * rejectedTimes.length))] ?? 0;
	const say = (text = '') => process.stdout.write(`${text}\n`);
	const versions = [1, 2, 3].map((version) => `v${version}: ${targets.filter((target) => target.typeVersion === version).length}`).join(', ');
	say();
	say(`Secure Webhook Trigger fuzz (in process, n8n-core WebhookContext), seed ${SEED}`);
	say(`  requests:               ${REQUESTS} in ${seconds.toFixed(0)} s, over ${targets.length} provider × typeVersion targets (${versions})`);
	say(`  providers:              ${traffic.map((entry) => entry.provider.id).join(', ')}`);
	for (const entry of traffic.filter((item) => !item.sign)) say(`  adversarial only:       ${entry.provider.id} (${entry.noSignerReason})`);
	for (const line of unavailable) say(`  not offered, not fuzzed: ${line}`);
	say(`  kinds:                  ${[...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
	say(`  statuses:               ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`);
	say(`  escaped exceptions:     ${escapes}`);
	say(`  unsigned executions:    ${unsignedExecutions}`);
	say(`  secret/signature leaks: ${leaks}`);
	say(`  signed and accepted:    ${accepted}; replays refused: ${replaysRefused}`);
	say(`  rejected requests:      ${rejectedTimes.length}, p50 ${quantile(0.5).toFixed(2)} ms, p99 ${quantile(0.99).toFixed(2)} ms, p99.9 ${quantile(0.999).toFixed(2)} ms`);
	say(`  slowest request:        ${slowest.ms.toFixed(1)} ms (${slowest.where}); slowest when sent again: ${slowestConfirmed.ms ? `${slowestConfirmed.ms.toFixed(1)} ms (${slowestConfirmed.where})` : `none above ${SLOW_MS} ms`}`);
	say(`  failures:               ${failures.length}`);
	const byCheck = new Map<string, Failure[]>();
	for (const failure of failures) byCheck.set(failure.check, [...(byCheck.get(failure.check) ?? []), failure]);
	for (const [check, list] of byCheck) {
		say(`    ${check}: ${list.length}`);
		for (const failure of list.slice(0, 5)) say(`      ${failure.target} ${failure.kind}: ${failure.detail}`);
	}
	say(failures.length === 0 ? 'Fuzz passed.' : 'Fuzz FAILED.');
	process.exitCode = failures.length === 0 ? 0 : 1;
}

type GarbageShape = typeof garbageShape extends fc.Arbitrary<infer T> ? T : never;
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
	process.exit(1);
});
