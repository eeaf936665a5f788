// Data validations as the import uses them: which cells they cover, clipped to the sheet's used rows (a whole-column
// `A:A` or `C2:C1048576` never becomes a million cells), and for a list its values, resolved — an inline "Yes,No,N/A",
// a range on this or another sheet (hidden ones included), or a defined name that holds either.

import { columnLetters, parseRangeFormula, parseSqref } from './references.mjs';

/**
 * @typedef {import('./references.mjs').CellRange} CellRange
 * @typedef {import('./sheet.mjs').RawValidation} RawValidation
 * @typedef {{ ranges: CellRange[], kind: 'list' | 'whole' | 'decimal', options: string[], min?: number | null, max?: number | null, note?: string }} GridValidation
 * @typedef {{ name: string, rowCount: number, columnCount: number, cells: Map<number, string[]> }} ResolvedSheet
 * @typedef {{ name: string, localSheet: number | null, formula: string }} DefinedName
 * @typedef {object} ValidationContext
 * @property {ResolvedSheet[]} sheets  In workbook order.
 * @property {DefinedName[]} definedNames
 * @property {number} maxColumns
 */

/** A dropdown longer than this is not an answer scale; the first values are kept and the note says so. */
const MAX_OPTIONS = 500;

/**
 * The validations of one sheet in the grid's shape; kinds other than list/whole/decimal and validations that cover no
 * used row are left out.
 * @param {RawValidation[]} raw
 * @param {number} sheetIndex
 * @param {ValidationContext} context
 * @returns {GridValidation[]}
 */
export function resolveValidations(raw, sheetIndex, context) {
  const sheet = context.sheets[sheetIndex];
  if (!sheet || sheet.rowCount === 0) return [];
  /** @type {GridValidation[]} */
  const out = [];
  /** @type {Map<string, { options: string[], note?: string }>} */
  const listCache = new Map();
  for (const validation of raw) {
    const kind = validation.type;
    if (kind !== 'list' && kind !== 'whole' && kind !== 'decimal') continue;
    const ranges = clipRanges(parseSqref(validation.sqref), sheet, context.maxColumns);
    if (ranges.length === 0) continue;
    if (kind === 'list') {
      const key = validation.formula1;
      let list = listCache.get(key);
      if (!list) {
        list = listOptions(validation.formula1, sheetIndex, context, 0);
        listCache.set(key, list);
      }
      out.push({ ranges, kind, options: list.options, ...(list.note ? { note: list.note } : {}) });
    } else {
      out.push({ ranges, kind, options: [], ...bounds(validation, kind) });
    }
  }
  return out;
}

/**
 * Ranges cut to the rows that hold something (rows below the last used one are dropped) and, for whole-row ranges, to the
 * used columns; an answer column right of every filled cell is kept (that is where answers go).
 * @param {CellRange[]} ranges @param {{ rowCount: number, columnCount: number }} sheet @param {number} maxColumns
 * @returns {CellRange[]}
 */
export function clipRanges(ranges, sheet, maxColumns) {
  /** @type {CellRange[]} */
  const out = [];
  for (const range of ranges) {
    if (range.top > sheet.rowCount || range.left > maxColumns) continue;
    out.push({
      top: range.top,
      left: range.left,
      bottom: Math.min(range.bottom, sheet.rowCount),
      right: Math.min(range.right, Math.max(range.left, sheet.columnCount), maxColumns),
    });
  }
  return out;
}

/**
 * @param {RawValidation} validation @param {'whole' | 'decimal'} kind
 * @returns {{ min: number | null, max: number | null }}
 */
function bounds(validation, kind) {
  const a = constant(validation.formula1);
  const b = constant(validation.formula2);
  const step = kind === 'whole' ? 1 : 0;
  switch (validation.operator) {
    case 'between':
      return { min: a === null || b === null ? a : Math.min(a, b), max: a === null || b === null ? b : Math.max(a, b) };
    case 'equal':
      return { min: a, max: a };
    case 'greaterThan':
      return { min: a === null ? null : a + step, max: null };
    case 'greaterThanOrEqual':
      return { min: a, max: null };
    case 'lessThan':
      return { min: null, max: a === null ? null : a - step };
    case 'lessThanOrEqual':
      return { min: null, max: a };
    default:
      return { min: null, max: null };
  }
}

/** A formula that is a plain number, or null. @param {string} formula */
function constant(formula) {
  const text = formula.trim().replace(/^=/, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

/**
 * @param {string} formula @param {number} sheetIndex @param {ValidationContext} context @param {number} depth
 * @returns {{ options: string[], note?: string }}
 */
function listOptions(formula, sheetIndex, context, depth) {
  const text = formula.trim().replace(/^=/, '').trim();
  if (text === '') return { options: [], note: 'The list has no values.' };
  if (text.startsWith('"')) return { options: distinct(splitInlineList(text)) };
  if (text.startsWith('{')) return { options: distinct(splitArrayConstant(text)) };
  const reference = parseRangeFormula(text);
  if (reference) {
    const target = reference.sheet === null ? context.sheets[sheetIndex] : context.sheets.find((s) => s.name.toLowerCase() === reference.sheet?.toLowerCase());
    if (!target) return { options: [], note: `The list points to a sheet “${reference.sheet}” that is not in the workbook.` };
    const values = rangeValues(target, reference.range);
    if (values.length === 0) return { options: [], note: `The list’s cells (${target.name}!${describe(reference.range)}) are empty.` };
    if (values.length > MAX_OPTIONS) return { options: values.slice(0, MAX_OPTIONS), note: `The list has ${values.length} values; only the first ${MAX_OPTIONS} are kept.` };
    return { options: values };
  }
  if (/^[A-Za-z_\\][\w.\\]*$/.test(text) && depth < 3) {
    const name = definedName(text, sheetIndex, context.definedNames);
    if (!name) return { options: [], note: `The list refers to a name “${text}” that the workbook does not define.` };
    const resolved = listOptions(name.formula, name.localSheet ?? sheetIndex, context, depth + 1);
    return resolved;
  }
  return { options: [], note: `The list comes from a formula (${text.slice(0, 80)}), which is not calculated here.` };
}

/** "Yes,No,""Maybe""" → Yes, No, "Maybe". @param {string} text */
function splitInlineList(text) {
  const end = text.lastIndexOf('"');
  const body = end > 0 ? text.slice(1, end) : text.slice(1);
  return body.replace(/""/g, '"').split(',');
}

/** {"Yes","No";"N/A"} → Yes, No, N/A. @param {string} text */
function splitArrayConstant(text) {
  const body = text.replace(/^\{/, '').replace(/\}$/, '');
  /** @type {string[]} */
  const out = [];
  for (const match of body.matchAll(/"((?:[^"]|"")*)"|([^,;]+)/g)) out.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] ?? ''));
  return out;
}

/** Trimmed, non-empty, each once, in order. @param {string[]} values */
function distinct(values) {
  /** @type {string[]} */
  const out = [];
  const seen = new Set();
  for (const value of values) {
    const v = value.trim();
    if (v === '' || seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

/** The filled cells of a range, row by row, each value once. @param {ResolvedSheet} sheet @param {CellRange} range */
function rangeValues(sheet, range) {
  /** @type {string[]} */
  const values = [];
  const bottom = Math.min(range.bottom, sheet.rowCount);
  const height = bottom - range.top + 1;
  const rowNumbers =
    height <= sheet.cells.size ? Array.from({ length: Math.max(0, height) }, (_, i) => range.top + i) : [...sheet.cells.keys()].filter((r) => r >= range.top && r <= bottom).sort((a, b) => a - b);
  for (const r of rowNumbers) {
    const cells = sheet.cells.get(r);
    if (!cells) continue;
    const right = Math.min(range.right, cells.length);
    for (let c = range.left; c <= right; c++) values.push(cells[c - 1] ?? '');
    if (values.length > MAX_OPTIONS * 4) break;
  }
  return distinct(values);
}

/** @param {CellRange} range */
function describe(range) {
  return range.top === range.bottom && range.left === range.right ? cellName(range.top, range.left) : `${cellName(range.top, range.left)}:${cellName(range.bottom, range.right)}`;
}

/** @param {number} row @param {number} column */
function cellName(row, column) {
  return `${columnLetters(column)}${row}`;
}

/**
 * A name as the sheet sees it: one scoped to this sheet first, then the workbook-wide one (names compare case-insensitively).
 * @param {string} name @param {number} sheetIndex @param {DefinedName[]} names
 */
function definedName(name, sheetIndex, names) {
  const lower = name.toLowerCase();
  return names.find((n) => n.name.toLowerCase() === lower && n.localSheet === sheetIndex) ?? names.find((n) => n.name.toLowerCase() === lower && n.localSheet === null);
}
