import {
	costsAnIsolatePerRequest,
	expressionEngineSettings,
	isolateNoticeProperties,
	ISOLATE_PER_REQUEST_ADVICE,
	logIsolateAdviceOnce,
} from '../../../nodes/SecureWebhookTrigger/expressionEngineAdvice';

describe("n8n's expression-engine settings and the advice about them", () => {
	it("reads n8n's defaults when nothing is set: vm, isolates taken eagerly", () => {
		expect(expressionEngineSettings({})).toEqual({ engine: 'vm', lazyAcquire: false });
		expect(costsAnIsolatePerRequest(expressionEngineSettings({}))).toBe(true);
	});

	it.each([
		[{ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, false],
		[{ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: '1' }, false],
		[{ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'TRUE' }, false],
		[{ N8N_EXPRESSION_ENGINE: 'legacy' }, false],
		[{ N8N_EXPRESSION_ENGINE: ' "legacy" ' }, false],
		[{ N8N_EXPRESSION_ENGINE: 'vm', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'false' }, true],
		[{ N8N_EXPRESSION_ENGINE: 'quickjs' }, true],
		// n8n falls back to its default for values it does not know.
		[{ N8N_EXPRESSION_ENGINE: 'bogus', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'yes' }, true],
		[{ N8N_EXPRESSION_ENGINE_POOL_SIZE: '8' }, true],
	])('%j → every request costs an isolate: %s', (env, costs) => {
		expect(costsAnIsolatePerRequest(expressionEngineSettings(env))).toBe(costs);
	});

	it('says nothing when a setting comes from a file it does not read', () => {
		expect(expressionEngineSettings({ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE_FILE: '/run/secrets/x' })).toBeUndefined();
		expect(costsAnIsolatePerRequest(undefined)).toBe(false);
	});

	it('the editor notice is there only with such settings, and carries the advice', () => {
		expect(isolateNoticeProperties(expressionEngineSettings({}))).toEqual([
			expect.objectContaining({ type: 'notice', displayName: ISOLATE_PER_REQUEST_ADVICE }),
		]);
		expect(isolateNoticeProperties(expressionEngineSettings({ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }))).toEqual([]);
		expect(ISOLATE_PER_REQUEST_ADVICE).toContain('N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true');
		expect(ISOLATE_PER_REQUEST_ADVICE).toContain('reverse proxy');
	});

	it('logs one warning per process, not one per activation', () => {
		const warn = jest.fn();
		logIsolateAdviceOnce({ warn }, expressionEngineSettings({ N8N_EXPRESSION_ENGINE: 'legacy' }));
		expect(warn).not.toHaveBeenCalled();
		for (let activation = 0; activation < 3; activation++) logIsolateAdviceOnce({ warn }, expressionEngineSettings({}));
		expect(warn).toHaveBeenCalledTimes(1);
		expect(warn.mock.calls[0][0]).toContain(ISOLATE_PER_REQUEST_ADVICE);
	});
});
