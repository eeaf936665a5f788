/**
 * Changes the audit log as a database administrator could: past the append-only triggers, which the application
 * cannot get past. PostgreSQL: a superuser's session with triggers off (`session_replication_role = replica`) for
 * one transaction. SQLite: whoever holds the file drops the triggers, changes the rows and puts the triggers back.
 */
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Database } from '#db/schema';

export async function asDatabaseAdministrator(db: Kysely<Database>, change: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (trx.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`set local session_replication_role = replica`.execute(trx);
      await change(trx);
      return;
    }
    await sql`drop trigger audit_event_no_update`.execute(trx);
    await sql`drop trigger audit_event_no_delete`.execute(trx);
    await change(trx);
    await sql.raw(`create trigger audit_event_no_update before update on audit_event begin select raise(abort, 'audit_event is append-only'); end`).execute(trx);
    await sql.raw(`create trigger audit_event_no_delete before delete on audit_event begin select raise(abort, 'audit_event is append-only'); end`).execute(trx);
  });
}
