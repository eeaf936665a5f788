/**
 * Server-side locks of the lifecycle (DESIGN §2). Whatever the page shows, a write to a locked part
 * answers 409 with a sentence saying what is locked and why.
 */
import type { Rfp } from '#app/utils/db.server';

const STATUS_WORDS: Record<Rfp['status'], string> = {
  draft: 'a draft',
  open: 'open for responses',
  evaluation: 'in evaluation',
  consensus: 'in consensus',
  closed: 'closed',
};

export function locked(message: string): never {
  throw new Response(message, { status: 409, statusText: 'Conflict' });
}

/** Questionnaire, criteria, weights and rubrics change only while the RFP is a draft. */
export function assertQuestionnaireEditable(rfp: Pick<Rfp, 'status' | 'reference'>): void {
  if (rfp.status === 'draft') return;
  const why =
    rfp.status === 'open'
      ? 'vendors are answering this version of it'
      : rfp.status === 'evaluation' || rfp.status === 'consensus'
        ? 'changing criteria or weights once scoring has started is grounds for a bid protest'
        : 'the results are final';
  locked(
    `The questionnaire of ${rfp.reference} is locked because the RFP is ${STATUS_WORDS[rfp.status]}: ${why}. ` +
      'The lead officer can reopen it to draft, with a recorded reason, to change it.',
  );
}
