import { createHmac } from 'node:crypto';

import type { HeaderMap } from '../shared/http';
import { readValue, type ValueContext } from '../shared/providers/eventValues';
import type { Condition, HandshakeRule, ResponseValue } from '../shared/providers/types';
import { safeEqualText } from '../shared/verify/constantTime';
import type { SecretMatch, SigningSecrets, VerificationSuccess } from '../shared/verify/types';
import { reject, respondOk, type DirectResponse } from './responses';

/**
 * Provider handshakes, answered from the catalogue's data (`ProviderEntry.handshakes`): the trigger answers them
 * itself and never starts an execution for one.
 */

/** What a handshake rule reads: the request as received and, for signed handshakes, its parsed body. */
export interface HandshakeRequest {
	method: string;
	/** Path and query as received. */
	url: string;
	headers: HeaderMap;
	rawBody: Buffer;
	body: unknown;
}

/** Node settings a condition can compare with. */
export interface HandshakeSettings {
	verifyToken: string;
}

/** The secret a handshake's HMAC answer uses: the one that verified the request, or the current one when unsigned. */
export interface HandshakeKeys {
	secrets?: SigningSecrets;
	matched?: SecretMatch;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

function contextOf(request: HandshakeRequest, verification?: VerificationSuccess): ValueContext {
	return { request: { method: request.method, url: request.url, headers: request.headers, rawBody: request.rawBody }, body: request.body, verification };
}

function holds(condition: Condition, context: ValueContext, settings: HandshakeSettings): boolean {
	const value = readValue(condition.source, context);
	if ('present' in condition) return value !== undefined;
	if ('equals' in condition) return value !== undefined && value === String(condition.equals);
	// An empty setting never matches; any length is compared in constant time (the length is not revealed).
	return value !== undefined && settings[condition.equalsSetting] !== '' && safeEqualText(value, settings[condition.equalsSetting]);
}

function keyOf(keys: HandshakeKeys): string | undefined {
	const secret = keys.matched === 'previous' ? keys.secrets?.previousSecret : keys.secrets?.secret;
	return secret ? secret : undefined;
}

/** A response value, or undefined when it cannot be made (a missing value, a refused input, no key). */
function valueOf(value: ResponseValue, context: ValueContext, keys: HandshakeKeys): string | number | boolean | undefined {
	if ('literal' in value) return value.literal;
	if ('hmacOf' in value) {
		const input = readValue(value.hmacOf, context);
		const key = keyOf(keys);
		if (input === undefined || key === undefined || (value.pattern && !value.pattern.test(input))) return undefined;
		return (value.prefix ?? '') + createHmac(value.algorithm, key).update(input, 'utf8').digest(value.encoding);
	}
	return readValue(value, context);
}

function respond(rule: HandshakeRule, context: ValueContext, keys: HandshakeKeys): DirectResponse | undefined {
	const answer = rule.respond;
	if ('json' in answer) {
		const body: Record<string, string | number | boolean> = {};
		for (const [name, value] of Object.entries(answer.json)) {
			const resolved = valueOf(value, context, keys);
			if (resolved === undefined) return undefined;
			body[name] = resolved;
		}
		return respondOk(body);
	}
	if ('text' in answer) {
		const text = valueOf(answer.text, context, keys);
		return text === undefined ? undefined : { status: 200, body: String(text), headers: { ...TEXT, ...answer.headers } };
	}
	if ('headers' in answer) {
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(answer.headers)) {
			const resolved = valueOf(value, context, keys);
			if (resolved === undefined) return undefined;
			headers[name.toLowerCase()] = String(resolved);
		}
		return { status: 200, body: '', headers: { ...TEXT, ...headers } };
	}
	// AWS SNS subscription confirmation: requestChecks.ts confirms it (a fetch), never this pure function.
	return undefined;
}

/** The handshake rule a request is, a refusal (it is one but fails its `require` conditions), or undefined. */
export type HandshakeMatch = { rule: HandshakeRule } | { refused: DirectResponse };

const refused = (): DirectResponse => reject(403, 'invalid_verify_token', 'invalid verification request');

/** Which of `rules` in `phase` the request is, if any. */
export function matchHandshake(
	rules: readonly HandshakeRule[] | undefined,
	phase: HandshakeRule['phase'],
	request: HandshakeRequest,
	settings: HandshakeSettings,
	verification?: VerificationSuccess,
): HandshakeMatch | undefined {
	if (!rules) return undefined;
	const context = contextOf(request, verification);
	const method = request.method.toUpperCase();
	for (const rule of rules) {
		if (rule.phase !== phase || (rule.method !== undefined && rule.method !== method)) continue;
		if (!rule.when.every((condition) => holds(condition, context, settings))) continue;
		if (!(rule.require ?? []).every((condition) => holds(condition, context, settings))) return { refused: refused() };
		return { rule };
	}
	return undefined;
}

/** The answer a matched rule gives (403 when it cannot be made: a missing value, a refused input, no key). */
export function respondToHandshake(rule: HandshakeRule, request: HandshakeRequest, keys: HandshakeKeys, verification?: VerificationSuccess): DirectResponse {
	return respond(rule, contextOf(request, verification), keys) ?? refused();
}

/** True when the rule's answer needs the secret (an HMAC of a challenge). */
export function handshakeNeedsKey(rule: HandshakeRule): boolean {
	const values = 'json' in rule.respond ? Object.values(rule.respond.json) : 'text' in rule.respond ? [rule.respond.text] : 'headers' in rule.respond ? Object.values(rule.respond.headers) : [];
	return values.some((value) => 'hmacOf' in value);
}

/**
 * The answer to a handshake in `phase`, or undefined when the request is none (an ordinary event). A request that
 * is a handshake but fails its `require` conditions, or whose answer cannot be made, is refused with 403. A
 * subscription confirmation is not answered here (see requestChecks.ts: it needs its verifier's hook).
 */
export function answerHandshake(
	rules: readonly HandshakeRule[] | undefined,
	phase: HandshakeRule['phase'],
	request: HandshakeRequest,
	settings: HandshakeSettings,
	keys: HandshakeKeys = {},
	verification?: VerificationSuccess,
): DirectResponse | undefined {
	const match = matchHandshake(rules, phase, request, settings, verification);
	if (!match) return undefined;
	if ('refused' in match) return match.refused;
	return respondToHandshake(match.rule, request, keys, verification);
}

/**
 * True when the provider has unsigned handshakes on the webhook's own method (answered before verification); GET and
 * OPTIONS ones are answered by the method check.
 */
export function hasUnsignedHandshake(rules: readonly HandshakeRule[] | undefined): boolean {
	return (rules ?? []).some((rule) => rule.phase === 'unsigned' && rule.method !== 'GET' && rule.method !== 'OPTIONS');
}

/** True when the provider answers unsigned handshakes on `method` (the method check lets GET and OPTIONS through for them). */
export function hasHandshakeOn(rules: readonly HandshakeRule[] | undefined, method: 'GET' | 'OPTIONS'): boolean {
	return (rules ?? []).some((rule) => rule.phase === 'unsigned' && rule.method === method);
}
