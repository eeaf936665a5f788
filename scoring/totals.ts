/**
 * Totals and section subtotals (DESIGN §4.6).
 */
import type { SectionSubtotal } from './types';

/**
 * T(v) = Σ p(v,c) over the criteria that have points, in points, full precision. `null` entries (not scored,
 * missing price, knock-outs, info) add nothing — the results say why they are missing, so a partial total is never
 * presented as final. An empty list gives 0.
 */
export function totalPoints(points: readonly (number | null)[]): number {
  let sum = 0;
  for (const p of points) if (p !== null) sum += p;
  return sum;
}

/**
 * Subtotals per section, in the order of `sectionIds`: `points` = Σ p(v,c) over the section's criteria with a
 * value; `available` = Σ W_c over the section's criteria. `criteria[i]` and `points[i]` describe the same criterion.
 */
export function sectionSubtotals(
  sectionIds: readonly string[],
  criteria: readonly { sectionId: string; points: number }[],
  points: readonly (number | null)[],
): SectionSubtotal[] {
  const bySection = new Map<string, SectionSubtotal>();
  const out = sectionIds.map((sectionId) => {
    const row: SectionSubtotal = { sectionId, points: 0, available: 0 };
    bySection.set(sectionId, row);
    return row;
  });
  for (const [i, c] of criteria.entries()) {
    const row = bySection.get(c.sectionId);
    if (row === undefined) continue;
    row.available += c.points;
    const p = points[i];
    if (p !== null && p !== undefined) row.points += p;
  }
  return out;
}
