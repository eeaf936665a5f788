/**
 * Migration 2026-12-02-06: the Q&A deadline column, and the dates the old create form stored (22:00 UTC of the typed
 * day, whatever the zone) moved to the end of that day in the installation's zone. Run on SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import * as deadlines from '#db/migrations/2026-12-02-06-deadlines';
import { SYSTEM_ACTOR } from '#db/queries/audit';
import { createRfp } from '#db/queries/rfps';
import { createUser } from '#db/queries/users';
import { createTestDatabase } from '#tests/support/db';

describe('migration 06: deadlines in the installation zone', () => {
  let handle: DatabaseHandle;
  const savedZone = process.env.TIME_ZONE;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(async () => {
    if (savedZone === undefined) delete process.env.TIME_ZONE;
    else process.env.TIME_ZONE = savedZone;
    await handle.close();
  });

  it('adds qa_due_at and moves old date-only deadlines to the end of their day, keeping every other value', async () => {
    const officer = await createUser(handle.db, SYSTEM_ACTOR, { email: 'o@city.example', name: 'O', role: 'officer', passwordHash: 'x' });
    const old = await createRfp(handle.db, officer, {
      reference: 'OLD-FORM',
      title: 'T',
      department: 'D',
      summary: 'S',
      proposalsDueAt: '2026-03-01T22:00:00.000Z',
      evaluationDueAt: '2026-04-15T22:00:00.000Z',
    });
    // Set on the Evaluation page, which said "23:59 UTC", and a deadline with a typed time: both meant what they said.
    const kept = await createRfp(handle.db, officer, {
      reference: 'KEPT',
      title: 'T',
      department: 'D',
      summary: 'S',
      proposalsDueAt: '2026-03-01T17:00:00.000Z',
      evaluationDueAt: '2026-04-15T23:59:59.999Z',
    });
    const none = await createRfp(handle.db, officer, { reference: 'NONE', title: 'T', department: 'D', summary: 'S' });

    await deadlines.down(handle.db);
    process.env.TIME_ZONE = 'America/Los_Angeles';
    await deadlines.up(handle.db);

    const rows = await handle.db.selectFrom('rfp').select(['id', 'qa_due_at', 'proposals_due_at', 'evaluation_due_at', 'updated_at']).orderBy('reference').execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    // March 1 ends at 07:59:59.999 UTC on March 2 in Los Angeles (PST); April 15 at 06:59:59.999 UTC on April 16 (PDT).
    expect(byId.get(old.id)).toMatchObject({ qa_due_at: null, proposals_due_at: '2026-03-02T07:59:59.999Z', evaluation_due_at: '2026-04-16T06:59:59.999Z', updated_at: old.updated_at });
    expect(byId.get(kept.id)).toMatchObject({ proposals_due_at: '2026-03-01T17:00:00.000Z', evaluation_due_at: '2026-04-15T23:59:59.999Z' });
    expect(byId.get(none.id)).toMatchObject({ qa_due_at: null, proposals_due_at: null, evaluation_due_at: null });

    await handle.db.updateTable('rfp').set({ qa_due_at: '2026-02-14T07:59:59.999Z' }).where('id', '=', none.id).execute();
    expect((await handle.db.selectFrom('rfp').select('qa_due_at').where('id', '=', none.id).executeTakeFirstOrThrow()).qa_due_at).toBe('2026-02-14T07:59:59.999Z');
  });

  it('refuses to guess when TIME_ZONE is not a zone', async () => {
    await deadlines.down(handle.db);
    process.env.TIME_ZONE = 'Mars/Olympus';
    await expect(deadlines.up(handle.db)).rejects.toThrow(/TIME_ZONE="Mars\/Olympus" is not an IANA time zone name/);
  });
});
