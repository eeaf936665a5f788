/**
 * `npx workbench backup` while the app serves a write load, then `restore` into a fresh place: every write the server
 * acknowledged before the backup began is in the restored database, its audit chains verify, and the evidence files
 * come back byte for byte. On PostgreSQL the command names pg_dump instead.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { runCli } from '#tests/support/cli';
import { testDialect } from '#tests/support/db';
import { demoRfpAndSubmission, startTestServer, Visitor } from '#tests/support/server';

const onSqlite = testDialect() === 'sqlite';
const WRITERS = 4;

describe.runIf(onSqlite)('backup and restore on SQLite', () => {
  it('restores a backup taken under write load with every write acknowledged before it began', async () => {
    const attachments = mkdtempSync(join(tmpdir(), 'wb-backup-att-'));
    const server = await startTestServer({ ATTACHMENTS_DIR: attachments });
    const work = mkdtempSync(join(tmpdir(), 'wb-backup-'));
    try {
      const lead = new Visitor(server.baseUrl);
      await lead.login('officer@city.example');
      const demo = await demoRfpAndSubmission(server.databaseUrl);
      const evidence = new TextEncoder().encode('Model card, version 3.2, kept through a backup.');
      const form = new FormData();
      form.set('file', new File([evidence], 'model-card.txt'));
      expect((await lead.request(`/rfps/${demo.rfpId}/vendors/${demo.submissionId}`, { method: 'POST', body: form, headers: { origin: server.baseUrl } })).status).toBe(200);

      // Writers create RFPs (each an audited write) as fast as the server takes them, noting when each was acknowledged.
      const acknowledged: Array<{ reference: string; at: number }> = [];
      let stop = false;
      let sequence = 0;
      const writer = async (visitor: Visitor) => {
        while (!stop) {
          const reference = `LOAD-${String(++sequence).padStart(5, '0')}`;
          const response = await visitor.post('/rfps/new', { reference, title: `Load ${reference}`, department: 'IT', summary: 'Written during a backup.' });
          if (response.status === 302) acknowledged.push({ reference, at: performance.now() });
          else throw new Error(`${reference}: ${response.status}`);
        }
      };
      const visitors = await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          const visitor = new Visitor(server.baseUrl);
          await visitor.login('officer@city.example');
          return visitor;
        }),
      );
      const load = Promise.all(visitors.map(writer));
      while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));

      const backupFile = join(work, 'workbench.backup');
      const backupStarted = performance.now();
      const backup = await runCli(server.databaseUrl, ['backup', '--out', backupFile], undefined, { ATTACHMENTS_DIR: attachments });
      // The load keeps going a little after the backup, then stops.
      await new Promise((resolve) => setTimeout(resolve, 200));
      stop = true;
      await load;
      expect(backup.stderr).toBe('');
      expect(backup.status).toBe(0);
      expect(backup.stdout).toContain('1 evidence file(s)');
      const before = acknowledged.filter((write) => write.at < backupStarted).map((write) => write.reference);
      const after = acknowledged.filter((write) => write.at > performance.now() - 150).map((write) => write.reference);
      expect(before.length).toBeGreaterThanOrEqual(40);

      // Restoring onto the database the server has open is refused, even with --force.
      const onLive = await runCli(server.databaseUrl, ['restore', '--from', backupFile, '--force'], undefined, { ATTACHMENTS_DIR: attachments });
      expect(onLive.status).toBe(1);
      expect(onLive.stderr).toContain('is in use');
      await server.stop();

      const restoredUrl = `file:${join(work, 'restored', 'workbench.sqlite')}`;
      const restoredAttachments = join(work, 'restored-attachments');
      const restore = await runCli(restoredUrl, ['restore', '--from', backupFile], undefined, { ATTACHMENTS_DIR: restoredAttachments });
      expect(restore.stderr).toBe('');
      expect(restore.status).toBe(0);
      expect(restore.stdout).toMatch(/integrity ok, \d+ audit chain\(s\) with \d+ event\(s\) intact, 1 evidence file\(s\) in place/);

      const restored = openDatabase(restoredUrl);
      try {
        const references = new Set((await restored.db.selectFrom('rfp').select('reference').execute()).map((row) => row.reference));
        const lost = before.filter((reference) => !references.has(reference));
        expect(lost, 'writes acknowledged before the backup began but missing from it').toEqual([]);
        // Writes acknowledged well after the backup ended are not in it: the copy is a snapshot, not the live file.
        expect(after.length).toBeGreaterThan(0);
        expect(after.filter((reference) => references.has(reference))).toEqual([]);
        const stored = await restored.db.selectFrom('attachment').select('storage_key').executeTakeFirstOrThrow();
        expect(new Uint8Array(readFileSync(join(restoredAttachments, stored.storage_key)))).toEqual(evidence);
        // The backup's own tables are gone from the restored database.
        const tables = await restored.db.introspection.getTables();
        expect(tables.map((table) => table.name).filter((name) => name.startsWith('backup_'))).toEqual([]);
      } finally {
        await restored.close();
      }
      const verified = await runCli(restoredUrl, ['audit', 'verify', '--global']);
      expect(verified.status).toBe(0);
      expect(verified.stdout).toContain('chain intact');
      const demoChain = await runCli(restoredUrl, ['audit', 'verify', 'DEMO-311-GENAI']);
      expect(demoChain.status).toBe(0);

      // Replacing an existing database needs --force; a damaged backup is refused before anything is replaced.
      const again = await runCli(restoredUrl, ['restore', '--from', backupFile], undefined, { ATTACHMENTS_DIR: restoredAttachments });
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('add --force');
      const damaged = join(work, 'damaged.backup');
      const bytes = readFileSync(backupFile);
      bytes.fill(0x41, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192);
      writeFileSync(damaged, bytes);
      const refused = await runCli(restoredUrl, ['restore', '--from', damaged, '--force'], undefined, { ATTACHMENTS_DIR: restoredAttachments });
      expect(refused.status).toBe(1);
      expect(readdirSync(join(work, 'restored')).filter((name) => name.includes('restoring'))).toEqual([]);
      expect((await runCli(restoredUrl, ['audit', 'verify', '--global'])).status).toBe(0);
      // A backup never overwrites a file.
      expect((await runCli(restoredUrl, ['backup', '--out', backupFile])).stderr).toContain('exists');
      expect(existsSync(backupFile)).toBe(true);
    } finally {
      await server.stop();
    }
  }, 180_000);
});

describe.runIf(!onSqlite)('backup on PostgreSQL', () => {
  it('says to use pg_dump and pg_restore', async () => {
    // Refused before any connection is made: the database need not exist.
    const url = 'postgres://postgres@127.0.0.1:55432/workbench_not_needed';
    const backup = await runCli(url, ['backup', '--out', join(mkdtempSync(join(tmpdir(), 'wb-backup-')), 'x.backup')]);
    expect(backup.status).toBe(1);
    expect(backup.stderr).toContain('pg_dump --format=custom');
    const restore = await runCli(url, ['restore', '--from', 'x.backup']);
    expect(restore.status).toBe(1);
    expect(restore.stderr).toContain('pg_restore');
  }, 60_000);
});
