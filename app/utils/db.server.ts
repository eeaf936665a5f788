/**
 * The one door from app/ into db/: the process-wide database handle and the query modules.
 */
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { observeQuery } from '#app/observability/metrics';

declare global {
  // Survives module re-evaluation in development so we do not leak connections.
  var __workbenchDb: DatabaseHandle | undefined;
}

export function getDatabase(): DatabaseHandle {
  globalThis.__workbenchDb ??= openDatabase(undefined, { onQuery: observeQuery });
  return globalThis.__workbenchDb;
}

export function getDb() {
  return getDatabase().db;
}

export * from '#db/queries/audit';
export { describeChainVerification, type ChainHead } from '#db/audit-chain';
export * from '#db/queries/login-throttle';
export * from '#db/queries/oidc';
export * from '#db/queries/members';
export * from '#db/queries/rfps';
export * from '#db/queries/rfp-outcome';
export * from '#db/queries/sessions';
export * from '#db/queries/users';
export * from '#db/queries/account-security';
export * from '#db/queries/vendors';
export { hashPassword, verifyPassword, decoyPasswordHash } from '#db/password';
export type * from '#db/schema';

/** Round-trips a trivial query; throws when the database cannot be reached. */
export async function pingDatabase(): Promise<'sqlite' | 'postgres'> {
  const handle = getDatabase();
  await sql`select 1`.execute(handle.db);
  return handle.dialect;
}

export { buildPortableRfp, exportPortableByReference } from '#db/portable/export';
export { portableRfpFileSchema, type PortableRfpFile } from '#db/portable/schema';

export * from '#db/queries/questionnaire';
export * from '#db/queries/questionnaire-versions';
export * from '#db/queries/bank-content';
export * from '#db/queries/risk-intake';
export * from '#db/queries/pending-uploads';
export * from '#db/queries/installation-secrets';
export * from '#db/queries/responses';
export { newId } from '#db/ids';
export * from '#db/queries/evaluation';
export * from '#db/queries/conflicts';
export * from '#db/queries/scoring-input';
export * from '#db/queries/results-cache';

/** Closes the process-wide handle, if one was opened (graceful shutdown). */
export async function closeDatabase(): Promise<void> {
  const handle = globalThis.__workbenchDb;
  globalThis.__workbenchDb = undefined;
  await handle?.close();
}
