import { describe, expect, it } from 'vitest';
import { loadGoldenCases } from '../../../fixtures/scoring/golden-cases';
import { computeResults, isScoringError, type ScoringResults } from '../../../scoring/index';

/** Hand-computed figures are written with ~16 digits; the engine keeps full precision. */
const TOLERANCE = 1e-9;

function expectNumber(actual: number | null | undefined, expected: number | null, label: string) {
  if (expected === null) {
    expect(actual, label).toBeNull();
  } else {
    expect(actual, label).toBeTypeOf('number');
    expect(Math.abs((actual as number) - expected), `${label}: ${String(actual)} ≠ ${expected}`).toBeLessThanOrEqual(TOLERANCE);
  }
}

const cases = loadGoldenCases();

describe('golden scoring cases', () => {
  it('ships at least ten cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const { file, case: golden, input } of cases) {
    it(`${file}: ${golden.name}`, () => {
      const expected = golden.expected;
      if ('error' in expected) {
        let thrown: unknown;
        try {
          computeResults(input);
        } catch (error) {
          thrown = error;
        }
        expect(isScoringError(thrown), 'expected a ScoringError').toBe(true);
        if (!isScoringError(thrown)) return;
        expect(thrown.code).toBe(expected.error.code);
        if (expected.error.messageIncludes !== undefined) expect(thrown.message).toContain(expected.error.messageIncludes);
        return;
      }

      const results: ScoringResults = computeResults(input);
      // Results are plain JSON: a round trip changes nothing.
      expect(JSON.parse(JSON.stringify(results))).toEqual(results);

      expect(results.final, results.notFinalBecause.join(' | ')).toBe(expected.final);
      if (expected.notFinalBecause !== undefined) expect(results.notFinalBecause).toEqual(expected.notFinalBecause);
      if (expected.warnings !== undefined) expect(results.warnings).toEqual(expected.warnings);
      if (expected.winnerIds !== undefined) expect([...results.winnerIds].sort()).toEqual([...expected.winnerIds].sort());
      if (expected.lowestPrice !== undefined) expectNumber(results.lowestPrice, expected.lowestPrice, 'lowestPrice');
      if (expected.mixedVotes !== undefined) expect(results.mixedVotes).toEqual(expected.mixedVotes);

      for (const [vendorId, ev] of Object.entries(expected.vendors ?? {})) {
        const vendor = results.vendors.find((v) => v.vendorId === vendorId);
        expect(vendor, `vendor ${vendorId}`).toBeDefined();
        if (vendor === undefined) continue;
        const at = `vendor ${vendorId}`;
        if (ev.rank !== undefined) expect(vendor.rank, `${at} rank`).toBe(ev.rank);
        if (ev.qualified !== undefined) expect(vendor.qualified, `${at} qualified`).toBe(ev.qualified);
        if (ev.total !== undefined) expectNumber(vendor.total, ev.total, `${at} total`);
        if (ev.disqualifiedBecause !== undefined) expect(vendor.disqualifiedBecause).toEqual(ev.disqualifiedBecause);
        if (ev.mixedKnockouts !== undefined) expect(vendor.mixedKnockouts).toEqual(ev.mixedKnockouts);
        if (ev.problems !== undefined) expect(vendor.problems.map((p) => p.code)).toEqual(ev.problems);
        for (const [sectionId, points] of Object.entries(ev.sections ?? {})) {
          expectNumber(vendor.sections.find((s) => s.sectionId === sectionId)?.points, points, `${at} section ${sectionId}`);
        }
        for (const [criterionId, ec] of Object.entries(ev.criteria ?? {})) {
          const cr = vendor.criteria.find((c) => c.criterionId === criterionId);
          expect(cr, `${at} criterion ${criterionId}`).toBeDefined();
          if (cr === undefined) continue;
          const cat = `${at} ${criterionId}`;
          if (ec.value !== undefined) expectNumber(cr.value, ec.value, `${cat} value`);
          if (ec.points !== undefined) expectNumber(cr.points, ec.points, `${cat} points`);
          if (ec.spread !== undefined) expectNumber(cr.spread, ec.spread, `${cat} spread`);
          if (ec.source !== undefined) expect(cr.source, `${cat} source`).toBe(ec.source);
          if (ec.scoresCount !== undefined) expect(cr.scoresCount, `${cat} scoresCount`).toBe(ec.scoresCount);
          if (ec.divergent !== undefined) expect(cr.divergent, `${cat} divergent`).toBe(ec.divergent);
          if (ec.knockout !== undefined) expect(cr.knockout, `${cat} knockout`).toBe(ec.knockout);
        }
      }

      for (const [evaluatorId, ec] of Object.entries(expected.calibration ?? {})) {
        const row = results.calibration.find((c) => c.evaluatorId === evaluatorId);
        expectNumber(row?.leniency, ec.leniency, `leniency ${evaluatorId}`);
        if (ec.itemsCompared !== undefined) expect(row?.itemsCompared).toBe(ec.itemsCompared);
      }
      if (expected.alpha !== undefined) expectNumber(results.agreement.alpha, expected.alpha, 'alpha');

      for (const [sectionId, eb] of Object.entries(expected.breakEven ?? {})) {
        const row = results.robustness.breakEven.find((b) => b.sectionId === sectionId);
        expect(row?.status, `break-even ${sectionId}`).toBe(eb.status);
        if (eb.change !== undefined) expectNumber(row?.change, eb.change, `break-even ${sectionId} change`);
        if (eb.relativeChange !== undefined) expectNumber(row?.relativeChange, eb.relativeChange, `break-even ${sectionId} relative`);
        if (eb.challengerIds !== undefined) expect(row?.challengerIds).toEqual(eb.challengerIds);
      }

      if (expected.monteCarloNull === true) expect(results.robustness.monteCarlo).toBeNull();
      for (const [vendorId, share] of Object.entries(expected.monteCarloShares ?? {})) {
        const row = results.robustness.monteCarlo?.shares.find((s) => s.vendorId === vendorId);
        expectNumber(row?.share, share, `Monte Carlo share ${vendorId}`);
      }
      if (results.robustness.monteCarlo !== null && results.robustness.monteCarlo.shares.length > 0) {
        const sum = results.robustness.monteCarlo.shares.reduce((a, s) => a + s.share, 0);
        expect(sum).toBeCloseTo(1, 9);
      }

      const swap = expected.priceFormulaSwap;
      if (swap !== undefined) {
        const actual = results.robustness.priceFormulaSwap;
        if (swap.applicable !== undefined) expect(actual.applicable).toBe(swap.applicable);
        if (swap.changesWinner !== undefined) expect(actual.changesWinner).toBe(swap.changesWinner);
        if (swap.otherWinnerIds !== undefined) expect([...actual.otherWinnerIds].sort()).toEqual([...swap.otherWinnerIds].sort());
      }
    });
  }
});
