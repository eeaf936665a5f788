/**
 * What the city may know of vendors' online responses (issue 15, item 4), and the one place that unseals them.
 *
 * Until the bid opening, staff learn only who has submitted and when: `listOnlineResponses` reads the version rows'
 * number, kind, time and author, never `content` or `sha256`, and never a draft. Every staff page, export and CLI
 * listing that mentions online responses takes them from here. The bid opening (`openBids`), at or after the
 * deadline, is an audited event listing every receipt; it writes each organisation's latest submitted version into
 * its response in the evaluation exactly as a workbook import would, and from then on the receipts may be shown.
 */
import { type Executor, getQuestionnaire, recordAudit, type Rfp, saveAnswers, updateSubmission } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { locked, withRfpLock } from '#app/rfp/locks.server';
import { getBidOpening, hasDraftAnswers, listResponseVersions, type ResponseVersion } from '#db/queries/vendor-responses';
import type { DatabaseHandle } from '#db/client';
import { nowIso } from '#db/ids';

export type OnlineResponseState = 'submitted' | 'withdrawn' | 'not_submitted';

export interface OnlineResponseRow {
  vendorId: string;
  vendorName: string;
  state: OnlineResponseState;
  /** The latest version's number, time and author: who and when, nothing of what. */
  latest: { number: number; at: string; byName: string | null } | null;
  /** Shown only after the bid opening. */
  receipt: { sha256: string; versions: number } | null;
  /** After the bid opening only: whether a draft-only organisation had begun answering. */
  draftOnly: boolean | null;
}

export interface OnlineResponses {
  rows: OnlineResponseRow[];
  opening: { openedAt: string; openedByName: string | null } | null;
  /** Whether the lead may open the bids now: the deadline has passed and no opening took place. */
  canOpen: boolean;
  /** Why the bids cannot be opened yet, in a sentence; null when they can, or were. */
  openingBlockedBy: string | null;
}

async function invitedOrganisations(db: Executor, rfpId: string): Promise<Array<{ vendorId: string; vendorName: string }>> {
  const rows = await db
    .selectFrom('portal_access')
    .innerJoin('vendor', 'vendor.id', 'portal_access.vendor_id')
    .select(['vendor.id', 'vendor.name'])
    .where('portal_access.rfp_id', '=', rfpId)
    .orderBy('vendor.name')
    .execute();
  return rows.map((r) => ({ vendorId: r.id, vendorName: r.name }));
}

export function bidOpeningLock(rfp: Pick<Rfp, 'reference' | 'status' | 'proposals_due_at'>, now: string): string | null {
  if (rfp.status === 'draft') return `${rfp.reference} is still a draft: there are no bids to open.`;
  if (rfp.status !== 'open') return `Bids are opened while ${rfp.reference} is open, at its deadline; it has moved on.`;
  if (!rfp.proposals_due_at) return `${rfp.reference} has no proposals due date, so there is no deadline to open the bids at.`;
  if (now < rfp.proposals_due_at) return `Bids are sealed until the proposals are due, ${formatDateTime(rfp.proposals_due_at)}. Nobody can read them before then.`;
  return null;
}

function stateOf(latest: ResponseVersion | undefined): OnlineResponseState {
  return latest?.kind === 'submitted' ? 'submitted' : latest?.kind === 'withdrawn' ? 'withdrawn' : 'not_submitted';
}

export async function listOnlineResponses(db: Executor, rfp: Rfp, now = nowIso()): Promise<OnlineResponses> {
  const [organisations, opening] = await Promise.all([invitedOrganisations(db, rfp.id), getBidOpening(db, rfp.id)]);
  const rows: OnlineResponseRow[] = [];
  for (const o of organisations) {
    const versions = await listResponseVersions(db, rfp.id, o.vendorId);
    const latest = versions[0];
    rows.push({
      vendorId: o.vendorId,
      vendorName: o.vendorName,
      state: stateOf(latest),
      latest: latest ? { number: latest.number, at: latest.submittedAt, byName: latest.submittedByName } : null,
      receipt: opening && latest ? { sha256: latest.sha256, versions: versions.length } : null,
      draftOnly: opening && !latest ? await hasDraftAnswers(db, rfp.id, o.vendorId) : null,
    });
  }
  const blocked = opening ? null : bidOpeningLock(rfp, now);
  return { rows, opening: opening ?? null, canOpen: !opening && blocked === null && rows.length > 0, openingBlockedBy: blocked };
}

/** True when online responses were sealed in this RFP and the bids have not been opened: evaluation must wait for the opening. */
export async function hasUnopenedBids(db: Executor, rfpId: string): Promise<boolean> {
  if (await getBidOpening(db, rfpId)) return false;
  const row = await db.selectFrom('vendor_response_version').select('id').where('rfp_id', '=', rfpId).executeTakeFirst();
  return Boolean(row);
}

export interface OpenedBid {
  vendorName: string;
  state: OnlineResponseState;
  version: number | null;
  at: string | null;
  sha256: string | null;
  answers: number;
  /** Answers whose question is no longer in the questionnaire (a later version removed it). */
  notCarried: string[];
  draftOnly: boolean;
}

/**
 * The bid opening: once, at or after the deadline, inside the RFP's write transaction. Each organisation's latest
 * submitted version becomes its response (answers and price, received at the time it was sealed); a withdrawn one
 * marks the response withdrawn; draft-only and silent organisations are listed as such and left expected.
 */
export async function openBids(handle: Pick<DatabaseHandle, 'db'>, actor: { id: string; email: string }, rfp: Rfp): Promise<OpenedBid[]> {
  return withRfpLock(handle.db, rfp.id, (r) => bidOpeningLock(r, nowIso()), async (trx, lockedRfp) => {
    if (await getBidOpening(trx, lockedRfp.id)) locked(`The bids of ${lockedRfp.reference} were already opened.`);
    const organisations = await invitedOrganisations(trx, lockedRfp.id);
    const questionIds = new Map((await getQuestionnaire(trx, lockedRfp.id)).flatMap((s) => s.criteria.flatMap((c) => c.questions.map((q) => [q.key, q.id] as const))));
    const opened: OpenedBid[] = [];
    for (const o of organisations) {
      const versions = await listResponseVersions(trx, lockedRfp.id, o.vendorId);
      const latest = versions[0];
      const submission = await trx.selectFrom('submission').selectAll().where('rfp_id', '=', lockedRfp.id).where('vendor_id', '=', o.vendorId).executeTakeFirst();
      const bid: OpenedBid = { vendorName: o.vendorName, state: stateOf(latest), version: latest?.number ?? null, at: latest?.submittedAt ?? null, sha256: latest?.sha256 ?? null, answers: 0, notCarried: [], draftOnly: false };
      if (!latest) bid.draftOnly = await hasDraftAnswers(trx, lockedRfp.id, o.vendorId);
      if (latest && submission) {
        const price = submission.price === null ? null : Number(submission.price);
        if (latest.kind === 'withdrawn') {
          await updateSubmission(trx, actor, lockedRfp.id, submission.id, { status: 'withdrawn', statusReason: `Withdrawn in the vendor portal on ${formatDateTime(latest.submittedAt)} (version ${latest.number}).`, receivedAt: submission.received_at, price });
        } else {
          const row = await trx.selectFrom('vendor_response_version').select('content').where('id', '=', latest.id).executeTakeFirstOrThrow();
          const sealed = JSON.parse(row.content) as { answers: Array<{ key: string; value: string | number | string[] }> };
          if (submission.status === 'expected') {
            await updateSubmission(trx, actor, lockedRfp.id, submission.id, { status: 'received', statusReason: submission.status_reason, receivedAt: latest.submittedAt, price });
          }
          // The response becomes exactly what was sealed: a question the version left empty is emptied too.
          const sealedByKey = new Map(sealed.answers.map((a) => [a.key, a.value]));
          bid.notCarried = [...sealedByKey.keys()].filter((key) => !questionIds.has(key));
          const values = [...questionIds].map(([key, questionId]) => ({ questionId, value: sealedByKey.get(key) ?? null }));
          await saveAnswers(trx, actor, { rfpId: lockedRfp.id, submissionId: submission.id, source: 'import', values });
          bid.answers = sealed.answers.length - bid.notCarried.length;
        }
      }
      opened.push(bid);
    }
    const at = nowIso();
    await trx.insertInto('bid_opening').values({ rfp_id: lockedRfp.id, opened_by: actor.id, opened_at: at }).execute();
    await recordAudit(trx, actor, {
      rfpId: lockedRfp.id,
      entity: 'rfp',
      entityId: lockedRfp.id,
      action: 'portal.bid_opening',
      after: { receipts: opened.map((b) => ({ vendor_name: b.vendorName, state: b.state, version: b.version, at: b.at, sha256: b.sha256, answers: b.answers, not_carried: b.notCarried, draft_only: b.draftOnly })) },
    });
    return opened;
  });
}
