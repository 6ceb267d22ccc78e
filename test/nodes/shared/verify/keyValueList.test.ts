import { scanKeyValueList } from '../../../../nodes/shared/verify/keyValueList';

function entries(text: string, pairSeparator = ',', keyValueSeparator = '=', maxItems = 10): Array<[string, string]> | false {
	const found: Array<[string, string]> = [];
	const complete = scanKeyValueList(text, { pairSeparator, keyValueSeparator }, maxItems, (key, start, end) => {
		found.push([key, text.slice(start, end)]);
		return true;
	});
	return complete ? found : false;
}

describe('keyValueList', () => {
	it('reads Stripe-style lists, repeated keys included, in order', () => {
		expect(entries('t=1,v1=aa,v1=bb,v0=cc')).toEqual([
			['t', '1'],
			['v1', 'aa'],
			['v1', 'bb'],
			['v0', 'cc'],
		]);
	});

	it('reads other separators (Paddle ts=…;h1=…) and multi-character ones', () => {
		expect(entries('ts=1671552777;h1=abc', ';')).toEqual([
			['ts', '1671552777'],
			['h1', 'abc'],
		]);
		expect(entries('a:1 | b:2', ' | ', ':')).toEqual([
			['a', '1'],
			['b', '2'],
		]);
	});

	it('trims whitespace around keys and values, keeps it inside values, and skips items without a separator', () => {
		expect(entries(' t = 1 ,\tv1=\ta b\u00a0, junk, =x')).toEqual([
			['t', '1'],
			['v1', 'a b'],
			['', 'x'],
		]);
	});

	it('keeps "=" inside a value (base64 padding) and stops past the item limit', () => {
		expect(entries('v1=YWJj==,t=1')).toEqual([
			['v1', 'YWJj=='],
			['t', '1'],
		]);
		expect(entries(Array.from({ length: 11 }, () => 'a=1').join(','))).toBe(false);
		expect(entries(Array.from({ length: 10 }, () => 'a=1').join(','))).not.toBe(false);
	});

	it('stops when the visitor says so, and refuses empty separators', () => {
		expect(scanKeyValueList('a=1,b=2', { pairSeparator: ',', keyValueSeparator: '=' }, 10, (key) => key !== 'a')).toBe(false);
		expect(scanKeyValueList('a=1', { pairSeparator: '', keyValueSeparator: '=' }, 10, () => true)).toBe(false);
	});
});
