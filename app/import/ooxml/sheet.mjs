// One worksheet part (xl/worksheets/sheetN.xml) read in a single pass: cell text (shared strings, inline strings, formula
// results, booleans, errors, numbers, dates), row outline levels, merged ranges and data validations (the plain
// <dataValidations> and the x14 form Excel and LibreOffice write inside <extLst> when a list lives on another sheet).
// Nothing here calculates a formula: a formula cell gives its saved (cached) result, or nothing.

import { cleanText, formatDate, formatNumber, serialToDate } from './cell-text.mjs';
import { columnLetters, parseRange } from './references.mjs';
import { Refusal } from './refusal.mjs';
import { scanXml } from './xml.mjs';

/**
 * @typedef {import('./references.mjs').CellRange} CellRange
 * @typedef {{ type: string, operator: string, sqref: string, formula1: string, formula2: string }} RawValidation
 * @typedef {object} SheetReadContext
 * @property {string} name  The sheet's name, for refusals.
 * @property {string[]} sharedStrings
 * @property {boolean[]} dateStyles  By cell style index (the `s` attribute): whether its number format shows a date.
 * @property {boolean} date1904
 * @property {{ maxRows: number, maxColumns: number, maxCells: number }} limits
 * @property {{ formulasWithoutValue: string[], errorCells: string[], widerThanLimit: boolean, cells: number }} stats
 * @typedef {object} RawSheet
 * @property {Map<number, Array<string | undefined>>} rows  Non-empty rows by 1-based number; index 0 = column A.
 * @property {Map<number, number>} outline  Row outline levels above 0.
 * @property {CellRange[]} merges
 * @property {RawValidation[]} validations
 */

/** More validation ranges than any questionnaire has; the rest are ignored so a crafted sheet cannot make this slow. */
const MAX_VALIDATIONS = 10_000;

/** "BC12" → 55 (the letters of a cell reference). @param {string} ref */
function columnOfRef(ref) {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) n = n * 26 + (code - 64);
    else if (code >= 97 && code <= 122) n = n * 26 + (code - 96);
    else if (code === 36 /* $ */) continue;
    else break;
  }
  return n;
}

/**
 * @param {string} xml
 * @param {SheetReadContext} context
 * @returns {RawSheet}
 */
export function readSheet(xml, context) {
  const { sharedStrings, dateStyles, date1904, limits, stats } = context;
  /** @type {Map<number, Array<string | undefined>>} */
  const rows = new Map();
  /** @type {Map<number, number>} */
  const outline = new Map();
  /** @type {CellRange[]} */
  const merges = [];
  /** @type {RawValidation[]} */
  const validations = [];

  let inSheetData = false;
  let dataRows = 0;

  let rowNumber = 0;
  /** @type {Array<string | undefined> | null} */
  let cells = null;
  let filled = 0;

  let inCell = false;
  let column = 0;
  let cellRef = '';
  let cellType = 'n';
  let cellStyle = 0;
  let hasFormula = false;
  let hasValue = false;
  let value = '';
  let inInline = false;
  let inPhonetic = false;
  let inline = '';

  /** @type {RawValidation | null} */
  let validation = null;
  /** @type {'v' | 't' | 'formula1' | 'formula2' | 'sqref' | null} */
  let capture = null;

  const handler = {
    wantText: false,
    /** @param {string} name @param {Record<string, string>} attrs */
    open(name, attrs) {
      switch (name) {
        case 'sheetData':
          inSheetData = true;
          break;
        case 'row': {
          if (!inSheetData) break;
          const r = attrs.r === undefined ? NaN : parseInt(attrs.r, 10);
          rowNumber = r >= 1 ? r : rowNumber + 1;
          cells = rows.get(rowNumber) ?? [];
          filled = 0;
          column = 0;
          const level = attrs.outlineLevel === undefined ? 0 : parseInt(attrs.outlineLevel, 10);
          if (level > 0) outline.set(rowNumber, Math.min(level, 7));
          break;
        }
        case 'c': {
          if (cells === null) break;
          inCell = true;
          const ref = attrs.r;
          const fromRef = ref === undefined ? 0 : columnOfRef(ref);
          column = fromRef > 0 ? fromRef : column + 1;
          cellRef = ref ?? `${columnLetters(column)}${rowNumber}`;
          cellType = attrs.t ?? 'n';
          cellStyle = attrs.s === undefined ? 0 : parseInt(attrs.s, 10) || 0;
          hasFormula = false;
          hasValue = false;
          value = '';
          inline = '';
          break;
        }
        case 'v':
          if (inCell) {
            hasValue = true;
            capture = 'v';
            handler.wantText = true;
          }
          break;
        case 'f':
          if (inCell) hasFormula = true;
          break;
        case 'is':
          if (inCell) inInline = true;
          break;
        case 'rPh':
          inPhonetic = true;
          break;
        case 't':
          if (inInline && !inPhonetic) {
            capture = 't';
            handler.wantText = true;
          }
          break;
        case 'mergeCell': {
          const range = attrs.ref === undefined ? null : parseRange(attrs.ref);
          if (range) merges.push(range);
          break;
        }
        case 'dataValidation':
          if (validations.length < MAX_VALIDATIONS) {
            validation = { type: attrs.type ?? 'none', operator: attrs.operator ?? 'between', sqref: attrs.sqref ?? '', formula1: '', formula2: '' };
          }
          break;
        case 'formula1':
        case 'formula2':
        case 'sqref':
          if (validation) {
            capture = name;
            handler.wantText = true;
          }
          break;
        default:
          break;
      }
    },
    /** @param {string} text */
    text(text) {
      switch (capture) {
        case 'v':
          value += text;
          break;
        case 't':
          inline += text;
          break;
        case 'formula1':
          if (validation) validation.formula1 += text;
          break;
        case 'formula2':
          if (validation) validation.formula2 += text;
          break;
        case 'sqref':
          if (validation) validation.sqref += (validation.sqref === '' ? '' : ' ') + text;
          break;
        default:
          break;
      }
    },
    /** @param {string} name */
    close(name) {
      switch (name) {
        case 'v':
        case 't':
        case 'formula1':
        case 'formula2':
        case 'sqref':
          if (capture === name) {
            capture = null;
            handler.wantText = false;
          }
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'is':
          inInline = false;
          break;
        case 'c':
          if (inCell) finishCell();
          inCell = false;
          break;
        case 'row':
          if (cells !== null) finishRow();
          cells = null;
          break;
        case 'sheetData':
          inSheetData = false;
          break;
        case 'dataValidation':
          if (validation) validations.push(validation);
          validation = null;
          break;
        default:
          break;
      }
    },
  };

  function finishCell() {
    let text = '';
    switch (cellType) {
      case 's':
        if (hasValue) text = sharedStrings[parseInt(value, 10)] ?? '';
        break;
      case 'inlineStr':
        text = cleanText(inline);
        break;
      case 'str':
        if (hasValue) text = cleanText(value);
        else if (hasFormula) stats.formulasWithoutValue.push(cellRef);
        break;
      case 'b':
        if (hasValue) text = value.trim() === '1' || value.trim() === 'true' ? 'TRUE' : 'FALSE';
        else if (hasFormula) stats.formulasWithoutValue.push(cellRef);
        break;
      case 'e':
        stats.errorCells.push(cellRef);
        break;
      case 'd': {
        const iso = value.trim();
        if (iso !== '') text = formatDate(new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`));
        else if (hasFormula) stats.formulasWithoutValue.push(cellRef);
        break;
      }
      default: {
        const number = value.trim() === '' ? NaN : Number(value);
        if (Number.isNaN(number)) {
          if (hasFormula) stats.formulasWithoutValue.push(cellRef);
        } else {
          text = dateStyles[cellStyle] ? formatDate(serialToDate(number, date1904)) : formatNumber(number);
        }
        break;
      }
    }
    if (text === '') return;
    if (column > limits.maxColumns) {
      stats.widerThanLimit = true;
      return;
    }
    const row = /** @type {Array<string | undefined>} */ (cells);
    if (row[column - 1] === undefined) filled++;
    row[column - 1] = text;
  }

  function finishRow() {
    if (filled === 0) return;
    const row = /** @type {Array<string | undefined>} */ (cells);
    if (!rows.has(rowNumber)) {
      dataRows++;
      if (dataRows > limits.maxRows) throw new Refusal('too_many_rows', '', { sheet: context.name, limit: limits.maxRows });
      rows.set(rowNumber, row);
    }
    stats.cells += filled;
    if (stats.cells > limits.maxCells) throw new Refusal('too_many_cells', '', { limit: limits.maxCells });
  }

  scanXml(xml, handler);
  return { rows, outline, merges, validations };
}
