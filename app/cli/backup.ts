/**
 * `workbench backup --out FILE` and `workbench restore --from FILE [--force]` for an SQLite installation.
 *
 * The backup is one SQLite file: `VACUUM INTO` copies the database in a single read transaction (a consistent snapshot
 * taken while the server keeps writing, WAL readers never block writers), and every evidence file the snapshot's
 * `attachment` rows name is then added to it, with its SHA-256 checked, in the table `backup_attachment`. One file to
 * keep, openable with any SQLite tool. Restore checks the copy (integrity_check, every audit chain, each file's hash)
 * before it replaces anything, refuses a database another process has open, and asks for --force to replace one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { databaseUrlFromEnv, sqlitePathOf, wrapSqlite } from '#db/client';
import { describeChainVerification } from '#db/audit-chain';
import { verifyAuditChain } from '#db/queries/audit';
import { migrations } from '#db/migrations/index';

const FORMAT = 'workbench-backup-1';
const STORAGE_KEY = /^[0-9a-f]{48}$/;

export const PG_DUMP_ADVICE =
  'This installation runs on PostgreSQL: back it up with pg_dump --format=custom --file=FILE "$DATABASE_URL" and restore with pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" FILE; copy ATTACHMENTS_DIR alongside (see the README, Operations).';

function attachmentsDir(): string {
  return resolve(process.env.ATTACHMENTS_DIR ?? './data/attachments');
}

function sqliteTarget(): string {
  const path = sqlitePathOf(databaseUrlFromEnv());
  if (!path) throw new Error(PG_DUMP_ADVICE);
  return path;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface BackupSummary {
  file: string;
  attachments: number;
  bytes: number;
}

export function backupDatabase(out: string): BackupSummary {
  const source = sqliteTarget();
  if (!existsSync(source)) throw new Error(`There is no database at ${source} to back up.`);
  if (existsSync(out)) throw new Error(`${out} exists; choose a new file name (a backup never overwrites a file).`);
  const partial = `${out}.partial-${randomBytes(4).toString('hex')}`;
  const live = new BetterSqlite3(source, { fileMustExist: true, readonly: true });
  try {
    live.pragma('busy_timeout = 5000');
    live.prepare('VACUUM INTO ?').run(partial);
  } finally {
    live.close();
  }
  try {
    const copy = new BetterSqlite3(partial);
    let attachments = 0;
    let bytes = 0;
    try {
      copy.exec('CREATE TABLE backup_attachment (storage_key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, content BLOB NOT NULL)');
      copy.exec('CREATE TABLE backup_manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      const insert = copy.prepare('INSERT INTO backup_attachment (storage_key, sha256, content) VALUES (?, ?, ?)');
      const rows = copy.prepare('SELECT DISTINCT storage_key, sha256 FROM attachment').all() as Array<{ storage_key: string; sha256: string }>;
      const dir = attachmentsDir();
      for (const row of rows) {
        let content: Buffer;
        try {
          content = readFileSync(join(dir, row.storage_key));
        } catch {
          // Files are written before their row and removed after the row is gone: a missing one was removed after the
          // snapshot (or the directory is not this installation's).
          throw new Error(`The evidence file ${row.storage_key} is not in ${dir} (removed while the backup ran, or ATTACHMENTS_DIR is wrong); run the backup again.`);
        }
        if (sha256(content) !== row.sha256) throw new Error(`The evidence file ${row.storage_key} in ${dir} does not match its recorded SHA-256; it is damaged.`);
        insert.run(row.storage_key, row.sha256, content);
        attachments += 1;
        bytes += content.byteLength;
      }
      const manifest = copy.prepare('INSERT INTO backup_manifest (key, value) VALUES (?, ?)');
      manifest.run('format', FORMAT);
      manifest.run('created_at', new Date().toISOString());
      manifest.run('attachments', String(attachments));
    } finally {
      copy.close();
    }
    renameSync(partial, out);
    return { file: out, attachments, bytes };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Another connection (the server, a CLI) has the database open: leaving WAL mode needs it to be the only one. */
function inUse(path: string): boolean {
  const probe = new BetterSqlite3(path, { fileMustExist: true });
  try {
    probe.pragma('busy_timeout = 0');
    const mode = String(probe.pragma('journal_mode = DELETE', { simple: true })).toLowerCase();
    return mode === 'wal';
  } catch {
    return true;
  } finally {
    probe.close();
  }
}

export interface RestoreSummary {
  target: string;
  attachments: number;
  chains: number;
  events: number;
}

export async function restoreDatabase(from: string, options: { force: boolean }): Promise<RestoreSummary> {
  const target = sqliteTarget();
  if (!existsSync(from)) throw new Error(`There is no backup at ${from}.`);
  if (existsSync(target)) {
    if (!options.force) throw new Error(`A database exists at ${target}; add --force to replace it with the backup (stop every app process first).`);
    if (inUse(target)) throw new Error(`The database at ${target} is in use (an app process or command has it open); stop it before restoring.`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const staging = `${target}.restoring-${randomBytes(4).toString('hex')}`;
  copyFileSync(from, staging);
  try {
    const files = checkBackup(staging);
    const { chains, events } = await verifyEveryChain(staging);
    const dir = attachmentsDir();
    mkdirSync(dir, { recursive: true });
    for (const file of files) {
      const path = join(dir, file.storage_key);
      if (!existsSync(path) || sha256(readFileSync(path)) !== file.sha256) writeFileSync(path, file.content);
    }
    const staged = new BetterSqlite3(staging);
    try {
      staged.exec('DROP TABLE backup_attachment; DROP TABLE backup_manifest; VACUUM');
      staged.pragma('journal_mode = WAL');
    } finally {
      staged.close();
    }
    // The old database's WAL must not be replayed into the restored file.
    for (const suffix of ['-wal', '-shm', '']) rmSync(`${target}${suffix}`, { force: true });
    renameSync(staging, target);
    return { target, attachments: files.length, chains, events };
  } catch (error) {
    for (const suffix of ['-wal', '-shm', '']) rmSync(`${staging}${suffix}`, { force: true });
    throw error;
  }
}

function checkBackup(path: string): Array<{ storage_key: string; sha256: string; content: Buffer }> {
  let copy: BetterSqlite3.Database;
  try {
    copy = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`${path} is not a workbench backup: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const format = (() => {
      try {
        return (copy.prepare("SELECT value FROM backup_manifest WHERE key = 'format'").get() as { value: string } | undefined)?.value;
      } catch {
        return undefined;
      }
    })();
    if (format !== FORMAT) throw new Error('The file is not a workbench backup (made by `npx workbench backup`).');
    const integrity = copy.pragma('integrity_check') as Array<{ integrity_check: string }>;
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
      throw new Error(`The backup fails SQLite's integrity check: ${integrity.map((row) => row.integrity_check).slice(0, 3).join('; ')}`);
    }
    const applied = (copy.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>).map((row) => row.name);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0) throw new Error(`The backup was made by a newer version of the workbench (migration ${unknown[0]}); upgrade before restoring it.`);
    const files = copy.prepare('SELECT storage_key, sha256, content FROM backup_attachment').all() as Array<{ storage_key: string; sha256: string; content: Buffer }>;
    for (const file of files) {
      if (!STORAGE_KEY.test(file.storage_key) || sha256(file.content) !== file.sha256) throw new Error(`The backup's copy of evidence file ${file.storage_key} is damaged.`);
    }
    const missing = copy.prepare('SELECT COUNT(*) AS n FROM attachment WHERE storage_key NOT IN (SELECT storage_key FROM backup_attachment)').get() as { n: number };
    if (missing.n > 0) throw new Error(`The backup lacks ${missing.n} evidence file(s) its database names.`);
    return files;
  } finally {
    copy.close();
  }
}

async function verifyEveryChain(path: string): Promise<{ chains: number; events: number }> {
  const handle = wrapSqlite(new BetterSqlite3(path), path);
  try {
    const rfps = await handle.db.selectFrom('rfp').select(['id', 'reference']).execute();
    let events = 0;
    for (const chain of [{ id: null, name: 'the global chain' }, ...rfps.map((rfp) => ({ id: rfp.id, name: rfp.reference }))]) {
      const result = await verifyAuditChain(handle.db, chain.id);
      const { ok, line } = describeChainVerification(chain.name, result);
      if (!ok) throw new Error(`The backup's audit log does not verify, so nothing was restored. ${line}`);
      events += result.count;
    }
    return { chains: rfps.length + 1, events };
  } finally {
    await handle.close();
  }
}
