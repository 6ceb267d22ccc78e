import {
	ParameterError,
	customHeadersFrom,
	parseUrlList,
	readExecutionSettings,
	readItemSettings,
	type ParameterReader,
} from '../../../nodes/SignedWebhook/parameters';

function reader(values: Record<string, unknown>): ParameterReader {
	return (name, _itemIndex, fallback) => (name in values ? values[name] : fallback);
}

describe('parseUrlList', () => {
	it('splits on new lines, whitespace and commas before another URL, keeping commas inside a URL', () => {
		expect(parseUrlList('https://a.example/x?list=1,2,3, https://b.example/y\nhttp://c.example  https://d.example')).toEqual([
			'https://a.example/x?list=1,2,3',
			'https://b.example/y',
			'http://c.example',
			'https://d.example',
		]);
	});

	it('takes an array from an expression and sends duplicates once', () => {
		expect(parseUrlList(['https://a.example/', 'https://a.example/', ' https://b.example/ '])).toEqual(['https://a.example/', 'https://b.example/']);
		expect(parseUrlList('')).toEqual([]);
		expect(parseUrlList(undefined)).toEqual([]);
	});
});

describe('customHeadersFrom', () => {
	it('lower-cases names and skips empty ones', () => {
		expect(customHeadersFrom({ header: [{ name: 'X-Tenant', value: 'acme' }, { name: ' ', value: 'x' }] })).toEqual({ 'x-tenant': 'acme' });
		expect(customHeadersFrom({})).toEqual({});
	});

	it('refuses invalid names and values without quoting the value', () => {
		expect(() => customHeadersFrom({ header: [{ name: 'bad name', value: 'x' }] })).toThrow(ParameterError);
		let message = '';
		try {
			customHeadersFrom({ header: [{ name: 'x-api-key', value: 'sk_live_secret\r\nInjected: yes' }] });
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/x-api-key/);
		expect(message).not.toMatch(/sk_live_secret/);
	});

	it('refuses headers the node computes', () => {
		expect(() => customHeadersFrom({ header: [{ name: 'Content-Length', value: '3' }] })).toThrow(/set by the node/);
	});
});

describe('readExecutionSettings', () => {
	it('uses the documented defaults', () => {
		const settings = readExecutionSettings(reader({}));
		expect(settings).toMatchObject({
			method: 'POST',
			signing: { scheme: 'standardWebhooks' },
			concurrency: 10,
			maxResponseBytes: 65_536,
			maxRedirects: 0,
			refuseNonPublic: false,
			contentType: 'application/json',
			failOnDeadLetter: false,
			policy: {
				timeoutMs: 10_000,
				retryAfterMaxMs: 300_000,
				timeBudgetMs: 1_800_000,
				schedule: { kind: 'exponential', maxAttempts: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000, jitter: 0.5 },
			},
		});
	});

	it('reads the explicit schedule and the options', () => {
		const settings = readExecutionSettings(
			reader({
				retrySchedule: 'explicit',
				retryDelays: '5s, 15s, 1m, 5m, 15m',
				options: { followRedirects: true, refusePrivateDestinations: true, concurrency: 3, timeoutMs: 500 },
			}),
		);
		expect(settings.policy.schedule).toEqual({ kind: 'explicit', delaysMs: [5000, 15_000, 60_000, 300_000, 900_000] });
		expect(settings).toMatchObject({ maxRedirects: 5, refuseNonPublic: true, concurrency: 3, policy: { timeoutMs: 500 } });
	});

	it('reads the hmac and jwt options the way the trigger names them', () => {
		expect(
			readExecutionSettings(reader({ scheme: 'hmac', hmacSignatureHeader: 'X-Hub', hmacPrefix: 'sha256=', hmacTimestampHeader: 'X-Ts' })).signing.hmac,
		).toEqual({ algorithm: 'sha256', signatureHeader: 'x-hub', encoding: 'hex', prefix: 'sha256=', timestampHeader: 'x-ts', signedContent: '{body}' });
		expect(readExecutionSettings(reader({ scheme: 'jwt', jwtAlgorithm: 'ES256' })).signing.jwt).toEqual({
			algorithm: 'ES256',
			tokenHeader: 'authorization',
			issuer: '',
			audience: '',
			bodyHashClaim: 'body_sha256',
			expiresInSeconds: 300,
		});
	});

	it('rejects values it cannot use', () => {
		expect(() => readExecutionSettings(reader({ scheme: 'slack' }))).toThrow(/Unknown signature scheme/);
		expect(() => readExecutionSettings(reader({ retrySchedule: 'explicit', retryDelays: '5s, later' }))).toThrow(/"later"/);
		expect(() => readExecutionSettings(reader({ options: { concurrency: 0 } }))).toThrow(/Max Requests in Flight/);
		expect(() => readExecutionSettings(reader({ method: 'GET' }))).toThrow(/Method/);
	});
});

describe('readItemSettings', () => {
	it('generates a fresh id per item when none is given', () => {
		const read = reader({ urls: 'https://a.example/' });
		const first = readItemSettings(read, 0, { a: 1 });
		const second = readItemSettings(read, 1, { a: 1 });
		expect(first.eventId).toMatch(/^[0-9a-f-]{36}$/);
		expect(first.eventId).not.toBe(second.eventId);
	});

	it('keeps a given id and reads the chosen field', () => {
		const settings = readItemSettings(reader({ urls: 'https://a.example/', eventId: 'evt_1', payloadSource: 'field', payloadField: 'body' }), 0, {
			body: { ok: true },
		});
		expect(settings.eventId).toBe('evt_1');
		expect(settings.payload.body.toString()).toBe('{"ok":true}');
	});

	it('needs at least one URL', () => {
		expect(() => readItemSettings(reader({ urls: ' ' }), 0, {})).toThrow(/No URL/);
	});
});
