/**
 * The few places where SQLite and PostgreSQL differ in DDL. Migrations use only these helpers
 * to branch, and they depend on nothing but Kysely, so migrations stay frozen in time.
 */
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

/** Raw bytes: bytea on PostgreSQL, blob on SQLite. */
export function binaryColumnType(db: Kysely<any>): 'bytea' | 'blob' {
  return isPostgres(db) ? 'bytea' : 'blob';
}

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An integer key the database numbers itself, in insertion order (use with the column type `integer`). */
export function autoIncrementPrimaryKey(db: Kysely<any>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  if (isPostgres(db)) return (c) => c.primaryKey().generatedAlwaysAsIdentity();
  return (c) => c.primaryKey().autoIncrement();
}
