import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  breakEvenBySection,
  matrixTotals,
  monteCarloWinShares,
  mulberry32,
  priceFormulaSwap,
  type PointsMatrix,
} from '../../../scoring/index';
import { weightedRowSums } from '../../../scoring/robustness';

describe('mulberry32', () => {
  it('repeats exactly for the same seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
  it('uses the seed modulo 2^32', () => {
    expect(mulberry32(2 ** 32 + 5)()).toBe(mulberry32(5)());
  });
});

/** Case 01 of the golden files: tech (c1 40, c2 30), cost (price 30); vendors A, B, C. */
const case01: PointsMatrix = {
  vendorIds: ['A', 'B', 'C'],
  weights: [40, 30, 30],
  sectionIds: ['tech', 'tech', 'cost'],
  points: [32, 20, 24, 24, 26, 30, 40 * (14 / 3) / 5, 28, 19.2],
};

function totalsWithSectionWeight(matrix: PointsMatrix, sectionId: string, d: number): number[] {
  const C = matrix.weights.length;
  let ws = 0;
  let all = 0;
  for (let c = 0; c < C; c++) {
    all += matrix.weights[c] as number;
    if (matrix.sectionIds[c] === sectionId) ws += matrix.weights[c] as number;
  }
  const rest = all - ws;
  return matrix.vendorIds.map((_, v) => {
    let t = 0;
    for (let c = 0; c < C; c++) {
      const p = matrix.points[v * C + c] as number;
      t += matrix.sectionIds[c] === sectionId ? p * (1 + d / ws) : p * (1 - d / rest);
    }
    return t;
  });
}

describe('breakEvenBySection', () => {
  it('solves the hand-worked case exactly', () => {
    const [tech, cost] = breakEvenBySection(case01, ['tech', 'cost']);
    expect(tech?.status).toBe('changes');
    expect(tech?.change).toBeCloseTo(-2380 / 304, 9);
    expect(tech?.newWeight).toBeCloseTo(70 - 2380 / 304, 9);
    expect(tech?.challengerIds).toEqual(['B']);
    expect(cost?.change).toBeCloseTo(2380 / 304, 9);
    expect(cost?.relativeChange).toBeCloseTo(2380 / 304 / 30, 9);
  });

  it('at the break-even the challenger draws level; just before, the winner still leads alone', () => {
    const matrixArb = fc
      .record({
        V: fc.integer({ min: 2, max: 5 }),
        C: fc.integer({ min: 2, max: 5 }),
        seed: fc.nat(),
      })
      .map(({ V, C, seed }): PointsMatrix => {
        const random = mulberry32(seed);
        const weights = Array.from({ length: C }, () => 1 + Math.floor(random() * 30));
        return {
          vendorIds: Array.from({ length: V }, (_, v) => `v${v}`),
          weights,
          sectionIds: Array.from({ length: C }, (_, c) => `s${c % 2}`),
          points: Array.from({ length: V * C }, (_, k) => (weights[k % C] as number) * random()),
        };
      });
    fc.assert(
      fc.property(matrixArb, (matrix) => {
        const totals = Array.from(matrixTotals(matrix));
        const best = Math.max(...totals);
        const w = totals.indexOf(best);
        for (const row of breakEvenBySection(matrix, ['s0', 's1'])) {
          if (row.status !== 'changes') continue;
          const d = row.change as number;
          expect(Math.abs(d)).toBeLessThanOrEqual(0.5 * row.weight + 1e-9);
          const at = totalsWithSectionWeight(matrix, row.sectionId, d);
          const challenger = matrix.vendorIds.indexOf(row.challengerIds[0] as string);
          expect(at[challenger]).toBeCloseTo(at[w] as number, 6);
          const before = totalsWithSectionWeight(matrix, row.sectionId, d * 0.999);
          for (const [v, t] of before.entries()) if (v !== w) expect(t).toBeLessThan(before[w] as number);
        }
        // 'none' means no vendor overtakes at either end of the ±50% range (other sections cannot go below 0).
        const all = Array.from(matrix.weights).reduce((a, b) => a + b, 0);
        for (const row of breakEvenBySection(matrix, ['s0', 's1'])) {
          if (row.status !== 'none') continue;
          for (const d of [-0.5 * row.weight, Math.min(0.5 * row.weight, all - row.weight)]) {
            const at = totalsWithSectionWeight(matrix, row.sectionId, d);
            for (const [v, t] of at.entries()) if (v !== w) expect(t).toBeLessThan((at[w] as number) + 1e-9);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('explains when it does not apply', () => {
    const single: PointsMatrix = { vendorIds: ['A'], weights: [50, 50], sectionIds: ['a', 'b'], points: [10, 20] };
    expect(breakEvenBySection(single, ['a'])[0]?.reason).toMatch(/Fewer than two/);
    const tied: PointsMatrix = { vendorIds: ['A', 'B'], weights: [50, 50], sectionIds: ['a', 'b'], points: [10, 20, 20, 10] };
    expect(breakEvenBySection(tied, ['a'])[0]?.reason).toMatch(/share first place/);
    const whole: PointsMatrix = { vendorIds: ['A', 'B'], weights: [100], sectionIds: ['a'], points: [10, 20] };
    const [onlySection, emptySection] = breakEvenBySection(whole, ['a', 'b']);
    expect(onlySection?.reason).toMatch(/all the points/);
    expect(emptySection?.reason).toMatch(/no points/);
  });
});

/** The Monte Carlo without the contender shortcut, for comparison. */
function naiveShares(matrix: PointsMatrix, draws: number, seed: number): number[] {
  const C = matrix.weights.length;
  const V = matrix.vendorIds.length;
  const random = mulberry32(seed);
  const all = Array.from(matrix.weights).reduce((a, b) => a + b, 0);
  const wins = new Array<number>(V).fill(0);
  for (let d = 0; d < draws; d++) {
    const f = Array.from({ length: C }, () => 0.5 + random());
    const scale = all / f.reduce((s, x, c) => s + x * (matrix.weights[c] as number), 0);
    const totals = matrix.vendorIds.map((_, v) => {
      let t = 0;
      for (let c = 0; c < C; c++) t += (f[c] as number) * (matrix.points[v * C + c] as number);
      return t * scale;
    });
    const max = Math.max(...totals);
    const top = totals.flatMap((t, v) => (t >= max - 1e-9 ? [v] : []));
    for (const v of top) wins[v] = (wins[v] as number) + 1 / top.length;
  }
  return wins.map((w) => w / draws);
}

describe('monteCarloWinShares', () => {
  it('gives shares that add up to 1, repeat for the same seed, and change with the seed', () => {
    const a = monteCarloWinShares(case01, 10_000, 7);
    const b = monteCarloWinShares(case01, 10_000, 7);
    const c = monteCarloWinShares(case01, 10_000, 8);
    expect(b).toEqual(a);
    expect(c.shares).not.toEqual(a.shares);
    expect(a.shares.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
    // Acme is dominated by Civic under every weighting in range.
    expect(a.shares.find((s) => s.vendorId === 'A')?.share).toBe(0);
    expect(a.draws).toBe(10_000);
    expect(a.seed).toBe(7);
  });

  it('matches the plain simulation exactly (the contender shortcut changes no share)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.nat(), (V, C, seed) => {
        const random = mulberry32(seed ^ 0x9e3779b9);
        const weights = Array.from({ length: C }, () => 1 + Math.floor(random() * 20));
        // Coarse points make exact ties (split wins) common.
        const points = Array.from({ length: V * C }, (_, k) => ((weights[k % C] as number) * Math.floor(random() * 3)) / 2);
        const matrix: PointsMatrix = {
          vendorIds: Array.from({ length: V }, (_, v) => `v${v}`),
          weights,
          sectionIds: weights.map(() => 's'),
          points,
        };
        const shares = monteCarloWinShares(matrix, 200, seed).shares.map((s) => s.share);
        const expected = naiveShares(matrix, 200, seed);
        for (const [v, share] of shares.entries()) expect(share).toBeCloseTo(expected[v] as number, 12);
      }),
      { numRuns: 100 },
    );
  });

  it('gives zero shares for zero draws', () => {
    expect(monteCarloWinShares(case01, 0, 1).shares.map((s) => s.share)).toEqual([0, 0, 0]);
  });
});

describe('priceFormulaSwap', () => {
  const rows = [
    { vendorId: 'A', total: 76, currentPoints: 24, otherPoints: 22.5 },
    { vendorId: 'B', total: 80, currentPoints: 30, otherPoints: 30 },
    { vendorId: 'C', total: 84.53333333333333, currentPoints: 19.2, otherPoints: 13.125 },
  ];
  it('recomputes the winner with the other formula', () => {
    expect(priceFormulaSwap('ratio', ['C'], rows, { ok: true })).toEqual({
      currentFormula: 'ratio',
      otherFormula: 'linear',
      applicable: true,
      otherWinnerIds: ['B'],
      changesWinner: true,
      reason: null,
    });
  });
  it('says why when it does not apply', () => {
    const swap = priceFormulaSwap('linear', [], rows, { ok: false, reason: 'No price.' });
    expect(swap).toMatchObject({ otherFormula: 'ratio', applicable: false, changesWinner: null, reason: 'No price.' });
  });
});

describe('weightedRowSums', () => {
  it('gives each row exactly the plain column-order sum, scaled, for any number of rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (K, C, seed) => {
          const random = mulberry32(seed);
          const rows = Float64Array.from({ length: K * C }, () => random() * 7);
          const factors = Float64Array.from({ length: C }, () => 0.5 + random());
          const scale = 0.6 + random();
          const totals = new Float64Array(K);
          weightedRowSums(rows, K, factors, scale, totals);
          for (let k = 0; k < K; k++) {
            let t = 0;
            for (let c = 0; c < C; c++) t += (factors[c] as number) * (rows[k * C + c] as number);
            expect(Object.is(totals[k], t * scale), `row ${k} of ${K}`).toBe(true);
          }
        },
      ),
    );
  });
});
