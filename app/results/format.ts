/**
 * Number formats of the results views, the leadership scorecard and the scorecard workbook's texts: the one place a
 * figure becomes text (DESIGN §4 readings). Every figure goes through `roundForDisplay` (2 decimals, half away from
 * zero on the decimal value: −0.025 → −0.03) before it is printed, an exact zero prints as 0.00 (never −0.00 or +0),
 * signed figures always carry a sign and two decimals (+1.00, −0.03), and every negative figure is written with the
 * one minus sign {@link MINUS} (U+2212), never a hyphen. Numbers written as numbers (workbook cells, CSV fields for
 * other programs) are not text and keep the machine's own sign.
 */
import { roundForDisplay } from '#scoring/index';

/** The minus sign of every figure shown as text (U+2212 MINUS SIGN). */
export const MINUS = '\u2212';

/** What a figure that does not exist shows (a leniency with no shared item, a criterion nobody scored). */
export const NO_FIGURE = '—';

/** `text` (a JavaScript number's decimal form) with its leading hyphen-minus as {@link MINUS}. */
function withMinus(text: string): string {
  return text.startsWith('-') ? `${MINUS}${text.slice(1)}` : text;
}

/** Points with two decimals: 78.4 → "78.40", −3 → "−3.00". */
export function formatPoints(x: number): string {
  return withMinus(roundForDisplay(x).toFixed(2));
}

/** Points, or {@link NO_FIGURE} when there are none to show (a section nobody scored): never a 0.00 nobody earned. */
export function formatOptionalPoints(x: number | null): string {
  return x === null ? NO_FIGURE : formatPoints(x);
}

/** A score on the rubric scale: whole numbers as they are ("4"), others with two decimals ("3.67"). */
export function formatScore(x: number): string {
  const r = roundForDisplay(x);
  return withMinus(Number.isInteger(r) ? String(r) : r.toFixed(2));
}

/** A share 0..1 as a percentage rounded to 2 decimals, trailing zeros dropped: 0.8735 → "87.35%", 1 → "100%". */
export function formatPercent(share: number): string {
  return `${withMinus(String(roundForDisplay(share * 100)))}%`;
}

/** A signed figure with two decimals: "+3.20", "−0.03", and "0.00" for anything that rounds to zero. */
export function formatSigned(x: number): string {
  const r = roundForDisplay(x);
  return r > 0 ? `+${r.toFixed(2)}` : r < 0 ? `${MINUS}${Math.abs(r).toFixed(2)}` : '0.00';
}

/** An evaluator's leniency (their mean difference from the panel): signed, or "—" when they shared no item. */
export function formatLeniency(leniency: number | null): string {
  return leniency === null ? NO_FIGURE : formatSigned(leniency);
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
