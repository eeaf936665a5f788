/**
 * A vendor organisation's online response (issue 15, items 3 and 4): its working answers by question key and the
 * versions it sealed. Only two modules read these rows: app/vendor-portal/response.server.ts (the vendor's own
 * organisation) and app/confidentiality/sealed-responses.server.ts (staff: who and when until the bid opening).
 */
import { newId } from '../ids';
import type { VendorResponseVersionTable } from '../schema';
import type { Executor } from './audit';

export type DraftValue = string | number | string[] | null;

export interface DraftAnswer {
  key: string;
  value: DraftValue;
  revision: number;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: string;
}

export async function getDraftAnswers(db: Executor, rfpId: string, vendorId: string): Promise<Map<string, DraftAnswer>> {
  const rows = await db
    .selectFrom('vendor_draft_answer')
    .leftJoin('app_user', 'app_user.id', 'vendor_draft_answer.updated_by')
    .select(['vendor_draft_answer.question_key', 'vendor_draft_answer.value_json', 'vendor_draft_answer.revision', 'vendor_draft_answer.updated_by', 'vendor_draft_answer.updated_at', 'app_user.name'])
    .where('vendor_draft_answer.rfp_id', '=', rfpId)
    .where('vendor_draft_answer.vendor_id', '=', vendorId)
    .execute();
  return new Map(
    rows.map((r) => [
      r.question_key,
      { key: r.question_key, value: JSON.parse(r.value_json) as DraftValue, revision: Number(r.revision), updatedBy: r.updated_by, updatedByName: r.name ?? null, updatedAt: r.updated_at },
    ]),
  );
}

export interface DraftWrite {
  key: string;
  value: DraftValue;
  /** The revision the writer's form was showing (0 for a question never saved). */
  baseRevision: number;
}

export type DraftWriteOutcome = { key: string; saved: true; revision: number } | { key: string; saved: false; current: DraftAnswer };

/**
 * Writes each answer whose stored revision is still the one the writer saw; an answer another contact saved since is
 * refused and returned as it now stands, so nobody's work is overwritten without them seeing it. An unchanged value
 * is not written (and keeps its revision). Call inside the RFP's write transaction.
 */
export async function writeDraftAnswers(db: Executor, input: { rfpId: string; vendorId: string; userId: string; at: string; writes: DraftWrite[] }): Promise<DraftWriteOutcome[]> {
  const current = await getDraftAnswers(db, input.rfpId, input.vendorId);
  const outcomes: DraftWriteOutcome[] = [];
  for (const write of input.writes) {
    const stored = current.get(write.key);
    const storedRevision = stored?.revision ?? 0;
    if (JSON.stringify(stored?.value ?? null) === JSON.stringify(write.value)) {
      outcomes.push({ key: write.key, saved: true, revision: storedRevision });
      continue;
    }
    if (storedRevision !== write.baseRevision) {
      outcomes.push({ key: write.key, saved: false, current: stored! });
      continue;
    }
    const revision = storedRevision + 1;
    const row = { value_json: JSON.stringify(write.value), revision, updated_by: input.userId, updated_at: input.at };
    if (stored) {
      await db
        .updateTable('vendor_draft_answer')
        .set(row)
        .where('rfp_id', '=', input.rfpId)
        .where('vendor_id', '=', input.vendorId)
        .where('question_key', '=', write.key)
        .where('revision', '=', storedRevision)
        .execute();
    } else {
      await db.insertInto('vendor_draft_answer').values({ rfp_id: input.rfpId, vendor_id: input.vendorId, question_key: write.key, ...row }).execute();
    }
    outcomes.push({ key: write.key, saved: true, revision });
  }
  return outcomes;
}

export interface ResponseVersion {
  id: string;
  number: number;
  kind: VendorResponseVersionTable['kind'];
  questionnaireVersion: number;
  sha256: string;
  submittedAt: string;
  submittedByName: string | null;
}

/** Every version an organisation sealed in an RFP, newest first: the receipts (hash, time, who), not the content. */
export async function listResponseVersions(db: Executor, rfpId: string, vendorId: string): Promise<ResponseVersion[]> {
  const rows = await db
    .selectFrom('vendor_response_version as v')
    .leftJoin('app_user', 'app_user.id', 'v.submitted_by')
    .select(['v.id', 'v.number', 'v.kind', 'v.questionnaire_version', 'v.sha256', 'v.submitted_at', 'app_user.name'])
    .where('v.rfp_id', '=', rfpId)
    .where('v.vendor_id', '=', vendorId)
    .orderBy('v.number', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: Number(r.number),
    kind: r.kind,
    questionnaireVersion: Number(r.questionnaire_version),
    sha256: r.sha256,
    submittedAt: r.submitted_at,
    submittedByName: r.name ?? null,
  }));
}

export async function recordResponseVersion(
  db: Executor,
  input: { rfpId: string; vendorId: string; number: number; kind: VendorResponseVersionTable['kind']; questionnaireVersion: number; content: string; sha256: string; userId: string; at: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('vendor_response_version')
    .values({
      id,
      rfp_id: input.rfpId,
      vendor_id: input.vendorId,
      number: input.number,
      kind: input.kind,
      questionnaire_version: input.questionnaireVersion,
      content: input.content,
      sha256: input.sha256,
      submitted_by: input.userId,
      submitted_at: input.at,
    })
    .execute();
  return id;
}

/** The sealed bytes of one version: for the vendor's own receipt download, and for the bid opening. */
export async function getResponseVersionContent(db: Executor, rfpId: string, vendorId: string, number: number): Promise<{ content: string; sha256: string; submittedAt: string } | undefined> {
  const row = await db
    .selectFrom('vendor_response_version')
    .select(['content', 'sha256', 'submitted_at'])
    .where('rfp_id', '=', rfpId)
    .where('vendor_id', '=', vendorId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? { content: row.content, sha256: row.sha256, submittedAt: row.submitted_at } : undefined;
}

export async function getBidOpening(db: Executor, rfpId: string): Promise<{ openedAt: string; openedByName: string | null } | undefined> {
  const row = await db
    .selectFrom('bid_opening')
    .leftJoin('app_user', 'app_user.id', 'bid_opening.opened_by')
    .select(['bid_opening.opened_at', 'app_user.name'])
    .where('bid_opening.rfp_id', '=', rfpId)
    .executeTakeFirst();
  return row ? { openedAt: row.opened_at, openedByName: row.name ?? null } : undefined;
}

export async function hasDraftAnswers(db: Executor, rfpId: string, vendorId: string): Promise<boolean> {
  const row = await db.selectFrom('vendor_draft_answer').select('question_key').where('rfp_id', '=', rfpId).where('vendor_id', '=', vendorId).executeTakeFirst();
  return Boolean(row);
}
