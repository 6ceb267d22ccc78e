import { RE2JS } from 're2js';

/**
 * Patterns come from workflow authors and are matched against payloads from the outside world, so a
 * backtracking engine (JavaScript's RegExp) could be stalled for minutes by `(a+)+$` and a long
 * string. RE2 matches in time linear in the input, whatever the pattern; it has no lookaround and no
 * backreferences, the price of that guarantee.
 */
export const MAX_PATTERN_LENGTH = 2000;

export class RegexConfigError extends Error {}

export interface SafeRegex {
	readonly source: string;
	test(text: string): boolean;
}

const LITERAL = /^\/([\s\S]*)\/([a-z]*)$/;
const FLAG_BITS: Record<string, number> = {
	i: RE2JS.CASE_INSENSITIVE,
	m: RE2JS.MULTILINE,
	s: RE2JS.DOTALL,
	// Meaningless for a yes/no test, accepted so that a pattern copied from JavaScript still compiles.
	g: 0,
	u: 0,
};

/** Compiles `pattern` or `/pattern/flags` (flags i, m, s; g and u are accepted and ignored). */
export function compileSafeRegex(pattern: string): SafeRegex {
	if (pattern.length > MAX_PATTERN_LENGTH) {
		throw new RegexConfigError(`the regular expression is longer than ${MAX_PATTERN_LENGTH} characters`);
	}
	let body = pattern;
	let flags = 0;
	const literal = LITERAL.exec(pattern);
	if (literal) {
		body = literal[1];
		for (const flag of literal[2]) {
			const bit = FLAG_BITS[flag];
			if (bit === undefined) throw new RegexConfigError(`the regular expression flag "${flag}" is not supported`);
			flags |= bit;
		}
	}
	let compiled: RE2JS;
	try {
		compiled = RE2JS.compile(body, flags);
	} catch (error) {
		throw new RegexConfigError(`the regular expression is not valid RE2 syntax: ${(error as Error).message}`);
	}
	return { source: pattern, test: (text) => compiled.test(text) };
}
