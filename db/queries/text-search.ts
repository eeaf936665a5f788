/**
 * Case-insensitive "contains" for the list searches (RFPs, the vendor registry, users), the same on SQLite and
 * PostgreSQL: the pattern's own characters (`%`, `_`, `\`) are taken literally, with `\` named as the escape because
 * SQLite's LIKE has none by default.
 */
import { type RawBuilder, sql } from 'kysely';

/** `%text%` for LIKE, with the pattern characters taken literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `lower(column) like '%text%'`: `column` holds `text`, ignoring case. */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${containsPattern(text)} escape '\\'`;
}
