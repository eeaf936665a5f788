// A1-style references as they appear in sheet XML: cell addresses, ranges (whole columns `A:A` and whole rows `1:1`
// included), sqref lists ("A2:A100 C2:C1048576"), and the range formulas a list validation or a defined name holds
// (`'My lists'!$A$1:$A$4`).

export const MAX_ROW = 1_048_576;
export const MAX_COLUMN = 16_384;

/**
 * @typedef {{ top: number, left: number, bottom: number, right: number }} CellRange  1-based, inclusive.
 */

/** "A" → 1, "AB" → 28; 0 when not letters. @param {string} letters */
export function columnNumber(letters) {
  let n = 0;
  for (let i = 0; i < letters.length; i++) {
    const code = letters.charCodeAt(i) & ~32; // upper case
    if (code < 65 || code > 90) return 0;
    n = n * 26 + (code - 64);
  }
  return n;
}

/** 1 → "A", 28 → "AB". @param {number} n */
export function columnLetters(n) {
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = (n - 1 - r) / 26;
  }
  return s;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$/;
const COLUMN = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?([0-9]{1,7})$/;

/**
 * One end of a range: a cell, a column (`A`) or a row (`1`).
 * @param {string} text
 * @returns {{ row: number | null, column: number | null } | null}
 */
function rangeEnd(text) {
  let m = CELL.exec(text);
  if (m) return { row: Number(m[2]), column: columnNumber(m[1]) };
  m = COLUMN.exec(text);
  if (m) return { row: null, column: columnNumber(m[1]) };
  m = ROW.exec(text);
  if (m) return { row: Number(m[1]), column: null };
  return null;
}

/**
 * "B3", "A1:C9", "A:A", "C2:C1048576", "1:1", with or without $ signs. Null when it is not a range inside the sheet.
 * @param {string} text
 * @returns {CellRange | null}
 */
export function parseRange(text) {
  const [first, second, ...rest] = text.trim().split(':');
  if (first === undefined || rest.length > 0) return null;
  const a = rangeEnd(first);
  const b = second === undefined ? a : rangeEnd(second);
  if (!a || !b) return null;
  // A lone column or row ("A", "3") is not a reference; both ends must be of the same kind unless both are cells.
  if (second === undefined && (a.row === null || a.column === null)) return null;
  if ((a.row === null) !== (b.row === null) || (a.column === null) !== (b.column === null)) return null;
  const top = Math.min(a.row ?? 1, b.row ?? 1);
  const bottom = Math.max(a.row ?? MAX_ROW, b.row ?? MAX_ROW);
  const left = Math.min(a.column ?? 1, b.column ?? 1);
  const right = Math.max(a.column ?? MAX_COLUMN, b.column ?? MAX_COLUMN);
  if (top < 1 || left < 1 || bottom > MAX_ROW || right > MAX_COLUMN) return null;
  return { top, left, bottom, right };
}

/** A cell address ("C12") as its row and column; null when it is not one. @param {string} text */
export function parseCell(text) {
  const m = CELL.exec(text);
  return m ? { row: Number(m[2]), column: columnNumber(m[1]) } : null;
}

/** Every range of a space-separated sqref; unreadable pieces are left out. @param {string} sqref @returns {CellRange[]} */
export function parseSqref(sqref) {
  /** @type {CellRange[]} */
  const out = [];
  for (const piece of sqref.trim().split(/\s+/)) {
    if (piece === '') continue;
    const range = parseRange(piece);
    if (range) out.push(range);
  }
  return out;
}

/**
 * A formula that is only a range reference, with or without a sheet: `Lists!$A$1:$A$4`, `'Answer lists'!A:A`,
 * `$B$2:$B$9`. Null for anything else (a function call, a name, a constant, another workbook).
 * @param {string} formula
 * @returns {{ sheet: string | null, range: CellRange } | null}
 */
export function parseRangeFormula(formula) {
  let text = formula.trim();
  if (text.startsWith('=')) text = text.slice(1).trim();
  let sheet = null;
  if (text.startsWith("'")) {
    // 'It''s a sheet'!A1 — two quotes inside a quoted name are one.
    let i = 1;
    let name = '';
    for (;;) {
      const q = text.indexOf("'", i);
      if (q < 0) return null;
      name += text.slice(i, q);
      if (text[q + 1] === "'") {
        name += "'";
        i = q + 2;
        continue;
      }
      i = q + 1;
      break;
    }
    if (text[i] !== '!') return null;
    sheet = name;
    text = text.slice(i + 1);
  } else {
    const bang = text.lastIndexOf('!');
    if (bang >= 0) {
      sheet = text.slice(0, bang);
      text = text.slice(bang + 1);
      if (!/^[^[\]'*?/\\:]+$/.test(sheet)) return null;
    }
  }
  // "Lists!$A$1:Lists!$A$4" names the sheet twice.
  if (sheet !== null) text = text.replace(new RegExp(`:${escapeRegExp(sheet)}!`), ':').replace(new RegExp(`:'${escapeRegExp(sheet.replace(/'/g, "''"))}'!`), ':');
  const range = parseRange(text);
  return range ? { sheet, range } : null;
}

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
