// A read sheet turned into the grid the import works on (GridRow/SheetGrid in app/import/import-types.server.ts):
// merged cells applied the way the import always has — a vertical merge (one column tall) repeats its text down, so a
// section or key merged over a block of questions belongs to each of them; every other merged cell is blank, and a
// merge across a row is recorded as a span, so a heading merged across eight columns is one cell, not eight.

/**
 * @typedef {import('./sheet.mjs').RawSheet} RawSheet
 * @typedef {{ row: number, cells: string[], spans?: Array<[number, number]>, outline?: number }} GridRow
 * @typedef {{ rows: GridRow[], cells: Map<number, string[]>, rowCount: number, columnCount: number }} FinishedSheet
 */

/** @param {RawSheet} raw @returns {FinishedSheet} */
export function finishSheet(raw) {
  const { rows, outline, merges } = raw;
  let lastRow = 0;
  for (const r of rows.keys()) if (r > lastRow) lastRow = r;

  /** @type {Map<number, Array<[number, number]>>} */
  const spansByRow = new Map();
  /** @type {Array<{ column: number, top: number, bottom: number, master: string }>} */
  const fills = [];
  for (const { top, left, bottom, right } of merges) {
    const master = rows.get(top)?.[left - 1];
    // Blank every cell of the merge but its top-left one (a writer may leave the old values there; Excel shows none).
    const last = Math.min(bottom, lastRow);
    for (let r = top; r <= last; r++) {
      const cells = rows.get(r);
      if (!cells) continue;
      const end = Math.min(right, cells.length);
      for (let c = r === top ? left + 1 : left; c <= end; c++) cells[c - 1] = undefined;
    }
    if (right > left) {
      const spans = spansByRow.get(top) ?? [];
      spans.push([left, right]);
      spansByRow.set(top, spans);
    } else if (bottom > top && master !== undefined) {
      fills.push({ column: left, top, bottom, master });
    }
  }

  /** @type {Map<number, string[]>} */
  const dense = new Map();
  for (const [r, cells] of rows) {
    let length = cells.length;
    while (length > 0 && cells[length - 1] === undefined) length--;
    if (length === 0) continue;
    const out = new Array(length);
    for (let c = 0; c < length; c++) out[c] = cells[c] ?? '';
    dense.set(r, out);
  }
  // Filled down only as far as the sheet has anything: a merge reaching row 1,048,576 does not make a million rows.
  let usedRow = 0;
  for (const r of dense.keys()) if (r > usedRow) usedRow = r;
  for (const fill of fills) {
    const last = Math.min(fill.bottom, usedRow);
    for (let r = fill.top + 1; r <= last; r++) {
      let cells = dense.get(r);
      if (!cells) {
        cells = [];
        dense.set(r, cells);
      }
      while (cells.length < fill.column - 1) cells.push('');
      cells[fill.column - 1] = fill.master;
    }
  }

  let rowCount = 0;
  let columnCount = 0;
  const numbers = [...dense.keys()].sort((a, b) => a - b);
  /** @type {GridRow[]} */
  const gridRows = numbers.map((r) => {
    const cells = /** @type {string[]} */ (dense.get(r));
    rowCount = r;
    if (cells.length > columnCount) columnCount = cells.length;
    /** @type {GridRow} */
    const row = { row: r, cells };
    const spans = spansByRow.get(r);
    if (spans) row.spans = spans.sort((a, b) => a[0] - b[0]);
    const level = outline.get(r);
    if (level) row.outline = level;
    return row;
  });
  return { rows: gridRows, cells: dense, rowCount, columnCount };
}
