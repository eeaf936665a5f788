// Parses an uploaded questionnaire (xlsx or CSV) into a grid of text, every sheet complete, inside a worker thread with
// memory and time limits set by app/import/parse-in-worker.server.ts. Plain JavaScript on purpose: bundlers do not
// follow `new Worker(path)`, so this file must run as it is under tsx, vitest and the bundled Remix server alike. It
// imports only node: modules and the OOXML reader beside it (app/import/ooxml/, plain JavaScript too).
//
// Input (workerData): { kind: 'xlsx'|'csv', bytes: Uint8Array, entries?: ZipEntry[], sheetName: string,
//   limits: { maxUncompressedBytes, maxRows, maxColumns, maxCells } } (older callers' fullSheet/headRows are ignored:
//   every sheet comes back whole, so one parse serves the proposal and every preview)
// Output (one message): { ok: true, grid: WorkbookGrid } | { ok: false, code: string, detail: string, sheet?: string, limit?: number }
// The grid shapes are described in import-types.server.ts. Nothing here evaluates a formula: a formula cell gives its
// saved (cached) result, or nothing.

import { TextDecoder } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { cleanText } from './ooxml/cell-text.mjs';
import { Refusal } from './ooxml/refusal.mjs';
import { readWorkbookGrid } from './ooxml/workbook.mjs';

/** Excel's own limit for one cell; longer CSV cells are cut to one character more, so "too long" is still visible. */
const MAX_CELL_CHARS = 32_767;

function main() {
  const input = workerData;
  const grid = input.kind === 'xlsx' ? readWorkbookGrid(input.bytes, input.entries ?? [], input.limits) : readCsv(input.bytes, input);
  parentPort.postMessage({ ok: true, grid });
}

try {
  main();
} catch (error) {
  if (error instanceof Refusal) {
    parentPort.postMessage({ ok: false, code: error.code, detail: error.detail, ...error.extra });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    parentPort.postMessage({ ok: false, code: 'unreadable', detail: message.slice(0, 200) });
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// CSV

function readCsv(bytes, input) {
  const { limits } = input;
  let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let delimiter;
  // Excel's "sep=;" first line names the delimiter.
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep) {
    delimiter = sep[1];
    text = text.slice(sep[0].length);
  } else {
    delimiter = sniffDelimiter(text);
  }
  const warnings = [];
  const stats = { cut: false, widerThanLimit: false, cells: 0 };
  const records = parseCsv(text, delimiter, limits, stats);
  const rows = [];
  let columnCount = 0;
  let rowCount = 0;
  let dataRows = 0;
  for (let i = 0; i < records.length; i++) {
    const cells = records[i];
    while (cells.length > 0 && cells[cells.length - 1].trim() === '') cells.pop();
    if (cells.length === 0) continue;
    if (++dataRows > limits.maxRows) throw new Refusal('too_many_rows', '', { sheet: input.sheetName, limit: limits.maxRows });
    rowCount = i + 1;
    columnCount = Math.max(columnCount, cells.length);
    rows.push({ row: i + 1, cells: cells.map(cleanText) });
  }
  if (stats.cut) warnings.push(`Some cells were longer than ${MAX_CELL_CHARS.toLocaleString('en-US')} characters (more than Excel allows) and were cut.`);
  if (stats.widerThanLimit) warnings.push(`Only the first ${limits.maxColumns} columns are read.`);
  return {
    kind: 'csv',
    sheets: [{ name: input.sheetName, rowCount, columnCount, hidden: false, rows, complete: true, validations: [] }],
    warnings,
  };
}

/** Picks the delimiter that splits the first lines most consistently: comma, semicolon (European Excel) or tab. */
function sniffDelimiter(text) {
  const head = text.slice(0, 64 * 1024);
  let best = ',';
  let bestScore = 0;
  for (const candidate of [',', ';', '\t']) {
    const counts = [];
    let count = 0;
    let quoted = false;
    for (let i = 0; i < head.length && counts.length < 20; i++) {
      const ch = head[i];
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === candidate) count++;
      else if (!quoted && ch === '\n') {
        counts.push(count);
        count = 0;
      }
    }
    if (count > 0) counts.push(count);
    const nonZero = counts.filter((c) => c > 0);
    if (nonZero.length === 0) continue;
    const tally = new Map();
    for (const c of nonZero) tally.set(c, (tally.get(c) ?? 0) + 1);
    const modal = Math.max(...tally.values());
    const score = modal * 1000 + nonZero.length;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** RFC 4180, leniently: quoted fields may hold delimiters, quotes ("") and line breaks; stray quotes are kept as text. */
function parseCsv(text, delimiter, limits, stats) {
  const records = [];
  let record = [];
  let field = '';
  let i = 0;
  const n = text.length;
  const pushField = () => {
    if (field.length > MAX_CELL_CHARS) {
      field = field.slice(0, MAX_CELL_CHARS + 1);
      stats.cut = true;
    }
    if (record.length < limits.maxColumns) record.push(field);
    else stats.widerThanLimit = true;
    if (field !== '' && ++stats.cells > limits.maxCells) throw new Refusal('too_many_cells', '', { limit: limits.maxCells });
    field = '';
  };
  const pushRecord = () => {
    pushField();
    records.push(record);
    record = [];
    if (records.length > limits.maxRows * 4) throw new Refusal('too_many_rows', '', { limit: limits.maxRows });
  };
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      // Quoted field.
      i++;
      let start = i;
      let value = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          value += text.slice(start);
          i = n;
          break;
        }
        if (text[q + 1] === '"') {
          value += text.slice(start, q + 1);
          i = q + 2;
          start = i;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      field = value;
      // Anything between the closing quote and the next delimiter is kept, as spreadsheets do.
      while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      continue;
    }
    if (ch === delimiter) {
      pushField();
      i++;
    } else if (ch === '\n' || ch === '\r') {
      pushRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      const next = nextSpecial(text, i, delimiter);
      field += text.slice(i, next);
      i = next;
    }
  }
  if (field !== '' || record.length > 0) pushRecord();
  return records;
}

function nextSpecial(text, from, delimiter) {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === delimiter || ch === '\n' || ch === '\r') return i;
  }
  return text.length;
}
