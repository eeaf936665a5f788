// The xlsx package (a ZIP of XML parts) as both spreadsheet workers read it: every part inflated with its output capped at
// the size the ZIP directory declared (the upload guard, app/import/upload-guard.server.ts, has already checked those
// sizes against the bomb limits, so a directory that lies is caught here before any XML is read), relationship parts
// read, and relationship targets resolved the way Excel does — relative to the part's folder, or absolute from the
// package root (`/xl/worksheets/sheet1.xml`, as openpyxl writes them).

import { Buffer } from 'node:buffer';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { Refusal } from './refusal.mjs';
import { parseTree, childrenNamed } from './xml.mjs';

/**
 * @typedef {{ name: string, method: 0 | 8, compressedSize: number, uncompressedSize: number, dataOffset: number }} ZipEntry
 *   As listed by the guard (app/import/upload-guard.server.ts ZipEntry).
 * @typedef {{ maxUncompressedBytes: number }} PackageLimits
 * @typedef {{ entry: ZipEntry, crc: number, data: Buffer | null }} PackagePart
 * @typedef {{ parts: Map<string, PackagePart>, order: PackagePart[] }} XlsxPackage
 *   `parts` by lower-cased part name (ZIP names compare case-insensitively in OOXML); `data` only for kept parts.
 */

/**
 * Inflates every part of the package (so sizes are verified for all of them, images included), keeping the bytes of the
 * parts `keep` asks for.
 * @param {Uint8Array} bytes
 * @param {ZipEntry[]} entries
 * @param {PackageLimits} limits
 * @param {(lowerName: string) => boolean} keep
 * @returns {XlsxPackage}
 */
export function readPackage(bytes, entries, limits, keep) {
  /** @type {Map<string, PackagePart>} */
  const parts = new Map();
  /** @type {PackagePart[]} */
  const order = [];
  let total = 0;
  for (const entry of entries) {
    const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    /** @type {Buffer} */
    let data;
    if (entry.method === 0) {
      data = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    } else {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
      } catch (error) {
        if (error && /** @type {{ code?: string }} */ (error).code === 'ERR_BUFFER_TOO_LARGE') throw new Refusal('zip_size_mismatch', entry.name);
        throw new Refusal('corrupt', `the part ${entry.name} cannot be decompressed`);
      }
    }
    if (data.length !== entry.uncompressedSize) throw new Refusal('zip_size_mismatch', entry.name);
    total += data.length;
    if (total > limits.maxUncompressedBytes) throw new Refusal('zip_bomb', '');
    const lower = entry.name.toLowerCase();
    const part = { entry, crc: crc32(data), data: keep(lower) ? data : null };
    parts.set(lower, part);
    order.push(part);
  }
  return { parts, order };
}

/** The text of a kept part, or null when the package has no such part. @param {XlsxPackage} pkg @param {string} name */
export function partText(pkg, name) {
  const part = pkg.parts.get(name.toLowerCase());
  if (!part || !part.data) return null;
  return part.data.toString('utf8');
}

/** Where the relationships of `partName` live: xl/workbook.xml → xl/_rels/workbook.xml.rels; '' (the package) → _rels/.rels. */
export function relsPartFor(partName) {
  const slash = partName.lastIndexOf('/');
  return `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`;
}

/** The part a relationships part belongs to ('' for the package's own _rels/.rels), or null if it is not one. @param {string} relsName */
export function sourceOfRels(relsName) {
  const match = /^(.*?)_rels\/([^/]*)\.rels$/i.exec(relsName);
  if (!match) return null;
  return `${match[1]}${match[2]}`;
}

/** @param {string} partName */
function folderOf(partName) {
  return partName.slice(0, partName.lastIndexOf('/') + 1);
}

/**
 * The part a relationship points to, as a package path without the leading slash: `Target` relative to the source part's
 * folder, or absolute from the root when it starts with "/". Null for targets that leave the package.
 * @param {string} sourcePart  '' for the package itself.
 * @param {string} target
 */
export function resolveTarget(sourcePart, target) {
  let path = target.split('#')[0] ?? '';
  try {
    path = decodeURIComponent(path);
  } catch {
    // A stray % is taken literally.
  }
  path = path.replace(/\\/g, '/');
  const segments = (path.startsWith('/') ? path.slice(1) : folderOf(sourcePart) + path).split('/');
  /** @type {string[]} */
  const out = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

/** `partName` relative to the folder of `sourcePart` (both package paths without a leading slash). */
export function relativeTarget(sourcePart, partName) {
  const from = folderOf(sourcePart).split('/').filter(Boolean);
  const to = partName.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

/**
 * @typedef {{ id: string, type: string, target: string, external: boolean }} Relationship
 * @param {string} xml
 * @returns {Relationship[]}
 */
export function readRelationships(xml) {
  return childrenNamed(parseTree(xml), 'Relationship').map((r) => ({
    id: r.attrs.Id ?? r.attrs.id ?? '',
    type: r.attrs.Type ?? '',
    target: r.attrs.Target ?? '',
    external: (r.attrs.TargetMode ?? '').toLowerCase() === 'external',
  }));
}

/** The last segment of a relationship type: …/relationships/worksheet → worksheet (transitional and strict alike). @param {string} type */
export function relationshipKind(type) {
  return type.slice(type.lastIndexOf('/') + 1);
}

/** A whole <Relationship/> element, self-closing or not. */
const RELATIONSHIP_ELEMENT = /<(?:[\w.-]+:)?Relationship\b[^>]*?(?:\/>|>[\s\S]*?<\/(?:[\w.-]+:)?Relationship>)/g;

/** @param {string} text */
function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Rewrites one .rels part for readers that follow only relative targets: absolute targets (`/xl/comments/comment1.xml`)
 * become relative ones (`../comments/comment1.xml`), and relationships of the kinds in `drop` are removed; everything
 * else stays byte for byte. Returns null when nothing needed changing.
 * @param {string} relsName
 * @param {string} xml
 * @param {ReadonlySet<string>} [drop]  Relationship kinds (last segment of the type) to remove.
 */
export function normaliseRelationships(relsName, xml, drop = new Set()) {
  const source = sourceOfRels(relsName);
  if (source === null) return null;
  let changed = false;
  const out = xml.replace(RELATIONSHIP_ELEMENT, (tag) => {
    const type = /\bType\s*=\s*(["'])([^"']*)\1/.exec(tag)?.[2] ?? '';
    if (drop.has(relationshipKind(type))) {
      changed = true;
      return '';
    }
    if (/\bTargetMode\s*=\s*(["'])\s*External\s*\1/i.test(tag)) return tag;
    return tag.replace(/(\bTarget\s*=\s*)(["'])([^"']*)\2/, (whole, prefix, quote, value) => {
      const target = value.replace(/&(amp|lt|gt|quot|apos);/g, (/** @type {string} */ e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" })[e] ?? e);
      if (!target.startsWith('/')) return whole;
      const resolved = resolveTarget(source, target);
      if (resolved === null) return whole;
      changed = true;
      return `${prefix}${quote}${escapeAttribute(relativeTarget(source, resolved))}${quote}`;
    });
  });
  return changed ? out : null;
}

/** What exceljs cannot follow and the vendor import never reads: cell comments and their VML shapes. */
const UNREAD_BY_EXCELJS = new Set(['comments', 'vmlDrawing']);

/**
 * The package as exceljs can load it: every absolute relationship target made relative, and the relationships to cell
 * comments and their VML drawings removed (exceljs finds comments only under its own part names, so an openpyxl
 * workbook's xl/comments/comment1.xml crashes it; no importer reads comments). The same bytes when nothing needs
 * changing. Unchanged parts are copied compressed as they were.
 * @param {Uint8Array} bytes
 * @param {XlsxPackage} pkg  Read with the .rels parts kept.
 * @returns {Uint8Array}
 */
export function normaliseForExceljs(bytes, pkg) {
  /** @type {Map<string, Buffer>} */
  const rewritten = new Map();
  for (const part of pkg.order) {
    if (!/\.rels$/i.test(part.entry.name) || !part.data) continue;
    const xml = normaliseRelationships(part.entry.name, part.data.toString('utf8'), UNREAD_BY_EXCELJS);
    if (xml !== null) rewritten.set(part.entry.name, Buffer.from(xml, 'utf8'));
  }
  if (rewritten.size === 0) return bytes;
  return writeZip(
    pkg.order.map((part) => {
      const replacement = rewritten.get(part.entry.name);
      if (replacement) return { name: part.entry.name, method: 8, crc: crc32(replacement), size: replacement.length, compressed: deflateRawSync(replacement) };
      const { entry } = part;
      return { name: entry.name, method: entry.method, crc: part.crc, size: entry.uncompressedSize, compressed: bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize) };
    }),
  );
}

/**
 * A plain ZIP (no data descriptors, no ZIP64) of already-compressed entries.
 * @param {Array<{ name: string, method: 0 | 8, crc: number, size: number, compressed: Uint8Array }>} items
 */
function writeZip(items) {
  /** @type {Uint8Array[]} */
  const chunks = [];
  /** @type {Buffer[]} */
  const central = [];
  let offset = 0;
  for (const item of items) {
    const name = Buffer.from(item.name, 'utf8');
    const flags = /[^\x20-\x7e]/.test(item.name) ? 0x0800 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(item.method, 8);
    local.writeUInt32LE(0x00210000, 10); // time 00:00, date 1980-01-01
    local.writeUInt32LE(item.crc >>> 0, 14);
    local.writeUInt32LE(item.compressed.length, 18);
    local.writeUInt32LE(item.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    chunks.push(local, name, item.compressed);

    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(flags, 8);
    record.writeUInt16LE(item.method, 10);
    record.writeUInt32LE(0x00210000, 12);
    record.writeUInt32LE(item.crc >>> 0, 16);
    record.writeUInt32LE(item.compressed.length, 20);
    record.writeUInt32LE(item.size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += 30 + name.length + item.compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, directory, end]));
}
