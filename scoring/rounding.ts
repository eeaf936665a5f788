/**
 * Rounding for display and export. The engine itself never rounds.
 */

/**
 * Rounds `x` to `decimals` places (default 2), half away from zero, as a person rounding the printed decimal would:
 * 1.005 → 1.01, 2.675 → 2.68, −1.005 → −1.01, 0.125 → 0.13.
 *
 * Binary floats store 1.005 as 1.00499999999999989…, so `Math.round(x * 100) / 100` gives 1.00. Instead the value is
 * first written with 15 significant digits (the precision a double reliably carries, which drops the binary
 * noise), and the decimal point is moved by editing the exponent of that string, not by multiplying.
 *
 * Returns 0 (never −0) for results that round to zero; non-finite input and magnitudes ≥ 1e15 (which carry no
 * decimals) are returned unchanged. `decimals` must be a whole number 0..10.
 */
export function roundForDisplay(x: number, decimals = 2): number {
  if (!Number.isFinite(x)) return x;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new RangeError(`roundForDisplay: decimals must be a whole number from 0 to 10 (got ${decimals}).`);
  }
  // Beyond 1e15 a double has no decimals left to round.
  if (Math.abs(x) >= 1e15) return x;
  const [mantissa, exponent] = Math.abs(x).toExponential(14).split('e') as [string, string];
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  const rounded = Number(`${Math.round(shifted)}e-${decimals}`);
  return rounded === 0 ? 0 : x < 0 ? -rounded : rounded;
}
