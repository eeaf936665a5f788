/**
 * fast-check generators of valid scoring inputs, small enough that a property run takes milliseconds.
 */
import fc from 'fast-check';
import type {
  CriterionKind,
  ScoringConsensus,
  ScoringCriterion,
  ScoringEvaluator,
  ScoringInput,
  ScoringScore,
  ScoringVendor,
} from '../../../scoring/types';

/** Monte Carlo draws used by property runs (the full 10,000 are exercised by the bench and a dedicated test). */
export const PROPERTY_DRAWS = 64;

interface Shape {
  scaleMax: number;
  allowHalfPoints: boolean;
  sections: number;
  criteria: { kind: CriterionKind; points: number; section: number }[];
  vendors: (number | null)[];
  evaluators: number;
}

const shapeArb: fc.Arbitrary<Shape> = fc
  .record({
    scaleMax: fc.constantFrom(4, 5, 10),
    allowHalfPoints: fc.boolean(),
    sections: fc.integer({ min: 1, max: 3 }),
    criteria: fc.array(
      fc.record({
        kind: fc.constantFrom<CriterionKind>('scored', 'scored', 'scored', 'pass_fail', 'price', 'info'),
        points: fc.integer({ min: 0, max: 30 }),
        section: fc.nat(),
      }),
      { minLength: 0, maxLength: 5 },
    ),
    vendors: fc.array(fc.option(fc.integer({ min: 20, max: 400 }).map((k) => k * 1000), { freq: 6 }), {
      minLength: 1,
      maxLength: 5,
    }),
    evaluators: fc.integer({ min: 1, max: 4 }),
  })
  .map((shape) => {
    // The first criterion is always scored with points, so the RFP has something to rank on; at most one price.
    let seenPrice = false;
    const criteria = [
      { kind: 'scored' as CriterionKind, points: 10, section: 0 },
      ...shape.criteria.map((c) => {
        let kind = c.kind;
        if (kind === 'price') {
          if (seenPrice) kind = 'scored';
          seenPrice = true;
        }
        const points = kind === 'pass_fail' || kind === 'info' ? 0 : Math.max(1, c.points);
        return { kind, points, section: c.section % shape.sections };
      }),
    ];
    return { ...shape, criteria };
  });

/** A valid scoring input (every generated input passes `validateInput`). */
export const scoringInputArb: fc.Arbitrary<ScoringInput> = shapeArb.chain((shape) => {
  const S = shape.scaleMax;
  const step = shape.allowHalfPoints ? 0.5 : 1;
  const levels = Array.from({ length: S / step + 1 }, (_, i) => i * step);
  const V = shape.vendors.length;
  const C = shape.criteria.length;
  const E = shape.evaluators;
  const cellArb = (kind: CriterionKind) =>
    kind === 'pass_fail'
      ? fc.option(fc.constantFrom(0, 1, 1, 1), { freq: 5 })
      : kind === 'scored'
        ? fc.option(fc.constantFrom(...levels), { freq: 8 })
        : fc.constant(null);
  const scoreGrid = fc.tuple(
    ...Array.from({ length: E * V * C }, (_, k) => fc.tuple(cellArb((shape.criteria[k % C] as { kind: CriterionKind }).kind), fc.boolean(), fc.boolean())),
  );
  const consensusGrid = fc.tuple(
    ...Array.from({ length: V * C }, (_, k) => {
      const kind = (shape.criteria[k % C] as { kind: CriterionKind }).kind;
      return kind === 'scored' || kind === 'pass_fail' ? fc.option(cellArb(kind), { freq: 6 }) : fc.constant(null);
    }),
  );
  const recusals = fc.array(fc.tuple(fc.nat({ max: E - 1 }), fc.nat({ max: V - 1 })), { maxLength: 2 });
  return fc
    .record({
      aggregation: fc.constantFrom('mean' as const, 'median' as const),
      priceFormula: fc.constantFrom('ratio' as const, 'linear' as const),
      divergenceThreshold: fc.constantFrom(0.2, 0.3, 0.5),
      scores: scoreGrid,
      consensus: consensusGrid,
      recusals,
      seed: fc.nat(),
    })
    .map((r): ScoringInput => {
      const criteria: ScoringCriterion[] = shape.criteria.map((c, i) => ({
        id: `c${i}`,
        sectionId: `s${c.section}`,
        title: `Criterion ${i}`,
        kind: c.kind,
        points: c.points,
      }));
      const vendors: ScoringVendor[] = shape.vendors.map((price, i) => ({ id: `v${i}`, name: `Vendor ${i}`, price }));
      const recusedFrom = new Map<number, Set<number>>();
      for (const [e, v] of r.recusals) recusedFrom.set(e, (recusedFrom.get(e) ?? new Set()).add(v));
      const evaluators: ScoringEvaluator[] = Array.from({ length: E }, (_, e) => ({
        id: `e${e}`,
        name: `Evaluator ${e}`,
        recusedFrom: [...(recusedFrom.get(e) ?? [])].map((v) => `v${v}`),
      }));
      const scores: ScoringScore[] = [];
      r.scores.forEach(([value, unsubmitted, unsubmittedToo], k) => {
        if (value === null) return;
        const c = k % C;
        const v = Math.floor(k / C) % V;
        const e = Math.floor(k / (C * V));
        // Mostly submitted: one score in four is in progress.
        scores.push({ evaluatorId: `e${e}`, vendorId: `v${v}`, criterionId: `c${c}`, value, submitted: !(unsubmitted && unsubmittedToo) });
      });
      const consensus: ScoringConsensus[] = [];
      r.consensus.forEach((value, k) => {
        if (value === null) return;
        consensus.push({ vendorId: `v${Math.floor(k / C)}`, criterionId: `c${k % C}`, value });
      });
      const totalPoints = criteria.reduce((sum, c) => sum + c.points, 0);
      return {
        settings: {
          scaleMax: S,
          aggregation: r.aggregation,
          divergenceThreshold: r.divergenceThreshold,
          priceFormula: r.priceFormula,
          totalPoints,
          allowHalfPoints: shape.allowHalfPoints,
        },
        sections: Array.from({ length: shape.sections }, (_, i) => ({ id: `s${i}`, title: `Section ${i}` })),
        criteria,
        vendors,
        evaluators,
        scores,
        consensus,
        options: { monteCarloDraws: PROPERTY_DRAWS, monteCarloSeed: r.seed },
      };
    });
});
