import type { GridRow } from './import-types.server';

/**
 * Recognising the lines of a sheet that start a section rather than hold a question, in the forms questionnaires use:
 * a repeated header row whose first cell names the section ("Application & Data | Answer | Additional Information"),
 * a row with a section (or key) value but no question text when a Section column is mapped, and a banner — one cell
 * alone on its line, often merged across. A depth tree is read by the preview itself (it knows the depth column).
 */

export interface HeadingContext {
  /** The header row's cells, for recognising repeats of it. */
  headerCells: string[];
  hasSection: boolean;
  sectionColumn?: number;
  keyColumn?: number;
  questionColumn: number;
  /** Nearly every question line has a key or an answer-type code beside its text, so a lone line in the question column is a heading. */
  loneLinesAreHeadings: boolean;
  maxTitle: number;
  /** Whether a cell's text names an import field ("Question", "Ref", "Guidance"): then it is a label, not a title. */
  isFieldLabel: (text: string) => boolean;
}

export type Heading =
  | { kind: 'header' }
  | { kind: 'section'; title: string; via: 'repeated-header' | 'section-cell' | 'key-cell' | 'banner' };

/** Labels that section-header rows repeat in their other cells, whatever the sheet's own header row says. */
const HEADER_WORDS = new Set([
  'answer',
  'answers',
  'response',
  'responses',
  'vendor response',
  'vendor answer',
  'your answer',
  'your response',
  'additional information',
  'additional info',
  'additional comments',
  'guidance',
  'comments',
  'comment',
  'notes',
  'note',
  'remarks',
  'evidence',
  'explanation',
  'details',
  'supporting documentation',
]);

const normal = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/[\s:*]+$/, '');

/** A short code such as "A&A", "HR", "1.": short and one word, so it prefixes a title rather than being one. */
const looksLikeCode = (text: string) => /^\S{1,12}$/.test(text);

/**
 * A heading's title from its key (or code) and its text: "A&A — Application & Data", or the text alone when it already
 * starts with the key ("GOVERN 1: Policies…"), or whichever of the two is there.
 */
export function headingTitle(key: string, text: string): string {
  if (!key) return text;
  if (!text) return key;
  if (text.toLowerCase().startsWith(key.toLowerCase())) return text;
  return `${key} — ${text}`;
}

/** What the first non-empty header cell says when it is a title rather than a label ("General | Answer | Notes"), else null. */
export function headerRowTitle(headerCells: string[], context: Pick<HeadingContext, 'isFieldLabel' | 'maxTitle'>): string | null {
  const first = headerCells.map((c) => c.trim()).find((c) => c !== '');
  if (!first || first.length > context.maxTitle || first.endsWith('?')) return null;
  if (HEADER_WORDS.has(normal(first)) || context.isFieldLabel(first)) return null;
  return first;
}

/** A function telling whether a line of the sheet is a heading (or a repeat of the header row), and the section it starts. */
export function sectionHeadingFinder(context: HeadingContext): (row: GridRow) => Heading | null {
  const headerNonEmpty = context.headerCells.map((c) => c.trim()).filter((c) => c !== '');
  const headerFirst = headerNonEmpty[0] ?? '';
  const labels = new Set(headerNonEmpty.slice(1).map(normal));
  if (headerFirst && context.isFieldLabel(headerFirst)) labels.add(normal(headerFirst));
  const isLabel = (text: string) => labels.has(normal(text)) || HEADER_WORDS.has(normal(text));
  const header = { first: normal(headerFirst), isLabel };
  return (row) => findSectionHeading(row, context, header);
}

function findSectionHeading(row: GridRow, context: HeadingContext, header: HeaderLabels): Heading | null {
  const nonEmpty: Array<{ text: string; column: number }> = [];
  row.cells.forEach((c, i) => {
    const text = c.trim();
    if (text !== '') nonEmpty.push({ text, column: i + 1 });
  });
  if (nonEmpty.length === 0) return null;

  const repeated = repeatedHeader(nonEmpty, context, header);
  if (repeated) return repeated;

  const cell = (column: number | undefined) => (column === undefined ? '' : (row.cells[column - 1] ?? '').trim());
  if (context.hasSection && cell(context.questionColumn) === '') {
    const section = cell(context.sectionColumn);
    if (section) return { kind: 'section', title: section, via: 'section-cell' };
    const key = cell(context.keyColumn).replace(/\s+/g, ' ');
    if (key && nonEmpty.length <= 2) {
      const other = nonEmpty.find((c) => c.column !== context.keyColumn)?.text ?? '';
      return { kind: 'section', title: headingTitle(key, other.replace(/\s+/g, ' ')), via: 'key-cell' };
    }
  }

  if (nonEmpty.length === 1) {
    const single = nonEmpty[0]!;
    const banner = (row.spans ?? []).some(([from, to]) => from === single.column && to > from);
    const shortTitle = single.text.length <= context.maxTitle;
    const inQuestionColumn = single.column === context.questionColumn;
    const loneHeading = inQuestionColumn ? context.loneLinesAreHeadings && shortTitle && !single.text.endsWith('?') : shortTitle;
    if (banner || loneHeading) return { kind: 'section', title: single.text, via: 'banner' };
  }
  return null;
}

/**
 * A repeat of the header row: every cell after the first (or after a code and a title) is one of the header row's labels
 * or a usual answer-column label. With a title in front it starts that section; without, it is only a repeated header.
 */
interface HeaderLabels {
  /** The header row's first non-empty cell, normalised. */
  first: string;
  isLabel: (text: string) => boolean;
}

function repeatedHeader(nonEmpty: Array<{ text: string; column: number }>, context: HeadingContext, { first: headerFirst, isLabel }: HeaderLabels): Heading | null {
  if (nonEmpty.length < 2) return null;
  // Labels are short: a long cell after the first means a question row, whatever it says.
  if (nonEmpty.slice(1).some((c) => c.text.length > 60)) return null;

  const first = nonEmpty[0]!.text;
  const titleParts = nonEmpty.length >= 3 && looksLikeCode(first) && !isLabel(first) && !isLabel(nonEmpty[1]!.text) ? 2 : 1;
  if (!nonEmpty.slice(titleParts).every((c) => isLabel(c.text))) return null;
  if (titleParts === 1 && (isLabel(first) || normal(first) === headerFirst)) return { kind: 'header' };
  const title = titleParts === 2 ? headingTitle(first.replace(/\s+/g, ' '), nonEmpty[1]!.text.replace(/\s+/g, ' ')) : first;
  if (title.length > context.maxTitle || title.endsWith('?')) return null;
  return { kind: 'section', title, via: 'repeated-header' };
}
