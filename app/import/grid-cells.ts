import type { GridRow } from './import-types.server';

/** Small readings of the worker's grid shared by the mapping proposal, the sheet ranking and the preview. */

/** A cell as trimmed text; columns are 1-based. */
export function cellAt(row: GridRow | undefined, column: number): string {
  return (row?.cells[column - 1] ?? '').trim();
}

/** Looks like a question key: short, with a digit, at most three words ("RAI-07", "1.2", "GOVERN 1.1", "A&A-01.1"). */
export function looksLikeKey(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= 24 && /\d/.test(t) && /^[A-Za-z0-9][A-Za-z0-9 ._\-/()&:]*$/.test(t) && t.split(/\s+/).length <= 3;
}
