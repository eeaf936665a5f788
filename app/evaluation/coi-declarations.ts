/**
 * When conflicts of interest can still be declared or recorded after the attestation (issue 12, item 6): until the RFP
 * is closed. A conflict found during consensus still matters — the recused evaluator's scores stop counting and the
 * panel's discussion of that vendor is withheld from them — but once the RFP is closed its record is final.
 */
import type { Rfp } from '#db/schema';

export const CONFLICTS_CLOSED = 'The RFP is closed: its record is final, so no conflict or recusal can be added now.';

/** Why no conflict can be declared or recusal recorded now, or null while they can. */
export function conflictsClosed(rfp: Pick<Rfp, 'status'>): string | null {
  return rfp.status === 'closed' ? CONFLICTS_CLOSED : null;
}

/** Where a recusal came from, as the lead's page says it. */
export const RECUSAL_ORIGIN_LABELS = {
  attestation: 'declared in the attestation',
  declaration: 'declared by the evaluator after attesting',
  lead: 'recorded by the lead officer',
} as const;
