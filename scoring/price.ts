/**
 * Price points (DESIGN §4.4).
 */
import type { PriceFormula } from './types';

/**
 * P_min: the lowest price among `prices` that is a positive finite number; `null` when there is none.
 * The caller passes the prices of qualified vendors only (a disqualified vendor's low price must not depress
 * everybody else's price points).
 */
export function lowestPrice(prices: readonly (number | null)[]): number | null {
  let min: number | null = null;
  for (const p of prices) {
    if (p !== null && Number.isFinite(p) && p > 0 && (min === null || p < min)) min = p;
  }
  return min;
}

/**
 * Share of the price criterion's points earned by price `price` against the lowest qualified price `lowest`,
 * in 0..1:
 * - `ratio`: P_min / P_v;
 * - `linear`: max(0, 1 − (P_v − P_min) / P_min) — a vendor twice as expensive as the cheapest, or more, earns 0.
 *
 * Capped at 1: only a disqualified vendor can be cheaper than P_min, and its (informational) price points must not
 * exceed W. Returns `null` when either price is missing or not positive (the engine reports that as a problem
 * rather than computing NaN or Infinity).
 */
export function priceShare(formula: PriceFormula, price: number | null, lowest: number | null): number | null {
  if (price === null || lowest === null || !(price > 0) || !(lowest > 0)) return null;
  if (!Number.isFinite(price) || !Number.isFinite(lowest)) return null;
  const share = formula === 'linear' ? Math.max(0, 1 - (price - lowest) / lowest) : lowest / price;
  return Math.min(1, share);
}

/**
 * Price points in points: W_price × {@link priceShare}. E.g. ratio, W = 20, P_min = 80,000, P_v = 100,000 → 16;
 * linear, same prices → 20 × (1 − 0.25) = 15. `null` when the price or P_min is missing.
 */
export function pricePoints(
  formula: PriceFormula,
  points: number,
  price: number | null,
  lowest: number | null,
): number | null {
  const share = priceShare(formula, price, lowest);
  return share === null ? null : points * share;
}
