import { describe, expect, it } from 'vitest';
import {
  computeResults,
  isScoringError,
  ScoringError,
  tryComputeResults,
  validateInput,
  type ScoringInput,
} from '../../../scoring/index';

function base(): ScoringInput {
  return {
    settings: { scaleMax: 5, aggregation: 'mean', divergenceThreshold: 0.3, priceFormula: 'ratio', totalPoints: 100, allowHalfPoints: false },
    sections: [{ id: 's', title: 'All' }],
    criteria: [
      { id: 'c1', sectionId: 's', title: 'Quality', kind: 'scored', points: 70 },
      { id: 'ko', sectionId: 's', title: 'Residency', kind: 'pass_fail', points: 0 },
      { id: 'price', sectionId: 's', title: 'Price', kind: 'price', points: 30 },
      { id: 'info', sectionId: 's', title: 'Background', kind: 'info', points: 0 },
    ],
    vendors: [
      { id: 'A', name: 'Acme', price: 100 },
      { id: 'B', name: 'Beta', price: 120 },
    ],
    evaluators: [{ id: 'e1', name: 'Ann' }],
    scores: [
      { evaluatorId: 'e1', vendorId: 'A', criterionId: 'c1', value: 4, submitted: true },
      { evaluatorId: 'e1', vendorId: 'B', criterionId: 'c1', value: 3, submitted: true },
    ],
  };
}

function codes(input: unknown): string[] {
  return validateInput(input as ScoringInput).map((p) => p.code);
}

describe('validateInput', () => {
  it('accepts a valid input', () => {
    expect(validateInput(base())).toEqual([]);
  });

  it.each([
    ['scale max 0', (i: ScoringInput) => ({ ...i, settings: { ...i.settings, scaleMax: 0 } }), 'INVALID_SETTINGS'],
    ['scale max 4.5', (i: ScoringInput) => ({ ...i, settings: { ...i.settings, scaleMax: 4.5 } }), 'INVALID_SETTINGS'],
    ['threshold 1.5', (i: ScoringInput) => ({ ...i, settings: { ...i.settings, divergenceThreshold: 1.5 } }), 'INVALID_SETTINGS'],
    ['total 0', (i: ScoringInput) => ({ ...i, settings: { ...i.settings, totalPoints: 0 } }), 'INVALID_SETTINGS'],
    ['draws −1', (i: ScoringInput) => ({ ...i, options: { monteCarloDraws: -1 } }), 'INVALID_OPTIONS'],
    ['duplicate vendor', (i: ScoringInput) => ({ ...i, vendors: [...i.vendors, { id: 'A', name: 'Again', price: 1 }] }), 'DUPLICATE_ID'],
    ['unknown section', (i: ScoringInput) => ({ ...i, sections: [{ id: 'other', title: 'Other' }] }), 'UNKNOWN_SECTION'],
    ['negative points', (i: ScoringInput) => ({ ...i, criteria: i.criteria.map((c) => (c.id === 'c1' ? { ...c, points: -70 } : c)) }), 'INVALID_POINTS'],
    ['points on a knock-out', (i: ScoringInput) => ({ ...i, criteria: i.criteria.map((c) => (c.id === 'ko' ? { ...c, points: 5 } : c)) }), 'INVALID_POINTS'],
    ['points not adding up', (i: ScoringInput) => ({ ...i, settings: { ...i.settings, totalPoints: 90 } }), 'POINTS_TOTAL_MISMATCH'],
    [
      'two price criteria',
      (i: ScoringInput) => ({
        ...i,
        criteria: [
          ...i.criteria.map((c) => (c.id === 'c1' ? { ...c, points: 60 } : c)),
          { id: 'p2', sectionId: 's', title: 'Price again', kind: 'price' as const, points: 10 },
        ],
      }),
      'MULTIPLE_PRICE_CRITERIA',
    ],
    ['negative price', (i: ScoringInput) => ({ ...i, vendors: [{ id: 'A', name: 'Acme', price: -1 }] }), 'INVALID_PRICE'],
    ['NaN price', (i: ScoringInput) => ({ ...i, vendors: [{ id: 'A', name: 'Acme', price: Number.NaN }] }), 'INVALID_PRICE'],
    ['unknown vendor', (i: ScoringInput) => ({ ...i, scores: [{ ...(i.scores[0] as ScoringInput['scores'][number]), vendorId: 'Z' }] }), 'UNKNOWN_VENDOR'],
    ['unknown evaluator', (i: ScoringInput) => ({ ...i, scores: [{ ...(i.scores[0] as ScoringInput['scores'][number]), evaluatorId: 'z' }] }), 'UNKNOWN_EVALUATOR'],
    ['score above S', (i: ScoringInput) => ({ ...i, scores: [{ ...(i.scores[0] as ScoringInput['scores'][number]), value: 6 }] }), 'INVALID_SCORE'],
    ['negative score', (i: ScoringInput) => ({ ...i, scores: [{ ...(i.scores[0] as ScoringInput['scores'][number]), value: -1 }] }), 'INVALID_SCORE'],
    ['NaN score', (i: ScoringInput) => ({ ...i, scores: [{ ...(i.scores[0] as ScoringInput['scores'][number]), value: Number.NaN }] }), 'INVALID_SCORE'],
    [
      'quarter point with half points',
      (i: ScoringInput) => ({
        ...i,
        settings: { ...i.settings, allowHalfPoints: true },
        scores: [{ ...(i.scores[0] as ScoringInput['scores'][number]), value: 3.25 }],
      }),
      'INVALID_SCORE',
    ],
    ['pass/fail vote of 2', (i: ScoringInput) => ({ ...i, scores: [{ evaluatorId: 'e1', vendorId: 'A', criterionId: 'ko', value: 2, submitted: true }] }), 'INVALID_SCORE'],
    ['score on price', (i: ScoringInput) => ({ ...i, scores: [{ evaluatorId: 'e1', vendorId: 'A', criterionId: 'price', value: 3, submitted: true }] }), 'SCORE_NOT_ALLOWED'],
    ['score on info', (i: ScoringInput) => ({ ...i, scores: [{ evaluatorId: 'e1', vendorId: 'A', criterionId: 'info', value: 3, submitted: true }] }), 'SCORE_NOT_ALLOWED'],
    ['same score twice', (i: ScoringInput) => ({ ...i, scores: [...i.scores, i.scores[0] as ScoringInput['scores'][number]] }), 'DUPLICATE_SCORE'],
    ['consensus off scale', (i: ScoringInput) => ({ ...i, consensus: [{ vendorId: 'A', criterionId: 'c1', value: 9 }] }), 'INVALID_CONSENSUS'],
    ['consensus on price', (i: ScoringInput) => ({ ...i, consensus: [{ vendorId: 'A', criterionId: 'price', value: 3 }] }), 'INVALID_CONSENSUS'],
    [
      'two consensus scores',
      (i: ScoringInput) => ({
        ...i,
        consensus: [
          { vendorId: 'A', criterionId: 'c1', value: 3 },
          { vendorId: 'A', criterionId: 'c1', value: 4 },
        ],
      }),
      'DUPLICATE_CONSENSUS',
    ],
    ['recusal from an unknown vendor', (i: ScoringInput) => ({ ...i, evaluators: [{ id: 'e1', name: 'Ann', recusedFrom: ['Z'] }] }), 'UNKNOWN_VENDOR'],
    ['scoresheet of an unknown evaluator', (i: ScoringInput) => ({ ...i, scoresheets: [{ evaluatorId: 'z', vendorId: 'A', status: 'submitted' as const }] }), 'UNKNOWN_EVALUATOR'],
  ])('rejects %s', (_, change, code) => {
    const problems = validateInput(change(base()));
    expect(problems.map((p) => p.code)).toContain(code);
    for (const p of problems) {
      expect(p.message.length).toBeGreaterThan(10);
      expect(p.message).not.toMatch(/undefined|NaN/);
    }
  });

  it('ignores prices when the RFP has no price criterion', () => {
    const input = base();
    const noPrice: ScoringInput = {
      ...input,
      criteria: input.criteria.map((c) => (c.id === 'price' ? { ...c, kind: 'scored' as const } : c)),
      vendors: [{ id: 'A', name: 'Acme', price: 0 }, { id: 'B', name: 'Beta', price: null }],
    };
    expect(validateInput(noPrice)).toEqual([]);
  });

  it('never throws on malformed input', () => {
    expect(codes(null)).toEqual(['INVALID_INPUT']);
    expect(codes({})).toContain('INVALID_INPUT');
    expect(codes({ ...base(), settings: null })).toEqual(['INVALID_SETTINGS']);
    expect(codes({ ...base(), scores: [null, 5] })).toEqual(['INVALID_INPUT', 'INVALID_INPUT']);
    expect(codes({ ...base(), criteria: [null] })).toContain('INVALID_INPUT');
    expect(codes({ ...base(), vendors: [{}] })).toContain('INVALID_INPUT');
    expect(codes({ ...base(), scores: [{ evaluatorId: 'e1', vendorId: 'A', criterionId: 'c1', value: '4', submitted: 'yes' }] })).toEqual([
      'INVALID_INPUT',
      'INVALID_SCORE',
    ]);
  });
});

describe('computeResults on bad input', () => {
  it('throws one ScoringError listing every problem', () => {
    const input = base();
    const bad: ScoringInput = {
      ...input,
      scores: [
        { evaluatorId: 'e1', vendorId: 'A', criterionId: 'c1', value: 9, submitted: true },
        { evaluatorId: 'e1', vendorId: 'B', criterionId: 'c1', value: 1.5, submitted: true },
      ],
    };
    let error: unknown;
    try {
      computeResults(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScoringError);
    expect(isScoringError(error)).toBe(true);
    const scoringError = error as ScoringError;
    expect(scoringError.code).toBe('INVALID_SCORE');
    expect(scoringError.problems.map((p) => p.path)).toEqual(['scores[0].value', 'scores[1].value']);
    expect(scoringError.message).toContain('The score by Ann for Acme on “Quality” must be a whole number from 0 to 5 (got 9).');
  });

  it('uses INVALID_INPUT as the code when problems differ', () => {
    const input = base();
    const error = new ScoringError([
      { code: 'INVALID_PRICE', message: 'a', path: 'x' },
      { code: 'INVALID_SCORE', message: 'b', path: 'y' },
    ]);
    expect(error.code).toBe('INVALID_INPUT');
    expect(tryComputeResults({ ...input, settings: { ...input.settings, totalPoints: 1 } })).toMatchObject({
      ok: false,
      problems: [{ code: 'POINTS_TOTAL_MISMATCH' }],
    });
    expect(tryComputeResults(input).ok).toBe(true);
  });
});
