// Reads an xlsx package straight from its XML into the import's WorkbookGrid (app/import/import-types.server.ts), every
// sheet complete, in one pass over each part: [Content_Types].xml and the package relationships to find the workbook,
// workbook.xml (sheets in order, hidden state, defined names, the 1904 date system), its relationships (relative or
// absolute targets), shared strings, the date formats of styles.xml, then each worksheet. Transitional and strict OOXML
// alike: elements are matched by local name and relationships by the last segment of their type, which is all that
// differs between the two for what is read here. Comments, drawings, VML and printer settings are never opened.
//
// Plain JavaScript importing only node: modules, so the questionnaire worker can load it as it is under tsx, vitest and
// the bundled server (see app/import/questionnaire-worker.mjs).

import { partText, readPackage, readRelationships, relationshipKind, relsPartFor, resolveTarget } from './package.mjs';
import { Refusal } from './refusal.mjs';
import { readSharedStrings } from './shared-strings.mjs';
import { readSheet } from './sheet.mjs';
import { finishSheet } from './sheet-grid.mjs';
import { readDateStyles } from './styles.mjs';
import { resolveValidations } from './validations.mjs';
import { childNamed, childrenNamed, parseTree, XmlError, xmlTrue } from './xml.mjs';

/**
 * @typedef {import('./package.mjs').ZipEntry} ZipEntry
 * @typedef {import('./validations.mjs').GridValidation} GridValidation
 * @typedef {import('./sheet-grid.mjs').GridRow} GridRow
 * @typedef {{ name: string, rowCount: number, columnCount: number, hidden: boolean, rows: GridRow[], complete: true, validations: GridValidation[] }} SheetGrid
 * @typedef {{ kind: 'xlsx', sheets: SheetGrid[], warnings: string[] }} WorkbookGrid
 * @typedef {{ maxUncompressedBytes: number, maxRows: number, maxColumns: number, maxCells: number }} ReadLimits
 */

const STRICT_MAIN = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const WORKBOOK_CONTENT_TYPE = /\.(sheet|template)\.main\+xml$|spreadsheetml\.(sheet|template)\.main/i;

/** Parts never read here: their bytes are inflated (to check their sizes) and dropped at once. @param {string} lower */
function worthKeeping(lower) {
  if (lower.endsWith('.rels')) return true;
  if (!lower.endsWith('.xml')) return false;
  return !/^(xl\/(drawings|comments|charts|theme|media|printersettings|activex|ctrlprops|embeddings|persons|threadedcomments)\/|xl\/comments\d*\.xml$|customxml\/|docprops\/)/.test(lower);
}

/**
 * @param {Uint8Array} bytes
 * @param {ZipEntry[]} entries  The guard's entry table.
 * @param {ReadLimits} limits
 * @returns {WorkbookGrid}
 */
export function readWorkbookGrid(bytes, entries, limits) {
  const pkg = readPackage(bytes, entries, limits, worthKeeping);
  /** @param {string} name */
  const xmlOf = (name) => {
    const text = partText(pkg, name);
    return text === null ? null : { name, text };
  };

  const workbookPart = findWorkbookPart(pkg, xmlOf);
  const workbookXml = xmlOf(workbookPart);
  if (!workbookXml) throw new Refusal('unreadable', `the workbook part ${workbookPart} is missing`);
  const workbook = tree(workbookXml);
  const strict = workbook.attrs.xmlns === STRICT_MAIN || workbook.attrs.conformance === 'strict';
  const date1904 = xmlTrue(childNamed(workbook, 'workbookPr')?.attrs.date1904);

  const relsXml = xmlOf(relsPartFor(workbookPart));
  const rels = relsXml ? parsed(relsXml, readRelationships) : [];
  const relById = new Map(rels.map((r) => [r.id, r]));
  /** @param {string} kind */
  const partOfKind = (kind) => {
    const rel = rels.find((r) => !r.external && relationshipKind(r.type) === kind);
    return rel ? resolveTarget(workbookPart, rel.target) : null;
  };
  const sharedStringsPart = partOfKind('sharedStrings');
  const sharedStringsXml = sharedStringsPart ? xmlOf(sharedStringsPart) : null;
  const sharedStrings = sharedStringsXml ? parsed(sharedStringsXml, readSharedStrings) : [];
  const stylesPart = partOfKind('styles');
  const stylesXml = stylesPart ? xmlOf(stylesPart) : null;
  const dateStyles = stylesXml ? parsed(stylesXml, readDateStyles) : [];

  const sheetEntries = childrenNamed(childNamed(workbook, 'sheets'), 'sheet');
  const definedNames = childrenNamed(childNamed(workbook, 'definedNames'), 'definedName')
    .filter((n) => n.attrs.name && !n.attrs.name.startsWith('_xlnm.'))
    .map((n) => ({ name: n.attrs.name ?? '', localSheet: n.attrs.localSheetId === undefined ? null : parseInt(n.attrs.localSheetId, 10), formula: n.text }));

  const stats = { formulasWithoutValue: /** @type {string[]} */ ([]), errorCells: /** @type {string[]} */ ([]), widerThanLimit: false, cells: 0 };
  const read = [];
  for (const entry of sheetEntries) {
    const name = entry.attrs.name ?? '';
    const rel = relById.get(entry.attrs.id ?? '');
    // Chart sheets and dialog sheets have no cells; the guard refuses macro sheets.
    if (rel && relationshipKind(rel.type) !== 'worksheet') continue;
    const partName = rel && !rel.external ? resolveTarget(workbookPart, rel.target) : null;
    const sheetXml = partName ? xmlOf(partName) : null;
    if (!sheetXml) {
      throw new Refusal('unreadable', `the sheet “${name}” is listed in the workbook but its part ${partName ?? '(no relationship)'} is missing${strict ? ' (strict Open XML)' : ''}`);
    }
    const raw = parsed(sheetXml, (xml) => readSheet(xml, { name, sharedStrings, dateStyles, date1904, limits, stats }));
    read.push({ name, hidden: entry.attrs.state === 'hidden' || entry.attrs.state === 'veryHidden', raw, grid: finishSheet(raw) });
  }

  const context = {
    sheets: read.map((s) => ({ name: s.name, rowCount: s.grid.rowCount, columnCount: s.grid.columnCount, cells: s.grid.cells })),
    definedNames: definedNames.map((n) => ({ ...n, localSheet: n.localSheet === null ? null : localSheetIndex(n.localSheet, sheetEntries, read) })),
    maxColumns: limits.maxColumns,
  };
  const sheets = read.map((s, index) => ({
    name: s.name,
    rowCount: s.grid.rowCount,
    columnCount: s.grid.columnCount,
    hidden: s.hidden,
    rows: s.grid.rows,
    complete: /** @type {const} */ (true),
    validations: resolveValidations(s.raw.validations, index, context),
  }));

  /** @type {string[]} */
  const warnings = [];
  if (stats.formulasWithoutValue.length > 0) {
    warnings.push(
      `${stats.formulasWithoutValue.length} formula cell(s) have no saved value and are read as empty (${sample(stats.formulasWithoutValue)}). Formulas are never calculated here: open the file in Excel, save it, and upload it again to keep their values.`,
    );
  }
  if (stats.errorCells.length > 0) {
    warnings.push(`${stats.errorCells.length} cell(s) hold an Excel error such as #REF! or #N/A and are read as empty (${sample(stats.errorCells)}).`);
  }
  if (stats.widerThanLimit) warnings.push(`Only the first ${limits.maxColumns} columns of each sheet are read.`);
  return { kind: 'xlsx', sheets, warnings };
}

/**
 * `localSheetId` counts the workbook's <sheet> entries; the grid may have skipped chart sheets, so map it to the index
 * among the sheets read.
 * @param {number} localSheetId @param {import('./xml.mjs').XmlElement[]} sheetEntries @param {Array<{ name: string }>} read
 */
function localSheetIndex(localSheetId, sheetEntries, read) {
  const name = sheetEntries[localSheetId]?.attrs.name;
  const index = read.findIndex((s) => s.name === name);
  return index < 0 ? -1 : index;
}

/**
 * The workbook part: the package's officeDocument relationship, else the content type of a workbook, else the usual path.
 * @param {import('./package.mjs').XlsxPackage} pkg
 * @param {(name: string) => { name: string, text: string } | null} xmlOf
 */
function findWorkbookPart(pkg, xmlOf) {
  const packageRels = xmlOf('_rels/.rels');
  if (packageRels) {
    const rel = parsed(packageRels, readRelationships).find((r) => !r.external && relationshipKind(r.type) === 'officeDocument');
    const target = rel ? resolveTarget('', rel.target) : null;
    if (target && pkg.parts.has(target.toLowerCase())) return target;
  }
  const contentTypes = xmlOf('[Content_Types].xml');
  if (contentTypes) {
    const override = childrenNamed(tree(contentTypes), 'Override').find((o) => WORKBOOK_CONTENT_TYPE.test(o.attrs.ContentType ?? ''));
    const target = override ? resolveTarget('', override.attrs.PartName ?? '') : null;
    if (target && pkg.parts.has(target.toLowerCase())) return target;
  }
  return 'xl/workbook.xml';
}

/** @param {{ name: string, text: string }} part */
function tree(part) {
  return parsed(part, parseTree);
}

/**
 * Runs a part reader, turning malformed XML into the refusal the officer sees as "could not be read".
 * @template T
 * @param {{ name: string, text: string }} part
 * @param {(xml: string) => T} reader
 * @returns {T}
 */
function parsed(part, reader) {
  try {
    return reader(part.text);
  } catch (error) {
    if (error instanceof XmlError) throw new Refusal('unreadable', `the part ${part.name} is not well-formed XML: ${error.message}`);
    throw error;
  }
}

/** @param {string[]} list */
function sample(list) {
  return list.slice(0, 5).join(', ') + (list.length > 5 ? ', …' : '');
}
