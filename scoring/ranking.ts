/**
 * Ranking with shared ranks (DESIGN §4.6).
 */
import { TIE_TOLERANCE } from './types';

/**
 * Competition ranks ("1, 1, 3") by total, descending: rank(v) = 1 + the number of entries whose total exceeds
 * T(v) by more than `tolerance` (default 1e-9 points). Totals within the tolerance share a rank. Returns a map from
 * id to rank; the input order does not matter. O(n log n).
 */
export function rankByTotal(
  entries: readonly { id: string; total: number }[],
  tolerance: number = TIE_TOLERANCE,
): Map<string, number> {
  const sorted = [...entries].sort((a, b) => b.total - a.total);
  const ranks = new Map<string, number>();
  // Entries ahead of entry i by more than the tolerance form a prefix of the sorted list, growing with i.
  let ahead = 0;
  for (const entry of sorted) {
    while (ahead < sorted.length && (sorted[ahead] as { total: number }).total > entry.total + tolerance) ahead += 1;
    ranks.set(entry.id, ahead + 1);
  }
  return ranks;
}

/**
 * Ids of the entries ranked 1 (those within `tolerance` of the highest total), in input order; empty for no
 * entries.
 */
export function winners(entries: readonly { id: string; total: number }[], tolerance: number = TIE_TOLERANCE): string[] {
  let max = -Infinity;
  for (const e of entries) if (e.total > max) max = e.total;
  return entries.filter((e) => e.total >= max - tolerance).map((e) => e.id);
}
