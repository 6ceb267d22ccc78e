import { randomUUID } from 'node:crypto';

import { BatchAssembler, type BatchLimits, type ClosedBatch } from './batchAssembler';
import { batchOverheadBytes, eventEnvelope, type BatchFormat } from './batchBody';
import type { DeliveryDependencies, DeliveryObserver, DeliveryResult } from './deliver';
import {
	batchDelivery,
	checkDestination,
	runDelivery,
	singleDelivery,
	type DeliveryOutcome,
	type FanOutSettings,
	type OutgoingItem,
	type PlannedDelivery,
} from './fanOut';
import { OutboxLease } from './outboxJob';
import {
	finalResult,
	fromOutboxDelivery,
	restoredItems,
	fromOutboxProgress,
	toOutboxDelivery,
	toOutboxOutcome,
	toOutboxProgress,
	type OutboxProgress,
} from './outboxRecord';
import { ALWAYS_SENSITIVE_HEADERS, redactUrl } from './redact';
import type { RedisOutbox } from './redisOutbox';
import { signatureHeaderNames } from './signing';

export interface Batching {
	limits: BatchLimits;
	format: BatchFormat;
}

export interface Durability {
	outbox: RedisOutbox;
	/** How long a run's hold on its deliveries lasts without renewal: how soon another run continues them after a crash. */
	leaseMs: number;
	executionId?: string;
}

export interface RunSettings extends FanOutSettings {
	batching?: Batching;
	durability?: Durability;
}

export interface RunHooks {
	warn(message: string): void;
	/** Batch ids are random UUIDs; injected for tests. */
	newBatchId?: () => string;
}

/** Items are prepared and handed to the batch assembler this many at a time, with a turn of the event loop between. */
const ITEMS_PER_SLICE = 50;

const nextTurn = async () => await new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sends the execution's items: one request per item and destination, or batches per destination. With durability,
 * every delivery is in the outbox before its first attempt and its progress after each attempt, so that a resume run
 * can continue it if this process dies. Outcomes come back item by item, destination by destination.
 */
export async function sendItems(
	items: readonly OutgoingItem[],
	settings: RunSettings,
	dependencies: DeliveryDependencies,
	hooks: RunHooks,
): Promise<DeliveryOutcome[]> {
	const { durability } = settings;
	const lease = durability ? new OutboxLease(durability.outbox, randomUUID(), durability.leaseMs, hooks.warn) : undefined;
	const jobId = randomUUID();
	try {
		await lease?.create(jobId);
	} catch (error) {
		lease?.stop();
		throw error;
	}

	const running: Array<Promise<DeliveryOutcome[]>> = [];
	const immediate: DeliveryOutcome[] = [];
	let deliveryCount = 0;
	const interrupted = new Set<string>();
	const start = (planned: PlannedDelivery) => {
		const index = deliveryCount++;
		running.push(
			(async () => {
				let observer: DeliveryObserver | undefined;
				if (lease && durability) {
					await lease.putDelivery(
						jobId,
						index,
						toOutboxDelivery(planned, {
							method: settings.method,
							destination: redactUrl(planned.url),
							signing: settings.signing,
							policy: settings.policy,
							executionId: durability.executionId,
						}),
					);
					observer = progressRecorder(lease, jobId, index, redactedNames(settings, planned));
				}
				const outcomes = await runDelivery(planned, settings, dependencies, { observer });
				if (outcomes.some((outcome) => outcome.result.cancelled)) interrupted.add(jobId);
				return outcomes;
			})(),
		);
	};

	let planError: unknown;
	try {
		await planDeliveries(items, settings, dependencies.clock.now, hooks.newBatchId ?? randomUUID, start, immediate);
	} catch (error) {
		planError = error;
	}
	// Deliveries already started run to their end even if planning failed.
	const settled = await Promise.allSettled(running);
	const failed = settled.find((entry): entry is PromiseRejectedResult => entry.status === 'rejected');
	// A run that fails hands its job on: the deliveries it stored are continued, and reported, by a resume run.
	if (planError !== undefined || failed) interrupted.add(jobId);
	await lease?.settle([jobId], interrupted);
	if (planError !== undefined || failed) throw planError ?? failed?.reason;
	const outcomes = [...immediate, ...settled.flatMap((entry) => (entry.status === 'fulfilled' ? entry.value : []))];
	// An interrupted durable delivery is not finished: the run that continues it reports its outcome.
	return inInputOrder(durability ? outcomes.filter((outcome) => !outcome.result.cancelled) : outcomes);
}

async function planDeliveries(
	items: readonly OutgoingItem[],
	settings: RunSettings,
	now: () => number,
	newBatchId: () => string,
	start: (planned: PlannedDelivery) => void,
	refused: DeliveryOutcome[],
): Promise<void> {
	const { batching } = settings;
	const assembler = batching
		? new BatchAssembler<{ item: OutgoingItem; url: URL; envelope: Buffer }>(batching.limits, (count) => batchOverheadBytes(batching.format, count))
		: undefined;
	const startBatch = (closed: ClosedBatch<{ item: OutgoingItem; url: URL; envelope: Buffer }>) => {
		if (!batching || closed.entries.length === 0) return;
		const [{ url }] = closed.entries;
		start(
			batchDelivery(
				closed.entries.map((entry) => entry.item),
				url,
				{ id: newBatchId(), format: batching.format },
				settings.signing.scheme,
				closed.entries.map((entry) => entry.envelope),
			),
		);
	};

	for (let sliceStart = 0; sliceStart < items.length; sliceStart += ITEMS_PER_SLICE) {
		if (sliceStart > 0) {
			await nextTurn();
			for (const closed of assembler?.due(now()) ?? []) startBatch(closed);
		}
		for (const item of items.slice(sliceStart, sliceStart + ITEMS_PER_SLICE)) {
			for (const destination of item.destinations) {
				const checked = checkDestination([item], destination, settings.refuseNonPublic);
				if (!checked.ok) {
					refused.push(...checked.outcomes);
					continue;
				}
				if (!assembler) {
					start(singleDelivery(item, checked.url));
					continue;
				}
				const envelope = eventEnvelope({ id: item.eventId, type: item.eventType, payload: item.payload, body: item.body });
				const key = `${checked.url.href}\n${JSON.stringify(Object.entries(item.customHeaders).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
				for (const closed of assembler.add({ key, bytes: envelope.length, value: { item, url: checked.url, envelope } }, now())) {
					startBatch(closed);
				}
			}
		}
	}
	for (const closed of assembler?.flush() ?? []) startBatch(closed);
}

/** The names whose values the outbox must not hold in the clear: signature, credential and custom headers. */
function redactedNames(settings: FanOutSettings, planned: PlannedDelivery): string[] {
	return [...ALWAYS_SENSITIVE_HEADERS, ...signatureHeaderNames(settings.signing), ...planned.customHeaderNames];
}

function progressRecorder(lease: OutboxLease, jobId: string, index: number, redacted: readonly string[]): DeliveryObserver {
	return {
		attemptEnded: (progress) => lease.putProgress(jobId, index, toOutboxProgress(progress, redacted)),
		finished: (result) => {
			// An interrupted delivery keeps its last progress: the run that continues it picks up from there.
			if (!result.cancelled) lease.putProgress(jobId, index, toOutboxOutcome(result, redacted));
		},
	};
}

function inInputOrder(outcomes: DeliveryOutcome[]): DeliveryOutcome[] {
	const position = (outcome: DeliveryOutcome) => {
		const index = outcome.item.destinations.findIndex((destination) => redactUrl(destination.trim()) === outcome.destination);
		return index === -1 ? outcome.item.destinations.length : index;
	};
	return outcomes
		.map((outcome, arrival) => ({ outcome, arrival }))
		.sort((a, b) => a.outcome.item.itemIndex - b.outcome.item.itemIndex || position(a.outcome) - position(b.outcome) || a.arrival - b.arrival)
		.map(({ outcome }) => outcome);
}

/** Jobs one resume run takes over at most; a bigger backlog is left to the next runs. */
export const RESUME_JOBS_PER_RUN = 100;

/**
 * Takes over the outbox jobs whose runs stopped (their lease ran out) and continues each delivery where it stood:
 * same event and batch ids, same attempt count, same schedule and time budget. Deliveries that had already ended are
 * reported as they ended, without being sent again. `key` is the signing credential's secret.
 */
export async function resumeOutbox(
	settings: FanOutSettings & { durability: Durability },
	key: string,
	dependencies: DeliveryDependencies,
	hooks: RunHooks,
): Promise<DeliveryOutcome[]> {
	const { outbox, leaseMs } = settings.durability;
	const lease = new OutboxLease(outbox, randomUUID(), leaseMs, hooks.warn);
	let jobIds: string[];
	try {
		jobIds = await outbox.takeOver(lease.owner, leaseMs, RESUME_JOBS_PER_RUN);
	} catch (error) {
		lease.stop();
		throw error;
	}
	lease.adopt(jobIds);
	const interrupted = new Set<string>();
	const running: Array<Promise<DeliveryOutcome[]>> = [];
	let loadError: unknown;
	try {
		for (const jobId of jobIds) {
			const job = await outbox.load(jobId);
			for (const { index, delivery, progress } of job.deliveries) {
				running.push(
					(async () => {
						const outcomes = await continueDelivery(delivery, progress, index, jobId, key, settings, dependencies, lease);
						if (outcomes.some((outcome) => outcome.result.cancelled)) interrupted.add(jobId);
						const resumed = delivery.executionId ? { executionId: delivery.executionId } : {};
						return outcomes.map((outcome) => ({ ...outcome, destination: delivery.destination, resumed }));
					})(),
				);
			}
		}
	} catch (error) {
		loadError = error;
	}
	// Deliveries already continued run to their end; jobs that could not be loaded are handed on.
	const settled = await Promise.allSettled(running);
	if (loadError !== undefined) for (const jobId of jobIds) interrupted.add(jobId);
	await lease.settle(jobIds, interrupted);
	const failed = settled.find((entry): entry is PromiseRejectedResult => entry.status === 'rejected');
	if (loadError !== undefined || failed) throw loadError ?? failed?.reason;
	return settled.flatMap((entry) => (entry.status === 'fulfilled' ? entry.value : [])).filter((outcome) => !outcome.result.cancelled);
}

async function continueDelivery(
	stored: Parameters<typeof fromOutboxDelivery>[0],
	progress: OutboxProgress | undefined,
	index: number,
	jobId: string,
	key: string,
	settings: FanOutSettings,
	dependencies: DeliveryDependencies,
	lease: OutboxLease,
): Promise<DeliveryOutcome[]> {
	const restored = fromOutboxDelivery(stored, key);
	const ended = progress ? finalResult(progress) : undefined;
	if (ended || !restored.ok) {
		const items = restoredItems(stored);
		const result: DeliveryResult = ended ?? {
			delivered: false,
			attempts: progress ? fromOutboxProgress(progress).attempts : [],
			totalTimeMs: 0,
			sentHeaders: progress?.sentHeaders ?? { ...stored.headers },
			failureReason: restored.ok ? 'failed' : `cannot continue: ${restored.reason}`,
		};
		if (!ended) lease.putProgress(jobId, index, toOutboxOutcome(result, []));
		const batch = stored.batch ? { id: stored.batch.id, size: items.length } : undefined;
		return items.map((item) => ({ item, destination: stored.destination, result, ...(batch ? { batch } : {}) }));
	}
	const resumedSettings: FanOutSettings = {
		...settings,
		method: restored.method,
		signing: restored.signing,
		policy: restored.policy,
		credentialHeaders: [...ALWAYS_SENSITIVE_HEADERS, ...signatureHeaderNames(restored.signing)],
	};
	const redacted = [...ALWAYS_SENSITIVE_HEADERS, ...signatureHeaderNames(restored.signing), ...restored.planned.customHeaderNames];
	return await runDelivery(restored.planned, resumedSettings, dependencies, {
		progress: progress ? fromOutboxProgress(progress) : undefined,
		observer: progressRecorder(lease, jobId, index, redacted),
	});
}
