import type { AnswerType, GridRow, ImportField, ImportMapping, PreviewQuestion, PreviewResult, PreviewSection } from './import-types.server';
import { IMPORT_FIELD_LABELS } from './import-types.server';
import { cellAt, transposeRows } from './mapping.server';

/**
 * Turns the rows of a mapped sheet into sections and questions, with a reason for every row left out. Pure: the same
 * grid and mapping always give the same preview (and the same generated keys), which is what lets the officer trust
 * that what is saved later is what was previewed.
 */

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
/** Keys are quoted in workbooks, URLs and audit entries, so they stay short and plain. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** Thrown for a mapping that cannot apply to the file (no question column, a column used twice); the route answers 400. */
export class MappingProblem extends Error {
  override readonly name = 'MappingProblem';
}

/** Checks the parts of a mapping that do not depend on the file's content. */
export function checkMapping(mapping: ImportMapping, maxColumns: number): void {
  if (mapping.columns.question === undefined) throw new MappingProblem('Choose the column that holds the question text.');
  const used = new Map<number, ImportField>();
  for (const [field, column] of Object.entries(mapping.columns) as Array<[ImportField, number]>) {
    if (!Number.isInteger(column) || column < 1 || column > maxColumns) {
      throw new MappingProblem(`${IMPORT_FIELD_LABELS[field]} is mapped to column ${column}, which is outside the sheet (1–${maxColumns}).`);
    }
    const other = used.get(column);
    if (other) throw new MappingProblem(`Column ${column} is mapped to both ${IMPORT_FIELD_LABELS[other]} and ${IMPORT_FIELD_LABELS[field]}; choose one.`);
    used.set(column, field);
  }
}

const ANSWER_TYPES: Array<[RegExp, AnswerType]> = [
  [/select (all|many|multiple|several)|all that apply|check all|\bmulti[- ]?(select|choice|response|answer)|checkbox|tick all|multiple (select|selection|answers|responses)/, 'multi_choice'],
  [/\by ?\/ ?n\b|\byes ?(\/|or|-|\||,)? ?no\b|\bboolean\b|\btrue ?\/ ?false\b/, 'yes_no'],
  [/multiple choice|select one|single (choice|select|selection)|choose one|pick one|one of|drop ?-?down|pick ?list|\bchoice\b|\bradio\b|\blist\b/, 'choice'],
  [/\bnumeric\b|\bnumber\b|\bamount\b|\binteger\b|\bdecimal\b|\bcurrency\b|\bprice\b|\bcost\b|\bpercent(age)?\b|%|\bquantity\b|\bcount\b/, 'number'],
  [/\b(upload|attachment|attach|document|file|evidence)s?\b/, 'attachment'],
  [/\bfree ?-?text\b|\btext\b|\bnarrative\b|\bopen\b|\bessay\b|\bcomments?\b|\bdescri(be|ption)\b|\bexplain\b|\bparagraph\b|\bstring\b|\bwritten\b/, 'text'],
];

/** The answer type a questionnaire's wording means, or null when it is not one we know. */
export function recogniseAnswerType(raw: string): AnswerType | null {
  const value = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (value === '') return null;
  for (const [pattern, type] of ANSWER_TYPES) if (pattern.test(value)) return type;
  return null;
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

/** A key made to fit `KEY_PATTERN`: runs of other characters become "-", then the ends are tidied; '' when nothing is left. */
export function sanitiseKey(raw: string): string {
  return raw
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 40)
    .replace(/[-._]+$/, '');
}

interface Draft {
  question: PreviewQuestion;
  section: string;
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

/**
 * Builds the preview of one sheet under a mapping. `rows` are the sheet's rows as the worker read them (the whole sheet);
 * `defaultSection` titles questions that come before any heading.
 */
export function buildPreview(rows: GridRow[], mapping: ImportMapping, defaultSection: string): PreviewResult {
  const orientation = mapping.orientation ?? 'rows';
  const line = orientation === 'columns' ? 'column' : 'row';
  const lines = orientation === 'columns' ? transposeRows(rows) : rows;
  const col = mapping.columns;
  const questionCol = col.question!;
  const has = (field: ImportField) => col[field] !== undefined;
  const get = (row: GridRow, field: ImportField) => (col[field] === undefined ? '' : cellAt(row, col[field]));

  const dataLines = lines.filter((r) => r.row > mapping.headerRow);
  const filled = dataLines.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const lastRow = filled.length > 0 ? filled[filled.length - 1]!.row : mapping.headerRow;
  const totalRows = Math.max(0, lastRow - mapping.headerRow);

  // Keys present in the file, so generated keys never collide with one of them.
  const explicitKeys = new Set<string>();
  let questionRows = 0;
  let keyedRows = 0;
  for (const row of filled) {
    const key = sanitiseKey(get(row, 'key'));
    if (key) explicitKeys.add(key.toLowerCase());
    // Lines with nothing but question-column text are the ones in doubt, so they do not count either way.
    const lone = row.cells.filter((c) => c.trim() !== '').length === 1;
    if (get(row, 'question') && !lone) {
      questionRows++;
      if (key) keyedRows++;
    }
  }
  // When nearly every question carries a key, a lone keyless line in the question column is a heading, not a question.
  const keysAreTheRule = has('key') && questionRows > 0 && keyedRows / questionRows >= 0.8;

  const skipped: PreviewResult['skipped'] = [];
  const warnings: string[] = [];
  const drafts: Draft[] = [];
  const headings: Array<{ title: string; row: number }> = [];
  const firstUse = new Map<string, number>();
  const sanitised = new Tally();
  const unknownTypes = new Map<string, number[]>();
  const unknownRequired = new Map<string, number[]>();
  const choiceWithoutOptions = new Tally();
  const guidanceCut = new Tally();
  const listCut = new Tally();
  const titleCut = new Tally();
  let currentSection = defaultSection;
  let lastSectionValue = '';

  const startSection = (raw: string, row: number) => {
    let title = collapse(raw);
    if (title.length > SECTION_TITLE_MAX_CHARS) {
      titleCut.add(`${line} ${row}`);
      title = title.slice(0, SECTION_TITLE_MAX_CHARS).trimEnd();
    }
    currentSection = title;
    headings.push({ title, row });
  };

  for (const row of filled) {
    const nonEmpty = row.cells.map((c, i) => ({ text: c.trim(), column: i + 1 })).filter((c) => c.text !== '');
    const question = keepLines(get(row, 'question'));
    const single = nonEmpty.length === 1 ? nonEmpty[0]! : null;
    const banner = single !== null && (row.spans ?? []).some(([from, to]) => from === single.column && to > from);

    if (!has('section') && single) {
      const inQuestionColumn = single.column === questionCol;
      const shortTitle = single.text.length <= SECTION_TITLE_MAX_CHARS;
      const loneHeading = inQuestionColumn ? keysAreTheRule && shortTitle && !single.text.endsWith('?') : shortTitle;
      if (banner || loneHeading) {
        startSection(single.text, row.row);
        continue;
      }
    }
    if (!question) {
      skipped.push({ row: row.row, reason: 'no question text' });
      continue;
    }
    if (question.length > QUESTION_MAX_CHARS) {
      skipped.push({
        row: row.row,
        reason: `question text is ${question.length.toLocaleString('en-US')} characters; the limit is ${QUESTION_MAX_CHARS.toLocaleString('en-US')} (shorten it in the spreadsheet)`,
      });
      continue;
    }

    const rawKey = get(row, 'key');
    let key = '';
    if (rawKey) {
      key = KEY_PATTERN.test(rawKey) ? rawKey : sanitiseKey(rawKey);
      if (key !== rawKey) sanitised.add(key ? `“${rawKey.slice(0, 40)}” → ${key} (${line} ${row.row})` : `“${rawKey.slice(0, 40)}” → a generated key (${line} ${row.row})`);
    }
    if (key) {
      const first = firstUse.get(key.toLowerCase());
      if (first !== undefined) {
        skipped.push({ row: row.row, reason: `duplicate key ${key} (first used on ${line} ${first})` });
        continue;
      }
      firstUse.set(key.toLowerCase(), row.row);
    }

    let guidance: string | null = keepLines(get(row, 'guidance')) || null;
    if (guidance && guidance.length > GUIDANCE_MAX_CHARS) {
      guidanceCut.add(`${line} ${row.row} (${guidance.length.toLocaleString('en-US')} characters)`);
      guidance = guidance.slice(0, GUIDANCE_MAX_CHARS).trimEnd();
    }

    let options = splitOptions(get(row, 'options'));
    if (options.length > MAX_OPTIONS || options.some((o) => o.length > OPTION_MAX_CHARS)) {
      listCut.add(`options on ${line} ${row.row}`);
      options = options.slice(0, MAX_OPTIONS).map((o) => o.slice(0, OPTION_MAX_CHARS));
    }
    let references = splitReferences(get(row, 'references'));
    if (references.length > MAX_REFERENCES || references.some((r) => r.length > REFERENCE_MAX_CHARS)) {
      listCut.add(`references on ${line} ${row.row}`);
      references = references.slice(0, MAX_REFERENCES).map((r) => r.slice(0, REFERENCE_MAX_CHARS));
    }

    const rawType = get(row, 'answerType');
    let answerType: AnswerType = options.length > 0 ? 'choice' : 'text';
    if (rawType) {
      const recognised = recogniseAnswerType(rawType);
      if (recognised) answerType = recognised;
      else remember(unknownTypes, collapse(rawType).slice(0, 40), row.row);
    }
    if ((answerType === 'choice' || answerType === 'multi_choice') && options.length === 0) {
      choiceWithoutOptions.add(`${line} ${row.row}`);
      answerType = 'text';
    }

    const rawRequired = get(row, 'required');
    let required = recogniseRequired(rawRequired);
    if (required === null) {
      remember(unknownRequired, collapse(rawRequired).slice(0, 40), row.row);
      required = false;
    }

    let section = currentSection;
    if (has('section')) {
      const value = collapse(get(row, 'section'));
      if (value) lastSectionValue = value.length > SECTION_TITLE_MAX_CHARS ? value.slice(0, SECTION_TITLE_MAX_CHARS).trimEnd() : value;
      if (value.length > SECTION_TITLE_MAX_CHARS) titleCut.add(`${line} ${row.row}`);
      section = lastSectionValue || defaultSection;
    }

    drafts.push({
      question: { row: row.row, key, text: question, guidance, answerType, options, required, references },
      section,
      keyMissing: key === '',
    });
  }

  // Generated keys follow the order of the rows and skip any key the file already uses.
  let counter = 0;
  const generated: string[] = [];
  for (const draft of drafts) {
    if (!draft.keyMissing) continue;
    let candidate: string;
    do {
      counter++;
      candidate = `IMP-${String(counter).padStart(3, '0')}`;
    } while (explicitKeys.has(candidate.toLowerCase()) || firstUse.has(candidate.toLowerCase()));
    draft.question.key = candidate;
    firstUse.set(candidate.toLowerCase(), draft.question.row);
    generated.push(candidate);
  }

  // Sections in order of first appearance; a title used again later gathers its questions into the first one.
  const sections: PreviewSection[] = [];
  const byTitle = new Map<string, PreviewSection>();
  for (const draft of drafts) {
    let section = byTitle.get(draft.section);
    if (!section) {
      section = { title: draft.section, questions: [] };
      byTitle.set(draft.section, section);
      sections.push(section);
    }
    section.questions.push(draft.question);
  }
  const emptyHeadings = headings.filter((h) => !byTitle.has(h.title));

  if (generated.length > 0) {
    const range = generated.length === 1 ? generated[0] : `${generated[0]} … ${generated[generated.length - 1]}`;
    warnings.push(`${generated.length} question(s) had no key, so keys were generated (${range}). Add keys in the spreadsheet if other documents refer to these questions.`);
  }
  if (sanitised.count > 0) warnings.push(`${sanitised.count} key(s) held characters a key cannot have (letters, digits, “.”, “_”, “-”, at most 40) and were changed: ${sanitised.list()}.`);
  if (unknownTypes.size > 0) warnings.push(`Answer type(s) not recognised, read as free text: ${describe(unknownTypes, line)}.`);
  if (choiceWithoutOptions.count > 0) warnings.push(`${choiceWithoutOptions.count} choice question(s) list no options, so they are read as free text: ${choiceWithoutOptions.list()}.`);
  if (unknownRequired.size > 0) warnings.push(`“Required” value(s) not recognised, read as not required: ${describe(unknownRequired, line)}.`);
  if (guidanceCut.count > 0) warnings.push(`Guidance longer than ${GUIDANCE_MAX_CHARS.toLocaleString('en-US')} characters was cut to that length on ${guidanceCut.list()}.`);
  if (listCut.count > 0) {
    warnings.push(
      `Lists over their limits (${MAX_OPTIONS} options, ${MAX_REFERENCES} references, ${OPTION_MAX_CHARS} characters an item) were cut: ${listCut.list()}.`,
    );
  }
  if (titleCut.count > 0) warnings.push(`Section titles longer than ${SECTION_TITLE_MAX_CHARS} characters were cut on ${titleCut.list()}.`);
  for (const heading of emptyHeadings.slice(0, 20)) warnings.push(`Section “${heading.title.slice(0, 80)}” (${line} ${heading.row}) has no questions and is left out.`);
  if (emptyHeadings.length > 20) warnings.push(`${emptyHeadings.length - 20} more sections without questions are left out.`);

  return { sections, skipped, warnings, totalRows, blankRows: totalRows - filled.length, orientation };
}

function remember(map: Map<string, number[]>, value: string, row: number): void {
  const rows = map.get(value) ?? [];
  rows.push(row);
  map.set(value, rows);
}

function describe(map: Map<string, number[]>, line: string): string {
  const parts = [...map].slice(0, 8).map(([value, rows]) => `“${value}” (${line}${rows.length > 1 ? 's' : ''} ${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', …' : ''})`);
  return parts.join(', ') + (map.size > 8 ? `, and ${map.size - 8} more` : '');
}
