import { formatTimestamp, parseTimestamp } from '../../../../nodes/shared/verify/timestamps';

describe('timestamps: units', () => {
	it('s: digits only', () => {
		expect(parseTimestamp('1700000000', 's')).toBe(1_700_000_000);
		for (const text of ['1700000000.5', '1e9', '-1', '', ' 1']) expect(parseTimestamp(text, 's')).toBeUndefined();
	});

	it('ms: digits only, in milliseconds', () => {
		expect(parseTimestamp('1700000000123', 'ms')).toBe(1_700_000_000.123);
		expect(parseTimestamp('1700000000.5', 'ms')).toBeUndefined();
	});

	it('auto: seconds, or milliseconds from 10^11 on; a fraction is allowed', () => {
		expect(parseTimestamp('1700000000', 'auto')).toBe(1_700_000_000);
		expect(parseTimestamp('1700000000123', 'auto')).toBe(1_700_000_000.123);
		expect(parseTimestamp('1700000000.25', 'auto')).toBe(1_700_000_000.25);
		for (const text of ['1e9', '', '1'.repeat(30), '0x10', '17000 0']) expect(parseTimestamp(text, 'auto')).toBeUndefined();
	});

	it('iso8601: with Z or an offset, fractional seconds allowed; nothing looser', () => {
		expect(parseTimestamp('2023-11-14T22:13:20Z', 'iso8601')).toBe(1_700_000_000);
		expect(parseTimestamp('2023-11-14T23:13:20.500+01:00', 'iso8601')).toBe(1_700_000_000.5);
		for (const text of ['2023-11-14 22:13:20Z', '2023-11-14T22:13:20', 'Tue, 14 Nov 2023 22:13:20 GMT', '2023-13-45T99:99:99Z', '1700000000']) {
			expect(parseTimestamp(text, 'iso8601')).toBeUndefined();
		}
	});

	it('formats what it parses', () => {
		for (const unit of ['s', 'ms', 'auto', 'iso8601'] as const) {
			expect(Math.floor(parseTimestamp(formatTimestamp(1_700_000_000, unit), unit)!)).toBe(1_700_000_000);
		}
		expect(formatTimestamp(1_700_000_000.5, 'ms')).toBe('1700000000500');
		expect(formatTimestamp(1_700_000_000, 'iso8601')).toBe('2023-11-14T22:13:20.000Z');
	});
});
