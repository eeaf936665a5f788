/**
 * When and by whom an RFP was closed, read from its audit chain (the `rfp.status` event that moved it to `closed`),
 * for the Overview's outcome. The audit log is the record; nothing is copied onto the RFP row.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

type Executor = Kysely<Database> | Transaction<Database>;

export interface RfpClosing {
  at: string;
  /** The account's name as it is now, else the e-mail recorded with the event. */
  by: string | null;
  reason: string | null;
}

/** The latest move of `rfpId` to `closed`, or null (an RFP closed by an import or a direct change has none). */
export async function findRfpClosing(db: Executor, rfpId: string): Promise<RfpClosing | null> {
  const rows = await db
    .selectFrom('audit_event')
    .leftJoin('app_user', 'app_user.id', 'audit_event.actor_id')
    .select(['audit_event.at', 'audit_event.after_json', 'audit_event.actor_email', 'audit_event.reason', 'app_user.name'])
    .where('audit_event.rfp_id', '=', rfpId)
    .where('audit_event.action', '=', 'rfp.status')
    .orderBy('audit_event.seq', 'desc')
    .limit(20)
    .execute();
  for (const row of rows) {
    let to: unknown = null;
    try {
      to = (JSON.parse(row.after_json ?? 'null') as { status?: unknown } | null)?.status;
    } catch {
      continue;
    }
    if (to === 'closed') return { at: row.at, by: row.name ?? row.actor_email, reason: row.reason };
  }
  return null;
}
