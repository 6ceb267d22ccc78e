import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AttemptRecord, DeliveryResult } from './deliver';
import type { DeliveryOutcome } from './fanOut';
import { RESUME_INPUT } from './inputs';
import { redactHeaders, scrubSecrets } from './redact';
import { readableResponseBody } from './responseBody';

/** Everything an output item must never contain, and the header names whose values are signatures. */
export interface OutputRedaction {
	secrets: ReadonlyArray<string | undefined>;
	signatureHeaders: readonly string[];
}

/** Which input item an output item answers: its own, or for a delivery continued from the outbox, the Resume item. */
function pairedItemOf(outcome: DeliveryOutcome): INodeExecutionData['pairedItem'] {
	return outcome.resumed ? { item: 0, input: RESUME_INPUT } : { item: outcome.item.itemIndex };
}

/** The fields every output item starts with: where, which event, which batch, and whether it was continued. */
function identity(outcome: DeliveryOutcome): IDataObject {
	const { item, batch, resumed } = outcome;
	return {
		destination: outcome.destination,
		eventId: item.eventId,
		eventType: item.eventType,
		...(batch ? { batchId: batch.id, batchSize: batch.size } : {}),
		...(resumed ? { resumed: true, startedInExecution: resumed.executionId ?? null } : {}),
	};
}

/** The "Delivered" output: one item per input item and destination. */
export function deliveredItem(outcome: DeliveryOutcome, redaction: OutputRedaction): INodeExecutionData {
	const { result } = outcome;
	return {
		json: {
			...identity(outcome),
			status: result.response?.status ?? null,
			attempts: result.attempts.length,
			totalTimeMs: result.totalTimeMs,
			response: responseJson(result, redaction),
			attemptLog: attemptLog(result.attempts, redaction),
		},
		pairedItem: pairedItemOf(outcome),
	};
}

/**
 * The "Dead letter" output: what a follow-up branch needs to store the delivery and send it again, with the
 * signature headers redacted (a resend signs afresh anyway).
 */
export function deadLetterItem(outcome: DeliveryOutcome, redaction: OutputRedaction): INodeExecutionData {
	const { item, result } = outcome;
	return {
		json: {
			...identity(outcome),
			error: scrubSecrets(result.failureReason ?? 'failed', redaction.secrets),
			status: result.response?.status ?? null,
			attempts: result.attempts.length,
			totalTimeMs: result.totalTimeMs,
			attemptLog: attemptLog(result.attempts, redaction),
			payload: item.payload as IDataObject,
			sentHeaders: redactHeaders(result.sentHeaders, redaction.signatureHeaders),
			response: result.response ? responseJson(result, redaction) : null,
		},
		pairedItem: pairedItemOf(outcome),
	};
}

function responseJson(result: DeliveryResult, redaction: OutputRedaction): IDataObject | null {
	const response = result.response;
	if (!response) return null;
	const contentType = response.headers['content-type'];
	const body = readableResponseBody(response.body, Array.isArray(contentType) ? contentType[0] : contentType);
	return { status: response.status, body: scrubbedBody(body, redaction), bodyTruncated: response.truncated };
}

/** A receiver that echoes what it got must not turn the output into a leak; parsed bodies are checked as text. */
function scrubbedBody(body: unknown, redaction: OutputRedaction): IDataObject | string {
	if (typeof body === 'string') return scrubSecrets(body, redaction.secrets);
	const text = JSON.stringify(body);
	const scrubbed = scrubSecrets(text, redaction.secrets);
	return scrubbed === text ? (body as IDataObject) : scrubbed;
}

function attemptLog(attempts: readonly AttemptRecord[], redaction: OutputRedaction): IDataObject[] {
	return attempts.map((attempt) => {
		const entry: IDataObject = { ...attempt };
		if (attempt.error !== undefined) entry.error = scrubSecrets(attempt.error, redaction.secrets);
		return entry;
	});
}
