/**
 * Writing many rows at once, for the imports (questionnaire, vendor workbook, portable RFP file). One statement per
 * batch instead of one per row keeps an import's transaction to a few dozen statements, so it holds SQLite's single
 * connection (or a PostgreSQL pool connection and its row locks) for milliseconds, not minutes.
 */
import { CompiledQuery, type Insertable, sql } from 'kysely';
import type { Database } from '../schema';
import type { Executor } from './audit';

/**
 * Bound parameters per statement. SQLite allows 32,766 and PostgreSQL 65,535; 5,000 keeps each statement small
 * (a few milliseconds) and leaves room for any column a migration adds later.
 */
export const PARAMETERS_PER_STATEMENT = 5_000;

/** How many rows of `columns` columns fit in one statement. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / Math.max(1, columns)));
}

/**
 * Inserts rows in statements of at most `PARAMETERS_PER_STATEMENT` bound values. Every row must have the columns of
 * the first one, none undefined. `onConflict` is appended to each statement as written (the same text on both dialects), for upserts.
 *
 * The statement text is built here rather than by Kysely's query builder, which costs about 5 µs a value to compile:
 * 350 ms of main-thread time for a 5,000-question import, spent holding the transaction. Table and column names come
 * from our own typed rows, never from input, and every value is a bound parameter.
 */
export async function insertInBatches<T extends keyof Database & string>(
  db: Executor,
  table: T,
  rows: ReadonlyArray<Insertable<Database[T]>>,
  onConflict?: string,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const size = rowsPerStatement(columns.length);
  const numbered = placeholderStyle(db) === '$n';
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
  for (let i = 0; i < rows.length; i += size) {
    const parameters: unknown[] = [];
    const tuples = (rows.slice(i, i + size) as ReadonlyArray<Record<string, unknown>>).map((row) => {
      // A row without one of the columns would need DEFAULT, which SQLite's VALUES lacks: say so instead of guessing.
      if (Object.keys(row).length !== columns.length) throw new Error(`insertInBatches(${table}): every row needs the columns ${columns.join(', ')}.`);
      const marks = columns.map((column) => {
        const value = row[column];
        if (value === undefined) throw new Error(`insertInBatches(${table}): a row has no value for ${column}.`);
        parameters.push(value);
        return numbered ? `$${parameters.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    await db.executeQuery(CompiledQuery.raw(`${head}${tuples.join(', ')}${onConflict ? ` ${onConflict}` : ''}`, parameters));
    // Between statements, let the event loop answer other requests: on SQLite each statement runs synchronously, and a
    // run of them back to back would hold the server for the whole import.
    if (i + size < rows.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** `?` (SQLite) or `$1` (PostgreSQL), as the executor's own compiler writes a parameter. */
function placeholderStyle(db: Executor): '?' | '$n' {
  return sql`${0}`.compile(db).sql === '?' ? '?' : '$n';
}
