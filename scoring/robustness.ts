/**
 * Robustness (DESIGN §4.9): "would a different weighting change the winner?"
 *
 * All three analyses work on a points matrix of the qualified vendors: M[v][c] = p(v,c), the points vendor v earns
 * on weighted criterion c (0 when not scored), with W_c the criterion's points. Reweighting criterion c to W'_c
 * scales its column by W'_c / W_c, because p(v,c) is proportional to W_c for every kind (scored: W × r / S;
 * price: W × share). Nothing else is recomputed, which keeps 10,000 draws cheap.
 */
import { TIE_TOLERANCE, type MonteCarloResult, type PriceFormula, type PriceFormulaSwap, type SectionBreakEven } from './types';
import { winners } from './ranking';

/** Qualified vendors' points per weighted criterion (W_c > 0). */
export interface PointsMatrix {
  vendorIds: readonly string[];
  /** W_c of each column, in points (all > 0). */
  weights: ArrayLike<number>;
  /** Section id of each column. */
  sectionIds: readonly string[];
  /** Row-major: points[v × columns + c] = p(v,c), in points. */
  points: ArrayLike<number>;
}

/**
 * A small seeded PRNG (mulberry32): returns a function giving floats uniform in [0, 1), 2^32 distinct states.
 * The same seed gives the same sequence on every platform (integer arithmetic only). `seed` is used modulo 2^32.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Totals of every row of the matrix, in points (Σ over columns, in column order). */
export function matrixTotals(matrix: PointsMatrix): Float64Array {
  const C = matrix.weights.length;
  const V = matrix.vendorIds.length;
  const totals = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    let t = 0;
    const row = v * C;
    for (let c = 0; c < C; c++) t += matrix.points[row + c] as number;
    totals[v] = t;
  }
  return totals;
}

/** Largest share of a section's weight the break-even search explores (±50%). */
export const BREAK_EVEN_RANGE = 0.5;

/**
 * Break-even weight change per section: the smallest change d (in points, either sign, |d| ≤ 50% of the section's
 * weight W_s) to the section's weight, with every other section's criteria rescaled by (R − d) / R (R = the other
 * sections' weight) so the total stays the same, at which another vendor draws level with the winner.
 *
 * Method (exact, no search): with A_v the vendor's points in the section and B_v its points elsewhere, its total
 * is T_v(d) = A_v (1 + d/W_s) + B_v (1 − d/R), linear in d. For each challenger u the gap to the winner w,
 * Δ(d) = (A_u − A_w)(1 + d/W_s) + (B_u − B_w)(1 − d/R), is negative at d = 0 and reaches 0 at
 * d* = −Δ(0) / ((A_u − A_w)/W_s − (B_u − B_w)/R). The smallest |d*| within the range (and with R − d ≥ 0) is the
 * break-even: the first change at which the winner is no longer alone at the top. Computed in O(vendors × criteria).
 *
 * `not_applicable` (with a reason) when there are fewer than two qualified vendors, the top is already tied,
 * the section carries no points, or it carries all of them (its weight cannot change while the total stays fixed).
 */
export function breakEvenBySection(matrix: PointsMatrix, sectionIds: readonly string[]): SectionBreakEven[] {
  const C = matrix.weights.length;
  const V = matrix.vendorIds.length;
  const totals = matrixTotals(matrix);
  const top = winners(matrix.vendorIds.map((id, v) => ({ id, total: totals[v] as number })));
  let allWeight = 0;
  for (let c = 0; c < C; c++) allWeight += matrix.weights[c] as number;

  return sectionIds.map((sectionId): SectionBreakEven => {
    let weight = 0;
    for (let c = 0; c < C; c++) if (matrix.sectionIds[c] === sectionId) weight += matrix.weights[c] as number;
    const notApplicable = (reason: string): SectionBreakEven => ({
      sectionId,
      weight,
      status: 'not_applicable',
      change: null,
      relativeChange: null,
      newWeight: null,
      challengerIds: [],
      reason,
    });
    if (V < 2) return notApplicable('Fewer than two vendors are qualified, so there is no winner to overturn.');
    if (top.length !== 1) return notApplicable('Several vendors share first place already; any change that separates them changes the winner.');
    if (!(weight > 0)) return notApplicable('This section carries no points.');
    const rest = allWeight - weight;
    if (!(rest > weight * 1e-12)) return notApplicable('This section carries all the points, so its weight cannot change while the total stays the same.');

    const inSection = new Float64Array(V);
    const elsewhere = new Float64Array(V);
    for (let v = 0; v < V; v++) {
      let a = 0;
      let b = 0;
      const row = v * C;
      for (let c = 0; c < C; c++) {
        const p = matrix.points[row + c] as number;
        if (matrix.sectionIds[c] === sectionId) a += p;
        else b += p;
      }
      inSection[v] = a;
      elsewhere[v] = b;
    }
    const w = matrix.vendorIds.indexOf(top[0] as string);
    const lower = -BREAK_EVEN_RANGE * weight;
    const upper = Math.min(BREAK_EVEN_RANGE * weight, rest);
    const slack = 1e-12 * weight;
    let best: number | null = null;
    let challengers: string[] = [];
    for (let u = 0; u < V; u++) {
      if (u === w) continue;
      const dA = (inSection[u] as number) - (inSection[w] as number);
      const dB = (elsewhere[u] as number) - (elsewhere[w] as number);
      const gap = dA + dB;
      const slope = dA / weight - dB / rest;
      if (slope === 0) continue;
      const d = -gap / slope;
      if (d < lower - slack || d > upper + slack) continue;
      const id = matrix.vendorIds[u] as string;
      if (best === null || Math.abs(d) < Math.abs(best) - slack) {
        best = d;
        challengers = [id];
      } else if (Math.abs(d - best) <= slack) {
        challengers.push(id);
      }
    }
    if (best === null) {
      return { ...notApplicable(''), status: 'none', reason: 'No change of up to ±50% of this section’s weight changes the winner.' };
    }
    return {
      sectionId,
      weight,
      status: 'changes',
      change: best,
      relativeChange: best / weight,
      newWeight: weight + best,
      challengerIds: challengers,
      reason: null,
    };
  });
}

/** Range of the Monte Carlo weight factor: uniform in [1 − 0.5, 1 + 0.5]. */
export const MONTE_CARLO_SPREAD = 0.5;

/** The Monte Carlo distribution, in words (shown to leadership and written to the export). */
export const MONTE_CARLO_DISTRIBUTION =
  'Each criterion’s points multiplied by its own factor drawn uniformly from [0.5, 1.5], then all rescaled so they add ' +
  'up to the RFP’s total (mulberry32 PRNG).';

/**
 * Monte Carlo win shares: `draws` weightings around the chosen one, and the share of draws each vendor wins.
 *
 * Each draw multiplies every weighted criterion's points W_c by an independent factor f_c ~ Uniform[0.5, 1.5]
 * (one PRNG number per criterion, in column order) and rescales all by (Σ W) / (Σ W_c f_c) so the total is
 * unchanged; each vendor's total is then Σ_c (scale · f_c) · p(v,c). The draw's winners are the vendors within 1e-9
 * points of the highest total; k tied winners get 1/k of the draw each, so shares add up to 1 (up to float
 * error). Same matrix, draws and seed → identical shares.
 *
 * Speed: a vendor that cannot reach first place under any factors in range — some rival beats it even when every
 * criterion favouring it is weighted ×1.5 and every other ×0.5 (rescaling by at most ×2, at least ×2/3) — is
 * skipped; this never changes a share, it only saves time. Returns shares for every vendor of the matrix, in
 * matrix order; `draws` = 0 gives all-zero shares.
 */
export function monteCarloWinShares(matrix: PointsMatrix, draws: number, seed: number): MonteCarloResult {
  const C = matrix.weights.length;
  const V = matrix.vendorIds.length;
  const wins = new Float64Array(V);
  const result = (): MonteCarloResult => ({
    draws,
    seed: seed >>> 0,
    distribution: MONTE_CARLO_DISTRIBUTION,
    shares: matrix.vendorIds.map((vendorId, v) => ({ vendorId, share: draws > 0 ? (wins[v] as number) / draws : 0 })),
  });
  if (V === 0 || draws <= 0) return result();

  let allWeight = 0;
  for (let c = 0; c < C; c++) allWeight += matrix.weights[c] as number;
  const candidates = contenders(matrix, allWeight);
  const K = candidates.length;
  if (K === 1) {
    // Only one vendor can ever win: it wins every draw. The PRNG is not needed.
    wins[candidates[0] as number] = draws;
    return result();
  }

  // The candidates' rows, packed, so the inner loop reads contiguous memory (measured faster than column-major).
  const rows = new Float64Array(K * C);
  for (let k = 0; k < K; k++) {
    const v = candidates[k] as number;
    for (let c = 0; c < C; c++) rows[k * C + c] = matrix.points[v * C + c] as number;
  }
  const weights = Float64Array.from(matrix.weights);
  const factors = new Float64Array(C);
  const totals = new Float64Array(K);
  const low = 1 - MONTE_CARLO_SPREAD;
  const width = 2 * MONTE_CARLO_SPREAD;
  // mulberry32, inlined (same arithmetic as `mulberry32(seed)`, so the draws are the same numbers).
  let state = seed >>> 0;
  for (let draw = 0; draw < draws; draw++) {
    let drawnWeight = 0;
    for (let c = 0; c < C; c++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const f = low + width * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
      factors[c] = f;
      drawnWeight += (weights[c] as number) * f;
    }
    const scale = allWeight / drawnWeight;
    weightedRowSums(rows, K, factors, scale, totals);
    let max = -Infinity;
    for (let k = 0; k < K; k++) if ((totals[k] as number) > max) max = totals[k] as number;
    let tied = 0;
    for (let k = 0; k < K; k++) if ((totals[k] as number) >= max - TIE_TOLERANCE) tied += 1;
    const share = 1 / tied;
    for (let k = 0; k < K; k++) {
      if ((totals[k] as number) >= max - TIE_TOLERANCE) {
        const v = candidates[k] as number;
        wins[v] = (wins[v] as number) + share;
      }
    }
  }
  return result();
}

/**
 * totals[k] = scale × Σ_c factors[c] · rows[k × C + c] for the K packed rows of C columns (C = factors.length).
 *
 * Four rows share one pass over the columns: each factor is loaded once for four rows and the four running sums
 * stay in registers, which roughly halves the Monte Carlo's time. Every row is still summed on its own, from 0, in
 * column order, then scaled, so each total is bit-for-bit the plain loop's (no reassociation, hence the same
 * winners and ties).
 */
export function weightedRowSums(rows: Float64Array, K: number, factors: Float64Array, scale: number, totals: Float64Array): void {
  const C = factors.length;
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const r0 = k * C;
    const r1 = r0 + C;
    const r2 = r1 + C;
    const r3 = r2 + C;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let c = 0; c < C; c++) {
      const f = factors[c] as number;
      t0 += f * (rows[r0 + c] as number);
      t1 += f * (rows[r1 + c] as number);
      t2 += f * (rows[r2 + c] as number);
      t3 += f * (rows[r3 + c] as number);
    }
    totals[k] = t0 * scale;
    totals[k + 1] = t1 * scale;
    totals[k + 2] = t2 * scale;
    totals[k + 3] = t3 * scale;
  }
  for (; k < K; k++) {
    const row = k * C;
    let t = 0;
    for (let c = 0; c < C; c++) t += (factors[c] as number) * (rows[row + c] as number);
    totals[k] = t * scale;
  }
}

/**
 * Rows that can win some draw: a row v is dropped when a rival w beats it by a clear margin even in v's best case,
 * Σ_c (p_v,c − p_w,c) · (1.5 where v leads on c, else 0.5) < −margin. Rivals checked: the 8 highest totals
 * (one of them is almost always the dominating one); checking fewer rivals only keeps more rows, never wrongly
 * drops one.
 */
function contenders(matrix: PointsMatrix, allWeight: number): number[] {
  const C = matrix.weights.length;
  const V = matrix.vendorIds.length;
  const totals = matrixTotals(matrix);
  const order = Array.from({ length: V }, (_, v) => v).sort((a, b) => (totals[b] as number) - (totals[a] as number));
  const rivals = order.slice(0, 8);
  // After rescaling (factor ≥ 2/3) a best-case gap below −margin stays below −(2/3)·margin < −1e-9 with room for
  // float error.
  const margin = Math.max(1e-6 * allWeight, 1e-8);
  const hi = 1 + MONTE_CARLO_SPREAD;
  const lo = 1 - MONTE_CARLO_SPREAD;
  const keep: number[] = [];
  for (let v = 0; v < V; v++) {
    let dominated = false;
    for (const w of rivals) {
      if (w === v) continue;
      let best = 0;
      for (let c = 0; c < C; c++) {
        const d = (matrix.points[v * C + c] as number) - (matrix.points[w * C + c] as number);
        best += d > 0 ? hi * d : lo * d;
      }
      if (best < -margin) {
        dominated = true;
        break;
      }
    }
    if (!dominated) keep.push(v);
  }
  return keep;
}

/**
 * Winners under the other price formula: each qualified vendor's total with its price points recomputed by
 * `otherPoints` (same P_min, same W). `rows` carry the total under the current formula and the price points under
 * both formulas (`null` = no price points, e.g. missing price). Ties within 1e-9 share first place.
 */
export function priceFormulaSwap(
  currentFormula: PriceFormula,
  currentWinnerIds: readonly string[],
  rows: readonly { vendorId: string; total: number; currentPoints: number | null; otherPoints: number | null }[],
  applicable: { ok: true } | { ok: false; reason: string },
): PriceFormulaSwap {
  const otherFormula: PriceFormula = currentFormula === 'ratio' ? 'linear' : 'ratio';
  if (!applicable.ok || rows.length === 0) {
    return {
      currentFormula,
      otherFormula,
      applicable: false,
      otherWinnerIds: [],
      changesWinner: null,
      reason: applicable.ok ? 'No vendor is qualified.' : applicable.reason,
    };
  }
  const otherWinnerIds = winners(
    rows.map((r) => ({ id: r.vendorId, total: r.total - (r.currentPoints ?? 0) + (r.otherPoints ?? 0) })),
  );
  const current = new Set(currentWinnerIds);
  const same = otherWinnerIds.length === current.size && otherWinnerIds.every((id) => current.has(id));
  return { currentFormula, otherFormula, applicable: true, otherWinnerIds, changesWinner: !same, reason: null };
}
