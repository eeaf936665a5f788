/**
 * Helpers shared by the portable-file tests: accounts in a target installation, closing databases cleanly, and the
 * comparison of two exports "in content".
 */
import { expect } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { newId, nowIso } from '#db/ids';
import type { PortableRfpFile } from '#db/portable/schema';
import type { GlobalRole } from '#db/schema';

/** An enabled account in a target installation (no usable password: the tests never sign in). */
export async function createAccount(handle: DatabaseHandle, email: string, role: GlobalRole, name = 'Imported Lead'): Promise<string> {
  const id = newId();
  const now = nowIso();
  await handle.db
    .insertInto('app_user')
    .values({ id, email: email.toLowerCase(), name, role, password_hash: '!test', disabled: 0, created_at: now, updated_at: now })
    .execute();
  return id;
}

/**
 * Closes a test database. Exports read tables in parallel (several pooled PostgreSQL connections): let the pool's
 * sockets close before close() drops the database, or the server's "terminating connection" reaches a closing client.
 */
export async function closeDatabase(handle: DatabaseHandle | undefined): Promise<void> {
  if (!handle) return;
  await handle.db.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await handle.close();
}

/**
 * The file without what differs between installations by design: `exportedAt`, the `rfp.import` events and the audit
 * chain's head (each installation chains the events afresh).
 */
export function content(file: PortableRfpFile): Omit<PortableRfpFile, 'exportedAt' | 'auditChain'> {
  const { exportedAt: _exportedAt, auditChain: _auditChain, ...rest } = file;
  return { ...rest, audit: rest.audit.filter((e) => e.action !== 'rfp.import') };
}

/**
 * Asserts that `after` (exported from an installation the file was imported into `imports` times) has the content
 * of `before`, plus exactly `imports` `rfp.import` events at the end of its audit record.
 */
export function expectSameContent(before: PortableRfpFile, after: PortableRfpFile, imports = 1): void {
  expect(JSON.stringify(content(after), null, 2)).toBe(JSON.stringify(content(before), null, 2));
  const appended = after.audit.slice(before.audit.length);
  expect(appended.map((e) => e.action)).toEqual(Array.from({ length: imports }, () => 'rfp.import'));
  expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
}
