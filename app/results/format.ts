/**
 * Number formats of the results views. Every figure goes through `roundForDisplay` (2 decimals, half away from
 * zero, DESIGN §4) before it is printed, so the page, the scorecard and the export show the same digits.
 */
import { roundForDisplay } from '#scoring/index';

/** Points with two decimals: 78.4 → "78.40". */
export function formatPoints(x: number): string {
  return roundForDisplay(x).toFixed(2);
}

/** A score on the rubric scale: whole numbers as they are ("4"), others with two decimals ("3.67"). */
export function formatScore(x: number): string {
  const r = roundForDisplay(x);
  return Number.isInteger(r) ? String(r) : r.toFixed(2);
}

/** A share 0..1 as a percentage rounded to 2 decimals, trailing zeros dropped: 0.8735 → "87.35%", 1 → "100%". */
export function formatPercent(share: number): string {
  return `${String(roundForDisplay(share * 100))}%`;
}

/** A signed change in points: +3.20 / −12.40 (with a real minus sign). */
export function formatSignedPoints(x: number): string {
  const r = roundForDisplay(x);
  return r > 0 ? `+${r.toFixed(2)}` : r < 0 ? `−${Math.abs(r).toFixed(2)}` : '0.00';
}

/** "A", "A and B", "A, B and C". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`;
}

/** "1 criterion" / "3 criteria". */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
