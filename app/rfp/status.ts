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
