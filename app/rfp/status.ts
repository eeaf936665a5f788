/** The lifecycle's order and names, shared by the server and the browser (DESIGN §2). */
import type { RfpStatus } from '#db/schema';

export const STATUS_ORDER: readonly RfpStatus[] = ['draft', 'open', 'evaluation', 'consensus', 'closed'];

export const STATUS_LABELS: Record<RfpStatus, string> = {
  draft: 'Draft',
  open: 'Open for responses',
  evaluation: 'In evaluation',
  consensus: 'Consensus',
  closed: 'Closed',
};

/** The status as the end of a sentence: "The RFP is now open for responses / in evaluation / in consensus / closed". */
export const STATUS_PHRASES: Record<RfpStatus, string> = {
  draft: 'a draft',
  open: 'open for responses',
  evaluation: 'in evaluation',
  consensus: 'in consensus',
  closed: 'closed',
};
