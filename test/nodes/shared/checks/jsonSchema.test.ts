import {
	clearJsonSchemaCache,
	compileJsonSchema,
	MAX_CACHED_SCHEMAS,
	MAX_REPORTED_SCHEMA_ERRORS,
} from '../../../../nodes/shared/checks/jsonSchema';

const orderSchema = JSON.stringify({
	type: 'object',
	required: ['id', 'amount'],
	properties: {
		id: { type: 'string', pattern: '^ord_' },
		amount: { type: 'integer', minimum: 1 },
		email: { type: 'string', format: 'email' },
	},
});

beforeEach(() => clearJsonSchemaCache());

describe('compileJsonSchema', () => {
	it('accepts a matching payload', () => {
		expect(compileJsonSchema(orderSchema).validate({ id: 'ord_1', amount: 5, email: 'a@example.com' })).toEqual({
			ok: true,
		});
	});

	it('reports the failing location and rule', () => {
		const result = compileJsonSchema(orderSchema).validate({ id: 'x', amount: 0 });
		expect(result).toEqual({
			ok: false,
			errors: [
				{ path: '/id', message: 'must match pattern "^ord_"' },
				{ path: '/amount', message: 'must be >= 1' },
			],
		});
	});

	it('reports a missing required property at the root path', () => {
		const result = compileJsonSchema(orderSchema).validate({ id: 'ord_1' });
		expect(result).toEqual({ ok: false, errors: [{ path: '', message: "must have required property 'amount'" }] });
	});

	it('validates formats (ajv-formats)', () => {
		const result = compileJsonSchema(orderSchema).validate({ id: 'ord_1', amount: 1, email: 'not an email' });
		expect(result).toEqual({ ok: false, errors: [{ path: '/email', message: 'must match format "email"' }] });
	});

	it(`caps the reported errors at ${MAX_REPORTED_SCHEMA_ERRORS}`, () => {
		const schema = JSON.stringify({ type: 'array', items: { type: 'integer' } });
		const result = compileJsonSchema(schema).validate(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toHaveLength(MAX_REPORTED_SCHEMA_ERRORS);
		expect(result.errors[0]).toEqual({ path: '/0', message: 'must be integer' });
	});

	it('never echoes payload values, only paths and messages', () => {
		const secret = 'sk_live_SUPERSECRET_value';
		const schema = JSON.stringify({
			type: 'object',
			additionalProperties: false,
			properties: {
				token: { type: 'integer' },
				kind: { enum: ['a', 'b'] },
				fixed: { const: 'x' },
				nested: { type: 'object', properties: { deep: { type: 'number' } } },
			},
		});
		const result = compileJsonSchema(schema).validate({
			token: secret,
			kind: secret,
			fixed: secret,
			nested: { deep: secret },
			extra: secret,
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(JSON.stringify(result)).not.toContain('SUPERSECRET');
		for (const error of result.errors) expect(Object.keys(error).sort()).toEqual(['message', 'path']);
		expect(result.errors).toContainEqual({ path: '/nested/deep', message: 'must be number' });
	});

	it('compiles once per distinct schema text', () => {
		const first = compileJsonSchema(orderSchema);
		expect(compileJsonSchema(orderSchema)).toBe(first);
		expect(compileJsonSchema(`${orderSchema} `)).not.toBe(first);
	});

	it('keeps the cache bounded: the least recently used schema is compiled again', () => {
		const schemaNumber = (n: number) => JSON.stringify({ type: 'object', title: `schema ${n}` });
		const first = compileJsonSchema(schemaNumber(0));
		const second = compileJsonSchema(schemaNumber(1));
		for (let n = 2; n <= MAX_CACHED_SCHEMAS; n++) {
			compileJsonSchema(schemaNumber(n));
			compileJsonSchema(schemaNumber(1)); // keep schema 1 recently used
		}
		expect(compileJsonSchema(schemaNumber(1))).toBe(second);
		expect(compileJsonSchema(schemaNumber(0))).not.toBe(first);
	});

	it('ignores unknown keywords found in real-world schemas', () => {
		const schema = JSON.stringify({
			type: 'object',
			'x-internal': true,
			example: { id: 1 },
			nullable: true,
			properties: { id: { type: 'integer', description: 'id', examples: [1] } },
		});
		expect(compileJsonSchema(schema).validate({ id: 1 })).toEqual({ ok: true });
	});

	it('compiles schemas that reuse an $id without colliding', () => {
		const a = JSON.stringify({ $id: 'https://example.com/event', type: 'string' });
		const b = JSON.stringify({ $id: 'https://example.com/event', type: 'number' });
		expect(compileJsonSchema(a).validate('x')).toEqual({ ok: true });
		expect(compileJsonSchema(b).validate(1)).toEqual({ ok: true });
	});

	it('follows $schema: draft-07 (default), 2019-09, 2020-12 and draft-06', () => {
		const tuple2020 = JSON.stringify({
			$schema: 'https://json-schema.org/draft/2020-12/schema',
			type: 'array',
			prefixItems: [{ type: 'string' }],
			items: false,
		});
		expect(compileJsonSchema(tuple2020).validate(['a'])).toEqual({ ok: true });
		expect(compileJsonSchema(tuple2020).validate(['a', 1]).ok).toBe(false);

		const tupleDraft7 = JSON.stringify({
			$schema: 'http://json-schema.org/draft-07/schema#',
			type: 'array',
			items: [{ type: 'string' }],
			additionalItems: false,
		});
		expect(compileJsonSchema(tupleDraft7).validate(['a'])).toEqual({ ok: true });
		expect(compileJsonSchema(tupleDraft7).validate(['a', 1]).ok).toBe(false);

		const unevaluated2019 = JSON.stringify({
			$schema: 'https://json-schema.org/draft/2019-09/schema',
			type: 'object',
			properties: { a: true },
			unevaluatedProperties: false,
		});
		expect(compileJsonSchema(unevaluated2019).validate({ a: 1, b: 2 }).ok).toBe(false);

		const draft6 = JSON.stringify({ $schema: 'http://json-schema.org/draft-06/schema#', type: 'integer' });
		expect(compileJsonSchema(draft6).validate(3)).toEqual({ ok: true });
	});

	it('accepts boolean schemas', () => {
		expect(compileJsonSchema('true').validate({ any: 1 })).toEqual({ ok: true });
		expect(compileJsonSchema('false').validate({ any: 1 }).ok).toBe(false);
	});

	it.each([
		['', /schema is empty/],
		['{ not json', /not valid JSON/],
		['[1, 2]', /must be a JSON object or a boolean/],
		['"text"', /must be a JSON object or a boolean/],
		['{"type": "strnig"}', /^Invalid JSON Schema: schema is invalid/],
		['{"type": "object", "required": "id"}', /^Invalid JSON Schema: schema is invalid/],
		['{"$ref": "#/definitions/missing"}', /^Invalid JSON Schema: can't resolve reference/],
		['{"$ref": "https://example.com/remote.json"}', /^Invalid JSON Schema: can't resolve reference/],
		['{"$schema": "http://json-schema.org/draft-04/schema#"}', /draft-04.*not supported/],
	])('throws a clear error for %p', (schemaText, message) => {
		expect(() => compileJsonSchema(schemaText)).toThrow(message);
		// A cached failure throws the same error again rather than compiling again or passing silently.
		expect(() => compileJsonSchema(schemaText)).toThrow(message);
	});

	it('does not crash on payloads of any type', () => {
		const validator = compileJsonSchema(orderSchema);
		for (const value of [undefined, null, 0, 'x', [], true, { id: { toString: null } }]) {
			expect(validator.validate(value).ok).toBe(false);
		}
	});
});
