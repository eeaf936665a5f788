import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { type Kysely, Migrator, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEventHash } from '#db/audit-chain';
import { type DatabaseHandle, openDatabase, wrapSqlite } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { migrations } from '#db/migrations/index';
import { type Actor, getAuditChainHead, listAuditEvents, recordAudit, SYSTEM_ACTOR, verifyAuditChain } from '#db/queries/audit';
import type { Database } from '#db/schema';
import { asDatabaseAdministrator } from '#tests/support/audit-tamper';
import { createTestDatabase, testDialect } from '#tests/support/db';

const LEAD: Actor = { id: null, email: 'lead@city.example' };
const RFP_A = 'rfp-a';
const RFP_B = 'rfp-b';

async function chainRows(db: Kysely<Database>, rfpId: string | null) {
  const query = db.selectFrom('audit_event').selectAll().orderBy('id');
  return (rfpId === null ? query.where('rfp_id', 'is', null) : query.where('rfp_id', '=', rfpId)).execute();
}

async function recordScores(db: Kysely<Database>, rfpId: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await recordAudit(db, LEAD, { rfpId, entity: 'score', entityId: `s${i}`, action: 'score.save', before: { value: i - 1 }, after: { value: i }, reason: i % 2 ? null : 'rubric' });
  }
}

describe('the audit chain', () => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(async () => {
    await handle.close();
  });

  it("chains each RFP's events, and the events without an RFP, separately: seq 1…n, each linked to the one before", async () => {
    await recordScores(handle.db, RFP_A, 3);
    await recordAudit(handle.db, SYSTEM_ACTOR, { entity: 'user', entityId: 'u1', action: 'user.create', after: { email: 'x@city.example' } });
    await recordScores(handle.db, RFP_B, 2);
    await recordScores(handle.db, RFP_A, 1);

    const a = await chainRows(handle.db, RFP_A);
    expect(a.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(a[0]!.prev_hash).toBeNull();
    for (let i = 1; i < a.length; i++) expect(a[i]!.prev_hash).toBe(a[i - 1]!.hash);
    for (const e of a) expect(e.hash).toBe(auditEventHash({ ...e, seq: e.seq! }));
    expect((await chainRows(handle.db, RFP_B)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await chainRows(handle.db, null)).map((e) => e.seq)).toEqual([1]);

    const verified = await verifyAuditChain(handle.db, RFP_A);
    expect(verified).toMatchObject({ count: 4, broken: null, head: { seq: 4, hash: a[3]!.hash, at: a[3]!.at } });
    expect(await getAuditChainHead(handle.db, RFP_A)).toEqual(verified.head);
    expect(await verifyAuditChain(handle.db, null)).toMatchObject({ count: 1, broken: null });
    expect(await verifyAuditChain(handle.db, 'no-such-rfp')).toEqual({ count: 0, head: null, broken: null });
  });

  it('hashes a secret salt that no listing carries, so a redacted score cannot be guessed from its hash', async () => {
    await recordScores(handle.db, RFP_A, 1);
    const [listed] = await listAuditEvents(handle.db, { rfpId: RFP_A });
    expect(listed).toBeDefined();
    expect(Object.keys(listed!)).not.toContain('salt');
    // Everything a reader of the log sees, with each value the 0–5 scale allows: none reproduces the hash.
    const guesses = [0, 1, 2, 3, 4, 5].map((value) =>
      auditEventHash({ ...listed!, seq: listed!.seq!, after_json: JSON.stringify({ value }), salt: null }),
    );
    expect(guesses).not.toContain(listed!.hash);
    const [stored] = await chainRows(handle.db, RFP_A);
    expect(stored!.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(auditEventHash({ ...stored!, seq: stored!.seq! })).toBe(listed!.hash);
  });

  it('names the first altered event when a DBA changes one past the triggers', async () => {
    await recordScores(handle.db, RFP_A, 5);
    const before = await chainRows(handle.db, RFP_A);
    const target = before[2]!;
    await asDatabaseAdministrator(handle.db, (trx) => trx.updateTable('audit_event').set({ after_json: '{"value":5}' }).where('id', '=', target.id).execute());

    const result = await verifyAuditChain(handle.db, RFP_A);
    expect(result.broken).toMatchObject({ kind: 'hash mismatch', event: { id: Number(target.id), seq: 3, action: 'score.save', at: target.at } });
    expect(result.count).toBe(2);
    // The triggers are back: the application still cannot change the log.
    await expect(handle.db.updateTable('audit_event').set({ reason: 'x' }).execute()).rejects.toThrow(/append-only/);
  });

  it('names the event after a removed one', async () => {
    await recordScores(handle.db, RFP_A, 5);
    const rows = await chainRows(handle.db, RFP_A);
    await asDatabaseAdministrator(handle.db, (trx) => trx.deleteFrom('audit_event').where('id', '=', rows[1]!.id).execute());
    const result = await verifyAuditChain(handle.db, RFP_A);
    expect(result.broken).toMatchObject({ kind: 'missing seq', event: { id: Number(rows[2]!.id), seq: 3 } });
    expect(result.broken?.detail).toMatch(/seq 2 is missing/);
  });

  it('a forger who also recomputes the altered event’s hash is caught by the link from the next event', async () => {
    await recordScores(handle.db, RFP_A, 5);
    const rows = await chainRows(handle.db, RFP_A);
    const forged = { ...rows[2]!, after_json: '{"value":0}' };
    await asDatabaseAdministrator(handle.db, (trx) =>
      trx.updateTable('audit_event').set({ after_json: forged.after_json, hash: auditEventHash({ ...forged, seq: forged.seq! }) }).where('id', '=', forged.id).execute(),
    );
    expect((await verifyAuditChain(handle.db, RFP_A)).broken).toMatchObject({ kind: 'prev link mismatch', event: { id: Number(rows[3]!.id), seq: 4 } });
  });

  it('a consistently rewritten chain verifies on its own, but no longer holds the head filed before', async () => {
    await recordScores(handle.db, RFP_A, 4);
    const filed = (await getAuditChainHead(handle.db, RFP_A))!;
    expect(await verifyAuditChain(handle.db, RFP_A, { expectHash: filed.hash })).toMatchObject({ broken: null, expectedHeadFound: true });

    // Later events keep the filed head in the chain.
    await recordScores(handle.db, RFP_A, 1);
    expect(await verifyAuditChain(handle.db, RFP_A, { expectHash: filed.hash })).toMatchObject({ broken: null, expectedHeadFound: true });

    // Removing the newest events leaves a chain that is intact on its own; the filed head is what exposes it.
    const rows = await chainRows(handle.db, RFP_A);
    await asDatabaseAdministrator(handle.db, (trx) => trx.deleteFrom('audit_event').where('id', 'in', [rows[3]!.id, rows[4]!.id]).execute());
    const truncated = await verifyAuditChain(handle.db, RFP_A, { expectHash: filed.hash });
    expect(truncated).toMatchObject({ count: 3, broken: null, expectedHeadFound: false });
  });

  it('refuses a second event at the same place of a chain, the global chain included', async () => {
    await recordScores(handle.db, RFP_A, 1);
    await recordAudit(handle.db, SYSTEM_ACTOR, { entity: 'user', action: 'user.create' });
    for (const rfpId of [RFP_A, null]) {
      const [first] = await chainRows(handle.db, rfpId);
      const { id: _id, ...copy } = first!;
      await expect(handle.db.insertInto('audit_event').values({ ...copy, action: 'forged' }).execute()).rejects.toThrow(/unique|UNIQUE/);
    }
  });

  it('a concurrent burst of audited writes to the same chains never forks them', async () => {
    const n = 120;
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const rfpId = i % 3 === 0 ? RFP_A : i % 3 === 1 ? RFP_B : null;
        const input = { rfpId, entity: 'thing', entityId: `t${i}`, action: 'thing.change', after: { i } };
        // Both kinds of caller: inside a transaction with other writes, and with the bare database.
        return i % 2 === 0
          ? handle.db.transaction().execute(async (trx) => {
              await sql`select 1`.execute(trx);
              await recordAudit(trx, LEAD, input);
            })
          : recordAudit(handle.db, LEAD, input);
      }),
    );
    for (const rfpId of [RFP_A, RFP_B, null]) {
      const rows = await chainRows(handle.db, rfpId);
      expect(rows).toHaveLength(n / 3);
      expect(new Set(rows.map((r) => r.seq)).size).toBe(n / 3);
      expect(await verifyAuditChain(handle.db, rfpId)).toMatchObject({ count: n / 3, broken: null });
    }
  }, 60_000);
});

/** A database migrated up to the migration before the audit chain: the log as it was before 2026-12-02. */
async function openBeforeTheChain(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  let handle: DatabaseHandle;
  let drop = async () => {};
  if (testDialect() === 'sqlite') {
    handle = wrapSqlite(new BetterSqlite3(':memory:'), ':memory:');
  } else {
    const admin = process.env.TEST_POSTGRES_ADMIN_URL!;
    const name = `wb_test_${randomBytes(6).toString('hex')}`;
    const run = async (statement: string) => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(statement);
      await client.end();
    };
    await run(`create database ${name}`);
    handle = openDatabase(admin.replace(/\/postgres$/, `/${name}`));
    drop = () => run(`drop database if exists ${name} with (force)`);
  }
  const names = Object.keys(migrations);
  const earlier = Object.fromEntries(names.slice(0, names.indexOf('2026-12-02-02-audit-chain')).map((name) => [name, migrations[name]!]));
  const { error } = await new Migrator({ db: handle.db, provider: { getMigrations: async () => earlier } }).migrateToLatest();
  if (error) throw error;
  return { handle, drop };
}

describe('the audit-chain migration', () => {
  it('chains the events already recorded in id order, with the hash the application computes, and keeps the log append-only', async () => {
    const { handle, drop } = await openBeforeTheChain();
    try {
      const old = (i: number, rfpId: string | null) => ({
        at: `2026-11-30T10:00:${String(i).padStart(2, '0')}.000Z`,
        actor_id: null,
        actor_email: 'lead@city.example',
        rfp_id: rfpId,
        entity: 'score',
        entity_id: `s${i}`,
        action: 'score.save',
        before_json: i === 0 ? null : JSON.stringify({ value: i - 1, note: 'é "quoted" \\ line\nbreak' }),
        after_json: JSON.stringify({ value: i }),
        reason: i % 2 ? 'rubric' : null,
      });
      // Only the columns that existed then.
      await handle.db.insertInto('audit_event').values([old(0, RFP_A), old(1, null), old(2, RFP_B), old(3, RFP_A), old(4, RFP_A), old(5, null)]).execute();

      await migrateToLatest(handle.db);

      const a = await chainRows(handle.db, RFP_A);
      expect(a.map((e) => [e.entity_id, e.seq])).toEqual([['s0', 1], ['s3', 2], ['s4', 3]]);
      expect((await chainRows(handle.db, null)).map((e) => [e.entity_id, e.seq])).toEqual([['s1', 1], ['s5', 2]]);
      for (const rfpId of [RFP_A, RFP_B, null]) expect((await verifyAuditChain(handle.db, rfpId)).broken).toBeNull();
      expect((await verifyAuditChain(handle.db, RFP_A)).count).toBe(3);

      // New events continue the backfilled chains.
      await recordAudit(handle.db, LEAD, { rfpId: RFP_A, entity: 'score', action: 'score.save' });
      expect(await verifyAuditChain(handle.db, RFP_A)).toMatchObject({ count: 4, broken: null, head: { seq: 4 } });

      await expect(handle.db.updateTable('audit_event').set({ reason: 'x' }).execute()).rejects.toThrow(/append-only/);
      await expect(handle.db.deleteFrom('audit_event').execute()).rejects.toThrow(/append-only/);
    } finally {
      await handle.close();
      await drop();
    }
  });
});
