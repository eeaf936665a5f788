// Reads a vendor's filled response workbook inside a worker thread with memory and time limits, set by
// app/xlsx/parse-vendor-workbook-in-worker.server.ts. Plain JavaScript for the same reason as app/import's
// questionnaire-worker.mjs (bundlers do not follow `new Worker(path)`): it must run as it is under tsx, vitest and the
// bundled server, and imports only node: modules, exceljs and the package helpers of app/import/ooxml/ (plain
// JavaScript too). The layout's names (header texts, sheet names, labels)
// come in workerData from app/xlsx/vendor-workbook-layout.ts, so they are written down in one place only.
//
// Input (workerData): { bytes: Uint8Array, entries: ZipEntry[], limits: { maxUncompressedBytes, maxRows, maxCells },
//   layout: { keyHeaders: string[], answerHeaders: string[], questionHeaders: string[], answerTypeHeaders: string[],
//   metaSheet, listsSheet, issuedSheet, instructionsSheet, vendorNameLabel, headerScanRows } }
// Output (one message): { ok: true, result: RawVendorWorkbook } | { ok: false, code, detail, sheet?, limit? }
// RawVendorWorkbook is described in parse-vendor-workbook-in-worker.server.ts. Nothing here evaluates a formula: a
// formula cell gives its saved (cached) result, or nothing.

import { Buffer } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { readPackage, normaliseForExceljs } from '../import/ooxml/package.mjs';
import { Refusal } from '../import/ooxml/refusal.mjs';

main().catch((error) => {
  if (error instanceof Refusal) {
    parentPort.postMessage({ ok: false, code: error.code, detail: error.detail, ...error.extra });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    if (/^Max row count/.test(message)) parentPort.postMessage({ ok: false, code: 'too_many_rows', detail: '', limit: workerData.limits.maxRows });
    else parentPort.postMessage({ ok: false, code: 'unreadable', detail: message.slice(0, 200) });
  }
});

async function main() {
  const { bytes: uploaded, entries, limits, layout } = workerData;
  // Every part inflated to exactly the size the (already guarded) directory declared, the relationship parts kept so
  // the package can be normalised for exceljs: openpyxl's absolute targets and comment parts otherwise crash it.
  const pkg = readPackage(uploaded, entries ?? [], limits, (name) => name.endsWith('.rels'));
  const bytes = normaliseForExceljs(uploaded, pkg);
  const exceljs = await import('exceljs');
  const ExcelJS = exceljs.default ?? exceljs;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      maxRows: limits.maxRows * 2,
      maxCols: 16_384,
      // Parts we never read (as in the questionnaire import); the text of a hyperlink is still in its cell.
      ignoreNodes: ['dataValidations', 'conditionalFormatting', 'hyperlinks', 'drawing', 'picture', 'extLst', 'headerFooter', 'rowBreaks', 'tableParts', 'autoFilter'],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^Max \w+ count/.test(message)) throw error;
    throw new Refusal('unreadable', message.slice(0, 200));
  }

  const stats = { cells: 0, formulasWithoutValue: [], errorCells: [] };
  const same = (a, b) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const rows = [];
  const sheetsWithoutKey = [];
  let keyColumnFound = false;
  for (const worksheet of workbook.worksheets) {
    if (same(worksheet.name, layout.metaSheet) || same(worksheet.name, layout.listsSheet) || same(worksheet.name, layout.issuedSheet)) continue;
    const header = findHeader(worksheet, layout);
    if (!header) continue;
    if (header.key === null) {
      sheetsWithoutKey.push(worksheet.name);
      continue;
    }
    keyColumnFound = true;
    let count = 0;
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rowNumber <= header.row) return;
      const keyValue = cellValue(row.getCell(header.key), stats);
      const key = keyValue === null ? '' : String(keyValue).trim();
      const raw = cellValue(row.getCell(header.answer), stats);
      if (key === '' && raw === null) return;
      if (++count > limits.maxRows) throw new Refusal('too_many_rows', '', { sheet: worksheet.name, limit: limits.maxRows });
      if (++stats.cells > limits.maxCells) throw new Refusal('too_many_cells', '', { limit: limits.maxCells });
      // The locked Question and Answer type cells as they came back (null when the column is gone or the cell empty),
      // so the server can tell a question the vendor rewrote.
      const question = header.question === null ? null : textOf(row.getCell(header.question), stats);
      const answerType = header.answerType === null ? null : textOf(row.getCell(header.answerType), stats);
      rows.push({ sheet: worksheet.name, row: rowNumber, key, raw, question, answerType });
    });
  }

  const warnings = [];
  if (stats.formulasWithoutValue.length > 0) {
    warnings.push(
      `${stats.formulasWithoutValue.length} answer cell(s) hold a formula without a saved value and are read as empty (${sample(stats.formulasWithoutValue)}). Formulas are never calculated here: open the file in Excel, save it, and import it again.`,
    );
  }
  if (stats.errorCells.length > 0) warnings.push(`${stats.errorCells.length} answer cell(s) hold an Excel error such as #REF! and are read as empty (${sample(stats.errorCells)}).`);
  if (sheetsWithoutKey.length > 0) {
    warnings.push(`${sheetsWithoutKey.map((s) => `“${s}”`).join(', ')} ${sheetsWithoutKey.length === 1 ? 'has' : 'have'} an Answer column but no Key column, so ${sheetsWithoutKey.length === 1 ? 'it was' : 'they were'} not read.`);
  }

  parentPort.postMessage({
    ok: true,
    result: {
      properties: {
        subject: textOrNull(workbook.subject),
        keywords: textOrNull(workbook.keywords),
        title: textOrNull(workbook.title),
        category: textOrNull(workbook.category),
      },
      meta: readMeta(workbook, layout, stats),
      issued: readIssued(workbook, layout, stats, limits),
      vendorName: readVendorName(workbook, layout, stats),
      rows,
      keyColumnFound,
      warnings,
    },
  });
}

/** Header texts compare trimmed, case-insensitive, ignoring a trailing "*" or ":" and inner runs of spaces. */
function headerKey(value) {
  return typeof value === 'string' ? value.trim().replace(/[*:]+$/, '').trim().replace(/\s+/g, ' ').toLowerCase() : '';
}

/**
 * The first row (within the first few) that has an Answer header, with the numbers of the Key, Question and Answer type
 * columns where it has them.
 */
function findHeader(worksheet, layout) {
  const keyHeaders = new Set(layout.keyHeaders.map(headerKey));
  const answerHeaders = new Set(layout.answerHeaders.map(headerKey));
  const questionHeaders = new Set(layout.questionHeaders.map(headerKey));
  const answerTypeHeaders = new Set(layout.answerTypeHeaders.map(headerKey));
  const last = Math.min(worksheet.rowCount, layout.headerScanRows);
  for (let r = 1; r <= last; r++) {
    let key = null;
    let answer = null;
    let question = null;
    let answerType = null;
    worksheet.getRow(r).eachCell({ includeEmpty: false }, (cell, column) => {
      const text = headerKey(flatten(cell.value));
      if (key === null && keyHeaders.has(text)) key = column;
      else if (answer === null && answerHeaders.has(text)) answer = column;
      else if (question === null && questionHeaders.has(text)) question = column;
      else if (answerType === null && answerTypeHeaders.has(text)) answerType = column;
    });
    if (answer !== null) return { row: r, key, answer, question, answerType };
  }
  return null;
}

/** A cell as text, exactly as stored (no trimming), or null when empty. */
function textOf(cell, stats) {
  const value = cellValue(cell, stats);
  if (value === null) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * The hidden _issued sheet: the questionnaire as issued, rows of Key, Question, Answer type, Options (JSON), from row 2.
 * Null when the workbook has none (unsigned, or the sheet was deleted). Values are returned as text, unchecked: the
 * server verifies them against the signature.
 */
function readIssued(workbook, layout, stats, limits) {
  const sheet = workbook.worksheets.find((ws) => ws.name.toLowerCase() === layout.issuedSheet.toLowerCase());
  if (!sheet) return null;
  const rows = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    if (rows.length >= limits.maxRows) throw new Refusal('too_many_rows', '', { sheet: sheet.name, limit: limits.maxRows });
    stats.cells += 4;
    if (stats.cells > limits.maxCells) throw new Refusal('too_many_cells', '', { limit: limits.maxCells });
    rows.push({
      key: textOf(row.getCell(1), stats) ?? '',
      text: textOf(row.getCell(2), stats) ?? '',
      answerType: textOf(row.getCell(3), stats) ?? '',
      options: textOf(row.getCell(4), stats) ?? '',
    });
  });
  return rows;
}

/** exceljs's value shapes as a string (text kept as typed), number, boolean or null; dates as ISO date strings. */
function cellValue(cell, stats) {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return emptyToNull(cleanText(value));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return formatDate(value);
  if (typeof value !== 'object') return null;
  if (Array.isArray(value.richText)) return emptyToNull(cleanText(flatten(value)));
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    if (result === undefined || result === null) {
      stats.formulasWithoutValue.push(`${cell.worksheet.name}!${cell.address}`);
      return null;
    }
    if (typeof result === 'object' && !(result instanceof Date) && 'error' in result) {
      stats.errorCells.push(`${cell.worksheet.name}!${cell.address}`);
      return null;
    }
    return cellValue({ value: result, worksheet: cell.worksheet, address: cell.address }, stats);
  }
  if ('error' in value) {
    stats.errorCells.push(`${cell.worksheet.name}!${cell.address}`);
    return null;
  }
  if ('text' in value) return cellValue({ value: value.text, worksheet: cell.worksheet, address: cell.address }, stats);
  return null;
}

function flatten(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && Array.isArray(value.richText)) return value.richText.map((run) => (typeof run?.text === 'string' ? run.text : '')).join('');
  if (value && typeof value === 'object' && typeof value.text === 'string') return value.text;
  return '';
}

function readMeta(workbook, layout, stats) {
  const sheet = workbook.worksheets.find((ws) => ws.name.toLowerCase() === layout.metaSheet.toLowerCase());
  if (!sheet) return null;
  const meta = {};
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber > 50) return;
    const label = cellValue(row.getCell(1), stats);
    const value = cellValue(row.getCell(2), stats);
    if (typeof label === 'string' && value !== null) meta[label.trim()] = typeof value === 'boolean' ? String(value) : value;
  });
  return meta;
}

/** The cell right of the "Vendor name" label on the instructions sheet (or the first sheet, if it was renamed). */
function readVendorName(workbook, layout, stats) {
  const sheet = workbook.worksheets.find((ws) => ws.name.toLowerCase() === layout.instructionsSheet.toLowerCase()) ?? workbook.worksheets[0];
  if (!sheet) return null;
  const label = headerKey(layout.vendorNameLabel);
  let found = null;
  const last = Math.min(sheet.rowCount, 100);
  for (let r = 1; r <= last && found === null; r++) {
    const row = sheet.getRow(r);
    for (let c = 1; c <= Math.min(row.cellCount, 20) && found === null; c++) {
      if (headerKey(flatten(row.getCell(c).value)) !== label) continue;
      for (let v = c + 1; v <= c + 5; v++) {
        const value = cellValue(row.getCell(v), stats);
        if (value !== null) {
          found = String(value).trim() || null;
          break;
        }
      }
      if (found === null) return null;
    }
  }
  return found;
}

/** Excel escapes some characters as _xHHHH_ (a carriage return as _x000D_); line endings become \n. */
function cleanText(text) {
  const decoded = text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))) : text;
  // eslint-disable-next-line no-control-regex
  return decoded.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

function emptyToNull(text) {
  return text.trim() === '' ? null : text;
}

function textOrNull(value) {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** A date cell as an ISO date (or date and time when it has one), as the cell's UTC-based serial describes it. */
function formatDate(d) {
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return iso.slice(0, 10);
  return `${iso.slice(0, 10)}T${iso.slice(11, 19)}`;
}

function sample(list) {
  return list.slice(0, 5).join(', ') + (list.length > 5 ? ', …' : '');
}
