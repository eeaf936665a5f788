import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { listAuditEvents, recordAudit, SYSTEM_ACTOR } from '#db/queries/audit';
import { createTestDatabase } from '#tests/support/db';

describe('audit log', () => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(async () => {
    await handle.close();
  });

  it('records events with actor, time, before and after, newest first', async () => {
    await recordAudit(handle.db, SYSTEM_ACTOR, { entity: 'thing', entityId: 'a', action: 'thing.create', after: { n: 1 } });
    await recordAudit(handle.db, { id: null, email: 'x@city.example' }, { entity: 'thing', entityId: 'a', action: 'thing.change', before: { n: 1 }, after: { n: 2 }, reason: 'typo' });
    const events = await listAuditEvents(handle.db);
    expect(events.map((e) => e.action)).toEqual(['thing.change', 'thing.create']);
    expect(JSON.parse(events[0]!.before_json!)).toEqual({ n: 1 });
    expect(events[0]!.reason).toBe('typo');
    expect(events[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('is append-only in the database: UPDATE and DELETE fail', async () => {
    await recordAudit(handle.db, SYSTEM_ACTOR, { entity: 'thing', action: 'thing.create' });
    await expect(handle.db.updateTable('audit_event').set({ action: 'forged' }).execute()).rejects.toThrow(/append-only/);
    await expect(handle.db.deleteFrom('audit_event').execute()).rejects.toThrow(/append-only/);
    await expect(sql`update audit_event set reason = 'x'`.execute(handle.db)).rejects.toThrow(/append-only/);
    const events = await listAuditEvents(handle.db);
    expect(events).toHaveLength(1);
    expect(events[0]!.action).toBe('thing.create');
  });
});
