import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeResults,
  validateInput,
  isScoringError,
  type ScoringInput,
  type ScoringResults,
  type VendorResult,
} from '../../../scoring/index';
import { scoringInputArb } from './arbitraries';

const RUNS = 150;
const EPS = 1e-9;

function byId<T extends { vendorId: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.vendorId, r]));
}

/** Every number anywhere in `value` is finite (no NaN, no Infinity). */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Compares the figures of two results vendor by vendor, through `mapId` (original id → id in `b`). */
function expectSameFigures(a: ScoringResults, b: ScoringResults, mapId: (id: string) => string, mapEvaluator: (id: string) => string) {
  expect(b.final).toBe(a.final);
  expect(b.notFinalBecause.length).toBe(a.notFinalBecause.length);
  expect(new Set(b.winnerIds)).toEqual(new Set(a.winnerIds.map(mapId)));
  const rowsB = byId(b.vendors);
  for (const va of a.vendors) {
    const vb = rowsB.get(mapId(va.vendorId)) as VendorResult;
    expect(vb.rank).toBe(va.rank);
    expect(vb.qualified).toBe(va.qualified);
    expect(vb.total).toBeCloseTo(va.total, 9);
    expect(vb.criteria.map((c) => [c.value, c.points, c.source, c.scoresCount, c.divergent, c.knockout])).toEqual(
      va.criteria.map((c) => [c.value, c.points, c.source, c.scoresCount, c.divergent, c.knockout]),
    );
  }
  const calB = new Map(b.calibration.map((c) => [c.evaluatorId, c]));
  for (const ca of a.calibration) {
    const cb = calB.get(mapEvaluator(ca.evaluatorId));
    expect(cb?.itemsCompared).toBe(ca.itemsCompared);
    if (ca.leniency === null) expect(cb?.leniency).toBeNull();
    else expect(cb?.leniency).toBeCloseTo(ca.leniency, 9);
  }
  if (a.agreement.alpha === null) expect(b.agreement.alpha).toBeNull();
  else expect(b.agreement.alpha).toBeCloseTo(a.agreement.alpha, 9);
  expect(b.robustness.breakEven.map((x) => [x.status, x.change === null ? null : Math.round(x.change * 1e6)])).toEqual(
    a.robustness.breakEven.map((x) => [x.status, x.change === null ? null : Math.round(x.change * 1e6)]),
  );
  const sharesB = new Map((b.robustness.monteCarlo?.shares ?? []).map((s) => [s.vendorId, s.share]));
  for (const s of a.robustness.monteCarlo?.shares ?? []) expect(sharesB.get(mapId(s.vendorId))).toBeCloseTo(s.share, 12);
  expect(b.robustness.priceFormulaSwap.changesWinner).toBe(a.robustness.priceFormulaSwap.changesWinner);
}

describe('scoring properties', () => {
  it('generates only valid inputs', () => {
    fc.assert(
      fc.property(scoringInputArb, (input) => {
        expect(validateInput(input)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('never exceeds the points available, never goes below 0, never yields NaN', () => {
    fc.assert(
      fc.property(scoringInputArb, (input) => {
        const results = computeResults(input);
        expect(allFinite(results)).toBe(true);
        for (const v of results.vendors) {
          expect(v.total).toBeGreaterThanOrEqual(0);
          expect(v.total).toBeLessThanOrEqual(input.settings.totalPoints + EPS);
          for (const s of v.sections) expect(s.points).toBeLessThanOrEqual(s.available + EPS);
          for (const c of v.criteria) {
            const W = (input.criteria.find((x) => x.id === c.criterionId) as { points: number }).points;
            if (c.points !== null) expect(c.points).toBeLessThanOrEqual(W + EPS);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('renaming and reordering vendors and evaluators changes nothing', () => {
    fc.assert(
      fc.property(scoringInputArb, fc.nat(), (input, seed) => {
        const vendorName = (id: string) => `renamed-${id.split('').reverse().join('')}-${seed % 7}`;
        const evaluatorName = (id: string) => `ev-${seed % 5}-${id}`;
        const renamed: ScoringInput = {
          ...input,
          vendors: shuffled(input.vendors, seed).map((v) => ({ ...v, id: vendorName(v.id), name: `N ${vendorName(v.id)}` })),
          evaluators: shuffled(input.evaluators, seed + 1).map((e) => ({
            ...e,
            id: evaluatorName(e.id),
            name: `N ${evaluatorName(e.id)}`,
            recusedFrom: (e.recusedFrom ?? []).map(vendorName),
          })),
          scores: shuffled(input.scores, seed + 2).map((s) => ({ ...s, vendorId: vendorName(s.vendorId), evaluatorId: evaluatorName(s.evaluatorId) })),
          consensus: shuffled(input.consensus ?? [], seed + 3).map((k) => ({ ...k, vendorId: vendorName(k.vendorId) })),
        };
        expectSameFigures(computeResults(input), computeResults(renamed), vendorName, evaluatorName);
      }),
      { numRuns: RUNS },
    );
  });

  it('raising one score never lowers that vendor’s total or rank', () => {
    fc.assert(
      fc.property(scoringInputArb, fc.nat(), (input, pick) => {
        const raisable = input.scores
          .map((s, i) => ({ s, i }))
          .filter(({ s }) => {
            const kind = input.criteria.find((c) => c.id === s.criterionId)?.kind;
            return kind === 'pass_fail' ? s.value === 0 : s.value < input.settings.scaleMax;
          });
        fc.pre(raisable.length > 0);
        const { s, i } = raisable[pick % raisable.length] as (typeof raisable)[number];
        const kind = input.criteria.find((c) => c.id === s.criterionId)?.kind;
        const step = kind === 'pass_fail' ? 1 : input.settings.allowHalfPoints ? 0.5 : 1;
        const raised: ScoringInput = {
          ...input,
          scores: input.scores.map((x, k) => (k === i ? { ...x, value: x.value + step } : x)),
        };
        const before = byId(computeResults(input).vendors).get(s.vendorId) as VendorResult;
        const after = byId(computeResults(raised).vendors).get(s.vendorId) as VendorResult;
        if (before.qualified) {
          expect(after.qualified).toBe(true);
          expect(after.rank).not.toBeNull();
          expect(after.rank as number).toBeLessThanOrEqual(before.rank as number);
        }
        if (kind === 'scored') expect(after.total).toBeGreaterThanOrEqual(before.total - EPS);
      }),
      { numRuns: RUNS },
    );
  });

  it('scaling every weight by the same factor leaves the ranking unchanged', () => {
    fc.assert(
      fc.property(
        scoringInputArb,
        fc.oneof(fc.constantFrom(0.25, 0.5, 2, 3, 10), fc.double({ min: 0.1, max: 10, noNaN: true })),
        (input, k) => {
          const scaled: ScoringInput = {
            ...input,
            settings: { ...input.settings, totalPoints: input.settings.totalPoints * k },
            criteria: input.criteria.map((c) => ({ ...c, points: c.points * k })),
          };
          const a = computeResults(input);
          const b = computeResults(scaled);
          const ranksB = byId(b.vendors);
          for (const v of a.vendors) {
            expect(ranksB.get(v.vendorId)?.rank).toBe(v.rank);
            expect(ranksB.get(v.vendorId)?.total).toBeCloseTo(v.total * k, 6);
          }
          expect(new Set(b.winnerIds)).toEqual(new Set(a.winnerIds));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('Monte Carlo shares add up to 1 and repeat exactly for the same seed', () => {
    fc.assert(
      fc.property(scoringInputArb, fc.integer({ min: 1, max: 400 }), (input, draws) => {
        const withDraws: ScoringInput = { ...input, options: { ...input.options, monteCarloDraws: draws } };
        const first = computeResults(withDraws).robustness.monteCarlo;
        const again = computeResults(withDraws).robustness.monteCarlo;
        expect(again).toEqual(first);
        if (first === null) return;
        const sum = first.shares.reduce((acc, s) => acc + s.share, 0);
        expect(sum).toBeCloseTo(1, 9);
        for (const s of first.shares) expect(s.share).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  it('bad score values give a ScoringError, never a crash or NaN', () => {
    const bad = fc.oneof(
      fc.double(),
      fc.constantFrom(Number.NaN, Infinity, -1, 0.25, 1e9),
      fc.string() as fc.Arbitrary<unknown>,
      fc.constant(null) as fc.Arbitrary<unknown>,
    );
    fc.assert(
      fc.property(scoringInputArb, bad, fc.nat(), (input, value, pick) => {
        fc.pre(input.scores.length > 0);
        const i = pick % input.scores.length;
        const broken = {
          ...input,
          scores: input.scores.map((s, k) => (k === i ? { ...s, value: value as number } : s)),
        };
        try {
          const results = computeResults(broken);
          expect(allFinite(results)).toBe(true);
        } catch (error) {
          expect(isScoringError(error)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
