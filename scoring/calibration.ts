/**
 * Calibration (DESIGN §4.8): each evaluator's leniency, and inter-rater agreement as Krippendorff's alpha with the
 * interval metric.
 *
 * Both work on "items" (one vendor × scored criterion) holding the counted scores of that item (submitted,
 * recusals excluded). Consensus scores are not evaluators' scores and never enter calibration. Pass/fail votes are
 * not on the interval scale and are left out by the engine.
 */
import type { AgreementResult } from './types';

/**
 * Scores grouped by item in compressed form: the scores of item i are `values[offsets[i]] .. values[offsets[i+1]−1]`,
 * given by raters `raters[…]` (0-based rater indices). `offsets` has one more entry than there are items.
 */
export interface ScoreGroups {
  offsets: ArrayLike<number>;
  values: ArrayLike<number>;
  raters: ArrayLike<number>;
}

/** One rater's leniency. */
export interface Leniency {
  /** Mean of (own score − item mean), in score units; `null` when the rater shares no item with anybody. */
  leniency: number | null;
  itemsCompared: number;
}

/**
 * Leniency of every rater 0..`raterCount`−1: the mean, over the items they scored that at least one other rater
 * also scored, of (their score − the panel mean of that item), where the panel mean includes their own score.
 * In score units: +0.5 means half a rubric level above the panel on average.
 *
 * Items scored by one rater only are skipped: there is no panel to compare with, and counting them would pull
 * everybody towards 0. `include(item)` may exclude items (the engine keeps scored criteria only).
 */
export function leniencyFromGroups(
  groups: ScoreGroups,
  raterCount: number,
  include: (item: number) => boolean = () => true,
): Leniency[] {
  const deviation = new Float64Array(raterCount);
  const count = new Int32Array(raterCount);
  const items = groups.offsets.length - 1;
  for (let item = 0; item < items; item++) {
    const start = groups.offsets[item] as number;
    const end = groups.offsets[item + 1] as number;
    if (end - start < 2 || !include(item)) continue;
    let sum = 0;
    for (let i = start; i < end; i++) sum += groups.values[i] as number;
    const itemMean = sum / (end - start);
    for (let i = start; i < end; i++) {
      const r = groups.raters[i] as number;
      deviation[r] = (deviation[r] as number) + ((groups.values[i] as number) - itemMean);
      count[r] = (count[r] as number) + 1;
    }
  }
  return Array.from(count, (n, r) => ({
    leniency: n === 0 ? null : (deviation[r] as number) / n,
    itemsCompared: n,
  }));
}

/**
 * {@link leniencyFromGroups} for items given as lists of `{ raterId, value }`: returns leniency per rater id, for
 * every rater appearing in `items`.
 */
export function evaluatorLeniency(
  items: readonly (readonly { raterId: string; value: number }[])[],
): Map<string, Leniency> {
  const ids = new Map<string, number>();
  for (const item of items) for (const s of item) if (!ids.has(s.raterId)) ids.set(s.raterId, ids.size);
  const groups = toGroups(items.map((item) => item.map((s) => ({ rater: ids.get(s.raterId) as number, value: s.value }))));
  const figures = leniencyFromGroups(groups, ids.size);
  return new Map([...ids].map(([id, r]) => [id, figures[r] as Leniency]));
}

/** Krippendorff's alpha figures (see {@link AgreementResult}). */
export type AlphaFigures = Omit<AgreementResult, 'metric'>;

/**
 * Krippendorff's alpha with the interval metric δ²(a, b) = (a − b)², over the items kept by `include`.
 *
 * Only items with at least two scores are pairable; n = the number of scores in them, m_u = the count in item u.
 * - observed disagreement D_o = (1/n) Σ_u [ Σ_{i≠j in u} (x_i − x_j)² / (m_u − 1) ]
 * - expected disagreement D_e = (1/(n(n−1))) Σ_{i≠j over all n pairable scores} (x_i − x_j)²
 * - α = 1 − D_o / D_e (1 = perfect agreement, 0 = chance level, negative = systematic disagreement).
 *
 * Σ_{i≠j} (x_i − x_j)² over ordered pairs equals 2m Σ (x_i − x̄)², computed with the mean first (two passes) for
 * accuracy, so the whole is O(n). Missing scores (an evaluator who did not score an item, or was recused) are
 * simply absent, as Krippendorff's coefficient allows.
 *
 * `alpha` is `null`, with a `reason`, when it is not computable: no item has two or more scores (nothing to
 * pair), or every pairable score is the same value (D_e = 0: no variation, so agreement is undefined).
 */
export function alphaFromGroups(groups: ScoreGroups, include: (item: number) => boolean = () => true): AlphaFigures {
  const items = groups.offsets.length - 1;
  let units = 0;
  let n = 0;
  let total = 0;
  let observed = 0;
  for (let item = 0; item < items; item++) {
    const start = groups.offsets[item] as number;
    const end = groups.offsets[item + 1] as number;
    const m = end - start;
    if (m < 2 || !include(item)) continue;
    let sum = 0;
    for (let i = start; i < end; i++) sum += groups.values[i] as number;
    const itemMean = sum / m;
    let squares = 0;
    for (let i = start; i < end; i++) {
      const d = (groups.values[i] as number) - itemMean;
      squares += d * d;
    }
    observed += (2 * m * squares) / (m - 1);
    units += 1;
    n += m;
    total += sum;
  }
  if (units === 0) {
    return {
      alpha: null,
      pairableUnits: 0,
      pairableValues: 0,
      reason: 'No item has been scored by two or more evaluators, so there is nothing to compare.',
    };
  }
  const grandMean = total / n;
  let squares = 0;
  for (let item = 0; item < items; item++) {
    const start = groups.offsets[item] as number;
    const end = groups.offsets[item + 1] as number;
    if (end - start < 2 || !include(item)) continue;
    for (let i = start; i < end; i++) {
      const d = (groups.values[i] as number) - grandMean;
      squares += d * d;
    }
  }
  const expected = (2 * n * squares) / (n * (n - 1));
  if (!(expected > 0)) {
    return {
      alpha: null,
      pairableUnits: units,
      pairableValues: n,
      reason: 'Every score given is the same value; with no variation, agreement cannot be measured.',
    };
  }
  return { alpha: 1 - observed / n / expected, pairableUnits: units, pairableValues: n, reason: null };
}

/**
 * {@link alphaFromGroups} for items given as lists of scores (one list per vendor × criterion; evaluators who did
 * not score the item are simply absent). E.g. items [[1, 2], [3, 3]]: n = 4, D_o = (1/4)(2/1 + 0) = 0.5,
 * D_e = 22 / (4 · 3) = 11/6 (ordered pairs of 1, 2, 3, 3), α = 1 − 0.5 / (11/6) = 8/11 ≈ 0.727.
 */
export function krippendorffAlphaInterval(items: readonly (readonly number[])[]): AlphaFigures {
  return alphaFromGroups(toGroups(items.map((item) => item.map((value) => ({ rater: 0, value })))));
}

function toGroups(items: readonly (readonly { rater: number; value: number }[])[]): ScoreGroups {
  const offsets = new Int32Array(items.length + 1);
  for (const [i, item] of items.entries()) offsets[i + 1] = (offsets[i] as number) + item.length;
  const size = offsets[items.length] as number;
  const values = new Float64Array(size);
  const raters = new Int32Array(size);
  let k = 0;
  for (const item of items) {
    for (const s of item) {
      values[k] = s.value;
      raters[k] = s.rater;
      k += 1;
    }
  }
  return { offsets, values, raters };
}
