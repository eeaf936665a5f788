import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatorLeniency, krippendorffAlphaInterval } from '../../../scoring/index';

/** Krippendorff's alpha (interval) straight from the definition: every ordered pair, O(n²). */
function alphaByPairs(items: number[][]): number | null {
  const pairable = items.filter((u) => u.length >= 2);
  const all = pairable.flat();
  const n = all.length;
  if (n < 2) return null;
  let observed = 0;
  for (const u of pairable) {
    let s = 0;
    for (const a of u) for (const b of u) s += (a - b) ** 2;
    observed += s / (u.length - 1);
  }
  let expected = 0;
  for (const a of all) for (const b of all) expected += (a - b) ** 2;
  const Do = observed / n;
  const De = expected / (n * (n - 1));
  return De === 0 ? null : 1 - Do / De;
}

describe('krippendorffAlphaInterval', () => {
  it('matches a hand-worked example: [[1,2],[3,3]] → 8/11', () => {
    const figures = krippendorffAlphaInterval([[1, 2], [3, 3]]);
    expect(figures.alpha).toBeCloseTo(8 / 11, 12);
    expect(figures.pairableUnits).toBe(2);
    expect(figures.pairableValues).toBe(4);
    expect(figures.reason).toBeNull();
  });
  it('is 1 for perfect agreement with variation between items', () => {
    expect(krippendorffAlphaInterval([[1, 1, 1], [4, 4], [2, 2]]).alpha).toBe(1);
  });
  it('ignores items with a single score (nothing to pair)', () => {
    expect(krippendorffAlphaInterval([[1, 2], [3, 3], [5]]).alpha).toBeCloseTo(8 / 11, 12);
  });
  it('is null with a reason when no item has two scores', () => {
    const figures = krippendorffAlphaInterval([[1], [4], []]);
    expect(figures.alpha).toBeNull();
    expect(figures.pairableUnits).toBe(0);
    expect(figures.reason).toMatch(/two or more evaluators/);
  });
  it('is null with a reason when every score is the same (no variance)', () => {
    const figures = krippendorffAlphaInterval([[3, 3], [3, 3, 3]]);
    expect(figures.alpha).toBeNull();
    expect(figures.pairableValues).toBe(5);
    expect(figures.reason).toMatch(/same value/);
  });
  it('agrees with the pairwise definition on random data', () => {
    const item = fc.array(fc.integer({ min: 0, max: 10 }).map((x) => x / 2), { maxLength: 5 });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), (items) => {
        const expected = alphaByPairs(items);
        const actual = krippendorffAlphaInterval(items).alpha;
        if (expected === null) expect(actual).toBeNull();
        else expect(actual).toBeCloseTo(expected, 9);
      }),
      { numRuns: 200 },
    );
  });
});

describe('evaluatorLeniency', () => {
  it('is the mean of (own score − item mean) over shared items', () => {
    const figures = evaluatorLeniency([
      [{ raterId: 'ann', value: 4 }, { raterId: 'ben', value: 2 }],
      [{ raterId: 'ann', value: 4 }, { raterId: 'ben', value: 3 }, { raterId: 'cara', value: 5 }],
      [{ raterId: 'dev', value: 1 }],
    ]);
    expect(figures.get('ann')).toEqual({ leniency: 0.5, itemsCompared: 2 });
    expect(figures.get('ben')).toEqual({ leniency: -1, itemsCompared: 2 });
    expect(figures.get('cara')).toEqual({ leniency: 1, itemsCompared: 1 });
    // Dev scored alone: no panel to compare with.
    expect(figures.get('dev')).toEqual({ leniency: null, itemsCompared: 0 });
  });
  it('weighted by items compared, leniencies of a complete panel add up to 0', () => {
    const raters = ['a', 'b', 'c'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)), { minLength: 1, maxLength: 6 }), (rows) => {
        const figures = evaluatorLeniency(rows.map((row) => row.map((value, r) => ({ raterId: raters[r] as string, value }))));
        const sum = raters.reduce((acc, r) => acc + (figures.get(r)?.leniency ?? 0), 0);
        expect(sum).toBeCloseTo(0, 9);
      }),
      { numRuns: 100 },
    );
  });
});
