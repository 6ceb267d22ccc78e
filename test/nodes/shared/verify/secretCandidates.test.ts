import { verifiedAt } from '../../../../nodes/shared/verify/results';
import { findMatchingSecret, matchSecret, secretCandidates } from '../../../../nodes/shared/verify/secretCandidates';
import { expectRejected } from '../schemes/schemeTestKit';

describe('secretCandidates: secretCandidates', () => {
	it('lists the current secret, then the previous one when set', () => {
		expect(secretCandidates({ secret: 'a', previousSecret: 'b' })).toEqual([
			{ key: 'a', matched: 'current' },
			{ key: 'b', matched: 'previous' },
		]);
		expect(secretCandidates({ secret: 'a', previousSecret: '' })).toEqual([{ key: 'a', matched: 'current' }]);
		expect(secretCandidates({ secret: 'a' })).toEqual([{ key: 'a', matched: 'current' }]);
	});

	it('lists nothing without a current secret, even if a previous one is set', () => {
		expect(secretCandidates({ secret: '', previousSecret: 'b' })).toEqual([]);
	});
});


describe('secretCandidates: comparisons', () => {
	it('matchSecret reports which secret matched, and invalid_signature otherwise', () => {
		const mac = (key: string) => Buffer.from(key.padEnd(8, '.'));
		const candidates = secretCandidates({ secret: 'new', previousSecret: 'old' });
		expect(matchSecret(candidates, [mac('old')], mac)).toEqual({ ok: true, matched: 'previous' });
		expect(matchSecret(candidates, [mac('x'), mac('new')], mac)).toEqual({ ok: true, matched: 'current' });
		expectRejected(matchSecret(candidates, [mac('x')], mac), 'invalid_signature');
		expectRejected(matchSecret(candidates, [], mac), 'invalid_signature');
		expectRejected(matchSecret(candidates, [mac('new')], () => undefined), 'invalid_signature');
	});

	it('findMatchingSecret names the matching secret; verifiedAt builds the success literal', () => {
		const mac = (key: string) => Buffer.from(key.padEnd(8, '.'));
		const candidates = secretCandidates({ secret: 'new', previousSecret: 'old' });
		expect(findMatchingSecret(candidates, [mac('old')], mac)).toBe('previous');
		expect(findMatchingSecret(candidates, [mac('new'), mac('old')], mac)).toBe('current');
		expect(findMatchingSecret(candidates, [mac('x')], mac)).toBeUndefined();
		expect(verifiedAt('current', 12)).toStrictEqual({ ok: true, matched: 'current', timestamp: 12 });
	});
});
