/**
 * Section subtotals that know the difference between "earned nothing" and "nobody scored it". The engine's
 * `SectionSubtotal.points` is Σ p(v,c) over the criteria with a value, so a section none of whose criteria has a value
 * yet (or one holding only knock-outs) sums to 0 — which a reader takes for a score of zero. Every view (results page,
 * scorecard, workbook, CSV) asks here instead and prints "—" for `null`.
 */
import type { VendorResult } from '#scoring/index';

/** A criterion's section, as the bundle lists them. */
export interface CriterionSection {
  id: string;
  sectionId: string;
}

/**
 * Each section's subtotal for `vendor`: the engine's figure when at least one of the section's criteria earned points
 * (a value on a criterion that carries points), `null` when none did.
 */
export function sectionSubtotals(criteria: readonly CriterionSection[], vendor: Pick<VendorResult, 'sections' | 'criteria'>): Map<string, number | null> {
  const sectionOf = new Map(criteria.map((c) => [c.id, c.sectionId]));
  const earned = new Set<string>();
  for (const c of vendor.criteria) {
    const sectionId = sectionOf.get(c.criterionId);
    if (c.points !== null && sectionId !== undefined) earned.add(sectionId);
  }
  return new Map(vendor.sections.map((s) => [s.sectionId, earned.has(s.sectionId) ? s.points : null]));
}

