import { compileEventFilter } from '../../../../nodes/shared/checks/eventFilter';

describe('compileEventFilter', () => {
	it('matches everything, including an unknown event type, when empty', () => {
		for (const text of ['', '  ', ' , \n ']) {
			const filter = compileEventFilter(text);
			expect(filter('anything')).toBe(true);
			expect(filter(undefined)).toBe(true);
		}
	});

	it('matches everything, including an unknown event type, with a lone *', () => {
		const filter = compileEventFilter('issues, *');
		expect(filter('push')).toBe(true);
		expect(filter(undefined)).toBe(true);
		expect(compileEventFilter('**')(undefined)).toBe(true);
	});

	it('does not match an unknown event type with any other pattern', () => {
		expect(compileEventFilter('issues')(undefined)).toBe(false);
		expect(compileEventFilter('response.*')(undefined)).toBe(false);
		expect(compileEventFilter('*.*')(undefined)).toBe(false);
	});

	it('matches exact types, case-sensitively', () => {
		const filter = compileEventFilter('payment_intent.succeeded, charge.refunded');
		expect(filter('payment_intent.succeeded')).toBe(true);
		expect(filter('charge.refunded')).toBe(true);
		expect(filter('payment_intent.failed')).toBe(false);
		expect(filter('Payment_Intent.Succeeded')).toBe(false);
	});

	it('lets a pattern without * match its sub-types, and only those', () => {
		const filter = compileEventFilter('issues');
		expect(filter('issues')).toBe(true);
		expect(filter('issues.opened')).toBe(true);
		expect(filter('issues.labeled.extra')).toBe(true);
		expect(filter('issue_comment')).toBe(false);
		expect(filter('issues_opened')).toBe(false);
		expect(filter('issuesx.opened')).toBe(false);
		expect(filter('pull_request.issues')).toBe(false);
		expect(compileEventFilter('orders')('orders/create')).toBe(true);
		expect(compileEventFilter('a.b')('a.b.c')).toBe(true);
		expect(compileEventFilter('a.b')('a.bc')).toBe(false);
	});

	it('supports * anywhere in a pattern', () => {
		const filter = compileEventFilter('response.*\n*.failed\nfine_tuning.*.succeeded');
		expect(filter('response.completed')).toBe(true);
		expect(filter('response.output_text.delta')).toBe(true);
		expect(filter('response')).toBe(false);
		expect(filter('batch.failed')).toBe(true);
		expect(filter('fine_tuning.job.succeeded')).toBe(true);
		expect(filter('fine_tuning.job.failed')).toBe(true);
		expect(filter('fine_tuning.job.cancelled')).toBe(false);
		expect(filter('eval.run.succeeded')).toBe(false);
	});

	it('treats regular expression characters literally', () => {
		const filter = compileEventFilter('a.b, (x|y)+, [z], ^c$');
		expect(filter('a.b')).toBe(true);
		expect(filter('aXb')).toBe(false);
		expect(filter('(x|y)+')).toBe(true);
		expect(filter('x')).toBe(false);
		expect(filter('xx')).toBe(false);
		expect(filter('[z]')).toBe(true);
		expect(filter('z')).toBe(false);
		expect(filter('^c$')).toBe(true);
		expect(filter('c')).toBe(false);
	});

	it('does not backtrack catastrophically on hostile input', () => {
		const filter = compileEventFilter('*a*a*a*a*a*a*a*a*a*a*b');
		// Would take ages with a naive backtracking matcher; the linear one answers at once.
		expect(filter('a'.repeat(100_000))).toBe(false);
		expect(filter(`${'a'.repeat(50)}b`)).toBe(true);
	});

	it('handles empty and odd event types without crashing', () => {
		const filter = compileEventFilter('issues, a*');
		expect(filter('')).toBe(false);
		expect(filter('.')).toBe(false);
		expect(filter('a')).toBe(true);
		expect(compileEventFilter('*x')('')).toBe(false);
	});
});
