/**
 * A fresh, migrated database per test, on the dialect the run is for (TEST_DATABASE=sqlite|postgres).
 * SQLite: migrate an in-memory database once per worker, serialize it, open a copy per test.
 * PostgreSQL: clone the migrated template database the test runner made (CREATE DATABASE … TEMPLATE).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { type DatabaseHandle, openDatabase, openSqliteFromBuffer, wrapSqlite } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { TEMPLATE_DATABASE } from './postgres-cluster';

export type TestDialect = 'sqlite' | 'postgres';

export function testDialect(): TestDialect {
  return process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

let sqliteTemplate: Promise<Buffer> | undefined;

async function migratedSqliteBuffer(): Promise<Buffer> {
  const sqlite = new BetterSqlite3(':memory:');
  const handle = wrapSqlite(sqlite, ':memory:');
  await migrateToLatest(handle.db);
  const buffer = sqlite.serialize();
  await handle.close();
  return buffer;
}

function adminUrl(): string {
  const url = process.env.TEST_POSTGRES_ADMIN_URL;
  if (!url) throw new Error('TEST_POSTGRES_ADMIN_URL is not set: run the PostgreSQL suite through `npm test`.');
  return url;
}

/** Creates an empty migrated PostgreSQL database and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `wb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  // A session working in several checkouts at once gives each its own migrated template.
  await admin.query(`create database ${name} template ${process.env.TEST_POSTGRES_TEMPLATE ?? TEMPLATE_DATABASE}`);
  await admin.end();
  const url = adminUrl().replace(/\/postgres$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/**
 * An empty database with no migration run (SQLite in memory, or a PostgreSQL database from template0), for a test
 * that migrates step by step. `drop` removes the PostgreSQL database; close the handle first.
 */
export async function createUnmigratedDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  if (testDialect() === 'sqlite') return { handle: openDatabase(':memory:'), drop: async () => {} };
  const name = `wb_mig_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name} template template0`);
  await admin.end();
  return {
    handle: openDatabase(adminUrl().replace(/\/postgres$/, `/${name}`)),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A fresh migrated database for one test. Close it when done. */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (testDialect() === 'sqlite') {
    sqliteTemplate ??= migratedSqliteBuffer();
    return openSqliteFromBuffer(Buffer.from(await sqliteTemplate));
  }
  const { url, drop } = await createPostgresDatabase();
  const handle = openDatabase(url);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

/** A DATABASE_URL for a server under test: a new SQLite file, or a new PostgreSQL database. */
export async function createServerDatabaseUrl(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (testDialect() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'wb-test-'));
    return { url: `file:${join(dir, 'workbench.sqlite')}`, cleanup: async () => {} };
  }
  const { url, drop } = await createPostgresDatabase();
  return { url, cleanup: drop };
}
