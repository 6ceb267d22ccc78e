'use strict';
/**
 * The nodes panel finds nodes by display name and by the codex `alias` list (the .node.json beside each node). The
 * trigger's aliases grow with the catalogue: at build time, every provider it offers (and the products sending the
 * same webhooks, such as WhatsApp for Meta) is added to the hand-written aliases, so searching "twilio" or "whatsapp"
 * finds it. Used by gulpfile.js (build:codex) on dist/, and by the unit test on the sources.
 */

/** Hand-written aliases first, then the new ones in order, each once (case-insensitive). */
function mergeAliases(written, added) {
	const seen = new Set();
	const merged = [];
	for (const alias of [...written, ...added]) {
		const key = alias.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		merged.push(alias);
	}
	return merged;
}

/** The trigger's catalogue aliases: each offered provider's name and its `aliases`, except the Custom entries. */
function providerAliases(providers, isAvailable) {
	return providers
		.filter((entry) => entry.group !== 'custom' && isAvailable(entry))
		.flatMap((entry) => [entry.displayName, ...(entry.aliases ?? [])]);
}

/** The codex with the aliases added (a new object; the input is not changed). */
function withAliases(codex, added) {
	return { ...codex, alias: mergeAliases(codex.alias ?? [], added) };
}

module.exports = { mergeAliases, providerAliases, withAliases };
