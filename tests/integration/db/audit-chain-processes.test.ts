/**
 * Writers in separate processes (the CLI beside the server on one SQLite file; several app processes on one PostgreSQL
 * database) append to the same chains at once: every event lands, and each chain verifies with no duplicate seq.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { verifyAuditChain } from '#db/queries/audit';
import { createServerDatabaseUrl } from '#tests/support/db';

const root = join(import.meta.dirname, '..', '..', '..');

function writer(databaseUrl: string, count: number, chain: string): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'tests', 'support', 'audit-writer.ts'), String(count), chain],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, _stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

describe('audit chain writers in separate processes', () => {
  it('four processes appending to two chains at once: all events recorded, no fork', async () => {
    const { url, cleanup } = await createServerDatabaseUrl();
    const handle = openDatabase(url);
    try {
      await migrateToLatest(handle.db);
      const perProcess = 40;
      const results = await Promise.all([writer(url, perProcess, 'rfp-x'), writer(url, perProcess, 'rfp-x'), writer(url, perProcess, '-'), writer(url, perProcess, '-')]);
      expect(results).toEqual(Array.from({ length: 4 }, () => ({ code: 0, stderr: '' })));
      for (const rfpId of ['rfp-x', null]) {
        expect(await verifyAuditChain(handle.db, rfpId)).toMatchObject({ count: 2 * perProcess, broken: null });
      }
    } finally {
      await handle.close();
      await cleanup();
    }
  }, 120_000);
});
