import { describe, expect, it } from 'vitest';
import { computeResults, DEFAULT_MONTE_CARLO_DRAWS, DEFAULT_SCORING_SETTINGS, type ScoringInput } from '../../../scoring/index';

function input(overrides: Partial<ScoringInput> = {}): ScoringInput {
  return {
    settings: { ...DEFAULT_SCORING_SETTINGS },
    sections: [{ id: 'tech', title: 'Technical' }, { id: 'cost', title: 'Cost' }],
    criteria: [
      { id: 'c1', sectionId: 'tech', title: 'Quality', kind: 'scored', points: 60 },
      { id: 'c2', sectionId: 'tech', title: 'Security', kind: 'scored', points: 10 },
      { id: 'ko', sectionId: 'tech', title: 'Residency', kind: 'pass_fail', points: 0 },
      { id: 'price', sectionId: 'cost', title: 'Price', kind: 'price', points: 30 },
    ],
    vendors: [
      { id: 'A', name: 'Acme', price: 100 },
      { id: 'B', name: 'Beta', price: 50 },
      { id: 'C', name: 'Civic', price: 200 },
    ],
    evaluators: [{ id: 'e1', name: 'Ann' }, { id: 'e2', name: 'Ben' }],
    scores: [
      ...['A', 'B', 'C'].flatMap((vendorId, v) =>
        ['e1', 'e2'].flatMap((evaluatorId) => [
          { evaluatorId, vendorId, criterionId: 'c1', value: 5 - v, submitted: true },
          { evaluatorId, vendorId, criterionId: 'c2', value: 3, submitted: true },
          { evaluatorId, vendorId, criterionId: 'ko', value: vendorId === 'B' ? 0 : 1, submitted: true },
        ]),
      ),
    ],
    ...overrides,
  };
}

describe('computeResults', () => {
  it('takes Pmin over qualified vendors only, and caps a disqualified vendor’s price points at W', () => {
    const results = computeResults(input());
    // Beta (50) fails the knock-out unanimously; Pmin is Acme's 100, not Beta's 50.
    expect(results.lowestPrice).toBe(100);
    expect(results.lowestPriceAmong).toBe('qualified');
    const beta = results.vendors.find((v) => v.vendorId === 'B');
    expect(beta).toMatchObject({ rank: null, qualified: false, disqualifiedBecause: ['Failed knock-out “Residency” (all 2 evaluators).'] });
    expect(beta?.criteria.find((c) => c.criterionId === 'price')?.points).toBe(30);
    const civic = results.vendors.find((v) => v.vendorId === 'C');
    expect(civic?.criteria.find((c) => c.criterionId === 'price')?.points).toBe(15);
    // Acme: 60 + 6 + 30 = 96; Civic: 60·3/5 + 6 + 15 = 57.
    expect(results.vendors.map((v) => [v.vendorId, v.rank, v.total])).toEqual([
      ['A', 1, 96],
      ['C', 2, 57],
      ['B', null, 48 + 6 + 30],
    ]);
    expect(results.final).toBe(true);
  });

  it('does not hold results back for gaps about a disqualified vendor', () => {
    const base = input();
    const results = computeResults({
      ...base,
      vendors: base.vendors.map((v) => (v.id === 'B' ? { ...v, price: null } : v)),
      scores: base.scores.filter((s) => !(s.vendorId === 'B' && s.criterionId === 'c2')),
    });
    expect(results.final).toBe(true);
    expect(results.vendors.find((v) => v.vendorId === 'B')?.problems.map((p) => p.code)).toEqual(['MISSING_PRICE']);
  });

  it('lists scoresheets that are not submitted, including ones with no score yet, skipping recusals', () => {
    const base = input();
    const results = computeResults({
      ...base,
      evaluators: [{ id: 'e1', name: 'Ann' }, { id: 'e2', name: 'Ben', recusedFrom: ['C'] }],
      scoresheets: [
        { evaluatorId: 'e1', vendorId: 'A', status: 'submitted' },
        { evaluatorId: 'e2', vendorId: 'A', status: 'not_started' },
        { evaluatorId: 'e2', vendorId: 'C', status: 'in_progress' },
      ],
    });
    expect(results.notFinalBecause).toEqual(['Ben has not submitted the scoresheet for Acme.']);
    expect(results.warnings).toEqual(['Scores by Ben for Civic were ignored: Ben is recused from Civic.']);
  });

  it('reports a knock-out nobody decided', () => {
    const base = input();
    const results = computeResults({ ...base, scores: base.scores.filter((s) => !(s.vendorId === 'A' && s.criterionId === 'ko')) });
    expect(results.notFinalBecause).toEqual(['Knock-out “Residency” has no pass/fail decision for Acme.']);
    expect(results.vendors.find((v) => v.vendorId === 'A')?.criteria.find((c) => c.criterionId === 'ko')).toMatchObject({
      value: null,
      knockout: 'not_scored',
      source: 'none',
    });
  });

  it('lists every unscored criterion of a vendor in one sentence', () => {
    const base = input();
    const results = computeResults({ ...base, scores: base.scores.filter((s) => !(s.vendorId === 'C' && s.criterionId !== 'ko')) });
    expect(results.notFinalBecause).toEqual(['Civic is not scored on “Quality” and “Security”.']);
    expect(results.vendors.find((v) => v.vendorId === 'C')?.total).toBe(15);
  });

  it('shows price points against all vendors when no qualified vendor has a price', () => {
    const base = input();
    const results = computeResults({ ...base, vendors: base.vendors.map((v) => ({ ...v, price: v.id === 'B' ? 50 : null })) });
    expect(results.lowestPrice).toBe(50);
    expect(results.lowestPriceAmong).toBe('all');
    expect(results.robustness.priceFormulaSwap).toMatchObject({ applicable: false, reason: 'No qualified vendor has a price.' });
    expect(results.warnings).toHaveLength(1);
  });

  it('handles no vendors at all', () => {
    const results = computeResults(input({ vendors: [], scores: [] }));
    expect(results).toMatchObject({ final: false, notFinalBecause: ['No vendor is in the evaluation.'], winnerIds: [], vendors: [] });
    expect(results.robustness.monteCarlo).toBeNull();
  });

  it('runs the default 10,000 draws, or none when asked', () => {
    expect(computeResults(input()).robustness.monteCarlo?.draws).toBe(DEFAULT_MONTE_CARLO_DRAWS);
    expect(computeResults(input({ options: { monteCarloDraws: 0 } })).robustness.monteCarlo).toBeNull();
  });

  it('returns agreement null with a reason when every score is identical', () => {
    const base = input();
    const results = computeResults({ ...base, scores: base.scores.map((s) => (s.criterionId === 'ko' ? s : { ...s, value: 3 })) });
    expect(results.agreement).toMatchObject({ alpha: null, metric: 'krippendorff_alpha_interval' });
    expect(results.agreement.reason).toMatch(/same value/);
  });

  it('is plain JSON and leaves its input untouched', () => {
    const data = input();
    const copy = structuredClone(data);
    const results = computeResults(data);
    expect(data).toEqual(copy);
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });
});
