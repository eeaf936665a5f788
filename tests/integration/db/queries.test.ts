import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { listAuditEvents, SYSTEM_ACTOR } from '#db/queries/audit';
import { listMembers, removeMember, upsertMember } from '#db/queries/members';
import { createRfp, DuplicateReferenceError, listRfpsVisibleTo } from '#db/queries/rfps';
import { getSessionWithUser, insertSession } from '#db/queries/sessions';
import { createUser, DuplicateEmailError, getUserByEmail, setUserDisabled } from '#db/queries/users';
import { createTestDatabase } from '#tests/support/db';

async function makeUser(handle: DatabaseHandle, email: string, role: 'admin' | 'officer' | 'evaluator' | 'viewer' = 'officer') {
  return createUser(handle.db, SYSTEM_ACTOR, { email, name: email.split('@')[0]!, role, passwordHash: 'x' });
}

describe('queries', () => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(async () => {
    await handle.close();
  });

  it('treats emails case-insensitively and refuses duplicates', async () => {
    await makeUser(handle, 'Jane.Doe@City.Example');
    expect((await getUserByEmail(handle.db, 'jane.doe@city.example'))?.email).toBe('jane.doe@city.example');
    await expect(makeUser(handle, 'JANE.DOE@city.example')).rejects.toBeInstanceOf(DuplicateEmailError);
  });

  it('lists only the RFPs a user is a member of, and all of them for an admin', async () => {
    const officer = await makeUser(handle, 'officer@city.example');
    const other = await makeUser(handle, 'other@city.example');
    const admin = await makeUser(handle, 'admin@city.example', 'admin');
    const a = await createRfp(handle.db, officer, { reference: 'RFP-A', title: 'A', department: 'D', summary: 'S' });
    await createRfp(handle.db, other, { reference: 'RFP-B', title: 'B', department: 'D', summary: 'S' });
    expect((await listRfpsVisibleTo(handle.db, officer)).map((r) => r.reference)).toEqual(['RFP-A']);
    expect((await listRfpsVisibleTo(handle.db, admin)).map((r) => r.reference).sort()).toEqual(['RFP-A', 'RFP-B']);
    expect((await listRfpsVisibleTo(handle.db, officer))[0]!.my_role).toBe('lead');
    await expect(createRfp(handle.db, officer, { reference: 'RFP-A', title: 'A', department: 'D', summary: 'S' })).rejects.toBeInstanceOf(
      DuplicateReferenceError,
    );
    expect(a.status).toBe('draft');
  });

  it('audits membership changes with before and after', async () => {
    const officer = await makeUser(handle, 'officer@city.example');
    const evaluator = await makeUser(handle, 'eva@city.example', 'evaluator');
    const rfp = await createRfp(handle.db, officer, { reference: 'RFP-C', title: 'C', department: 'D', summary: 'S' });
    await upsertMember(handle.db, officer, { rfpId: rfp.id, userId: evaluator.id, email: evaluator.email, role: 'evaluator' });
    await upsertMember(handle.db, officer, { rfpId: rfp.id, userId: evaluator.id, email: evaluator.email, role: 'observer' });
    await removeMember(handle.db, officer, { rfpId: rfp.id, userId: evaluator.id, email: evaluator.email });
    expect((await listMembers(handle.db, rfp.id)).map((m) => m.role)).toEqual(['lead']);
    const events = await listAuditEvents(handle.db, { rfpId: rfp.id });
    expect(events.map((e) => e.action)).toEqual(['member.remove', 'member.role', 'member.add', 'member.add', 'rfp.create']);
    const roleChange = events[1]!;
    expect(JSON.parse(roleChange.before_json!).role).toBe('evaluator');
    expect(JSON.parse(roleChange.after_json!).role).toBe('observer');
    expect(roleChange.actor_email).toBe('officer@city.example');
  });

  it('revokes sessions when a user is disabled, and keeps the hash out of the audit log', async () => {
    const user = await makeUser(handle, 'someone@city.example');
    const now = new Date().toISOString();
    await insertSession(handle.db, { id: 'h1', user_id: user.id, created_at: now, last_seen_at: now, expires_at: now, ip: null, user_agent: null });
    await setUserDisabled(handle.db, SYSTEM_ACTOR, user.id, true);
    expect(await getSessionWithUser(handle.db, 'h1')).toBeUndefined();
    const events = await listAuditEvents(handle.db, { action: 'user.disable' });
    expect(events).toHaveLength(1);
    expect(events[0]!.after_json).not.toContain('password_hash');
  });
});
