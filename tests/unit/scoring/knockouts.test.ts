import { describe, expect, it } from 'vitest';
import { countVotes, disqualificationReason, knockoutOutcome } from '../../../scoring/index';

describe('knockoutOutcome', () => {
  it.each([
    [null, { passes: 3, fails: 0 }, 'pass'],
    [null, { passes: 0, fails: 2 }, 'fail'],
    [null, { passes: 2, fails: 1 }, 'mixed'],
    [null, { passes: 0, fails: 0 }, 'not_scored'],
    [0, { passes: 3, fails: 0 }, 'fail'],
    [1, { passes: 1, fails: 2 }, 'pass'],
    [1, { passes: 0, fails: 0 }, 'pass'],
  ] as const)('consensus %s, votes %o → %s', (consensus, votes, outcome) => {
    expect(knockoutOutcome(consensus, votes)).toBe(outcome);
  });
});

describe('countVotes', () => {
  it('counts 1 as pass and 0 as fail', () => {
    expect(countVotes([1, 0, 1])).toEqual({ passes: 2, fails: 1 });
    expect(countVotes(new Float64Array([]))).toEqual({ passes: 0, fails: 0 });
  });
});

describe('disqualificationReason', () => {
  it('names the criterion and who decided', () => {
    expect(disqualificationReason('Data residency', true, 0)).toBe('Failed knock-out “Data residency” (consensus decision).');
    expect(disqualificationReason('Data residency', false, 3)).toBe('Failed knock-out “Data residency” (all 3 evaluators).');
    expect(disqualificationReason('Data residency', false, 1)).toBe('Failed knock-out “Data residency” (the only evaluator).');
  });
});
