/**
 * Divergence flags (DESIGN §4.7).
 */

/** Default divergence threshold: a spread of 30% of the scale. */
export const DEFAULT_DIVERGENCE_THRESHOLD = 0.3;

/**
 * Spread of the scores `values[start..end)` (default: all) on one vendor × criterion as a share of the scale:
 * (max − min) / S, in 0..1. `null` for fewer than two scores (one evaluator cannot disagree with themselves).
 */
export function spread(values: ArrayLike<number>, scaleMax: number, start = 0, end: number = values.length): number | null {
  if (end - start < 2) return null;
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const x = values[i] as number;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return (max - min) / scaleMax;
}

/**
 * Whether a spread is flagged: spread ≥ threshold. A tolerance of 1e-9 absorbs float noise so that, for example,
 * scores 2 and 3.5 on a 0..5 scale (spread exactly 0.3) are flagged at the default threshold. `null` spread → false.
 */
export function isDivergent(spreadValue: number | null, threshold: number = DEFAULT_DIVERGENCE_THRESHOLD): boolean {
  return spreadValue !== null && spreadValue >= threshold - 1e-9;
}
