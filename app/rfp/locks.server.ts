/**
 * Server-side locks of the lifecycle (DESIGN §2). Whatever the page shows, a write to a locked part
 * answers 409 with a sentence saying what is locked and why.
 *
 * A lock is decided by the status read inside the write's own transaction (`withRfpLock`), from the RFP's row
 * locked for that transaction: a status read before the request body arrived may be out of date by the time the
 * write runs. Routes may also call the `assert…` functions first, to refuse at once without reading an upload,
 * but that early answer is a courtesy; the one inside the transaction is the lock.
 */
import type { Kysely, Transaction } from 'kysely';
import { type Database, lockRfpForWrite, type Rfp } from '#app/utils/db.server';
import { notFound } from '#app/utils/permissions.server';
import type { DeadlineKey, RfpDetailsChange } from './rfp-details';

const STATUS_WORDS: Record<Rfp['status'], string> = {
  draft: 'a draft',
  open: 'open for responses',
  evaluation: 'in evaluation',
  consensus: 'in consensus',
  closed: 'closed',
};

type LockedRfp = Pick<Rfp, 'status' | 'reference'>;

export function locked(message: string): never {
  throw new Response(message, { status: 409, statusText: 'Conflict' });
}

/** Why the questionnaire (criteria, weights, rubrics, risk tier) cannot change now, or null while the RFP is a draft. */
export function questionnaireLock(rfp: LockedRfp): string | null {
  if (rfp.status === 'draft') return null;
  const why =
    rfp.status === 'open'
      ? 'vendors are answering this version of it'
      : rfp.status === 'evaluation' || rfp.status === 'consensus'
        ? 'changing criteria or weights once scoring has started is grounds for a bid protest'
        : 'the results are final';
  return (
    `The questionnaire of ${rfp.reference} is locked because the RFP is ${STATUS_WORDS[rfp.status]}: ${why}. ` +
    'The lead officer can reopen it to draft, with a recorded reason, to change it.'
  );
}

/**
 * What the status locks on the RFP's details page (issue 12). The reference and the scoring settings follow the
 * questionnaire's rule (draft only: vendors answer, and evaluators score, against them); the questions and proposals
 * deadlines can move until evaluation starts (an extension is an addendum), the evaluation due date until scoring is
 * over; title, department and summary until the RFP is closed.
 */
export interface DetailsLocks {
  details: string | null;
  /** The reference and every scoring setting. */
  settings: string | null;
  deadlines: Record<DeadlineKey, string | null>;
}

export function detailsLocks(rfp: LockedRfp): DetailsLocks {
  const closed = rfp.status === 'closed' ? `The details of ${rfp.reference} are locked because the RFP is closed: the results are final.` : null;
  const settingsWhy =
    rfp.status === 'open'
      ? 'vendors are answering against them'
      : rfp.status === 'evaluation' || rfp.status === 'consensus'
        ? 'changing how scores count once scoring has started is grounds for a bid protest'
        : 'the results are final';
  const settings =
    rfp.status === 'draft'
      ? null
      : `The reference and scoring settings of ${rfp.reference} are locked because the RFP is ${STATUS_WORDS[rfp.status]}: ${settingsWhy}. ` +
        'The lead officer can reopen it to draft, with a recorded reason, to change them.';
  const vendorDeadline =
    closed ??
    (rfp.status === 'draft' || rfp.status === 'open'
      ? null
      : `The questions and proposals deadlines of ${rfp.reference} are locked because the RFP is ${STATUS_WORDS[rfp.status]}: the proposals are in.`);
  const evaluationDeadline =
    closed ?? (rfp.status === 'consensus' ? `The evaluation due date of ${rfp.reference} is locked because the RFP is in consensus: scoring is over.` : null);
  return { details: closed, settings, deadlines: { qa: vendorDeadline, proposals: vendorDeadline, evaluation: evaluationDeadline } };
}

/** The lock message that applies to one column of the details page. */
export function detailsColumnLock(locks: DetailsLocks, column: keyof RfpDetailsChange): string | null {
  switch (column) {
    case 'title':
    case 'department':
    case 'summary':
      return locks.details;
    case 'qa_due_at':
      return locks.deadlines.qa;
    case 'proposals_due_at':
      return locks.deadlines.proposals;
    case 'evaluation_due_at':
      return locks.deadlines.evaluation;
    default:
      return locks.settings;
  }
}

/** Vendors' answers, prices and statuses are recorded while the RFP is open; evaluation locks them (DESIGN §2). */
export function responsesLock(rfp: LockedRfp): string | null {
  if (rfp.status === 'open') return null;
  const why =
    rfp.status === 'draft'
      ? 'the questionnaire is still a draft and may change under the answers; open the RFP first'
      : 'responses are locked once evaluation starts, so every evaluator scores the same record';
  return `Responses to ${rfp.reference} cannot be changed while the RFP is ${STATUS_WORDS[rfp.status]}: ${why}.`;
}

/** Vendors can be added to an RFP while it is a draft or open. */
export function vendorsLock(rfp: LockedRfp): string | null {
  if (rfp.status === 'draft' || rfp.status === 'open') return null;
  return `Vendors cannot be added to ${rfp.reference} while it is ${STATUS_WORDS[rfp.status]}: the list of responses is locked for evaluation.`;
}

export function assertQuestionnaireEditable(rfp: LockedRfp): void {
  const message = questionnaireLock(rfp);
  if (message) locked(message);
}

export function assertResponsesEditable(rfp: LockedRfp): void {
  const message = responsesLock(rfp);
  if (message) locked(message);
}

export function assertVendorsEditable(rfp: LockedRfp): void {
  const message = vendorsLock(rfp);
  if (message) locked(message);
}

/**
 * Runs `work` in one transaction that first locks the RFP's row, re-reads it and checks `lock` against the status
 * just read: refused with the 409 lock message (nothing written) when locked. `work` gets the RFP as it is now.
 * Concurrent writers to the same RFP, and changes of its status, wait for each other.
 */
export async function withRfpLock<T>(
  db: Kysely<Database>,
  rfpId: string,
  lock: (rfp: Rfp) => string | null,
  work: (trx: Transaction<Database>, rfp: Rfp) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const rfp = await lockRfpForWrite(trx, rfpId);
    if (!rfp) notFound('RFP not found');
    const message = lock(rfp);
    if (message) locked(message);
    return work(trx, rfp);
  });
}
