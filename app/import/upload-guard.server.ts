import { inflateRawSync } from 'node:zlib';

/**
 * The door every uploaded spreadsheet passes before anything parses it: size, type from the bytes (never the name), and for
 * xlsx the ZIP's central directory (bombs, macros, external links). Everything here reads headers or a few small XML parts
 * with hard output caps, so it is cheap enough for the server thread; the real inflating and parsing happen in a worker.
 */

/**
 * Why an upload was refused, with an HTTP-ish status the route can answer with (413 too large, 415 wrong type,
 * 422 unreadable or hostile, 400 a mapping that does not fit the file, 503 too many imports at once) and a message
 * written for the officer: what is wrong, then what to do.
 */
export class UploadRejectedError extends Error {
  override readonly name = 'UploadRejectedError';
  constructor(
    readonly status: 400 | 409 | 413 | 415 | 422 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Limits are per upload; the defaults follow the questionnaire-import issue and can be lowered in tests or by env. */
export interface UploadLimits {
  /** Refused before any parsing (413). */
  maxBytes: number;
  maxZipEntries: number;
  /** Sum of the uncompressed sizes the ZIP declares, and (in the worker) of what inflating really produces. */
  maxUncompressedBytes: number;
  /** Compression ratio allowed for one entry larger than `ratioCheckAboveBytes`. */
  maxCompressionRatio: number;
  ratioCheckAboveBytes: number;
}

const MB = 1024 * 1024;

/** Generous for any real questionnaire (a few hundred KB), far below what could hurt a server. */
export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimits> = Object.freeze({
  maxBytes: 10 * MB,
  maxZipEntries: 2_000,
  maxUncompressedBytes: 100 * MB,
  maxCompressionRatio: 200,
  ratioCheckAboveBytes: 1 * MB,
});

/**
 * The limits in force: defaults, then `QUESTIONNAIRE_IMPORT_MAX_BYTES` from the environment (an installation may take
 * bigger files), then the caller's `maxBytes`.
 */
export function resolveUploadLimits(maxBytes?: number): UploadLimits {
  const fromEnv = Number(process.env.QUESTIONNAIRE_IMPORT_MAX_BYTES);
  const envMax = Number.isFinite(fromEnv) && fromEnv > 0 ? Math.floor(fromEnv) : undefined;
  return { ...DEFAULT_UPLOAD_LIMITS, maxBytes: maxBytes ?? envMax ?? DEFAULT_UPLOAD_LIMITS.maxBytes };
}

/** Where one ZIP entry's compressed bytes sit, so the worker can inflate it with a cap without re-reading the directory. */
export interface ZipEntry {
  name: string;
  method: 0 | 8;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the compressed data (after the local header). */
  dataOffset: number;
}

/** Which parser may read the upload; for xlsx, the checked entry table travels with it so nothing re-reads the directory. */
export type GuardedUpload = { kind: 'csv' } | { kind: 'xlsx'; entries: ZipEntry[] };

/** A file name fit to quote in a message: no control characters, not a screenful. */
export function displayName(fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = fileName.replace(/[\u0000-\u001f\u007f]/g, '').trim() || 'The file';
  return clean.length > 80 ? `${clean.slice(0, 77)}…` : clean;
}

function formatMb(bytes: number): string {
  if (bytes < MB) return `${Math.ceil(bytes / 1024)} KB`;
  const mb = bytes / MB;
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

const SPREADSHEET_EXTENSIONS = /\.(xlsx|xlsm|xltx|xltm|xlsb|xls|ods)$/i;

/**
 * Checks an upload before any parser sees it and says which parser may. Throws `UploadRejectedError`; returns the ZIP
 * entry table for xlsx so the worker can verify the real sizes while inflating.
 */
export function guardUpload(bytes: Uint8Array, fileName: string, limits: UploadLimits): GuardedUpload {
  const name = displayName(fileName);
  if (bytes.byteLength > limits.maxBytes) {
    const size = formatMb(bytes.byteLength);
    const limit = formatMb(limits.maxBytes);
    const howBig = size === limit ? `just over the ${limit} limit` : `${size}; the limit is ${limit}`;
    throw new UploadRejectedError(
      413,
      'too_large',
      `“${name}” is ${howBig}. Remove images and unused sheets, or split the questionnaire into smaller files, and upload again.`,
    );
  }
  if (bytes.byteLength === 0) {
    throw new UploadRejectedError(415, 'empty', `“${name}” is empty. Choose the questionnaire file (.xlsx or .csv) and upload again.`);
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    return { kind: 'xlsx', entries: inspectXlsxZip(bytes, name, limits) };
  }
  refuseKnownBinary(bytes, name);
  if (SPREADSHEET_EXTENSIONS.test(fileName)) {
    throw new UploadRejectedError(
      415,
      'not_xlsx',
      `“${name}” is named like an Excel workbook but its contents are not an .xlsx workbook. Open it in Excel, choose Save As › Excel Workbook (.xlsx), and upload that file.`,
    );
  }
  checkCsvText(bytes, name);
  return { kind: 'csv' };
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Formats people upload by mistake get a message that names them, instead of a vague "not UTF-8". */
function refuseKnownBinary(bytes: Uint8Array, name: string): void {
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw new UploadRejectedError(
      415,
      'ole_xls',
      `“${name}” is an old Excel 97–2003 (.xls) file or a password-protected workbook, which cannot be read safely. Open it in Excel, remove any password, choose Save As › Excel Workbook (.xlsx), and upload that file.`,
    );
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    throw new UploadRejectedError(
      415,
      'pdf',
      `“${name}” is a PDF document, not a spreadsheet. Upload the questionnaire as an Excel workbook (.xlsx) or a CSV file; if you only have the PDF, copy its questions into a spreadsheet first.`,
    );
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]) || startsWith(bytes, [0x50, 0x4b, 0x07, 0x08])) {
    throw new UploadRejectedError(415, 'not_xlsx', `“${name}” is an empty or split ZIP archive, not an Excel workbook. Upload the questionnaire as .xlsx or .csv.`);
  }
  if (startsWith(bytes, [0x1f, 0x8b]) || startsWith(bytes, [0x52, 0x61, 0x72, 0x21]) || startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf])) {
    throw new UploadRejectedError(415, 'archive', `“${name}” is a compressed archive, not a spreadsheet. Extract the questionnaire and upload the .xlsx or .csv file itself.`);
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new UploadRejectedError(
      415,
      'utf16',
      `“${name}” is saved as UTF-16 (“Unicode Text”), which is not supported. In Excel choose Save As › CSV UTF-8 (Comma delimited), or save as .xlsx, and upload again.`,
    );
  }
}

function checkCsvText(bytes: Uint8Array, name: string): void {
  if (bytes.includes(0)) {
    throw new UploadRejectedError(
      415,
      'binary',
      `“${name}” contains NUL bytes, so it is not a text CSV file (it may be a binary file renamed). Upload the questionnaire as an Excel workbook (.xlsx) or as CSV UTF-8.`,
    );
  }
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new UploadRejectedError(
      415,
      'not_utf8',
      `“${name}” is not UTF-8 text (it was probably saved in an older encoding such as Windows-1252, or it is not a CSV file). In Excel choose Save As › CSV UTF-8 (Comma delimited), or save as .xlsx, and upload again.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// ZIP central directory. Deliberately strict: anything an Excel-written workbook never contains (ZIP64, several disks,
// encryption, gaps, duplicate names, local headers that disagree with the directory) is refused, so no later parser can
// see a different set of entries than the one checked here.

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;

function corrupt(name: string, detail: string): UploadRejectedError {
  return new UploadRejectedError(
    422,
    'corrupt',
    `“${name}” could not be read: the workbook file is damaged or incomplete (${detail}). Open it in Excel, save it again as .xlsx, and upload the new file.`,
  );
}

/**
 * Reads the central directory and applies the bomb limits on the sizes it declares. Exported for tests and for the fixture
 * builders; `guardUpload` is the entry point for uploads.
 */
export function readZipDirectory(bytes: Uint8Array, name: string, limits: UploadLimits): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.byteLength;
  if (size < 22) throw corrupt(name, 'too short to be a ZIP archive');

  // The end record sits at the very end, after a comment of at most 65,535 bytes; its comment length must reach the end exactly.
  let eocd = -1;
  for (let pos = size - 22; pos >= Math.max(0, size - 22 - 0xffff); pos--) {
    if (view.getUint32(pos, true) === EOCD_SIGNATURE && pos + 22 + view.getUint16(pos + 20, true) === size) {
      eocd = pos;
      break;
    }
  }
  if (eocd < 0) throw corrupt(name, 'the ZIP directory is missing, so the file was probably cut short');
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
    throw new UploadRejectedError(422, 'zip64', `“${name}” uses the ZIP64 format, which a questionnaire workbook never needs. Save it again from Excel as .xlsx and upload the new file.`);
  }
  const disk = view.getUint16(eocd + 4, true);
  const directoryDisk = view.getUint16(eocd + 6, true);
  const entriesHere = view.getUint16(eocd + 8, true);
  const entryCount = view.getUint16(eocd + 10, true);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (disk !== 0 || directoryDisk !== 0 || entriesHere !== entryCount) throw corrupt(name, 'it is a multi-part ZIP archive');
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    throw new UploadRejectedError(422, 'zip64', `“${name}” uses the ZIP64 format, which a questionnaire workbook never needs. Save it again from Excel as .xlsx and upload the new file.`);
  }
  if (entryCount > limits.maxZipEntries) {
    throw new UploadRejectedError(
      422,
      'too_many_entries',
      `“${name}” contains ${entryCount.toLocaleString('en-US')} parts; a workbook may have at most ${limits.maxZipEntries.toLocaleString('en-US')}. Copy the questionnaire sheet into a new workbook, save it as .xlsx, and upload that.`,
    );
  }
  if (directoryOffset + directorySize !== eocd) throw corrupt(name, 'the ZIP directory is not where its end record says');

  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let totalUncompressed = 0;
  let pos = directoryOffset;
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  for (let i = 0; i < entryCount; i++) {
    if (pos + 46 > eocd || view.getUint32(pos, true) !== CENTRAL_SIGNATURE) throw corrupt(name, 'a ZIP directory record is damaged');
    const flags = view.getUint16(pos + 8, true);
    const method = view.getUint16(pos + 10, true);
    const compressedSize = view.getUint32(pos + 20, true);
    const uncompressedSize = view.getUint32(pos + 24, true);
    const nameLength = view.getUint16(pos + 28, true);
    const extraLength = view.getUint16(pos + 30, true);
    const commentLength = view.getUint16(pos + 32, true);
    const localOffset = view.getUint32(pos + 42, true);
    const nameBytes = bytes.subarray(pos + 46, pos + 46 + nameLength);
    const entryName = utf8.decode(nameBytes);
    pos += 46 + nameLength + extraLength + commentLength;
    if (pos > eocd) throw corrupt(name, 'a ZIP directory record runs past the directory');

    if (flags & 0x41) {
      throw new UploadRejectedError(422, 'encrypted', `“${name}” is encrypted. Remove the password in Excel, save it as .xlsx, and upload again.`);
    }
    if (method !== 0 && method !== 8) throw corrupt(name, `a part uses compression method ${method}, which Excel does not write`);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) {
      throw new UploadRejectedError(422, 'zip64', `“${name}” uses the ZIP64 format, which a questionnaire workbook never needs. Save it again from Excel as .xlsx and upload the new file.`);
    }
    const key = entryName.toLowerCase();
    if (seen.has(key)) throw corrupt(name, `the part ${entryName} appears twice`);
    seen.add(key);

    totalUncompressed += uncompressedSize;
    if (totalUncompressed > limits.maxUncompressedBytes) throw bomb(name, limits);
    if (uncompressedSize > limits.ratioCheckAboveBytes && (compressedSize === 0 || uncompressedSize / compressedSize > limits.maxCompressionRatio)) {
      throw bomb(name, limits);
    }
    if (method === 0 && compressedSize !== uncompressedSize) throw corrupt(name, `the stored part ${entryName} has inconsistent sizes`);

    if (localOffset + 30 > directoryOffset || view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) {
      throw corrupt(name, `the part ${entryName} is not where the directory says`);
    }
    const localNameLength = view.getUint16(localOffset + 26, true);
    const localExtraLength = view.getUint16(localOffset + 28, true);
    const localName = bytes.subarray(localOffset + 30, localOffset + 30 + localNameLength);
    if (!sameBytes(localName, nameBytes)) throw corrupt(name, `the part ${entryName} has two different names`);
    const dataOffset = localOffset + 30 + localNameLength + localExtraLength;
    if (dataOffset + compressedSize > directoryOffset) throw corrupt(name, `the part ${entryName} runs past the end of the data`);
    entries.push({ name: entryName, method, compressedSize, uncompressedSize, dataOffset });
  }
  if (pos !== eocd) throw corrupt(name, 'the ZIP directory has trailing bytes');
  return entries;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function bomb(name: string, limits: UploadLimits): UploadRejectedError {
  return new UploadRejectedError(
    422,
    'zip_bomb',
    `“${name}” would expand to more than ${formatMb(limits.maxUncompressedBytes)} or is compressed far more than any real workbook (a “zip bomb”), so it was not opened. If it is a genuine questionnaire, copy the questions into a new workbook and upload that.`,
  );
}

/**
 * Inflates one entry with the output capped at its declared size, so a directory that lies about sizes fails here rather
 * than filling memory. Shared by the guard (small XML parts) and, in spirit, by the worker (every part).
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, name: string): Buffer {
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let out: Buffer;
  if (entry.method === 0) {
    out = Buffer.from(raw);
  } else {
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw sizeMismatch(name, entry.name);
      throw corrupt(name, `the part ${entry.name} cannot be decompressed`);
    }
  }
  if (out.length !== entry.uncompressedSize) throw sizeMismatch(name, entry.name);
  return out;
}

function sizeMismatch(name: string, part: string): UploadRejectedError {
  return new UploadRejectedError(
    422,
    'zip_size_mismatch',
    `“${name}” was not opened: its part ${part} is larger than the ZIP directory declares, a trick used by “zip bombs”. If it is a genuine questionnaire, open it in Excel, save it again as .xlsx, and upload the new file.`,
  );
}

const MACRO_CONTENT_TYPE = /macroEnabled|vbaProject|ms-excel\.(?:intl)?macrosheet/i;
/** Small XML parts we read here; anything bigger than this is not a part a questionnaire needs. */
const MAX_INSPECTED_PART_BYTES = 4 * MB;

function inspectXlsxZip(bytes: Uint8Array, name: string, limits: UploadLimits): ZipEntry[] {
  const entries = readZipDirectory(bytes, name, limits);
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e] as const));
  if (!byName.has('[content_types].xml') || !byName.has('xl/workbook.xml')) {
    let what = 'a ZIP archive but not an Excel workbook';
    if (byName.has('xl/workbook.bin')) what = 'an Excel Binary Workbook (.xlsb)';
    else if (byName.has('word/document.xml')) what = 'a Word document';
    else if (byName.has('ppt/presentation.xml')) what = 'a PowerPoint presentation';
    else if (byName.has('content.xml') && byName.has('mimetype')) what = 'an OpenDocument file (.ods)';
    throw new UploadRejectedError(415, 'not_xlsx', `“${name}” is ${what}. Open the questionnaire in Excel, choose Save As › Excel Workbook (.xlsx), and upload that file.`);
  }

  const macroPart = entries.find((e) => /(^|\/)vbaproject\.bin$/i.test(e.name) || /^xl\/(macrosheets|dialogsheets)\//i.test(e.name));
  const contentTypes = readSmallPart(bytes, byName.get('[content_types].xml')!, name);
  if (macroPart || MACRO_CONTENT_TYPE.test(contentTypes)) {
    throw new UploadRejectedError(
      422,
      'macro',
      `“${name}” is a macro-enabled workbook. Macros are never run here, and such files are refused. In Excel choose Save As › Excel Workbook (.xlsx) — this drops the macros — and upload that file.`,
    );
  }

  const externalPart = entries.find((e) => /^xl\/externallinks\//i.test(e.name));
  if (externalPart) throw externalLinks(name);
  let relsBytes = 0;
  for (const entry of entries) {
    if (!/\.rels$/i.test(entry.name)) continue;
    relsBytes += entry.uncompressedSize;
    if (relsBytes > 4 * MAX_INSPECTED_PART_BYTES) throw corrupt(name, 'its relationship parts are unusually large');
    for (const rel of relationships(readSmallPart(bytes, entry, name))) {
      // Hyperlinks are only text to us (we keep their display text); anything else pointing outside the file —
      // linked workbooks, remote images, OLE links, templates — is how a workbook pulls in content we cannot vouch for.
      if (/\/externalLink$/i.test(rel.type) || (rel.external && !/\/hyperlink$/i.test(rel.type))) throw externalLinks(name);
    }
  }
  return entries;
}

function externalLinks(name: string): UploadRejectedError {
  return new UploadRejectedError(
    422,
    'external_links',
    `“${name}” links to other workbooks or to content outside the file, so it was not opened. In Excel use Data › Edit Links › Break Link (and remove linked pictures or objects), save as .xlsx, and upload again.`,
  );
}

function readSmallPart(bytes: Uint8Array, entry: ZipEntry, name: string): string {
  if (entry.uncompressedSize > MAX_INSPECTED_PART_BYTES) throw corrupt(name, `the part ${entry.name} is unusually large`);
  return new TextDecoder('utf-8').decode(inflateEntry(bytes, entry, name));
}

function relationships(xml: string): Array<{ type: string; external: boolean }> {
  const out: Array<{ type: string; external: boolean }> = [];
  for (const match of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const attrs = match[1] ?? '';
    const type = /\bType\s*=\s*(["'])(.*?)\1/.exec(attrs)?.[2] ?? '';
    const mode = /\bTargetMode\s*=\s*(["'])(.*?)\1/.exec(attrs)?.[2] ?? '';
    out.push({ type, external: mode.toLowerCase() === 'external' });
  }
  return out;
}
