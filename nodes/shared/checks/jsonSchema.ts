import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
import addFormats from 'ajv-formats';

import { LruMap } from '../stores/lruMap';

export interface SchemaViolation {
	/** JSON Pointer into the payload ('' is the payload itself). */
	path: string;
	message: string;
}

export type SchemaValidationResult = { ok: true } | { ok: false; errors: SchemaViolation[] };

export interface JsonSchemaValidator {
	validate(value: unknown): SchemaValidationResult;
}

export const MAX_REPORTED_SCHEMA_ERRORS = 5;
export const MAX_CACHED_SCHEMAS = 64;
const MAX_PATH_LENGTH = 200;
const MAX_MESSAGE_LENGTH = 200;

type CachedCompilation = { validator: JsonSchemaValidator } | { error: Error };
const compiled = new LruMap<CachedCompilation>(MAX_CACHED_SCHEMAS);

const AJV_OPTIONS: Options = {
	// Real-world schemas carry unknown keywords (example, x-*, nullable); ignore them rather than refuse the schema.
	strict: false,
	allErrors: true,
	messages: true,
	verbose: false,
};

/**
 * Compiles a JSON Schema given as text, once per distinct text (a bounded cache keeps the most recently used ones).
 * The draft follows `$schema`: 2020-12, 2019-09, draft-06, or draft-07 (also when `$schema` is absent).
 * Throws an Error with a clear message when the text is not JSON or not a valid schema.
 */
export function compileJsonSchema(schemaText: string): JsonSchemaValidator {
	let entry = compiled.get(schemaText);
	if (entry === undefined) {
		entry = compileUncached(schemaText);
		compiled.set(schemaText, entry);
	}
	if ('error' in entry) throw entry.error;
	return entry.validator;
}

/** Empties the compilation cache (tests). */
export function clearJsonSchemaCache(): void {
	compiled.clear();
}

function compileUncached(schemaText: string): CachedCompilation {
	try {
		return { validator: compileSchema(schemaText) };
	} catch (error) {
		return { error: error instanceof Error ? error : new Error(String(error)) };
	}
}

function compileSchema(schemaText: string): JsonSchemaValidator {
	if (schemaText.trim() === '') throw new Error('Invalid JSON Schema: the schema is empty');
	let schema: unknown;
	try {
		schema = JSON.parse(schemaText);
	} catch (error) {
		throw new Error(`Invalid JSON Schema: not valid JSON (${(error as Error).message})`);
	}
	if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
		throw new Error('Invalid JSON Schema: a schema must be a JSON object or a boolean');
	}

	let validateFunction: ValidateFunction;
	try {
		// A fresh Ajv per schema: schemas that reuse an $id do not collide, and evicted schemas are freed.
		const ajv = ajvFor(typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined);
		validateFunction = ajv.compile(schema as object | boolean);
	} catch (error) {
		throw new Error(`Invalid JSON Schema: ${(error as Error).message}`);
	}

	return {
		validate(value: unknown): SchemaValidationResult {
			if (validateFunction(value)) return { ok: true };
			const errors = (validateFunction.errors ?? []).slice(0, MAX_REPORTED_SCHEMA_ERRORS).map(toViolation);
			return { ok: false, errors };
		},
	};
}

function ajvFor(declaredDraft: unknown): Ajv {
	const draft = typeof declaredDraft === 'string' ? declaredDraft : '';
	let ajv: Ajv;
	if (draft.includes('2020-12')) ajv = new Ajv2020(AJV_OPTIONS);
	else if (draft.includes('2019-09')) ajv = new Ajv2019(AJV_OPTIONS);
	else if (draft.includes('draft-04') || draft.includes('draft-03')) {
		throw new Error(`$schema "${draft.slice(0, 80)}" is not supported; use draft-07, 2019-09 or 2020-12`);
	} else {
		ajv = new Ajv(AJV_OPTIONS);
		if (draft.includes('draft-06')) ajv.addMetaSchema(draft06MetaSchema);
	}
	addFormats(ajv);
	return ajv;
}

/** Only where and which rule failed: Ajv's `data`, `params` and `schema` may echo the payload, so they are dropped. */
function toViolation(error: ErrorObject): SchemaViolation {
	return {
		path: truncate(error.instancePath, MAX_PATH_LENGTH),
		message: truncate(error.message ?? 'is invalid', MAX_MESSAGE_LENGTH),
	};
}

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}
