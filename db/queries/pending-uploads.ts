import { newId, nowIso } from '../ids';
import type { Executor } from './audit';

/** Uploads older than this are removed: a preview left open overnight is started again. */
const KEEP_MS = 24 * 3_600_000;

/** Uploads waiting for their confirmation (not yet expired): the import queue operators watch. */
export async function countPendingUploads(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('pending_upload')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('created_at', '>=', new Date(Date.now() - KEEP_MS).toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function savePendingUpload(
  db: Executor,
  input: {
    rfpId: string;
    userId: string;
    fileName: string;
    bytes: Uint8Array;
    purpose?: 'questionnaire-import' | 'vendor-workbook';
    /** A questionnaire import's parsed grid (compressed, see app/import/grid-store.server.ts) and the file's SHA-256. */
    grid?: Uint8Array;
    sha256?: string;
  },
): Promise<string> {
  const id = newId();
  await db.deleteFrom('pending_upload').where('created_at', '<', new Date(Date.now() - KEEP_MS).toISOString()).execute();
  await db
    .insertInto('pending_upload')
    .values({
      id,
      rfp_id: input.rfpId,
      user_id: input.userId,
      purpose: input.purpose ?? 'questionnaire-import',
      file_name: input.fileName,
      size: input.bytes.byteLength,
      bytes: input.bytes,
      grid: input.grid ?? null,
      sha256: input.sha256 ?? null,
      plan_json: null,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

/** Only the person who uploaded it, in the RFP it was uploaded to, gets it back. */
export async function getPendingUpload(db: Executor, input: { id: string; rfpId: string; userId: string }) {
  const row = await db
    .selectFrom('pending_upload')
    // The parsed grid is read on its own (getPendingUploadGrid), and only when no process cache has it.
    .select(['id', 'rfp_id', 'user_id', 'purpose', 'file_name', 'size', 'bytes', 'sha256', 'plan_json', 'created_at'])
    .where('id', '=', input.id)
    .where('rfp_id', '=', input.rfpId)
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  return row ? { ...row, bytes: new Uint8Array(row.bytes) } : undefined;
}

export type PendingUpload = NonNullable<Awaited<ReturnType<typeof getPendingUpload>>>;

/** The stored (compressed) grid of an upload already found with `getPendingUpload`; null for uploads stored without one. */
export async function getPendingUploadGrid(db: Executor, id: string): Promise<Uint8Array | null> {
  const row = await db.selectFrom('pending_upload').select('grid').where('id', '=', id).executeTakeFirst();
  return row?.grid ? new Uint8Array(row.grid) : null;
}

/** Stores the grid of an upload kept without one (parsed later, once). */
export async function setPendingUploadGrid(db: Executor, id: string, grid: Uint8Array, sha256: string): Promise<void> {
  await db.updateTable('pending_upload').set({ grid, sha256 }).where('id', '=', id).execute();
}

/** Keeps the plan the officer last previewed with the upload (same scoping as `getPendingUpload`). */
export async function savePendingUploadPlan(db: Executor, input: { id: string; rfpId: string; userId: string; planJson: string }): Promise<void> {
  await db.updateTable('pending_upload').set({ plan_json: input.planJson }).where('id', '=', input.id).where('rfp_id', '=', input.rfpId).where('user_id', '=', input.userId).execute();
}

export async function deletePendingUpload(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('pending_upload').where('id', '=', id).execute();
}

// ---------- the record of questionnaire imports (a file imported again is recognised by its hash) ----------

export interface QuestionnaireImportRecord {
  id: string;
  fileName: string;
  actorEmail: string | null;
  created: number;
  updated: number;
  createdAt: string;
}

export async function recordQuestionnaireImport(
  db: Executor,
  input: { rfpId: string; sha256: string; fileName: string; userId: string | null; actorEmail: string | null; created: number; updated: number },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('questionnaire_import')
    .values({ id, rfp_id: input.rfpId, sha256: input.sha256, file_name: input.fileName, user_id: input.userId, actor_email: input.actorEmail, created: input.created, updated: input.updated, created_at: nowIso() })
    .execute();
  return id;
}

/** Earlier imports of the file with this content into this RFP, oldest first. */
export async function findQuestionnaireImports(db: Executor, rfpId: string, sha256: string): Promise<QuestionnaireImportRecord[]> {
  const rows = await db.selectFrom('questionnaire_import').selectAll().where('rfp_id', '=', rfpId).where('sha256', '=', sha256).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, fileName: r.file_name, actorEmail: r.actor_email, created: Number(r.created), updated: Number(r.updated), createdAt: r.created_at }));
}
