import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import fc from 'fast-check';

import type { HeaderMap } from '../../../../nodes/shared/http';
import type {
	IncomingWebhook,
	SignatureScheme,
	SigningSecrets,
	VerificationFailureReason,
	VerificationResult,
	VerifyOptions,
} from '../../../../nodes/shared/verify/types';

/** Not UTF-8 (0xff, 0xfe never occur in UTF-8) and not ASCII: any decode/re-encode step changes these bytes. */
export const NON_UTF8_BODY = Buffer.from([0xff, 0xfe, 0x00, 0xe9]);

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export function webhookRequest(headers: HeaderMap, body: Buffer | string, url = '/webhook/test'): IncomingWebhook {
	return { method: 'POST', rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), headers, url };
}

export function verifyOptions(nowSeconds: number, toleranceSeconds = 300): VerifyOptions {
	return { nowSeconds, toleranceSeconds };
}

export function expectRejected(result: VerificationResult, reason: VerificationFailureReason): void {
	expect(result).toEqual({ ok: false, reason });
}

export function expectAccepted(result: VerificationResult): Extract<VerificationResult, { ok: true }> {
	if (!result.ok) throw new Error(`expected the request to verify, got reason "${result.reason}"`);
	return result;
}

/**
 * Runs ESM-only packages (e.g. @octokit/webhooks-methods) in a child Node process, since Jest's CommonJS
 * runtime cannot import them. `script` is an ES module body that may `await`, reads `input` from
 * `JSON.parse(process.env.ESM_INPUT)` and must print one JSON line.
 */
export function runEsm(script: string, input: unknown): unknown {
	const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		env: { ...process.env, ESM_INPUT: JSON.stringify(input) },
	});
	return JSON.parse(output.trim());
}

const REASONS: readonly VerificationFailureReason[] = [
	'missing_signature',
	'malformed_signature',
	'invalid_signature',
	'timestamp_out_of_tolerance',
	'missing_key',
];

/**
 * Feeds `scheme.verify` arbitrary values (including huge, repeated, non-ASCII ones) for its own header names
 * and asserts it never throws and never accepts: none of these strings carries a valid MAC.
 */
export function expectGarbageNeverVerifies(scheme: SignatureScheme, headerNames: readonly string[], secrets: SigningSecrets): void {
	if (scheme.async) throw new Error(`${scheme.name} verifies asynchronously: the provider kit checks those`);
	const headerValue = fc.oneof(
		fc.string(),
		fc.string({ unit: 'binary', maxLength: 200 }),
		fc.constantFrom('', ' ', ',', '=', 'v1,', 'v0=', 'sha256=', 't=,v1=', 'v1a,====', '1e3', '-1', 'NaN', 'Infinity'),
		fc.string({ minLength: 5000, maxLength: 20000 }),
		fc.array(fc.string(), { minLength: 0, maxLength: 3 }),
	);
	fc.assert(
		fc.property(
			fc.record(Object.fromEntries(headerNames.map((name) => [name, headerValue])), { requiredKeys: [] }),
			fc.uint8Array({ maxLength: 64 }),
			(headers, body) => {
				const result = scheme.verify(webhookRequest(headers as HeaderMap, Buffer.from(body)), secrets, verifyOptions(1_700_000_000));
				expect(result.ok).toBe(false);
				if (!result.ok) expect(REASONS).toContain(result.reason);
			},
		),
		{ numRuns: 300 },
	);
}
