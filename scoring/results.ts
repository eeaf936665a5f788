/**
 * `computeResults`: all of DESIGN §4 in one call.
 *
 * Fatal vs. not final:
 * - Fatal problems (see `validate.ts`: bad settings, a price ≤ 0, a score off the scale, points that do not add up,
 *   unknown ids, duplicates) throw one `ScoringError` listing all of them: no figure is computed from bad data.
 * - Incomplete data gives results that are computed but **not final**, each reason a sentence in
 *   `notFinalBecause`: a preview counting unsubmitted scores; scoresheets not yet submitted; a split pass/fail
 *   vote without consensus; a knock-out nobody decided; a missing price (that vendor gets a `MISSING_PRICE`
 *   problem and no price points, and P_min is taken over the vendors that have a price); a scored criterion with no
 *   score for a vendor (its points are missing from the total, never counted as 0); no vendor at all.
 *   Gaps about a vendor that is already disqualified (its unscored criteria, missing price, split votes) cannot
 *   change the outcome and do not block finality; unsubmitted scoresheets always do (a late "pass" could turn a
 *   unanimous fail into a split vote).
 * - A score by an evaluator recused from that vendor is ignored and reported in `warnings`.
 */
import { alphaFromGroups, leniencyFromGroups } from './calibration';
import { criterionValue, scoredPoints } from './criterion-value';
import { isDivergent, spread } from './divergence';
import { ScoringError, type ScoringProblem } from './errors';
import { countVotes, disqualificationReason, knockoutOutcome } from './knockouts';
import { lowestPrice, pricePoints } from './price';
import { rankByTotal, winners } from './ranking';
import { breakEvenBySection, monteCarloWinShares, priceFormulaSwap, type PointsMatrix } from './robustness';
import { sectionSubtotals, totalPoints } from './totals';
import {
  DEFAULT_MONTE_CARLO_DRAWS,
  DEFAULT_MONTE_CARLO_SEED,
  type CriterionResult,
  type MixedVote,
  type ScoringInput,
  type ScoringResults,
  type VendorResult,
} from './types';
import { inspectInput, type ScoreRefs } from './validate';

/**
 * Computes every figure of DESIGN §4 from one RFP's scoring input and returns a plain JSON-serialisable object
 * (see {@link ScoringResults}). Pure: same input, same output (the Monte Carlo is seeded).
 *
 * Figures carry full precision; round only for display with `roundForDisplay`. Throws {@link ScoringError} (with
 * every problem listed) when the input is invalid; never returns NaN or Infinity.
 *
 * Cost: O(scores + vendors × criteria × (1 + rivals)) plus O(draws × criteria × contenders) for the Monte Carlo,
 * where contenders are the vendors that can win under some weighting in range.
 */
export function computeResults(input: ScoringInput): ScoringResults {
  const { problems, scoreRefs } = inspectInput(input);
  if (problems.length > 0 || scoreRefs === null) throw new ScoringError(problems);
  return compute(input, scoreRefs);
}

/** Either results, or the fatal problems that prevented them. */
export type ScoringOutcome = { ok: true; results: ScoringResults } | { ok: false; problems: ScoringProblem[] };

/** {@link computeResults} without throwing: for callers that show problems in a form rather than an error page. */
export function tryComputeResults(input: ScoringInput): ScoringOutcome {
  const { problems, scoreRefs } = inspectInput(input);
  return problems.length > 0 || scoreRefs === null ? { ok: false, problems } : { ok: true, results: compute(input, scoreRefs) };
}

function quote(s: string): string {
  return `“${s}”`;
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`;
}

function compute(input: ScoringInput, refs: ScoreRefs): ScoringResults {
  const { settings } = input;
  const S = settings.scaleMax;
  const options = input.options ?? {};
  const preview = options.includeInProgress === true;
  const draws = options.monteCarloDraws ?? DEFAULT_MONTE_CARLO_DRAWS;
  const seed = options.monteCarloSeed ?? DEFAULT_MONTE_CARLO_SEED;
  const { vendors, criteria, evaluators, sections } = input;
  const V = vendors.length;
  const C = criteria.length;
  const E = evaluators.length;
  const vIndex = new Map(vendors.map((v, i) => [v.id, i]));
  const cIndex = new Map(criteria.map((c, i) => [c.id, i]));
  const eIndex = new Map(evaluators.map((e, i) => [e.id, i]));

  const recused = new Uint8Array(E * V);
  for (const [e, ev] of evaluators.entries()) {
    for (const vendorId of ev.recusedFrom ?? []) recused[e * V + (vIndex.get(vendorId) as number)] = 1;
  }

  const { groups, ignoredRecused, pendingSheets } = groupCountedScores(refs, recused, V, C, preview);
  const { offsets, values } = groups;

  const consensus = new Float64Array(V * C).fill(Number.NaN);
  for (const k of input.consensus ?? []) {
    consensus[(vIndex.get(k.vendorId) as number) * C + (cIndex.get(k.criterionId) as number)] = k.value;
  }

  // Per vendor × criterion: values, points (price later), knock-outs.
  const priceColumn = criteria.findIndex((c) => c.kind === 'price');
  const cellResults: CriterionResult[][] = [];
  const disqualifiedBecause: string[][] = [];
  const mixedVotes: MixedVote[] = [];
  const mixedByVendor: string[][] = [];
  const undecidedByVendor: string[][] = [];
  for (let v = 0; v < V; v++) {
    const row: CriterionResult[] = [];
    const reasons: string[] = [];
    const mixed: string[] = [];
    const undecided: string[] = [];
    for (let c = 0; c < C; c++) {
      const criterion = criteria[c] as ScoringInput['criteria'][number];
      const cell = v * C + c;
      const start = offsets[cell] as number;
      const end = offsets[cell + 1] as number;
      const cons = consensus[cell] as number;
      const hasConsensus = !Number.isNaN(cons);
      if (criterion.kind === 'scored') {
        const r = criterionValue(hasConsensus ? cons : null, values, settings.aggregation, start, end);
        const sp = spread(values, S, start, end);
        row.push({
          criterionId: criterion.id,
          kind: criterion.kind,
          value: r.value,
          points: scoredPoints(criterion.points, r.value, S),
          source: r.source,
          scoresCount: end - start,
          spread: sp,
          divergent: isDivergent(sp, settings.divergenceThreshold),
          knockout: null,
        });
      } else if (criterion.kind === 'pass_fail') {
        const votes = countVotes(values, start, end);
        const outcome = knockoutOutcome(hasConsensus ? cons : null, votes);
        if (outcome === 'fail') reasons.push(disqualificationReason(criterion.title, hasConsensus, votes.fails));
        if (outcome === 'mixed') {
          mixed.push(criterion.id);
          mixedVotes.push({ vendorId: (vendors[v] as { id: string }).id, criterionId: criterion.id, ...votes });
        }
        if (outcome === 'not_scored') undecided.push(criterion.title);
        row.push({
          criterionId: criterion.id,
          kind: criterion.kind,
          value: outcome === 'pass' ? 1 : outcome === 'fail' ? 0 : null,
          points: null,
          source: hasConsensus ? 'consensus' : end > start ? 'vote' : 'none',
          scoresCount: end - start,
          spread: null,
          divergent: false,
          knockout: outcome,
        });
      } else {
        // `price` points are filled in once qualification (hence P_min) is known; `info` is never scored.
        const price = criterion.kind === 'price' ? (vendors[v] as { price: number | null }).price : null;
        row.push({
          criterionId: criterion.id,
          kind: criterion.kind,
          value: price,
          points: null,
          source: price === null ? 'none' : 'price',
          scoresCount: end - start,
          spread: null,
          divergent: false,
          knockout: null,
        });
      }
    }
    cellResults.push(row);
    disqualifiedBecause.push(reasons);
    mixedByVendor.push(mixed);
    undecidedByVendor.push(undecided);
  }
  const qualified = disqualifiedBecause.map((reasons) => reasons.length === 0);

  // Price points against P_min over qualified vendors (over everybody when no qualified vendor has a price).
  const priceCriterion = priceColumn >= 0 ? criteria[priceColumn] : undefined;
  let lowest: number | null = null;
  let lowestAmong: 'qualified' | 'all' | null = null;
  if (priceCriterion !== undefined) {
    lowest = lowestPrice(vendors.filter((_, v) => qualified[v]).map((x) => x.price));
    lowestAmong = lowest === null ? null : 'qualified';
    if (lowest === null) {
      lowest = lowestPrice(vendors.map((x) => x.price));
      lowestAmong = lowest === null ? null : 'all';
    }
    for (let v = 0; v < V; v++) {
      const cellResult = (cellResults[v] as CriterionResult[])[priceColumn] as CriterionResult;
      cellResult.points = pricePoints(settings.priceFormula, priceCriterion.points, (vendors[v] as { price: number | null }).price, lowest);
    }
  }

  // Totals and ranks.
  const sectionIds = sections.map((s) => s.id);
  const pointsByVendor = cellResults.map((row) => row.map((r) => r.points));
  const totals = pointsByVendor.map(totalPoints);
  const ranked = vendors.flatMap((x, v) => (qualified[v] ? [{ id: x.id, total: totals[v] as number }] : []));
  const ranks = rankByTotal(ranked);
  const winnerIds = winners(ranked);

  const vendorResults: VendorResult[] = vendors.map((x, v) => {
    const row = cellResults[v] as CriterionResult[];
    const missingPrice = priceCriterion !== undefined && x.price === null;
    return {
      vendorId: x.id,
      name: x.name,
      rank: qualified[v] ? (ranks.get(x.id) as number) : null,
      qualified: qualified[v] as boolean,
      disqualifiedBecause: disqualifiedBecause[v] as string[],
      total: totals[v] as number,
      sections: sectionSubtotals(sectionIds, criteria, pointsByVendor[v] as (number | null)[]),
      criteria: row,
      mixedKnockouts: mixedByVendor[v] as string[],
      problems: missingPrice
        ? [{ code: 'MISSING_PRICE', message: `The price of ${x.name} is missing, so its price points are not computed.` }]
        : [],
    };
  });
  const byName = (a: VendorResult, b: VendorResult) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.vendorId < b.vendorId ? -1 : a.vendorId > b.vendorId ? 1 : 0;
  vendorResults.sort((a, b) => {
    if (a.rank !== null && b.rank !== null) return a.rank - b.rank || byName(a, b);
    if (a.rank !== null) return -1;
    if (b.rank !== null) return 1;
    return byName(a, b);
  });

  // Why the results are not final, in the order an officer would deal with them.
  const notFinalBecause: string[] = [];
  if (preview) notFinalBecause.push('This is a preview: it counts scores from scoresheets that are not yet submitted.');
  if (V === 0) notFinalBecause.push('No vendor is in the evaluation.');
  const unsubmitted: number[] = [];
  if (input.scoresheets !== undefined) {
    for (const sheet of input.scoresheets) {
      const key = (eIndex.get(sheet.evaluatorId) as number) * V + (vIndex.get(sheet.vendorId) as number);
      if (sheet.status !== 'submitted' && recused[key] !== 1) unsubmitted.push(key);
    }
  } else {
    unsubmitted.push(...pendingSheets);
  }
  for (const key of [...new Set(unsubmitted)].sort((a, b) => a - b)) {
    const ev = evaluators[Math.floor(key / V)] as { name: string };
    const vendor = vendors[key % V] as { name: string };
    notFinalBecause.push(`${ev.name} has not submitted the scoresheet for ${vendor.name}.`);
  }
  for (const [v, x] of vendors.entries()) {
    if (!qualified[v]) continue;
    for (const vote of mixedVotes.filter((m) => m.vendorId === x.id)) {
      const title = (criteria[cIndex.get(vote.criterionId) as number] as { title: string }).title;
      notFinalBecause.push(
        `Knock-out ${quote(title)} for ${x.name} has a split vote (${vote.passes} pass, ${vote.fails} fail) and needs a consensus decision.`,
      );
    }
    for (const title of undecidedByVendor[v] as string[]) {
      notFinalBecause.push(`Knock-out ${quote(title)} has no pass/fail decision for ${x.name}.`);
    }
  }
  for (const [v, x] of vendors.entries()) {
    if (qualified[v] && priceCriterion !== undefined && x.price === null) {
      notFinalBecause.push(`The price of ${x.name} is missing, so its price points are not computed.`);
    }
  }
  for (const [v, x] of vendors.entries()) {
    if (!qualified[v]) continue;
    const unscored = (cellResults[v] as CriterionResult[])
      .filter((r) => r.kind === 'scored' && r.value === null)
      .map((r) => quote((criteria[cIndex.get(r.criterionId) as number] as { title: string }).title));
    if (unscored.length > 0) notFinalBecause.push(`${x.name} is not scored on ${listOf(unscored)}.`);
  }

  const warnings = [...ignoredRecused]
    .sort((a, b) => a - b)
    .map((key) => {
      const ev = evaluators[Math.floor(key / V)] as { name: string };
      const vendor = vendors[key % V] as { name: string };
      return `Scores by ${ev.name} for ${vendor.name} were ignored: ${ev.name} is recused from ${vendor.name}.`;
    });
  if (priceCriterion !== undefined && lowestAmong === 'all') {
    warnings.push('No qualified vendor has a price; price points are shown against the lowest price of all vendors, for information.');
  }

  // Calibration on scored criteria only.
  const scoredColumn = Uint8Array.from(criteria, (c) => (c.kind === 'scored' ? 1 : 0));
  const isScoredItem = (item: number) => scoredColumn[item % C] === 1;
  const lenience = leniencyFromGroups(groups, E, isScoredItem);
  const calibration = evaluators.map((ev, e) => ({
    evaluatorId: ev.id,
    name: ev.name,
    leniency: (lenience[e] as { leniency: number | null }).leniency,
    itemsCompared: (lenience[e] as { itemsCompared: number }).itemsCompared,
  }));
  const agreement = { metric: 'krippendorff_alpha_interval' as const, ...alphaFromGroups(groups, isScoredItem) };

  // Robustness on the qualified vendors' points per weighted criterion.
  const columns = criteria.flatMap((c, i) => ((c.kind === 'scored' || c.kind === 'price') && c.points > 0 ? [i] : []));
  const rows = vendors.flatMap((_, v) => (qualified[v] ? [v] : []));
  const matrixPoints = new Float64Array(rows.length * columns.length);
  for (const [k, v] of rows.entries()) {
    const row = cellResults[v] as CriterionResult[];
    for (let j = 0; j < columns.length; j++) matrixPoints[k * columns.length + j] = (row[columns[j] as number] as CriterionResult).points ?? 0;
  }
  const matrix: PointsMatrix = {
    vendorIds: rows.map((v) => (vendors[v] as { id: string }).id),
    weights: Float64Array.from(columns, (c) => (criteria[c] as { points: number }).points),
    sectionIds: columns.map((c) => (criteria[c] as { sectionId: string }).sectionId),
    points: matrixPoints,
  };
  const otherFormula = settings.priceFormula === 'ratio' ? 'linear' : 'ratio';
  const swap = priceFormulaSwap(
    settings.priceFormula,
    winnerIds,
    rows.map((v) => {
      const x = vendors[v] as { id: string; price: number | null };
      return {
        vendorId: x.id,
        total: totals[v] as number,
        currentPoints: priceColumn >= 0 ? ((cellResults[v] as CriterionResult[])[priceColumn] as CriterionResult).points : null,
        otherPoints: priceCriterion !== undefined ? pricePoints(otherFormula, priceCriterion.points, x.price, lowest) : null,
      };
    }),
    priceCriterion === undefined || !(priceCriterion.points > 0)
      ? { ok: false, reason: 'The RFP has no price criterion carrying points.' }
      : lowestAmong !== 'qualified'
        ? { ok: false, reason: 'No qualified vendor has a price.' }
        : { ok: true },
  );
  // Present Monte Carlo shares in the same order as the vendors.
  const monteCarlo = draws > 0 && rows.length > 0 ? monteCarloWinShares(matrix, draws, seed) : null;
  if (monteCarlo !== null) {
    const order = new Map(vendorResults.map((r, i) => [r.vendorId, i]));
    monteCarlo.shares.sort((a, b) => (order.get(a.vendorId) as number) - (order.get(b.vendorId) as number));
  }

  return {
    final: notFinalBecause.length === 0,
    notFinalBecause,
    warnings,
    settings: { ...settings },
    lowestPrice: lowest,
    lowestPriceAmong: lowestAmong,
    winnerIds: vendorResults.filter((r) => r.rank === 1).map((r) => r.vendorId),
    vendors: vendorResults,
    mixedVotes,
    calibration,
    agreement,
    robustness: {
      breakEven: breakEvenBySection(matrix, sectionIds),
      monteCarlo,
      priceFormulaSwap: swap,
    },
  };
}

/** The counted scores grouped by cell, and what was left out. */
interface GroupedScores {
  /** Counted scores by cell (cell = vendor × C + criterion; raters are evaluator indices). */
  groups: { offsets: Int32Array; values: Float64Array; raters: Int32Array };
  /** Evaluator × vendor sheets (e × V + v) with scores ignored because of a recusal. */
  ignoredRecused: Set<number>;
  /** Evaluator × vendor sheets (e × V + v) holding unsubmitted scores (not recused). */
  pendingSheets: Set<number>;
}

/**
 * Groups the scores that count (submitted, or in progress when previewing; never from a recused evaluator) by
 * vendor × criterion with a counting sort, in O(scores + cells): cell k's scores are values[offsets[k] .. offsets[k+1]).
 */
function groupCountedScores(refs: ScoreRefs, recused: Uint8Array, V: number, C: number, preview: boolean): GroupedScores {
  const scoreCount = refs.vendor.length;
  // 1 for a score that counts; its cell is recomputed in the second pass (cheaper than keeping a 4-byte cell per score).
  const counts = new Uint8Array(scoreCount);
  const offsets = new Int32Array(V * C + 1);
  const ignoredRecused = new Set<number>();
  const pendingSheets = new Set<number>();
  for (let i = 0; i < scoreCount; i++) {
    const v = refs.vendor[i] as number;
    const sheet = (refs.evaluator[i] as number) * V + v;
    if (recused[sheet] === 1) {
      ignoredRecused.add(sheet);
      continue;
    }
    if (refs.submitted[i] !== 1) {
      pendingSheets.add(sheet);
      if (!preview) continue;
    }
    const cell = v * C + (refs.criterion[i] as number);
    counts[i] = 1;
    offsets[cell + 1] = (offsets[cell + 1] as number) + 1;
  }
  for (let k = 1; k <= V * C; k++) offsets[k] = (offsets[k] as number) + (offsets[k - 1] as number);
  const counted = offsets[V * C] as number;
  const values = new Float64Array(counted);
  const raters = new Int32Array(counted);
  const cursor = offsets.slice(0, V * C);
  for (let i = 0; i < scoreCount; i++) {
    if (counts[i] !== 1) continue;
    const cell = (refs.vendor[i] as number) * C + (refs.criterion[i] as number);
    const at = cursor[cell] as number;
    values[at] = refs.value[i] as number;
    raters[at] = refs.evaluator[i] as number;
    cursor[cell] = at + 1;
  }
  return { groups: { offsets, values, raters }, ignoredRecused, pendingSheets };
}
