/**
 * A vendor organisation's online response (issue 15, items 3 and 4), as its own contacts work on it: the
 * questionnaire they answer (from the vendor-facing module), their working answers with the revisions that keep two
 * contacts from overwriting each other, what is still required, and the sealed versions with their receipts.
 *
 * Every write runs inside the RFP's write transaction and checks the deadline there, by the server's clock: a request
 * that started before the deadline and arrives after it is refused, as is anything once the RFP leaves "open".
 */
import { answerFromForm, type AnswerQuestion } from '#app/responses/answer-input';
import { submissionReceiptMail } from '#app/mail/vendor-portal-mails';
import { loadVendorFacingRfp, type VendorFacingRfp } from '#app/confidentiality/vendor-facing.server';
import { locked, withRfpLock } from '#app/rfp/locks.server';
import { type Executor, findPriceQuestion, getDb, recordAudit, type Rfp } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { enqueueMail } from '#db/queries/mail-outbox';
import { listVendorContacts, type VendorContactOrganisation } from '#db/queries/vendor-portal';
import {
  type DraftAnswer,
  type DraftValue,
  type DraftWriteOutcome,
  getDraftAnswers,
  listResponseVersions,
  recordResponseVersion,
  type ResponseVersion,
  writeDraftAnswers,
} from '#db/queries/vendor-responses';
import { nowIso } from '#db/ids';
import { sealResponse } from './receipt';

/** Why a vendor can no longer change or submit its response at `now`, or null while it can. */
export function vendorResponseLock(rfp: Pick<Rfp, 'reference' | 'status' | 'proposals_due_at'>, now: string): string | null {
  if (rfp.status !== 'open') return `Proposals to ${rfp.reference} are closed: the RFP no longer takes responses.`;
  if (!rfp.proposals_due_at) return `${rfp.reference} has no proposals due date yet, so it cannot take online responses. The city will set one.`;
  if (now >= rfp.proposals_due_at) return `Proposals to ${rfp.reference} were due ${formatDateTime(rfp.proposals_due_at)}: nothing can be saved, submitted or withdrawn after the deadline.`;
  return null;
}

type Question = VendorFacingRfp['sections'][number]['criteria'][number]['questions'][number];

export interface VendorResponseView {
  rfp: VendorFacingRfp;
  drafts: Record<string, DraftAnswer>;
  priceKey: string | null;
  progress: { answered: number; total: number; requiredAnswered: number; required: number; missingRequired: Array<{ key: string; text: string; section: string }> };
  versions: ResponseVersion[];
  /** The state of the record: what the city will open at the deadline. */
  state: { kind: 'none' } | { kind: 'draft' } | { kind: 'submitted'; version: ResponseVersion; changedSince: boolean } | { kind: 'withdrawn'; version: ResponseVersion };
  /** Null while the response can be changed; otherwise the sentence saying why not. */
  closed: string | null;
}

function questionsOf(rfp: VendorFacingRfp): Array<Question & { section: string }> {
  return rfp.sections.flatMap((s) => s.criteria.flatMap((c) => c.questions.map((q) => ({ ...q, section: s.title }))));
}

function isAnswered(value: DraftValue | undefined): boolean {
  return value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0) && value !== '';
}

export async function loadVendorResponse(db: Executor, rfp: Rfp, organisation: VendorContactOrganisation, now = nowIso()): Promise<VendorResponseView> {
  const [facing, drafts, versions, price] = await Promise.all([
    loadVendorFacingRfp(db, rfp),
    getDraftAnswers(db, rfp.id, organisation.vendorId),
    listResponseVersions(db, rfp.id, organisation.vendorId),
    findPriceQuestion(db, rfp.id),
  ]);
  const questions = questionsOf(facing);
  const required = questions.filter((q) => q.required);
  const missingRequired = required.filter((q) => !isAnswered(drafts.get(q.key)?.value)).map((q) => ({ key: q.key, text: q.text, section: q.section }));
  const latest = versions[0];
  const lastDraftChange = [...drafts.values()].reduce((max, d) => (d.updatedAt > max ? d.updatedAt : max), '');
  const state: VendorResponseView['state'] =
    latest?.kind === 'submitted'
      ? { kind: 'submitted', version: latest, changedSince: lastDraftChange > latest.submittedAt }
      : latest?.kind === 'withdrawn'
        ? { kind: 'withdrawn', version: latest }
        : drafts.size > 0
          ? { kind: 'draft' }
          : { kind: 'none' };
  return {
    rfp: facing,
    drafts: Object.fromEntries(drafts),
    priceKey: price?.key ?? null,
    progress: {
      answered: questions.filter((q) => isAnswered(drafts.get(q.key)?.value)).length,
      total: questions.length,
      requiredAnswered: required.length - missingRequired.length,
      required: required.length,
      missingRequired,
    },
    versions,
    state,
    closed: vendorResponseLock(rfp, now),
  };
}

export interface AnswerSubmission {
  key: string;
  raw: string[];
  baseRevision: number;
}

export interface SaveOutcome {
  saved: Array<{ key: string; revision: number }>;
  conflicts: Array<{ key: string; value: DraftValue; revision: number; updatedByName: string | null; updatedAt: string }>;
  errors: Array<{ key: string; message: string }>;
}

/**
 * Saves the answers a contact changed. A value that is not valid for its question is not saved and is said; one
 * another contact saved since this contact loaded it is refused and returned (stale-write refusal); the rest is saved.
 */
export async function saveVendorAnswers(
  actor: { id: string; email: string },
  rfp: Rfp,
  organisation: VendorContactOrganisation,
  submissions: AnswerSubmission[],
): Promise<SaveOutcome> {
  return withRfpLock(getDb(), rfp.id, (locked) => vendorResponseLock(locked, nowIso()), async (trx) => {
    const price = await findPriceQuestion(trx, rfp.id);
    const questions = new Map(questionsOf(await loadVendorFacingRfp(trx, rfp)).map((q) => [q.key, q]));
    const errors: SaveOutcome['errors'] = [];
    const writes = [];
    for (const s of submissions) {
      const question = questions.get(s.key);
      if (!question) {
        errors.push({ key: s.key, message: `${s.key} is not a question of this RFP (the questionnaire may have changed: reload the page).` });
        continue;
      }
      const asAnswer: AnswerQuestion = { key: question.key, answer_type: question.answerType, options: question.options, isPrice: question.key === price?.key };
      const parsed = answerFromForm(asAnswer, s.raw);
      if ('error' in parsed) errors.push({ key: s.key, message: parsed.error });
      else writes.push({ key: s.key, value: parsed.value as DraftValue, baseRevision: s.baseRevision });
    }
    const outcomes: DraftWriteOutcome[] = await writeDraftAnswers(trx, { rfpId: rfp.id, vendorId: organisation.vendorId, userId: actor.id, at: nowIso(), writes });
    return {
      saved: outcomes.flatMap((o) => (o.saved ? [{ key: o.key, revision: o.revision }] : [])),
      conflicts: outcomes.flatMap((o) =>
        o.saved ? [] : [{ key: o.key, value: o.current.value, revision: o.current.revision, updatedByName: o.current.updatedByName, updatedAt: o.current.updatedAt }],
      ),
      errors,
    };
  });
}

export class IncompleteResponseError extends Error {
  constructor(readonly missing: Array<{ key: string; text: string }>) {
    super(`${missing.length} required ${missing.length === 1 ? 'question is' : 'questions are'} still unanswered: ${missing.map((m) => m.key).join(', ')}.`);
  }
}

/**
 * Seals the organisation's answers as they stand into a new version (submit), or records a withdrawal; writes the
 * receipt and mails it to every contact of the organisation, in one transaction. The audit log learns who sealed
 * which version number and when — never the content or the hash, which stay sealed until the bid opening.
 */
export async function sealVendorResponse(
  actor: { id: string; email: string; name: string },
  rfp: Rfp,
  organisation: VendorContactOrganisation,
  kind: 'submitted' | 'withdrawn',
  origin: string,
): Promise<ResponseVersion> {
  return withRfpLock(getDb(), rfp.id, (locked) => vendorResponseLock(locked, nowIso()), async (trx, lockedRfp) => {
    const at = nowIso();
    const view = await loadVendorResponse(trx, lockedRfp, organisation, at);
    if (kind === 'submitted' && view.progress.missingRequired.length > 0) throw new IncompleteResponseError(view.progress.missingRequired);
    if (kind === 'withdrawn' && view.state.kind !== 'submitted') locked('There is no submitted response to withdraw.');
    const number = (view.versions[0]?.number ?? 0) + 1;
    const answers =
      kind === 'submitted'
        ? Object.values(view.drafts)
            .filter((d) => isAnswered(d.value))
            .map((d) => ({ key: d.key, value: d.value as string | number | string[] }))
        : [];
    const sealed = sealResponse({
      kind,
      rfp: { id: lockedRfp.id, reference: lockedRfp.reference },
      vendor: { id: organisation.vendorId, name: organisation.vendorName },
      version: number,
      questionnaireVersion: lockedRfp.questionnaire_version,
      at,
      by: { name: actor.name, email: actor.email },
      answers,
    });
    const id = await recordResponseVersion(trx, {
      rfpId: lockedRfp.id,
      vendorId: organisation.vendorId,
      number,
      kind,
      questionnaireVersion: lockedRfp.questionnaire_version,
      content: sealed.content,
      sha256: sealed.sha256,
      userId: actor.id,
      at,
    });
    await recordAudit(trx, actor, {
      rfpId: lockedRfp.id,
      entity: 'vendor',
      entityId: organisation.vendorId,
      action: kind === 'submitted' ? 'portal.submit' : 'portal.withdraw',
      after: { vendor_name: organisation.vendorName, version: number },
    });
    for (const contact of await listVendorContacts(trx, organisation.vendorId)) {
      if (contact.disabled) continue;
      const mail = submissionReceiptMail({
        name: contact.name,
        vendorName: organisation.vendorName,
        rfpReference: lockedRfp.reference,
        rfpTitle: lockedRfp.title,
        kind,
        version: number,
        at,
        by: actor.name,
        sha256: sealed.sha256,
        proposalsDue: formatDateTime(lockedRfp.proposals_due_at),
        url: `${origin}/vendor/rfps/${lockedRfp.id}/response`,
      });
      await enqueueMail(trx, { kind: 'vendor.submission_receipt', to: { address: contact.email, userId: contact.userId }, rfpId: lockedRfp.id, ...mail });
    }
    return { id, number, kind, questionnaireVersion: lockedRfp.questionnaire_version, sha256: sealed.sha256, submittedAt: at, submittedByName: actor.name };
  });
}
