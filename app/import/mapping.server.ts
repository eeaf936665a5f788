import type { GridRow, ImportField, ImportMapping, SheetGrid } from './import-types.server';
import { IMPORT_FIELD_LABELS } from './import-types.server';
import { cellAt, looksLikeKey } from './grid-cells';
import { questionnaireLikeness } from './sheet-likeness';
import { findDepthSource, findFilterColumn, proposeDepths } from './tree-proposal';

export { cellAt, looksLikeKey } from './grid-cells';

/**
 * Finding the header row and proposing which column holds which field, as pure functions over a grid of text, so the
 * guesswork can be tested without a workbook. The officer always sees and can change the proposal; these functions only
 * have to make the common cases right and the uncommon ones obvious.
 */

/** Header rows are looked for among the first this-many sheet rows. */
export const HEADER_SEARCH_ROWS = 30;
/** How many data rows the mapping screen shows. */
export const SAMPLE_ROWS = 8;

/**
 * What each header word names, and how strongly. Strength settles a header row with several columns for one field:
 * "Question" (3) beats "Requirement" or "Control" (2), which beat "Description" or "Text" (1); only columns named
 * equally strongly are told apart by what they hold.
 */
const TOKEN_FIELDS: Record<string, { field: ImportField; strength: number }> = {};
function words(field: ImportField, strength: number, list: string): void {
  for (const w of list.split(' ')) TOKEN_FIELDS[w] = { field, strength };
}
words('key', 2, 'key keys id ids identifier ref # no nr num number code qid uid');
words('section', 2, 'section sections category categories domain domains area areas topic topics group theme pillar function chapter part heading family');
// A sub-category is finer than the category beside it; the coarser one makes the sections.
words('section', 1, 'subcategory subcategories subdomain subdomains subsection subsections');
words('question', 3, 'question questions');
words('question', 2, 'requirement requirements control controls criterion criteria statement query prompt ask practice');
words('question', 1, 'text description item');
words('guidance', 2, 'guidance instructions instruction help hint hints guide clarification');
words('guidance', 1, 'notes note explanation about background');
words('answerType', 2, 'type types format kind');
words('options', 2, 'options option choices choice values picklist dropdown');
words('required', 2, 'required mandatory req compulsory obligatory optional must');
words('references', 2, 'references reference refs framework frameworks mapping mappings standard standards source sources citation citations crosswalk regulation regulations clause');

/** Phrases that override the single-word reading ("Response options" is options, not the vendor's response). */
const PHRASES: Array<[RegExp, ImportField]> = [
  [/\b(answer|response|question|input|field|data) (type|format)\b/, 'answerType'],
  [/\b(allowed|valid|possible|permitted|response|answer) (values|options|choices|answers)\b/, 'options'],
  [/\bmapped to\b|\bcross ?walk\b|\bmaps? to\b/, 'references'],
];

/** Words that mark a cell as a value (an answer type or a yes/no), never a column header. */
const VALUE_WORDS = new Set(['yes', 'true', 'false', 'free', 'narrative', 'numeric', 'select', 'upload', 'x']);
/** Header cells this short and alone are as likely to be values ("No", "Text") as headers. */
const AMBIGUOUS_ALONE = new Set(['no', 'n', 'text', 'number', 'choice', 'optional']);
/** Words that, qualifying a key header, make it the question's own key ("Question ID" over "Control ID"). */
const QUESTION_QUALIFIERS = new Set(['question', 'questions', 'q', 'qid']);

/**
 * Labels of the column the vendor answers in. No field of the import, but a row that carries one beside a field's name
 * is a header row — in a workbook whose tabs repeat "<section> | Answer | Additional Information | Guidance" above each
 * block, often the only header there is.
 */
const ANSWER_LABELS = new Set([
  'answer', 'answers', 'response', 'responses', 'vendor answer', 'vendor answers', 'vendor response', 'vendor responses',
  'supplier answer', 'supplier response', 'bidder response', 'your answer', 'your response', 'respondent answer',
]);
const normalLabel = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[\s:*]+$/, '');

/** Header cells are short; a long cell is data, whatever words it contains. */
const MAX_HEADER_CHARS = 60;

/** A header cell read as a field, with how strongly it names it (1 weak … 3 unmistakable). */
export interface HeaderReading {
  field: ImportField;
  strength: number;
}

/** A header cell's words, lower-cased, "#" kept as a word of its own. */
export function headerTokens(text: string): string[] {
  const normal = text
    .trim()
    .toLowerCase()
    .replace(/#/g, ' # ')
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim();
  return normal === '' ? [] : normal.split(' ');
}

/**
 * Which field a header cell names and how strongly, or null. Reads the last recognised word, because headers qualify
 * from the left: "Question ID" is a key, "Question type" an answer type, "Section title" a section. "Key" qualifying
 * another word is an adjective ("Key Measure", "Key Risk"), never the key.
 */
export function readHeader(text: string): HeaderReading | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_HEADER_CHARS) return null;
  const tokens = headerTokens(trimmed);
  if (tokens.length === 0 || tokens.every((t) => /^\d+$/.test(t))) return null;
  // "No" alone may be a value; "No." or "Q No" is a header.
  if (AMBIGUOUS_ALONE.has(trimmed.toLowerCase())) return null;
  if (tokens.some((t) => VALUE_WORDS.has(t))) return null;
  const normal = tokens.join(' ');
  for (const [pattern, field] of PHRASES) if (pattern.test(normal)) return { field, strength: 3 };
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    const reading = TOKEN_FIELDS[token];
    if (!reading) continue;
    if ((token === 'key' || token === 'keys') && i < tokens.length - 1) continue;
    if (reading.field === 'key') return { field: 'key', strength: tokens.some((t) => QUESTION_QUALIFIERS.has(t)) ? 3 : 2 };
    if (reading.field === 'section' && tokens[i - 1] === 'sub') return { field: 'section', strength: 1 };
    // The strongest word naming the same field counts: "Question text" names the question as clearly as "Question".
    const strength = Math.max(...tokens.map((t) => (TOKEN_FIELDS[t]?.field === reading.field ? TOKEN_FIELDS[t]!.strength : 0)));
    return { field: reading.field, strength };
  }
  return null;
}

/** Which field a header cell names, or null (see `readHeader`). */
export function classifyHeader(text: string): ImportField | null {
  return readHeader(text)?.field ?? null;
}

/** A column a header row names for a field, and how strongly. */
export interface HeaderClaim {
  column: number;
  strength: number;
}

/** One row's claim to be the header, kept whole so the proposal can explain and adjust it. */
export interface HeaderCandidate {
  row: number;
  score: number;
  /** How many fields the row names, the vendor's answer column counted as one. */
  named: number;
  /** Per field, the strongest-named column (leftmost of equals); the proposal checks it against the content. */
  columns: Partial<Record<ImportField, number>>;
  /** Per field, every column named for it, strongest first (leftmost first among equals). */
  claims: Partial<Record<ImportField, HeaderClaim[]>>;
}

/** Scores one row as a header: distinct fields named, a bonus for naming the question, a penalty per long (data-like) cell. */
export function scoreHeaderRow(row: GridRow): HeaderCandidate {
  const claims: Partial<Record<ImportField, HeaderClaim[]>> = {};
  let longCells = 0;
  row.cells.forEach((raw, index) => {
    const text = raw.trim();
    if (text.length > 100) longCells++;
    const reading = readHeader(text);
    if (reading) (claims[reading.field] ??= []).push({ column: index + 1, strength: reading.strength });
  });
  const columns: Partial<Record<ImportField, number>> = {};
  for (const [field, list] of Object.entries(claims) as Array<[ImportField, HeaderClaim[]]>) {
    list.sort((a, b) => b.strength - a.strength || a.column - b.column);
    columns[field] = list[0]!.column;
  }
  const answerLabel = row.cells.some((c) => ANSWER_LABELS.has(normalLabel(c)));
  const named = Object.keys(columns).length + (answerLabel ? 1 : 0);
  const score = named + (columns.question !== undefined ? 0.5 : 0) - 0.5 * longCells;
  return { row: row.row, score, named, columns, claims };
}

/**
 * The best-scoring header row among the first rows (earliest wins a tie), or null when no row names two fields (the
 * vendor's answer column counting as one, so "General | Answer | Additional Information | Guidance" is a header).
 */
export function detectHeaderRow(rows: GridRow[]): HeaderCandidate | null {
  let best: HeaderCandidate | null = null;
  for (const row of rows) {
    if (row.row > HEADER_SEARCH_ROWS) break;
    const candidate = scoreHeaderRow(row);
    if (!best || candidate.score > best.score) best = candidate;
  }
  return best && best.named >= 2 && Object.keys(best.columns).length >= 1 && best.score >= 2 ? best : null;
}

/** Reads a sheet sideways: original column c becomes row c. Merged spans do not survive the turn. */
export function transposeRows(rows: GridRow[]): GridRow[] {
  const out = new Map<number, string[]>();
  for (const row of rows) {
    row.cells.forEach((text, index) => {
      if (text === '') return;
      const cells = out.get(index + 1) ?? [];
      cells[row.row - 1] = text;
      out.set(index + 1, cells);
    });
  }
  return [...out.keys()]
    .sort((a, b) => a - b)
    .map((r) => ({ row: r, cells: Array.from(out.get(r)!, (c) => c ?? '') }));
}

/** Fields whose values are short by nature, with the longest mean value length that still fits. */
const SHORT_FIELDS: Array<[ImportField, number]> = [
  ['section', 120],
  ['answerType', 40],
  ['required', 20],
];

interface ColumnStats {
  filled: number;
  keyLike: number;
  questionMarks: number;
  totalLength: number;
  distinct: number;
}

/** Most values look like codes ("1.2", "AC-1"): an identifier column, not text. */
function mostlyKeys(s: ColumnStats): boolean {
  return s.filled > 0 && s.keyLike >= s.filled * 0.8;
}

/** Values repeat too often for a key column (a few duplicates are mistakes the preview reports; many mean another kind of column). */
function repeats(s: ColumnStats): boolean {
  return s.filled >= 4 && s.distinct < s.filled * 0.8;
}

function columnStats(dataRows: GridRow[], column: number): ColumnStats {
  const values = dataRows.map((r) => cellAt(r, column)).filter((v) => v !== '');
  return {
    filled: values.length,
    keyLike: values.filter(looksLikeKey).length,
    questionMarks: values.filter((v) => v.includes('?')).length,
    totalLength: values.reduce((sum, v) => sum + v.length, 0),
    distinct: new Set(values.map((v) => v.toLowerCase())).size,
  };
}

/** What the mapping screen starts from: a mapping plus what the officer needs to check it. */
export interface Proposal {
  mapping: ImportMapping;
  /** How sure: the header score plus what the content confirmed; used to choose between orientations. */
  score: number;
  /** How much the sheet looks like a questionnaire under this mapping (see sheet-likeness.ts); used to choose between sheets. */
  likeness: number;
  /** Non-empty lines below the header row. */
  dataRows: number;
  headers: string[];
  sampleRows: string[][];
  warnings: string[];
  columnCount: number;
}

/**
 * Proposes a mapping for one sheet read one way. The header row gives most fields; the content then checks them: a key
 * column must hold short values, a "Ref" column of long text is references, and a missing key or question column is
 * guessed from what the cells look like (short unique codes; text with question marks) — with a warning, because it is a guess.
 * A depth tree and an in-scope mark column are proposed when the sheet has them (tree-proposal.ts). `chosenHeaderRow`
 * (the officer's choice; 0 = none) replaces the header search.
 */
export function proposeForRows(sheetName: string, rows: GridRow[], orientation: 'rows' | 'columns', chosenHeaderRow?: number): Proposal {
  const warnings: string[] = [];
  const line = orientation === 'columns' ? 'column' : 'row';
  const nonEmpty = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  let detected: HeaderCandidate | null;
  let headerRow: number;
  if (chosenHeaderRow !== undefined) {
    // The officer's choice stands; the columns are re-read from that row alone (0: no header row, every line is data).
    headerRow = chosenHeaderRow;
    const chosen = chosenHeaderRow === 0 ? undefined : rows.find((r) => r.row === chosenHeaderRow);
    detected = chosen ? scoreHeaderRow(chosen) : null;
    if (chosenHeaderRow > 0 && Object.keys(detected?.columns ?? {}).length === 0) {
      warnings.push(`${line === 'row' ? 'Row' : 'Column'} ${chosenHeaderRow} names none of the fields, so the columns are guessed from what they hold. Check them before previewing.`);
    }
  } else {
    detected = detectHeaderRow(nonEmpty);
    headerRow = detected?.row ?? nonEmpty[0]?.row ?? 1;
    if (!detected) warnings.push(`No header row was recognised, so ${line} ${headerRow} is taken as the header. Check it and choose the columns yourself.`);
  }
  const columns: Partial<Record<ImportField, number>> = { ...detected?.columns };
  let score = detected?.score ?? 0;
  const headerCells = rows.find((r) => r.row === headerRow)?.cells ?? [];
  const dataRows = nonEmpty.filter((r) => r.row > headerRow);
  const sample = dataRows.slice(0, 200);
  const columnCount = Math.max(headerCells.length, ...nonEmpty.map((r) => r.cells.length), 0);
  const stats = new Map<number, ColumnStats>();
  const statsOf = (c: number) => {
    let s = stats.get(c);
    if (!s) stats.set(c, (s = columnStats(sample, c)));
    return s;
  };
  const meanLength = (c: number) => {
    const s = statsOf(c);
    return s.filled === 0 ? 0 : s.totalLength / s.filled;
  };
  // Columns that carry structure (a depth tree, an in-scope mark) are never guessed to be a field.
  const structural = new Set<number>();
  const taken = () => new Set([...Object.values(columns), ...structural]);

  const claims = detected?.claims ?? {};
  // Several columns named like the question ("Control specification", "Question"): the most plainly named wins, and only
  // among equally named ones the wordiest. A column of codes is not the text, however it is headed.
  const questionClaims = claims.question ?? [];
  if (questionClaims.length > 1) {
    const textual = questionClaims.filter((c) => !mostlyKeys(statsOf(c.column)));
    const pool = textual.length > 0 ? textual : questionClaims;
    const top = Math.max(...pool.map((c) => c.strength));
    columns.question = pool.filter((c) => c.strength === top).reduce((a, b) => (meanLength(b.column) > meanLength(a.column) ? b : a)).column;
  }

  // The key is the most plainly named key column whose values are short and unique. "Ref" of long text often means
  // references; a "Control ID" repeated on every question of the control is not the question's key.
  const keyClaims = claims.key ?? [];
  delete columns.key;
  keyClaims.forEach((claim, index) => {
    if (columns.key !== undefined) return;
    const header = headerCells[claim.column - 1]?.trim() ?? '';
    if (meanLength(claim.column) > 40) {
      score -= 1;
      if (index === 0 && columns.references === undefined && /(^|[^a-z])ref/i.test(header)) {
        columns.references = claim.column;
        score += 1;
      }
      return;
    }
    const s = statsOf(claim.column);
    if (repeats(s)) {
      score -= 1;
      warnings.push(
        `Column ${claim.column}${header ? ` (“${header.slice(0, 40)}”)` : ''} is headed like a key, but its values repeat (${s.distinct} different in ${s.filled} ${line}s), so it is not proposed as the key: keys must be unique. Choose the key column yourself if the questions have one.`,
      );
      return;
    }
    columns.key = claim.column;
  });
  // Short-valued fields holding paragraphs were named by accident ("section_actions" is not a section).
  for (const [field, limit] of SHORT_FIELDS) {
    const column = columns[field];
    if (column === undefined) continue;
    const s = statsOf(column);
    // A section names several questions; a different sentence on every line is something else.
    const everyLineDifferent = field === 'section' && s.filled >= 5 && s.distinct === s.filled && meanLength(column) > 40;
    if (meanLength(column) > limit || everyLineDifferent) {
      delete columns[field];
      score -= 1;
    }
  }
  const filter = findFilterColumn(headerCells, dataRows, taken());
  if (filter) structural.add(filter.column);
  const depthSource = findDepthSource(headerCells, dataRows, taken());
  if (depthSource?.source === 'column') structural.add(depthSource.column);

  if (columns.key === undefined && sample.length > 0) {
    for (let c = 1; c <= columnCount; c++) {
      if (taken().has(c)) continue;
      const s = statsOf(c);
      if (s.filled >= Math.max(1, sample.length * 0.5) && s.keyLike >= s.filled * 0.8 && s.distinct >= s.filled * 0.9) {
        columns.key = c;
        score += 1;
        break;
      }
    }
  }
  if (columns.question === undefined && sample.length > 0) {
    let best: { column: number; rank: number } | null = null;
    for (let c = 1; c <= columnCount; c++) {
      if (taken().has(c)) continue;
      const s = statsOf(c);
      if (s.filled < sample.length * 0.5 || meanLength(c) < 15) continue;
      // Questions end in question marks; otherwise the wordiest column.
      const rank = (s.questionMarks / s.filled) * 1_000_000 + meanLength(c);
      if (!best || rank > best.rank) best = { column: c, rank };
    }
    if (best) {
      columns.question = best.column;
      const label = headerCells[best.column - 1]?.trim();
      warnings.push(
        `No column is headed like the question text; column ${best.column}${label ? ` (“${label.slice(0, 40)}”)` : ''} is proposed because of what it holds. Check it before previewing.`,
      );
    } else {
      warnings.push('No column looks like the question text. Choose the question column before previewing.');
    }
  }
  if (columns.question !== undefined) score += 0.5 + Math.min(1, dataRows.length / 20);

  const structure: Pick<ImportMapping, 'depth' | 'sectionDepth' | 'onlyDepth' | 'filter'> = {};
  const labelOf = (column: number) => {
    const label = headerCells[column - 1]?.trim();
    return `column ${column}${label ? ` (“${label.slice(0, 40)}”)` : ''}`;
  };
  if (filter) {
    structure.filter = { column: filter.column, value: filter.value };
    warnings.push(
      `Only the ${line}s marked “${filter.value}” in ${labelOf(filter.column)} are proposed for import (${count(filter.kept)} of ${count(filter.rows)}). Clear the filter to import every ${line}.`,
    );
  }
  const depths = depthSource ? proposeDepths(dataRows, depthSource, columns.question, filter) : null;
  if (depthSource && depths) {
    Object.assign(structure, { depth: depthSource, ...depths });
    const where = depthSource.source === 'column' ? `${labelOf(depthSource.column)} gives` : `The ${line}s’ outline levels (grouping) give`;
    const only = depths.onlyDepth !== undefined ? `, keeping only the questions at depth ${depths.onlyDepth}` : '';
    warnings.push(
      `${where.charAt(0).toUpperCase()}${where.slice(1)} each ${line}’s depth in a tree: ${line}s at depth ${depths.sectionDepth} are proposed as section headings and deeper ${line}s as questions${only}. Choose another depth if the sections are wrong.`,
    );
  }

  const named = new Set((Object.keys(columns) as ImportField[]).filter((f) => (detected?.claims[f] ?? []).some((c) => c.column === columns[f])));
  const headerFound = Object.keys(detected?.columns ?? {}).length > 0;
  const likeness = questionnaireLikeness({ headerCells, headerFound, columns, named, dataRows });

  const width = Math.max(columnCount, ...Object.values(columns));
  const pad = (cells: string[]) => Array.from({ length: width }, (_, i) => cells[i] ?? '');
  return {
    mapping: { sheet: sheetName, headerRow, columns: orderColumns(columns), orientation, ...structure },
    score,
    likeness,
    dataRows: dataRows.length,
    headers: pad(headerCells).map((h) => h.trim()),
    sampleRows: dataRows.slice(0, SAMPLE_ROWS).map((r) => pad(r.cells)),
    warnings,
    columnCount: width,
  };
}

const count = (n: number) => n.toLocaleString('en-US');

function orderColumns(columns: Partial<Record<ImportField, number>>): Partial<Record<ImportField, number>> {
  const out: Partial<Record<ImportField, number>> = {};
  for (const field of Object.keys(IMPORT_FIELD_LABELS) as ImportField[]) if (columns[field] !== undefined) out[field] = columns[field];
  return out;
}

/** A sheet this few rows tall and this much wider could be a sideways questionnaire (one question per column). */
function couldBeSideways(sheet: SheetGrid): boolean {
  return sheet.rowCount > 0 && sheet.rowCount <= 64 && sheet.columnCount >= 2 * sheet.rowCount;
}

/**
 * Proposes a mapping for one sheet, trying it sideways too when its shape allows. With `headerRow` (the officer chose
 * it; 0 = no header row) the mapping is proposed afresh for that row, read `orientation`-wise (default the right way
 * up): labels, columns and sample rows all come from that row and the lines below it, nothing from an earlier proposal.
 */
export function proposeForSheet(sheet: SheetGrid, headerRow?: number, orientation: 'rows' | 'columns' = 'rows'): Proposal {
  if (headerRow !== undefined) {
    return proposeForRows(sheet.name, orientation === 'columns' ? transposeRows(sheet.rows) : sheet.rows, orientation, headerRow);
  }
  const normal = proposeForRows(sheet.name, sheet.rows, 'rows');
  if (!couldBeSideways(sheet)) return normal;
  const sideways = proposeForRows(sheet.name, transposeRows(sheet.rows), 'columns');
  if (sideways.score <= normal.score) return normal;
  sideways.warnings.unshift(
    `“${sheet.name}” looks sideways — one question per column, with the field names down column ${sideways.mapping.headerRow} — so it is read that way. Row and column numbers below count accordingly.`,
  );
  return sideways;
}

/** One sheet as the mapping screen lists it: its non-empty rows below the header, and how much it looks like the questionnaire. */
export interface SheetRank {
  name: string;
  rows: number;
  score: number;
  hidden: boolean;
}

/**
 * Proposes a mapping for the sheet that looks most like a questionnaire (hidden sheets only when nothing visible has
 * data), or for the one the officer asked for, and ranks every sheet so the screen can offer the others. The ranking
 * lists visible sheets with data by score (workbook order among equals), then hidden ones, then empty ones; without a
 * preferred sheet its first entry is the proposed sheet.
 */
export function proposeForWorkbook(sheets: SheetGrid[], preferred?: string): Proposal & { sheetName: string; ranking: SheetRank[] } {
  if (preferred !== undefined && !sheets.some((s) => s.name === preferred)) throw new Error(`No sheet named ${preferred}`);
  const proposals = sheets.map((sheet, index) => {
    const proposal = sheet.rowCount === 0 && sheet.name !== preferred ? null : proposeForSheet(sheet);
    const tier = proposal === null || proposal.dataRows === 0 ? 2 : sheet.hidden ? 1 : 0;
    return { sheet, index, proposal, tier };
  });
  const ranked = [...proposals].sort((a, b) => a.tier - b.tier || (b.proposal?.likeness ?? 0) - (a.proposal?.likeness ?? 0) || a.index - b.index);
  const ranking = ranked.map(({ sheet, proposal }) => ({
    name: sheet.name,
    rows: proposal?.dataRows ?? 0,
    score: proposal?.likeness ?? 0,
    hidden: sheet.hidden === true,
  }));
  const chosen = preferred !== undefined ? proposals.find((p) => p.sheet.name === preferred)! : ranked[0]!;
  const proposal = chosen.proposal ?? proposeForSheet(chosen.sheet);
  if (preferred === undefined && sheets.filter((s) => s.rowCount > 0).length > 1) {
    proposal.warnings.push(
      `The workbook has ${sheets.length} sheets; “${chosen.sheet.name}” looks most like the questionnaire. Choose another sheet if that is wrong.`,
    );
  }
  return { ...proposal, sheetName: chosen.sheet.name, ranking };
}
