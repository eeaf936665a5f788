/**
 * Scoring engine benchmark: `npx tsx tests/bench/scoring-engine.ts`.
 *
 * Generates synthetic RFPs with a seeded PRNG (same inputs on every run), times each scenario after a warm-up and
 * prints the median of several runs against its target. `runScoringBench()` returns the rows for a combined
 * `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import {
  computeResults,
  monteCarloWinShares,
  mulberry32,
  type PointsMatrix,
  type ScoringCriterion,
  type ScoringInput,
  type ScoringScore,
} from '../../scoring/index';

/** One measured scenario. */
export interface BenchRow {
  name: string;
  /** Median wall time of the measured runs, in milliseconds. */
  medianMs: number;
  /** Fastest and slowest measured run, in milliseconds. */
  minMs: number;
  maxMs: number;
  runs: number;
  targetMs: number;
  ok: boolean;
}

interface Size {
  vendors: number;
  criteria: number;
  evaluators: number;
}

/**
 * A synthetic RFP: 5 sections; one price criterion (20 points), two knock-outs (almost everybody passes), the rest
 * scored with points adding up to 100. Each vendor has a quality per criterion; each evaluator a leniency; scores are
 * quality + leniency + noise, clamped to 0..5. All scoresheets submitted, so every figure is computed.
 */
export function syntheticInput(size: Size, seed: number, options: ScoringInput['options'] = {}): ScoringInput {
  const random = mulberry32(seed);
  const S = 5;
  const sections = Array.from({ length: 5 }, (_, i) => ({ id: `s${i}`, title: `Section ${i + 1}` }));
  const scoredCount = size.criteria - 3;
  const criteria: ScoringCriterion[] = [
    { id: 'price', sectionId: 's4', title: 'Price', kind: 'price', points: 20 },
    { id: 'ko1', sectionId: 's0', title: 'Data residency', kind: 'pass_fail', points: 0 },
    { id: 'ko2', sectionId: 's0', title: 'Accessibility', kind: 'pass_fail', points: 0 },
  ];
  for (let c = 0; c < scoredCount; c++) {
    criteria.push({ id: `c${c}`, sectionId: `s${c % 4}`, title: `Criterion ${c + 1}`, kind: 'scored', points: 80 / scoredCount });
  }
  const vendors = Array.from({ length: size.vendors }, (_, v) => ({
    id: `v${v}`,
    name: `Vendor ${v + 1}`,
    price: Math.round(200_000 + random() * 800_000),
  }));
  const evaluators = Array.from({ length: size.evaluators }, (_, e) => ({ id: `e${e}`, name: `Evaluator ${e + 1}` }));
  const leniency = evaluators.map(() => (random() - 0.5) * 1.2);
  const scores: ScoringScore[] = [];
  for (const [v, vendor] of vendors.entries()) {
    const strength = 1.5 + random() * 2;
    const failsKnockout = v % 13 === 12;
    for (const criterion of criteria) {
      if (criterion.kind === 'price') continue;
      const quality = strength + (random() - 0.5) * 2;
      for (const [e, evaluator] of evaluators.entries()) {
        let value: number;
        if (criterion.kind === 'pass_fail') {
          value = failsKnockout && criterion.id === 'ko1' ? 0 : 1;
        } else {
          value = Math.min(S, Math.max(0, Math.round(quality + (leniency[e] as number) + (random() - 0.5) * 1.5)));
        }
        scores.push({ evaluatorId: evaluator.id, vendorId: vendor.id, criterionId: criterion.id, value, submitted: true });
      }
    }
  }
  return {
    settings: { scaleMax: S, aggregation: 'mean', divergenceThreshold: 0.3, priceFormula: 'ratio', totalPoints: 100, allowHalfPoints: false },
    sections,
    criteria,
    vendors,
    evaluators,
    scores,
    options,
  };
}

/** The qualified vendors' points per weighted criterion, as the engine builds it for the Monte Carlo. */
function pointsMatrix(input: ScoringInput): PointsMatrix {
  const results = computeResults({ ...input, options: { ...input.options, monteCarloDraws: 0 } });
  const columns = input.criteria.filter((c) => c.points > 0);
  const qualified = results.vendors.filter((v) => v.qualified);
  const points = new Float64Array(qualified.length * columns.length);
  qualified.forEach((vendor, v) => {
    columns.forEach((column, c) => {
      points[v * columns.length + c] = vendor.criteria.find((x) => x.criterionId === column.id)?.points ?? 0;
    });
  });
  return {
    vendorIds: qualified.map((v) => v.vendorId),
    weights: columns.map((c) => c.points),
    sectionIds: columns.map((c) => c.sectionId),
    points,
  };
}

/** A matrix where every vendor can win some draw (no shortcut applies): the Monte Carlo's worst case. */
function contestedMatrix(vendors: number, criteria: number, seed: number): PointsMatrix {
  const random = mulberry32(seed);
  const weights = Array.from({ length: criteria }, () => 100 / criteria);
  const points = new Float64Array(vendors * criteria);
  // Vendor v is strong on criteria ≡ v (mod vendors) and average elsewhere: everybody has a weighting that favours it.
  for (let v = 0; v < vendors; v++) {
    for (let c = 0; c < criteria; c++) {
      points[v * criteria + c] = (weights[c] as number) * (c % vendors === v ? 0.9 : 0.5 + random() * 0.01);
    }
  }
  return {
    vendorIds: Array.from({ length: vendors }, (_, v) => `v${v}`),
    weights,
    sectionIds: weights.map((_, c) => `s${c % 4}`),
    points,
  };
}

function measure(name: string, targetMs: number, fn: () => unknown, warmup: number, runs: number): BenchRow {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 === 1 ? (times[mid] as number) : ((times[mid - 1] as number) + (times[mid] as number)) / 2;
  return {
    name,
    medianMs,
    minMs: times[0] as number,
    maxMs: times[times.length - 1] as number,
    runs,
    targetMs,
    ok: medianMs <= targetMs,
  };
}

/**
 * Runs every scenario and returns its rows. Takes a few seconds. Each scenario builds its input just before it is
 * timed and drops it afterwards, so one scenario's garbage does not slow the next.
 */
export function runScoringBench(): BenchRow[] {
  const rows: BenchRow[] = [];
  {
    const small = syntheticInput({ vendors: 25, criteria: 60, evaluators: 12 }, 1);
    rows.push(measure('full results 25 vendors × 60 criteria × 12 evaluators (incl. 10,000 MC draws)', 20, () => computeResults(small), 10, 31));
    const matrix = pointsMatrix(small);
    rows.push(measure('Monte Carlo 10,000 draws, 25 × 60', 300, () => monteCarloWinShares(matrix, 10_000, 42), 5, 15));
    const contested = contestedMatrix(25, 60, 3);
    rows.push(
      measure('Monte Carlo 10,000 draws, 25 × 60, every vendor a contender (worst case)', 300, () => monteCarloWinShares(contested, 10_000, 42), 3, 9),
    );
  }
  {
    const large = syntheticInput({ vendors: 100, criteria: 200, evaluators: 30 }, 2);
    rows.push(measure('full results 100 × 200 × 30 (incl. 10,000 MC draws)', 500, () => computeResults(large), 2, 7));
  }
  return rows;
}

/** Formats rows as a plain-text table. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const header = ['scenario', 'median ms', 'min ms', 'max ms', 'runs', 'target ms', ''];
  const lines = rows.map((r) => [
    r.name,
    r.medianMs.toFixed(1),
    r.minMs.toFixed(1),
    r.maxMs.toFixed(1),
    String(r.runs),
    String(r.targetMs),
    r.ok ? 'ok' : 'SLOW',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [row(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(row)].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const rows = runScoringBench();
  console.log(formatBenchTable(rows));
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}
