/**
 * Migration 2026-12-02-10 on a database that already holds responses (SQLite and PostgreSQL): the submission status
 * check gains `expected`, every row of the submission table and everything that references it (answers, evidence,
 * scores) survives — SQLite rebuilds the table, which must not cascade — and other statuses are still refused.
 */
import { type Kysely, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '#db/migrations/index';
import type { Database } from '#db/schema';
import { createUnmigratedDatabase } from '#tests/support/db';

const MIGRATION = '2026-12-02-10-submission-expected';

function migrator(db: Kysely<Database>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

describe('migration: submissions may be expected', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
  });

  it('keeps every submission and what hangs off it, and accepts expected but nothing unknown', async () => {
    const { handle, drop } = await createUnmigratedDatabase();
    cleanup = async () => {
      await handle.close();
      await drop();
    };
    const db = handle.db;
    const names = Object.keys(migrations);
    const before = names[names.indexOf(MIGRATION) - 1]!;
    expect((await migrator(db).migrateTo(before)).error).toBeUndefined();

    const now = new Date().toISOString();
    await sql`insert into rfp (id, reference, title, department, summary, status, created_by, created_at, updated_at) values ('r1', 'RFP-1', 'T', 'D', 'S', 'open', null, ${now}, ${now})`.execute(db);
    await sql`insert into section (id, rfp_id, key, title, position, created_at) values ('s1', 'r1', 'S', 'S', 0, ${now})`.execute(db);
    await sql`insert into criterion (id, rfp_id, section_id, key, title, kind, points, rubric_json, position, created_at) values ('c1', 'r1', 's1', 'C', 'C', 'scored', 10, '[]', 0, ${now})`.execute(db);
    await sql`insert into question (id, rfp_id, criterion_id, key, text, answer_type, options_json, required, references_json, position, created_at) values ('q1', 'r1', 'c1', 'Q-1', 'Q?', 'text', '[]', 1, '[]', 0, ${now})`.execute(db);
    await sql`insert into vendor (id, key, name, created_at) values ('v1', 'acme', 'Acme', ${now})`.execute(db);
    await sql`insert into submission (id, rfp_id, vendor_id, status, received_at, price, created_at) values ('sub1', 'r1', 'v1', 'responsive', ${now}, 415000, ${now})`.execute(db);
    await sql`insert into answer (id, rfp_id, submission_id, question_id, value_json, source, updated_at) values ('a1', 'r1', 'sub1', 'q1', '"yes"', 'manual', ${now})`.execute(db);
    await sql`insert into attachment (id, rfp_id, submission_id, file_name, media_type, size, sha256, storage_key, uploaded_at) values ('f1', 'r1', 'sub1', 'x.pdf', 'application/pdf', 1, 'h', 'k', ${now})`.execute(db);
    await expect(sql`insert into submission (id, rfp_id, vendor_id, status, created_at) values ('sub0', 'r1', 'v1', 'expected', ${now})`.execute(db)).rejects.toThrow();

    expect((await migrator(db).migrateTo(MIGRATION)).error).toBeUndefined();

    expect(await db.selectFrom('submission').select(['id', 'status', 'price']).execute()).toEqual([{ id: 'sub1', status: 'responsive', price: 415000 }]);
    expect((await db.selectFrom('answer').select('id').execute()).length).toBe(1);
    expect((await db.selectFrom('attachment').select('id').execute()).length).toBe(1);
    await sql`insert into vendor (id, key, name, created_at) values ('v2', 'civic', 'Civic', ${now})`.execute(db);
    await sql`insert into submission (id, rfp_id, vendor_id, status, created_at) values ('sub2', 'r1', 'v2', 'expected', ${now})`.execute(db);
    await expect(sql`insert into submission (id, rfp_id, vendor_id, status, created_at) values ('sub3', 'r1', 'v2', 'maybe', ${now})`.execute(db)).rejects.toThrow();
    // The unique vendor-per-RFP rule and the references still hold after the rebuild.
    await expect(sql`insert into submission (id, rfp_id, vendor_id, status, created_at) values ('sub4', 'r1', 'v1', 'received', ${now})`.execute(db)).rejects.toThrow();
    await expect(sql`insert into answer (id, rfp_id, submission_id, question_id, value_json, source, updated_at) values ('a2', 'r1', 'nope', 'q1', '"x"', 'manual', ${now})`.execute(db)).rejects.toThrow();
    // Deleting a submission still cascades to its answers.
    await db.deleteFrom('submission').where('id', '=', 'sub1').execute();
    expect((await db.selectFrom('answer').select('id').execute()).length).toBe(0);
  });
});
