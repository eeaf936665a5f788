import { newId, nowIso } from '../ids';
import type { Executor } from './audit';

/** Uploads older than this are removed: a preview left open overnight is started again. */
const KEEP_MS = 24 * 3_600_000;

export async function savePendingUpload(
  db: Executor,
  input: { rfpId: string; userId: string; fileName: string; bytes: Uint8Array; purpose?: 'questionnaire-import' | 'vendor-workbook' },
): Promise<string> {
  const id = newId();
  await db.deleteFrom('pending_upload').where('created_at', '<', new Date(Date.now() - KEEP_MS).toISOString()).execute();
  await db
    .insertInto('pending_upload')
    .values({ id, rfp_id: input.rfpId, user_id: input.userId, purpose: input.purpose ?? 'questionnaire-import', file_name: input.fileName, size: input.bytes.byteLength, bytes: input.bytes, created_at: nowIso() })
    .execute();
  return id;
}

/** Only the person who uploaded it, in the RFP it was uploaded to, gets it back. */
export async function getPendingUpload(db: Executor, input: { id: string; rfpId: string; userId: string }) {
  const row = await db
    .selectFrom('pending_upload')
    .selectAll()
    .where('id', '=', input.id)
    .where('rfp_id', '=', input.rfpId)
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  return row ? { ...row, bytes: new Uint8Array(row.bytes) } : undefined;
}

export async function deletePendingUpload(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('pending_upload').where('id', '=', id).execute();
}
