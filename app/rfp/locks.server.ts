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

/** Vendors' answers, prices and statuses are recorded while the RFP is open; evaluation locks them (DESIGN §2). */
export function assertResponsesEditable(rfp: Pick<Rfp, 'status' | 'reference'>): void {
  if (rfp.status === 'open') return;
  const why =
    rfp.status === 'draft'
      ? 'the questionnaire is still a draft and may change under the answers; open the RFP first'
      : 'responses are locked once evaluation starts, so every evaluator scores the same record';
  locked(`Responses to ${rfp.reference} cannot be changed while the RFP is ${STATUS_WORDS[rfp.status]}: ${why}.`);
}

/** Vendors can be added to an RFP while it is a draft or open. */
export function assertVendorsEditable(rfp: Pick<Rfp, 'status' | 'reference'>): void {
  if (rfp.status === 'draft' || rfp.status === 'open') return;
  locked(`Vendors cannot be added to ${rfp.reference} while it is ${STATUS_WORDS[rfp.status]}: the list of responses is locked for evaluation.`);
}
