/**
 * A separate process that appends audit events to one chain as fast as it can (tests of concurrent writers across
 * processes: the CLI and the server on one SQLite file, or several app processes on one PostgreSQL database).
 * Usage: tsx tests/support/audit-writer.ts <count> <rfpId|-> with DATABASE_URL set. Exit 0 when every event was recorded.
 */
import { openDatabase } from '#db/client';
import { recordAudit } from '#db/queries/audit';

const [count, chain] = process.argv.slice(2);
const handle = openDatabase();
try {
  for (let i = 0; i < Number(count); i++) {
    const input = { rfpId: chain === '-' ? null : chain, entity: 'thing', entityId: `${process.pid}-${i}`, action: 'thing.change', after: { i } };
    const actor = { id: null, email: `writer-${process.pid}@city.example` };
    // Both kinds of caller: the bare database, and a transaction that has read something first.
    if (i % 2 === 0) await recordAudit(handle.db, actor, input);
    else await handle.db.transaction().execute(async (trx) => {
      await trx.selectFrom('audit_event').select('id').limit(1).execute();
      await recordAudit(trx, actor, input);
    });
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await handle.close();
}
