import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applySqlitePragmas, openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';

describe('embedded SQLite', () => {
  it('opens a file database in WAL mode with foreign keys, a busy timeout and synchronous=FULL, also when reopened', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wb-sqlite-')), 'nested', 'w.sqlite');
    for (let open = 0; open < 2; open += 1) {
      const handle = openDatabase(`file:${path}`);
      await migrateToLatest(handle.db);
      await handle.close();
      const raw = new BetterSqlite3(path);
      // A plain reopen falls back to the defaults, which is why every open sets and checks them.
      expect(raw.pragma('synchronous', { simple: true })).not.toBe(2);
      applySqlitePragmas(raw);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('synchronous', { simple: true })).toBe(2);
      expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(Number(raw.pragma('busy_timeout', { simple: true }))).toBeGreaterThanOrEqual(5000);
      raw.close();
    }
  });

  it('enforces foreign keys', async () => {
    const handle = openDatabase(':memory:');
    await migrateToLatest(handle.db);
    await expect(
      handle.db
        .insertInto('rfp_member')
        .values({ rfp_id: 'missing', user_id: 'missing', role: 'lead', added_by: null, added_at: new Date().toISOString() })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
    await handle.close();
  });

  it('refuses a DATABASE_URL it does not understand, naming the expected forms', () => {
    expect(() => openDatabase('mysql://x')).toThrow(/must start with file: or postgres:\/\//);
  });
});
