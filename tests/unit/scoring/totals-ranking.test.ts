import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankByTotal, sectionSubtotals, totalPoints, winners } from '../../../scoring/index';

describe('totalPoints and sectionSubtotals', () => {
  it('adds the points that exist and skips the missing ones', () => {
    expect(totalPoints([32, null, 20, 24])).toBe(76);
    expect(totalPoints([])).toBe(0);
  });
  it('splits by section, in the sections’ order, with points available', () => {
    const criteria = [
      { sectionId: 'tech', points: 40 },
      { sectionId: 'cost', points: 30 },
      { sectionId: 'tech', points: 30 },
    ];
    expect(sectionSubtotals(['tech', 'cost', 'empty'], criteria, [32, 24, null])).toEqual([
      { sectionId: 'tech', points: 32, available: 70 },
      { sectionId: 'cost', points: 24, available: 30 },
      { sectionId: 'empty', points: 0, available: 0 },
    ]);
  });
});

describe('rankByTotal', () => {
  it('shares ranks on equal totals: 1, 1, 3', () => {
    const ranks = rankByTotal([
      { id: 'a', total: 70 },
      { id: 'b', total: 62 },
      { id: 'c', total: 70 },
      { id: 'd', total: 10 },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ a: 1, c: 1, b: 3, d: 4 });
  });
  it('treats totals within 1e-9 as equal, and beyond as different', () => {
    expect(Object.fromEntries(rankByTotal([{ id: 'a', total: 62 }, { id: 'b', total: 62 + 5e-10 }]))).toEqual({ a: 1, b: 1 });
    expect(Object.fromEntries(rankByTotal([{ id: 'a', total: 62 }, { id: 'b', total: 62 + 1e-8 }]))).toEqual({ a: 2, b: 1 });
    // 0.1 + 0.2 ≠ 0.3 in binary, but they are the same total.
    expect(Object.fromEntries(rankByTotal([{ id: 'a', total: 0.1 + 0.2 }, { id: 'b', total: 0.3 }]))).toEqual({ a: 1, b: 1 });
  });
  it('does not depend on the input order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }), (totals) => {
        const entries = totals.map((total, i) => ({ id: `v${i}`, total }));
        const forward = Object.fromEntries(rankByTotal(entries));
        const backward = Object.fromEntries(rankByTotal([...entries].reverse()));
        expect(backward).toEqual(forward);
        for (const e of entries) {
          expect(forward[e.id]).toBe(1 + entries.filter((x) => x.total > e.total).length);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('winners', () => {
  it('lists every vendor ranked 1, and nobody for no vendors', () => {
    expect(winners([{ id: 'a', total: 5 }, { id: 'b', total: 7 }, { id: 'c', total: 7 }])).toEqual(['b', 'c']);
    expect(winners([])).toEqual([]);
  });
});
