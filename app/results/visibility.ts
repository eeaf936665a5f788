/**
 * Who may see what of the results (DESIGN §1–2). Shared by loaders (which enforce it) and tests.
 *
 * - Leads, observers (leadership) and admins with `results:read` see the ranking and the matrix in any status;
 *   before the evaluation is complete the page says the results are not final.
 * - The **panel's individual scores and rationales** (the drill-down) stay sealed until the RFP reaches consensus:
 *   before that, evaluators must not be swayed by each other and nobody should read partial sheets as a verdict.
 * - **Evaluators** may read results only once the RFP is in consensus or closed **and** every scoresheet of theirs
 *   (each vendor in the evaluation they are not recused from) is submitted. Otherwise the loader answers 403.
 */
import type { RfpStatus } from '#db/schema';

/** Statuses in which the panel's individual scores may be shown. */
export const PANEL_VISIBLE_STATUSES: readonly RfpStatus[] = ['consensus', 'closed'];

export function panelScoresVisible(status: RfpStatus): boolean {
  return PANEL_VISIBLE_STATUSES.includes(status);
}

export type ResultsGate = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether an evaluator may read the results: RFP in consensus or closed, and every one of their own scoresheets
 * (already filtered to vendors they are not recused from) submitted. An evaluator without sheets has nothing pending.
 */
export function evaluatorResultsGate(status: RfpStatus, ownSheets: ReadonlyArray<{ status: string }>): ResultsGate {
  if (!panelScoresVisible(status)) {
    return { allowed: false, reason: 'Evaluators can read the results once the RFP reaches consensus.' };
  }
  const pending = ownSheets.filter((s) => s.status !== 'submitted').length;
  if (pending > 0) {
    return {
      allowed: false,
      reason: `You can read the results once all your scoresheets are submitted (${pending} still open).`,
    };
  }
  return { allowed: true };
}
