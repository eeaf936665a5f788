/**
 * Chains the audit log: every event gets its place in its RFP's chain (`seq`; events without an RFP form the global
 * chain), the previous event's hash and its own. Existing events are chained in id order — the order they were
 * recorded. Frozen in time: the hash below is a copy of db/audit-chain.ts as of this migration (the application must
 * compute the very same bytes, which the migration test checks by verifying a backfilled log with the application's code).
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect-helpers';

interface StoredEvent {
  id: number;
  rfp_id: string | null;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  entity: string;
  entity_id: string | null;
  action: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
}

function eventHash(e: StoredEvent, seq: number, prevHash: string | null, salt: string): string {
  const canonical = JSON.stringify([
    'ai-vendor-workbench/audit-event/v1',
    e.rfp_id,
    seq,
    e.at,
    e.actor_id,
    e.actor_email,
    e.entity,
    e.entity_id,
    e.action,
    e.before_json,
    e.after_json,
    e.reason,
    prevHash,
    salt,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export async function up(db: Kysely<any>): Promise<void> {
  // PostgreSQL runs each migration in a transaction; SQLite's migrator does not, and a backfill half done with the
  // trigger dropped must not be left behind.
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => up(trx));
    return;
  }
  for (const column of ['seq', 'prev_hash', 'hash', 'salt']) {
    await db.schema
      .alterTable('audit_event')
      .addColumn(column, column === 'seq' ? 'integer' : 'text')
      .execute();
  }

  // The append-only trigger refuses the backfill's UPDATEs: set it aside for this transaction only.
  if (isPostgres(db)) await sql`alter table audit_event disable trigger audit_event_append_only`.execute(db);
  else await sql`drop trigger audit_event_no_update`.execute(db);

  const heads = new Map<string, { seq: number; hash: string }>();
  let afterId = 0;
  for (;;) {
    const page = (await db
      .selectFrom('audit_event')
      .select(['id', 'rfp_id', 'at', 'actor_id', 'actor_email', 'entity', 'entity_id', 'action', 'before_json', 'after_json', 'reason'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(2000)
      .execute()) as StoredEvent[];
    for (const event of page) {
      const chain = event.rfp_id ?? '';
      const previous = heads.get(chain);
      const seq = (previous?.seq ?? 0) + 1;
      const prevHash = previous?.hash ?? null;
      const salt = randomBytes(16).toString('hex');
      const hash = eventHash(event, seq, prevHash, salt);
      await db.updateTable('audit_event').set({ seq, prev_hash: prevHash, hash, salt }).where('id', '=', event.id).execute();
      heads.set(chain, { seq, hash });
    }
    if (page.length < 2000) break;
    afterId = Number(page[page.length - 1]!.id);
  }

  if (isPostgres(db)) {
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(db);
    await sql`alter table audit_event alter column seq set not null, alter column hash set not null, alter column salt set not null`.execute(db);
  } else {
    await sql.raw(`create trigger audit_event_no_update before update on audit_event begin select raise(abort, 'audit_event is append-only'); end`).execute(db);
  }
  // One event per place in a chain: two writers can never fork it. The same expression on both dialects
  // (a plain unique (rfp_id, seq) would let the global chain, rfp_id null, hold duplicates).
  await sql`create unique index audit_event_chain_seq_uq on audit_event ((coalesce(rfp_id, '')), seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audit_event_chain_seq_uq`.execute(db);
  for (const column of ['salt', 'hash', 'prev_hash', 'seq']) await db.schema.alterTable('audit_event').dropColumn(column).execute();
}
