/**
 * Opens the database named by DATABASE_URL: an embedded SQLite file (default) or PostgreSQL.
 * SQLite's durability settings are per connection, so they are set and then read back on every open:
 * a reopened WAL database otherwise silently runs with synchronous=NORMAL.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, Kysely, type KyselyConfig, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteDialectConfig, SqliteDriver } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where it lives, without credentials, for start-up messages. */
  describe: string;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'file:./data/workbench.sqlite';

export interface OpenOptions {
  /** Told the duration of every query (and whether it failed): the one place database time is measured. */
  onQuery?: (durationMs: number, failed: boolean) => void;
}

export function openDatabase(url: string = databaseUrlFromEnv(), options: OpenOptions = {}): DatabaseHandle {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  const path = sqlitePathOf(url);
  if (path) return openSqliteFile(path, options);
  if (url === ':memory:') return wrapSqlite(new BetterSqlite3(':memory:'), ':memory:', options);
  throw new Error(`DATABASE_URL must start with file: or postgres:// (got "${url.split(':')[0]}:…")`);
}

export function databaseUrlFromEnv(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** The absolute path of a `file:` database URL, or null for PostgreSQL and in-memory databases. */
export function sqlitePathOf(url: string): string | null {
  return url.startsWith('file:') ? resolve(url.slice('file:'.length)) : null;
}

function kyselyLog(options: OpenOptions): KyselyConfig['log'] {
  const { onQuery } = options;
  if (!onQuery) return undefined;
  return (event) => onQuery(event.queryDurationMillis, event.level === 'error');
}

function openSqliteFile(absolute: string, options: OpenOptions): DatabaseHandle {
  mkdirSync(dirname(absolute), { recursive: true });
  return wrapSqlite(new BetterSqlite3(absolute), absolute, options);
}

/** Opens an in-memory copy of a serialized SQLite database (fast fresh databases for tests). */
export function openSqliteFromBuffer(buffer: Buffer): DatabaseHandle {
  return wrapSqlite(new BetterSqlite3(buffer), ':memory:');
}

export function wrapSqlite(sqlite: BetterSqlite3.Database, describe: string, options: OpenOptions = {}): DatabaseHandle {
  applySqlitePragmas(sqlite);
  const db = new Kysely<Database>({ dialect: new ImmediateTransactionSqliteDialect({ database: withStatementCache(sqlite) }), log: kyselyLog(options) });
  return {
    db,
    dialect: 'sqlite',
    describe: `SQLite ${describe}`,
    close: () => db.destroy(),
  };
}

/** Prepared statements kept per connection: a page asks the same few dozen queries every time. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; for a write on a table with triggers (results_version, audit) SQLite compiles
 * the triggers into each statement, so preparing was a tenth of a score save's time. Statements are kept by their SQL
 * (least recently used out first) and reused: better-sqlite3 re-prepares one by itself when the schema changes, and
 * Kysely runs one query at a time on the single connection, so a kept statement is never in use twice.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (sql) => {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/**
 * SQLite transactions begin IMMEDIATE: the write lock is taken (waiting up to busy_timeout) before the first read. A
 * transaction that reads and then writes — the audit chain's last event, then the next one — can then not be overtaken
 * by another process (the CLI beside the server) between the two; with a plain BEGIN its write would fail with
 * SQLITE_BUSY instead. Within one process Kysely already runs one transaction at a time on the single connection.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionSqliteDialect extends SqliteDialect {
  private readonly settings: SqliteDialectConfig;
  constructor(settings: SqliteDialectConfig) {
    super(settings);
    this.settings = settings;
  }
  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.settings);
  }
}

const SYNCHRONOUS_FULL = 2;

/** Sets WAL, foreign keys, busy timeout and synchronous=FULL, then reads each back and refuses to go on if one did not stick. */
export function applySqlitePragmas(sqlite: BetterSqlite3.Database): void {
  const inMemory = sqlite.memory;
  if (!inMemory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = FULL');

  const problems: string[] = [];
  const journal = String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase();
  if (!inMemory && journal !== 'wal') problems.push(`journal_mode is ${journal}, expected wal`);
  if (Number(sqlite.pragma('foreign_keys', { simple: true })) !== 1) problems.push('foreign_keys is off');
  if (Number(sqlite.pragma('busy_timeout', { simple: true })) < 5000) problems.push('busy_timeout is below 5000 ms');
  const synchronous = Number(sqlite.pragma('synchronous', { simple: true }));
  if (synchronous !== SYNCHRONOUS_FULL) problems.push(`synchronous is ${synchronous}, expected 2 (FULL)`);
  if (problems.length > 0) {
    sqlite.close();
    throw new Error(`SQLite settings did not apply: ${problems.join('; ')}`);
  }
}

function openPostgres(url: string, options: OpenOptions): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  // An idle connection the server closes (restart, failover, a dropped test database) must not crash the process:
  // the pool replaces it on next use.
  pool.on('error', (error) => console.warn(`PostgreSQL connection lost: ${error.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: kyselyLog(options) });
  const parsed = new URL(url);
  return {
    db,
    dialect: 'postgres',
    describe: `PostgreSQL ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    close: () => db.destroy(),
  };
}
