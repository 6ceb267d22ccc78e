import { noneScheme } from '../../../../nodes/shared/schemes/none';
import { NON_UTF8_BODY, verifyOptions, webhookRequest } from './schemeTestKit';

describe('none', () => {
	it('accepts any request, reporting that nothing was verified', () => {
		for (const request of [webhookRequest({}, ''), webhookRequest({ 'x-signature': 'forged' }, NON_UTF8_BODY)]) {
			expect(noneScheme.verify(request, { secret: '' }, verifyOptions(0))).toEqual({ ok: true, matched: 'none' });
		}
	});

	it('describes no event, has nothing to redact and cannot sign', () => {
		expect(noneScheme.describeEvent(webhookRequest({}, '{}'), { type: 'a', id: 'b' }, { ok: true, matched: 'none' })).toEqual({});
		expect(noneScheme.sensitiveHeaders).toEqual([]);
		expect(noneScheme.timestamped).toBe(false);
		expect(noneScheme.sign).toBeUndefined();
	});
});
