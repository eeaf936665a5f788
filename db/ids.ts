import { randomUUID } from 'node:crypto';

/** Ids are made in code (portable across SQLite and PostgreSQL). */
export function newId(): string {
  return randomUUID();
}

/** Current time as the ISO-8601 UTC string every timestamp column holds. */
export function nowIso(): string {
  return new Date().toISOString();
}
