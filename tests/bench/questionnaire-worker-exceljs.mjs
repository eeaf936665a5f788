// BENCH BASELINE ONLY: the questionnaire worker as it was before the direct OOXML reader (app/import/ooxml/), kept so
// tests/bench/questionnaire-import.ts can measure the old exceljs read against the new one in the same run. Nothing in
// the application uses it.
//
// Parses an uploaded questionnaire (xlsx or CSV) into a grid of text, inside a worker thread with memory and time limits
// set by app/import/parse-in-worker.server.ts. Plain JavaScript on purpose: bundlers do not follow `new Worker(path)`,
// so this file must run as it is under tsx, vitest and the bundled Remix server alike. It imports only node: modules and
// exceljs.
//
// Input (workerData): { kind: 'xlsx'|'csv', bytes: Uint8Array, entries?: ZipEntry[], sheetName: string,
//   fullSheet: string|null, headRows: number, limits: { maxUncompressedBytes, maxRows, maxColumns, maxCells } }
// Output (one message): { ok: true, grid: WorkbookGrid } | { ok: false, code: string, detail: string, sheet?: string, limit?: number }
// The grid shapes are described in import-types.server.ts. Nothing here evaluates a formula: a formula cell gives its
// saved (cached) result, or nothing.

import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';

/** Excel's own limit for one cell; longer CSV cells are cut to one character more, so "too long" is still visible. */
const MAX_CELL_CHARS = 32_767;

class Refusal extends Error {
  /** @param {string} code @param {string} detail @param {{ sheet?: string, limit?: number }} [extra] */
  constructor(code, detail, extra = {}) {
    super(detail);
    this.code = code;
    this.detail = detail;
    this.extra = extra;
  }
}

async function main() {
  const input = workerData;
  const bytes = input.bytes;
  const grid = input.kind === 'xlsx' ? await readXlsx(bytes, input) : readCsv(bytes, input);
  parentPort.postMessage({ ok: true, grid });
}

main().catch((error) => {
  if (error instanceof Refusal) {
    parentPort.postMessage({ ok: false, code: error.code, detail: error.detail, ...error.extra });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    const maxMatch = /^Max (\w+) count \((\d+)\) exceeded/.exec(message);
    if (maxMatch) {
      // exceljs stopped at its own row/cell cap (set from our limits in readXlsx).
      const tooManyRows = maxMatch[1] === 'row';
      parentPort.postMessage({ ok: false, code: tooManyRows ? 'too_many_rows' : 'too_many_columns', detail: '', limit: workerData.limits.maxRows });
    } else {
      parentPort.postMessage({ ok: false, code: 'unreadable', detail: message.slice(0, 200) });
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------------
// xlsx

/**
 * Inflates every part with its output capped at the size the ZIP directory declared (the guard has already checked those
 * sizes against the bomb limits), so a directory that lies is caught before exceljs inflates anything.
 */
function verifyZipSizes(bytes, entries, limits) {
  let total = 0;
  for (const entry of entries) {
    const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    let length;
    if (entry.method === 0) {
      length = raw.length;
    } else {
      try {
        length = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) }).length;
      } catch (error) {
        if (error && error.code === 'ERR_BUFFER_TOO_LARGE') throw new Refusal('zip_size_mismatch', entry.name);
        throw new Refusal('corrupt', `the part ${entry.name} cannot be decompressed`);
      }
    }
    if (length !== entry.uncompressedSize) throw new Refusal('zip_size_mismatch', entry.name);
    total += length;
    if (total > limits.maxUncompressedBytes) throw new Refusal('zip_bomb', '');
  }
}

async function readXlsx(bytes, input) {
  const { limits } = input;
  verifyZipSizes(bytes, input.entries ?? [], limits);
  const exceljs = await import('exceljs');
  const ExcelJS = exceljs.default ?? exceljs;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      // Row elements beyond this (even empty styled ones) mean the sheet is not a questionnaire we can preview.
      maxRows: limits.maxRows * 2,
      maxCols: 16_384,
      // Parts we never read: skipping them saves memory and avoids exceljs crashes on odd files (e.g. hyperlinks whose
      // relationship is missing). The cell text of a hyperlink is still in the cell.
      ignoreNodes: ['dataValidations', 'conditionalFormatting', 'hyperlinks', 'drawing', 'picture', 'extLst', 'headerFooter', 'rowBreaks', 'tableParts', 'autoFilter'],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^Max \w+ count/.test(message)) throw error;
    throw new Refusal('unreadable', message.slice(0, 200));
  }

  const stats = { formulasWithoutValue: [], errorCells: [], widerThanLimit: false, cells: 0 };
  const sheets = [];
  for (const worksheet of workbook.worksheets) {
    const full = input.fullSheet === null ? false : worksheet.name === input.fullSheet;
    sheets.push(sheetGrid(worksheet, full, input, stats));
  }
  const warnings = [];
  if (stats.formulasWithoutValue.length > 0) {
    warnings.push(
      `${stats.formulasWithoutValue.length} formula cell(s) have no saved value and are read as empty (${sample(stats.formulasWithoutValue)}). Formulas are never calculated here: open the file in Excel, save it, and upload it again to keep their values.`,
    );
  }
  if (stats.errorCells.length > 0) {
    warnings.push(`${stats.errorCells.length} cell(s) hold an Excel error such as #REF! or #N/A and are read as empty (${sample(stats.errorCells)}).`);
  }
  if (stats.widerThanLimit) {
    warnings.push(`Only the first ${limits.maxColumns} columns of each sheet are read.`);
  }
  return { kind: 'xlsx', sheets, warnings };
}

function sample(list) {
  return list.slice(0, 5).join(', ') + (list.length > 5 ? ', …' : '');
}

function sheetGrid(worksheet, full, input, stats) {
  const { limits, headRows } = input;
  // Vertical merges (one column tall) repeat their text down, so a section or key merged over a block of questions still
  // belongs to each of them; every other merged cell is blank, so a heading merged across a row is one cell, not eight.
  const fills = [];
  const spansByRow = new Map();
  for (const range of Object.values(worksheet._merges ?? {})) {
    const { top, left, bottom, right } = range;
    if (right > left) {
      const spans = spansByRow.get(top) ?? [];
      spans.push([left, right]);
      spansByRow.set(top, spans);
    } else if (bottom > top) {
      fills.push({ column: left, top, bottom });
    }
  }

  const rows = new Map();
  let rowCount = 0;
  let columnCount = 0;
  let dataRows = 0;
  const keep = (rowNumber) => full || rowNumber <= headRows;
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column > limits.maxColumns) {
        stats.widerThanLimit = true;
        return;
      }
      if (cell.type === 1 /* ValueType.Merge */) return;
      const text = cellText(cell.value, cell.address, stats);
      if (text !== '') cells[column - 1] = text;
    });
    if (cells.length === 0) return;
    dataRows++;
    stats.cells += cells.length;
    if (dataRows > limits.maxRows) throw new Refusal('too_many_rows', '', { sheet: worksheet.name, limit: limits.maxRows });
    if (stats.cells > limits.maxCells) throw new Refusal('too_many_cells', '', { limit: limits.maxCells });
    rowCount = rowNumber;
    columnCount = Math.max(columnCount, cells.length);
    if (keep(rowNumber)) rows.set(rowNumber, cells);
  });

  for (const fill of fills) {
    const master = rows.get(fill.top)?.[fill.column - 1];
    if (!master) continue;
    for (let r = fill.top + 1; r <= fill.bottom; r++) {
      if (!keep(r)) break;
      const cells = rows.get(r) ?? [];
      cells[fill.column - 1] = master;
      rows.set(r, cells);
      rowCount = Math.max(rowCount, r);
      columnCount = Math.max(columnCount, cells.length);
    }
  }

  const ordered = [...rows.keys()].sort((a, b) => a - b).map((rowNumber) => {
    const cells = Array.from(rows.get(rowNumber), (c) => c ?? '');
    const out = { row: rowNumber, cells };
    const spans = spansByRow.get(rowNumber);
    if (spans) out.spans = spans.sort((a, b) => a[0] - b[0]);
    return out;
  });
  return {
    name: worksheet.name,
    rowCount,
    columnCount,
    hidden: worksheet.state === 'hidden' || worksheet.state === 'veryHidden',
    rows: ordered,
    complete: full,
  };
}

/** The text a person sees in a cell, from exceljs's value shapes. */
function cellText(value, address, stats) {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      break;
  }
  if (value instanceof Date) return formatDate(value);
  if (typeof value !== 'object') return '';
  if (Array.isArray(value.richText)) return cleanText(value.richText.map((run) => (typeof run?.text === 'string' ? run.text : '')).join(''));
  if ('formula' in value || 'sharedFormula' in value) {
    if (value.result === undefined || value.result === null) {
      stats.formulasWithoutValue.push(address);
      return '';
    }
    return cellText(value.result, address, stats);
  }
  if ('error' in value) {
    stats.errorCells.push(address);
    return '';
  }
  if ('text' in value) {
    const text = cellText(value.text, address, stats);
    if (text !== '') return text;
    return typeof value.hyperlink === 'string' ? cleanText(value.hyperlink) : '';
  }
  return '';
}

/** Excel escapes some characters as _xHHHH_ (a carriage return as _x000D_); line endings become \n. */
function cleanText(text) {
  const decoded = text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))) : text;
  // eslint-disable-next-line no-control-regex
  return decoded.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

function formatNumber(n) {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

function formatDate(d) {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
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
    const keep = input.fullSheet !== null || i + 1 <= input.headRows;
    rowCount = i + 1;
    columnCount = Math.max(columnCount, cells.length);
    if (keep) rows.push({ row: i + 1, cells: cells.map(cleanText) });
  }
  if (stats.cut) warnings.push(`Some cells were longer than ${MAX_CELL_CHARS.toLocaleString('en-US')} characters (more than Excel allows) and were cut.`);
  if (stats.widerThanLimit) warnings.push(`Only the first ${limits.maxColumns} columns are read.`);
  return {
    kind: 'csv',
    sheets: [{ name: input.sheetName, rowCount, columnCount, hidden: false, rows, complete: input.fullSheet !== null }],
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
