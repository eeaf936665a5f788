/**
 * Criterion values and points (DESIGN §4.2–4.3).
 */
import type { Aggregation } from './types';

/**
 * Arithmetic mean of `values[start..end)` (default: all of them); `null` for an empty range (never 0, never NaN).
 * The range form lets the engine work on one flat array of all scores without copying.
 */
export function mean(values: ArrayLike<number>, start = 0, end: number = values.length): number | null {
  if (end <= start) return null;
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i] as number;
  return sum / (end - start);
}

/**
 * Median of `values[start..end)` (default: all of them): the middle value once sorted, or the mean of the two middle
 * values when the count is even (e.g. 2, 3, 4, 5 → 3.5). `null` for an empty range. Does not modify `values`.
 */
export function median(values: ArrayLike<number>, start = 0, end: number = values.length): number | null {
  const n = end - start;
  if (n <= 0) return null;
  const sorted: number[] = [];
  for (let i = start; i < end; i++) sorted.push(values[i] as number);
  sorted.sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The value of one vendor × criterion, and where it came from. */
export interface CriterionValue {
  /** In score units (0..S); `null` = not scored. */
  value: number | null;
  source: 'consensus' | 'mean' | 'median' | 'none';
}

/**
 * r(v,c): the consensus score when one is recorded, otherwise the `aggregation` (mean or median) of the counted
 * scores `countedScores[start..end)` — the caller passes only scores that count (submitted, from evaluators not
 * recused from the vendor). No consensus and no counted score → `{ value: null, source: 'none' }`: "not scored",
 * which is not 0.
 */
export function criterionValue(
  consensus: number | null | undefined,
  countedScores: ArrayLike<number>,
  aggregation: Aggregation,
  start = 0,
  end: number = countedScores.length,
): CriterionValue {
  if (consensus !== null && consensus !== undefined) return { value: consensus, source: 'consensus' };
  const value = aggregation === 'median' ? median(countedScores, start, end) : mean(countedScores, start, end);
  return value === null ? { value: null, source: 'none' } : { value, source: aggregation };
}

/**
 * p(v,c) = W × r / S, in points, for a `scored` criterion with `points` = W and scale max S (computed as
 * (W × r) / S, exact for whole W and r). Full precision; `null` when r is null (not scored).
 */
export function scoredPoints(points: number, value: number | null, scaleMax: number): number | null {
  return value === null ? null : (points * value) / scaleMax;
}
