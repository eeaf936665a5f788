/**
 * Migration 2026-12-04-18 on a database that already holds accounts (SQLite and PostgreSQL): the account role check
 * gains `vendor`, every account and what references it (sessions, memberships, scores' authors) survives — SQLite
 * rebuilds the table, which must not cascade — the results-version trigger on account names still fires, emails are
 * still unique, and an unknown role is still refused.
 */
import { type Kysely, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '#db/migrations/index';
import type { Database } from '#db/schema';
import { createUnmigratedDatabase } from '#tests/support/db';

const MIGRATION = '2026-12-04-18-vendor-contacts';

function migrator(db: Kysely<Database>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

describe('migration: vendor contacts', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
  });

  it('keeps every account and what hangs off it, and accepts vendor but nothing unknown', async () => {
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
    await sql`insert into app_user (id, email, name, role, password_hash, disabled, created_at, updated_at) values ('u1', 'lead@city.example', 'Lee', 'officer', 'x', 0, ${now}, ${now})`.execute(db);
    await sql`insert into session (id, user_id, created_at, last_seen_at, expires_at) values ('s1', 'u1', ${now}, ${now}, ${now})`.execute(db);
    await sql`insert into rfp (id, reference, title, department, summary, status, created_by, created_at, updated_at) values ('r1', 'RFP-1', 'T', 'D', 'S', 'open', 'u1', ${now}, ${now})`.execute(db);
    await sql`insert into rfp_member (rfp_id, user_id, role, added_at) values ('r1', 'u1', 'lead', ${now})`.execute(db);
    await sql`insert into assignment (rfp_id, user_id, coi_status, assigned_at) values ('r1', 'u1', 'none', ${now})`.execute(db);
    await expect(sql`insert into app_user (id, email, name, role, password_hash, disabled, created_at, updated_at) values ('u0', 'v@acme.example', 'V', 'vendor', 'x', 0, ${now}, ${now})`.execute(db)).rejects.toThrow();

    expect((await migrator(db).migrateTo(MIGRATION)).error).toBeUndefined();

    expect(await db.selectFrom('app_user').select(['id', 'email', 'role']).execute()).toEqual([{ id: 'u1', email: 'lead@city.example', role: 'officer' }]);
    expect((await db.selectFrom('session').select('id').execute()).length).toBe(1);
    expect((await db.selectFrom('rfp_member').select('user_id').execute()).length).toBe(1);
    await sql`insert into app_user (id, email, name, role, password_hash, disabled, created_at, updated_at) values ('u2', 'v@acme.example', 'V', 'vendor', 'x', 0, ${now}, ${now})`.execute(db);
    await expect(sql`insert into app_user (id, email, name, role, password_hash, disabled, created_at, updated_at) values ('u3', 'w@acme.example', 'W', 'root', 'x', 0, ${now}, ${now})`.execute(db)).rejects.toThrow();
    await expect(sql`insert into app_user (id, email, name, role, password_hash, disabled, created_at, updated_at) values ('u4', 'v@acme.example', 'V2', 'vendor', 'x', 0, ${now}, ${now})`.execute(db)).rejects.toThrow();
    // The trigger that marks an RFP's results stale when a team member's name changes came back with the table.
    const version = async () => Number((await db.selectFrom('rfp').select('results_version').executeTakeFirstOrThrow()).results_version);
    const was = await version();
    await db.updateTable('app_user').set({ name: 'Lee Renamed' }).where('id', '=', 'u1').execute();
    expect(await version()).toBeGreaterThan(was);
    // References to accounts still hold.
    await expect(sql`insert into session (id, user_id, created_at, last_seen_at, expires_at) values ('s2', 'nobody', ${now}, ${now}, ${now})`.execute(db)).rejects.toThrow();

    // Down again: the vendor account is disabled as a viewer, and the old check is back.
    expect((await migrator(db).migrateTo(before)).error).toBeUndefined();
    expect(await db.selectFrom('app_user').select(['id', 'role', 'disabled']).orderBy('id').execute()).toEqual([
      { id: 'u1', role: 'officer', disabled: 0 },
      { id: 'u2', role: 'viewer', disabled: 1 },
    ]);
  });
});
