import { codeKey, ruleForCode, ruleForValidation, withShares } from './answer-types';
import type {
  AnswerType,
  AnswerTypeRule,
  ExistingQuestion,
  GridRow,
  ImportField,
  ImportMapping,
  ImportPlan,
  PreviewQuestion,
  PreviewResult,
  PreviewSection,
  RowFate,
  SheetGrid,
  WorkbookGrid,
} from './import-types.server';
import { IMPORT_FIELD_LABELS } from './import-types.server';
import { isValidKey, keyIdentity, KEY_MAX_CHARS, KEY_RULE_TEXT, normaliseKey } from './keys';
import { cellAt, classifyHeader, transposeRows } from './mapping.server';
import { type Heading, headerRowTitle, headingTitle, type HeadingContext, sectionHeadingFinder } from './section-headings';

/**
 * Turns a parsed workbook and the officer's plan (which sheets, each one's mapping, the answer-type and share tables,
 * what to do with keys already in the RFP) into sections and questions, with the fate of every line and a reason for
 * every line left out. Pure: the same grid, plan and existing keys always give the same preview (and the same
 * generated keys), which is what lets the save store exactly what was previewed.
 */

export { recogniseAnswerType } from './answer-types';
export { KEY_PATTERN } from './keys';

/**
 * Caps on what one question may carry. They match what the vendor workbook and the screens can show; anything over is
 * skipped or cut with a message, never silently.
 */
export const QUESTION_MAX_CHARS = 4_000;
export const GUIDANCE_MAX_CHARS = 8_000;
export const SECTION_TITLE_MAX_CHARS = 200;
export const OPTION_MAX_CHARS = 500;
export const MAX_OPTIONS = 100;
export const REFERENCE_MAX_CHARS = 500;
export const MAX_REFERENCES = 50;

/** The widest sheet Excel allows; a mapped column beyond it cannot be a column of the file. */
const MAX_SHEET_COLUMNS = 16_384;

/** Thrown for a plan that cannot apply to the file (no question column, a column used twice, no such sheet); the caller answers 400. */
export class MappingProblem extends Error {
  override readonly name = 'MappingProblem';
}

/** Checks the parts of a mapping that do not depend on the file's content. */
export function checkMapping(mapping: ImportMapping, maxColumns: number): void {
  if (mapping.columns.question === undefined) throw new MappingProblem('Choose the column that holds the question text.');
  const used = new Map<number, ImportField>();
  const inside = (what: string, column: number) => {
    if (!Number.isInteger(column) || column < 1 || column > maxColumns) {
      throw new MappingProblem(`${what} is mapped to column ${column}, which is outside the sheet (1–${maxColumns}).`);
    }
  };
  for (const [field, column] of Object.entries(mapping.columns) as Array<[ImportField, number]>) {
    inside(IMPORT_FIELD_LABELS[field], column);
    const other = used.get(column);
    if (other) throw new MappingProblem(`Column ${column} is mapped to both ${IMPORT_FIELD_LABELS[other]} and ${IMPORT_FIELD_LABELS[field]}; choose one.`);
    used.set(column, field);
  }
  if (mapping.depth?.source === 'column') inside('The depth', mapping.depth.column);
  if (mapping.filter) inside('The filter', mapping.filter.column);
}

const REQUIRED_TRUE = new Set(['yes', 'y', 'true', 'x', '✓', '✔', 'required', 'mandatory', 'must', 'm', 'r', 'req', '1', 'compulsory']);
const REQUIRED_FALSE = new Set(['no', 'n', 'false', 'optional', 'opt', 'o', '0', '-', 'n/a', 'na']);

/** Reads a required flag; null when the wording is not a yes or a no. Blank is "not required". */
export function recogniseRequired(raw: string): boolean | null {
  const value = raw.trim().toLowerCase();
  if (value === '') return false;
  if (REQUIRED_TRUE.has(value)) return true;
  if (REQUIRED_FALSE.has(value)) return false;
  if (/^(yes|required|mandatory|must)\b/.test(value)) return true;
  if (/^(no|optional|not required)\b/.test(value)) return false;
  return null;
}

/** Splits a list cell, dropping bullets, blanks and repeats (case-insensitive, first spelling kept). */
export function splitList(raw: string, separators: RegExp): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(separators)) {
    const item = part.replace(/^\s*(?:[-*•·▪◦]\s+)?/, '').trim();
    if (item === '' || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    out.push(item);
  }
  return out;
}

/** Options split on line breaks, semicolons or pipes (commas stay: "Yes, with conditions" is one option). */
export const splitOptions = (raw: string) => splitList(raw, /\n|;|\|/);
/** References split on semicolons or line breaks. */
export const splitReferences = (raw: string) => splitList(raw, /\n|;/);

/** Where a line is, for messages: "row 7", or "“Controls” row 7" when several sheets are imported. */
interface Place {
  sheet: string;
  row: number;
  line: 'row' | 'column';
}

interface Draft {
  question: PreviewQuestion;
  section: string;
  fate: RowFate;
  keyMissing: boolean;
}

/** Collects warnings of one kind so that a thousand rows give one line, not a thousand. */
class Tally {
  private readonly items: string[] = [];
  add(item: string): void {
    this.items.push(item);
  }
  get count(): number {
    return this.items.length;
  }
  list(max = 8): string {
    return this.items.slice(0, max).join(', ') + (this.items.length > max ? `, and ${this.items.length - max} more` : '');
  }
}

function collapse(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** Cell text as the question should keep it: line breaks kept, each line's trailing spaces and the ends trimmed. */
function keepLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .trim();
}

const clip = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Reads a depth cell: "3" is depth 3, or, in a column of outline numbers ("1", "1.2", "1.2.3"), the count of parts. */
function depthReader(lines: GridRow[], mapping: ImportMapping): ((row: GridRow) => number | null) | null {
  const depth = mapping.depth;
  if (!depth) return null;
  if (depth.source === 'outline') return (row) => row.outline ?? 0;
  const column = depth.column;
  const outlineNumbers = lines.some((r) => /^\d+(\.\d+)+\.?$/.test(cellAt(r, column)));
  return (row) => {
    const value = cellAt(row, column);
    if (outlineNumbers && /^\d+(\.\d+)*\.?$/.test(value)) return value.split('.').filter((p) => p !== '').length;
    const level = /^(?:level|lvl|l)?\s*(\d{1,3})$/i.exec(value);
    return level ? Number(level[1]) : null;
  };
}

/**
 * Per-line lookup of the answer type the first readable data validation covering an answer cell gives (leftmost
 * column first), with the notes of unreadable ones in the way. Built once per sheet in one sweep over the validations'
 * (already clipped) ranges, so a sheet with thousands of single-cell validations costs no more than one with a few.
 */
function validationReader(sheet: SheetGrid, mapping: ImportMapping, orientation: 'rows' | 'columns', lastLine: number): (line: number) => { rule: AnswerTypeRule | null; notes: string[] } {
  const none = { rule: null, notes: [] };
  const validations = sheet.validations ?? [];
  if (validations.length === 0) return () => none;
  // Mapped columns hold the question's own parts (a "Required" or "Type" dropdown is not the answer's), so they never give the answer type.
  const excluded = new Set<number>(Object.values(mapping.columns));
  if (mapping.filter) excluded.add(mapping.filter.column);
  if (mapping.depth?.source === 'column') excluded.add(mapping.depth.column);
  const best = new Map<number, { column: number; rule: AnswerTypeRule }>();
  const notes = new Map<number, string[]>();
  for (const validation of validations) {
    const rule = ruleForValidation(validation);
    if (!rule && !validation.note) continue;
    for (const range of validation.ranges) {
      const [lineFrom, lineTo, from, to] = orientation === 'rows' ? [range.top, range.bottom, range.left, range.right] : [range.left, range.right, range.top, range.bottom];
      let column = from;
      while (column <= to && excluded.has(column)) column++;
      if (column > to) continue;
      for (let line = Math.max(1, lineFrom); line <= Math.min(lineTo, lastLine); line++) {
        if (!rule) {
          const list = notes.get(line) ?? [];
          list.push(validation.note!);
          notes.set(line, list);
          continue;
        }
        const current = best.get(line);
        if (!current || column < current.column) best.set(line, { column, rule });
      }
    }
  }
  return (line) => ({ rule: best.get(line)?.rule ?? null, notes: notes.get(line) ?? [] });
}

/**
 * Builds the preview of a plan: each sheet of `plan.sheets` in order under its own mapping. `existing` are the RFP's
 * questions, for the collision check. Throws `MappingProblem` when the plan does not fit the workbook.
 */
export function buildImportPreview(grid: WorkbookGrid, plan: ImportPlan, existing: ExistingQuestion[]): PreviewResult {
  const steps = previewSteps(grid, plan, existing);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Lines read between two pauses of `buildImportPreviewInSlices`: a few milliseconds of work on this machine. */
const LINES_PER_SLICE = 400;

/**
 * The same preview, built in slices that let the server answer other requests in between: a 5,000-question sheet is
 * some 70–100 ms of work on one core (several times that on a busy one), more than one request may hold the event
 * loop. The result is identical to `buildImportPreview`'s.
 */
export async function buildImportPreviewInSlices(grid: WorkbookGrid, plan: ImportPlan, existing: ExistingQuestion[]): Promise<PreviewResult> {
  const steps = previewSteps(grid, plan, existing);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The preview's one implementation, pausing (yielding) every `LINES_PER_SLICE` lines read. */
function* previewSteps(grid: WorkbookGrid, plan: ImportPlan, existing: ExistingQuestion[]): Generator<void, PreviewResult, void> {
  let linesRead = 0;
  if (plan.sheets.length === 0) throw new MappingProblem('Choose at least one sheet to import.');
  const onCollision = plan.onCollision ?? 'skip';
  const many = plan.sheets.length > 1;
  const placeText = (p: Place) => (many ? `“${p.sheet}” ${p.line} ${p.row}` : `${p.line} ${p.row}`);

  // Each mapping finds its sheet (a CSV has one, whatever the mapping calls it).
  const chosen = plan.sheets.map((mapping) => {
    checkMapping(mapping, MAX_SHEET_COLUMNS);
    const sheet = grid.kind === 'csv' ? grid.sheets[0] : grid.sheets.find((s) => s.name === mapping.sheet);
    if (!sheet) throw new MappingProblem(`The workbook has no sheet named “${mapping.sheet}”. Its sheets are ${grid.sheets.map((s) => `“${s.name}”`).join(', ')}.`);
    const orientation = mapping.orientation ?? 'rows';
    const lines = orientation === 'columns' ? transposeRows(sheet.rows) : sheet.rows;
    return { mapping, sheet, orientation, lines };
  });
  const names = new Set<string>();
  for (const { sheet } of chosen) {
    if (names.has(sheet.name)) throw new MappingProblem(`The sheet “${sheet.name}” is chosen twice; import each sheet once.`);
    names.add(sheet.name);
  }

  const existingByKey = new Map(existing.map((q) => [keyIdentity(q.key), q] as const));
  // Every valid key the file holds, so neither generated keys nor new keys for collisions take one of them.
  const fileKeys = new Set<string>();
  for (const { mapping, lines } of chosen) {
    const keyColumn = mapping.columns.key;
    if (keyColumn === undefined) continue;
    for (const row of lines) {
      if (row.row <= mapping.headerRow) continue;
      const key = normaliseKey(cellAt(row, keyColumn));
      if (key && isValidKey(key)) fileKeys.add(key.toLowerCase());
    }
  }
  const claimed = new Set<string>();
  const isTaken = (identity: string) => fileKeys.has(identity) || existingByKey.has(identity) || claimed.has(identity);

  const rows: RowFate[] = [];
  const skipped: PreviewResult['skipped'] = [];
  const warnings: string[] = [];
  const drafts: Draft[] = [];
  const headings: Array<{ title: string; place: Place }> = [];
  const collisions: PreviewResult['collisions'] = [];
  const firstUse = new Map<string, Place>();
  const codes = new Map<string, { code: string; count: number; rule: AnswerTypeRule; recognised: boolean }>();
  const unknownTypes = new Map<string, Place[]>();
  const unknownRequired = new Map<string, Place[]>();
  const invalidKeys = new Tally();
  const choiceWithoutOptions = new Tally();
  const guidanceCut = new Tally();
  const listCut = new Tally();
  const titleCut = new Tally();
  const validationNotes = new Set<string>();
  let totalRows = 0;
  let blankRows = 0;

  const skip = (fate: RowFate, reason: string, kind: 'skipped' | 'filtered' = 'skipped') => {
    fate.fate = kind;
    fate.reason = reason;
    skipped.push({ sheet: fate.sheet, row: fate.row, reason });
  };
  const cutTitle = (raw: string, place: Place) => {
    const title = collapse(raw);
    if (title.length <= SECTION_TITLE_MAX_CHARS) return title;
    titleCut.add(placeText(place));
    return title.slice(0, SECTION_TITLE_MAX_CHARS).trimEnd();
  };

  for (const { mapping, sheet, orientation, lines } of chosen) {
    const line = orientation === 'columns' ? 'column' : 'row';
    const col = mapping.columns;
    const questionCol = col.question!;
    const has = (field: ImportField) => col[field] !== undefined;
    const get = (row: GridRow, field: ImportField) => (col[field] === undefined ? '' : cellAt(row, col[field]));
    const headerCells = lines.find((r) => r.row === mapping.headerRow)?.cells ?? [];
    const filled = lines.filter((r) => r.row > mapping.headerRow && r.cells.some((c) => c.trim() !== ''));
    const lastRow = filled.length > 0 ? filled[filled.length - 1]!.row : mapping.headerRow;
    const sheetRows = Math.max(0, lastRow - mapping.headerRow);
    totalRows += sheetRows;
    blankRows += sheetRows - filled.length;

    // Lines with nothing but question-column text are the ones in doubt, so they do not count either way. When nearly
    // every other question line carries a key or an answer-type code (or a required flag), such a lone line is a
    // heading: a banner whose merge was lost (a CSV saved from a merged banner row keeps only its text).
    const companions: ImportField[] = ['key', 'answerType', 'required'];
    const companionCounts = new Map<ImportField, number>();
    let questionRows = 0;
    for (const row of filled) {
      const lone = row.cells.filter((c) => c.trim() !== '').length === 1;
      if (!get(row, 'question') || lone) continue;
      questionRows++;
      for (const field of companions) {
        const value = field === 'key' ? normaliseKey(get(row, 'key')) : get(row, field);
        if (has(field) && value) companionCounts.set(field, (companionCounts.get(field) ?? 0) + 1);
      }
    }
    const companionIsTheRule = questionRows > 0 && [...companionCounts.values()].some((n) => n / questionRows >= 0.8);
    const context: HeadingContext = {
      headerCells,
      hasSection: has('section'),
      sectionColumn: col.section,
      keyColumn: col.key,
      questionColumn: questionCol,
      loneLinesAreHeadings: companionIsTheRule,
      maxTitle: SECTION_TITLE_MAX_CHARS,
      isFieldLabel: (text) => classifyHeader(text) !== null,
    };
    const findSectionHeading = sectionHeadingFinder(context);
    const depthOf = depthReader(lines, mapping);
    const validationFor = validationReader(sheet, mapping, orientation, lines.length > 0 ? lines[lines.length - 1]!.row : 0);
    const sheetTitle = cutTitle(sheet.name, { sheet: sheet.name, row: mapping.headerRow, line });
    // Repeated header rows that carry section names often start with the header row itself ("General | Answer | Notes"):
    // then the questions above the first repeat belong to the header row's title, not to the sheet.
    let currentSection = sheetTitle;
    const headerTitle = context.hasSection || mapping.sheetIsSection ? null : headerRowTitle(headerCells, context);
    if (headerTitle && filled.some((r) => isRepeatedHeaderSection(findSectionHeading(r)))) {
      currentSection = cutTitle(headerTitle, { sheet: sheet.name, row: mapping.headerRow, line });
    }
    const filter = mapping.filter;
    const filterLabel = filter ? `column ${filter.column}${headerCells[filter.column - 1]?.trim() ? ` (“${clip(headerCells[filter.column - 1]!.trim(), 40)}”)` : ''}` : '';

    const startSection = (raw: string, fate: RowFate, place: Place) => {
      const title = cutTitle(raw, place);
      if (mapping.sheetIsSection) {
        skip(fate, `a section heading (“${clip(title)}”) not used: every question of this sheet goes in the section “${clip(sheetTitle)}”`);
        return;
      }
      currentSection = title;
      fate.fate = 'section';
      fate.reason = `section heading “${clip(title)}”`;
      headings.push({ title, place });
    };

    for (const row of filled) {
      if (++linesRead % LINES_PER_SLICE === 0) yield;
      const place: Place = { sheet: sheet.name, row: row.row, line };
      const fate: RowFate = { sheet: sheet.name, row: row.row, fate: 'question' };
      rows.push(fate);
      const question = keepLines(get(row, 'question'));
      const depth = depthOf?.(row) ?? null;

      if (depth !== null && mapping.sectionDepth !== undefined && depth <= mapping.sectionDepth) {
        if (depth === mapping.sectionDepth) {
          const title = headingTitle(normaliseKey(get(row, 'key')), collapse(question)) || collapse(row.cells.find((c) => c.trim() !== '') ?? '');
          startSection(title, fate, place);
        } else {
          skip(fate, `above the section level (depth ${depth}; sections are depth ${mapping.sectionDepth})`);
        }
        continue;
      }
      if (depth === null) {
        const heading = findSectionHeading(row);
        if (heading?.kind === 'header') {
          fate.fate = 'header';
          fate.reason = 'repeats the header row';
          continue;
        }
        if (heading?.kind === 'section') {
          startSection(heading.title, fate, place);
          continue;
        }
      }

      // A question candidate. Its section cell moves the section on even when the row itself is filtered out or skipped.
      if (has('section') && !mapping.sheetIsSection) {
        const value = get(row, 'section');
        if (value) currentSection = cutTitle(value, place);
      }
      if (filter) {
        const value = cellAt(row, filter.column);
        if (value.toLowerCase() !== filter.value.trim().toLowerCase()) {
          skip(fate, `not kept: ${filterLabel} is ${value ? `“${clip(value, 40)}”` : 'empty'}, not “${clip(filter.value.trim(), 40)}”`, 'filtered');
          continue;
        }
      }
      if (depthOf && mapping.onlyDepth !== undefined && depth !== mapping.onlyDepth) {
        skip(fate, depth === null ? `not kept: no depth here; only depth ${mapping.onlyDepth} is kept` : `not kept: depth ${depth}; only depth ${mapping.onlyDepth} is kept`, 'filtered');
        continue;
      }
      if (!question) {
        skip(fate, 'no question text');
        continue;
      }
      if (question.length > QUESTION_MAX_CHARS) {
        skip(
          fate,
          `question text is ${question.length.toLocaleString('en-US')} characters; the limit is ${QUESTION_MAX_CHARS.toLocaleString('en-US')} (shorten it in the spreadsheet)`,
        );
        continue;
      }

      const rawKey = get(row, 'key');
      let key = normaliseKey(rawKey);
      if (key && !isValidKey(key)) {
        invalidKeys.add(placeText(place));
        skip(
          fate,
          key.length > KEY_MAX_CHARS
            ? `key “${clip(key, 44)}” is longer than ${KEY_MAX_CHARS} characters (shorten it in the spreadsheet, or unmap the key column to generate keys)`
            : `key “${clip(key, 44)}” has characters a key cannot have: keys use ${KEY_RULE_TEXT} (change it in the spreadsheet, or unmap the key column to generate keys)`,
        );
        continue;
      }
      let action: PreviewQuestion['action'] = 'add';
      let existingId: string | undefined;
      if (key) {
        const identity = key.toLowerCase();
        const first = firstUse.get(identity);
        if (first) {
          const where = first.sheet === sheet.name ? `${first.line} ${first.row}` : `“${first.sheet}” ${first.line} ${first.row}`;
          skip(fate, `duplicate key ${key} (first used on ${where})`);
          continue;
        }
        firstUse.set(identity, place);
        const taken = existingByKey.get(identity);
        if (taken) {
          const base = { sheet: sheet.name, row: row.row, key, existingId: taken.id, existingText: clip(taken.text, 200) };
          if (onCollision === 'skip') {
            collisions.push({ ...base, outcome: 'skipped' });
            skip(fate, `key ${key} is already in this RFP (“${clip(taken.text)}”); choose to update those questions or to add them with new keys to import it`);
            continue;
          }
          if (onCollision === 'update') {
            // The question keeps its key as the RFP spells it: an update changes what it asks, not how it is known.
            action = 'update';
            existingId = taken.id;
            key = taken.key;
            collisions.push({ ...base, outcome: 'updated' });
          } else {
            key = freeKey(key, isTaken);
            collisions.push({ ...base, outcome: 'renamed', newKey: key });
          }
        }
        claimed.add(key.toLowerCase());
      }

      let guidance: string | null = keepLines(get(row, 'guidance')) || null;
      if (guidance && guidance.length > GUIDANCE_MAX_CHARS) {
        guidanceCut.add(`${placeText(place)} (${guidance.length.toLocaleString('en-US')} characters)`);
        guidance = guidance.slice(0, GUIDANCE_MAX_CHARS).trimEnd();
      }
      let fileOptions = splitOptions(get(row, 'options'));
      if (fileOptions.length > MAX_OPTIONS || fileOptions.some((o) => o.length > OPTION_MAX_CHARS)) {
        listCut.add(`options on ${placeText(place)}`);
        fileOptions = capOptions(fileOptions);
      }
      let references = splitReferences(get(row, 'references'));
      if (references.length > MAX_REFERENCES || references.some((r) => r.length > REFERENCE_MAX_CHARS)) {
        listCut.add(`references on ${placeText(place)}`);
        references = references.slice(0, MAX_REFERENCES).map((r) => r.slice(0, REFERENCE_MAX_CHARS));
      }

      // The answer type: the answer-type column, then the options column, then a dropdown on the row, else free text.
      const { rule: validationRule, notes } = validationFor(row.row);
      for (const note of notes) validationNotes.add(note);
      const validationOptions = validationRule && validationRule.type !== 'number' ? capOptions(validationRule.options) : [];
      let answerType: AnswerType = 'text';
      let typeSource: PreviewQuestion['typeSource'] = 'default';
      let labels: string[] = [];
      const rawType = collapse(get(row, 'answerType'));
      let columnRule: AnswerTypeRule | null = null;
      if (rawType) {
        // Each distinct code is looked up once; a thousand rows of "YNA" share one entry of the table.
        let code = codes.get(codeKey(rawType));
        if (code) code.count++;
        else {
          const found = ruleForCode(rawType, plan.answerTypeCodes);
          code = { code: clip(rawType, 40), count: 1, rule: found ?? { type: 'text', options: [] }, recognised: found !== null };
          codes.set(codeKey(rawType), code);
        }
        if (code.recognised) columnRule = code.rule;
        else remember(unknownTypes, code.code, place);
      }
      if (columnRule) {
        answerType = columnRule.type;
        typeSource = 'column';
        if (answerType === 'yes_no') labels = columnRule.options.length > 0 ? columnRule.options : ['Yes', 'No'];
        else if (answerType === 'choice' || answerType === 'multi_choice') {
          labels = columnRule.options.length > 0 ? capOptions(columnRule.options) : fileOptions.length > 0 ? fileOptions : validationOptions;
          if (labels.length === 0) {
            choiceWithoutOptions.add(placeText(place));
            answerType = 'text';
            typeSource = 'default';
          }
        }
      } else if (fileOptions.length > 0) {
        answerType = 'choice';
        typeSource = 'options';
        labels = fileOptions;
      } else if (validationRule) {
        answerType = validationRule.type;
        typeSource = 'validation';
        labels = validationOptions;
      }

      const rawRequired = get(row, 'required');
      let required = recogniseRequired(rawRequired);
      if (required === null) {
        remember(unknownRequired, clip(collapse(rawRequired), 40), place);
        required = false;
      }

      const previewQuestion: PreviewQuestion = {
        sheet: sheet.name,
        row: row.row,
        key,
        text: question,
        guidance,
        answerType,
        options: withShares(labels, plan.optionShares),
        required,
        references,
        typeSource,
        action,
        ...(existingId !== undefined ? { existingId } : {}),
      };
      drafts.push({ question: previewQuestion, section: mapping.sheetIsSection ? sheetTitle : currentSection, fate, keyMissing: key === '' });
    }
  }

  // Generated keys follow the order of the rows and never take a key the file or the RFP already uses.
  let counter = 0;
  const generated: string[] = [];
  for (const draft of drafts) {
    if (draft.keyMissing) {
      let candidate: string;
      do {
        counter++;
        candidate = `IMP-${String(counter).padStart(3, '0')}`;
      } while (isTaken(candidate.toLowerCase()));
      draft.question.key = candidate;
      claimed.add(candidate.toLowerCase());
      generated.push(candidate);
    }
    draft.fate.key = draft.question.key;
  }

  // Sections in order of first appearance; a title used again later gathers its questions into the first one.
  const sections: PreviewSection[] = [];
  const byTitle = new Map<string, PreviewSection>();
  const shares = new Map<string, { label: string; count: number; share: number | null }>();
  for (const draft of drafts) {
    let section = byTitle.get(draft.section);
    if (!section) {
      section = { title: draft.section, questions: [] };
      byTitle.set(draft.section, section);
      sections.push(section);
    }
    section.questions.push(draft.question);
    for (const option of draft.question.options) {
      const entry = shares.get(codeKey(option.label));
      if (entry) entry.count++;
      else shares.set(codeKey(option.label), { label: option.label, count: 1, share: option.autoScore });
    }
  }
  const emptyHeadings = headings.filter((h) => !byTitle.has(h.title));

  if (generated.length > 0) {
    const range = generated.length === 1 ? generated[0] : `${generated[0]} … ${generated[generated.length - 1]}`;
    warnings.push(`${generated.length} question(s) had no key, so keys were generated (${range}). Add keys in the spreadsheet if other documents refer to these questions.`);
  }
  if (invalidKeys.count > 0) {
    warnings.push(`${invalidKeys.count} row(s) were skipped because their key breaks the key rule (${KEY_RULE_TEXT}): ${invalidKeys.list()}. Keys are never changed on import; fix them in the spreadsheet.`);
  }
  if (collisions.length > 0) {
    const listed = collisions.slice(0, 8).map((c) => c.key).join(', ') + (collisions.length > 8 ? `, and ${collisions.length - 8} more` : '');
    const outcome =
      onCollision === 'skip' ? 'those rows are skipped' : onCollision === 'update' ? 'those questions are updated from the file' : 'those rows are added with new keys';
    warnings.push(`${collisions.length} key(s) of the file are already in this RFP (${listed}): ${outcome}.`);
  }
  if (unknownTypes.size > 0) warnings.push(`Answer type(s) not recognised, read as free text: ${describe(unknownTypes, many)}.`);
  if (choiceWithoutOptions.count > 0) warnings.push(`${choiceWithoutOptions.count} choice question(s) list no options, so they are read as free text: ${choiceWithoutOptions.list()}.`);
  for (const note of [...validationNotes].slice(0, 5)) warnings.push(`A dropdown could not be read, so it gives no answer type: ${note}`);
  if (unknownRequired.size > 0) warnings.push(`“Required” value(s) not recognised, read as not required: ${describe(unknownRequired, many)}.`);
  if (guidanceCut.count > 0) warnings.push(`Guidance longer than ${GUIDANCE_MAX_CHARS.toLocaleString('en-US')} characters was cut to that length on ${guidanceCut.list()}.`);
  if (listCut.count > 0) {
    warnings.push(
      `Lists over their limits (${MAX_OPTIONS} options, ${MAX_REFERENCES} references, ${OPTION_MAX_CHARS} characters an item) were cut: ${listCut.list()}.`,
    );
  }
  if (titleCut.count > 0) warnings.push(`Section titles longer than ${SECTION_TITLE_MAX_CHARS} characters were cut on ${titleCut.list()}.`);
  for (const heading of emptyHeadings.slice(0, 20)) warnings.push(`Section “${clip(heading.title, 80)}” (${placeText(heading.place)}) has no questions and is left out.`);
  if (emptyHeadings.length > 20) warnings.push(`${emptyHeadings.length - 20} more sections without questions are left out.`);

  return {
    sections,
    skipped,
    rows,
    warnings,
    totalRows,
    blankRows,
    orientation: chosen[0]!.orientation,
    answerTypeCodes: [...codes.values()],
    optionShares: [...shares.values()],
    collisions,
  };
}

const isRepeatedHeaderSection = (heading: Heading | null) => heading?.kind === 'section' && heading.via === 'repeated-header';

function capOptions(options: string[]): string[] {
  return options.slice(0, MAX_OPTIONS).map((o) => o.slice(0, OPTION_MAX_CHARS));
}

/** The first `<key>-2`, `<key>-3`, … that nothing else uses, shortened at the end if the suffix would pass 40 characters. */
function freeKey(key: string, isTaken: (identity: string) => boolean): string {
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${key.slice(0, KEY_MAX_CHARS - suffix.length).trimEnd()}${suffix}`;
    if (!isTaken(candidate.toLowerCase())) return candidate;
  }
}

function remember(map: Map<string, Place[]>, value: string, place: Place): void {
  const places = map.get(value) ?? [];
  places.push(place);
  map.set(value, places);
}

function describe(map: Map<string, Place[]>, many: boolean): string {
  const parts = [...map].slice(0, 8).map(([value, places]) => {
    const shown = places.slice(0, 5);
    const more = places.length > 5 ? ', …' : '';
    if (many) return `“${value}” (${shown.map((p) => `“${p.sheet}” ${p.line} ${p.row}`).join(', ')}${more})`;
    return `“${value}” (${places[0]!.line}${places.length > 1 ? 's' : ''} ${shown.map((p) => p.row).join(', ')}${more})`;
  });
  return parts.join(', ') + (map.size > 8 ? `, and ${map.size - 8} more` : '');
}
