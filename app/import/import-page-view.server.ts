import { ANSWER_TYPE_LABELS } from '#app/rfp/questionnaire-forms';
import type { ImportField, ImportMapping, ImportPlan, SheetGrid, WorkbookGrid } from './import-types.server';
import type { PreviewQuestion, PreviewResult } from './questionnaire-import.server';
import { IMPORT_FIELDS } from './import-fields';
import { codeShown, proposedFor } from './import-page-plan.server';
import { transposeRows } from './mapping.server';

/**
 * What the questionnaire import page shows, as plain data built from the stored workbook, the plan and its preview
 * (pure; import-page.server.ts loads them). Counts are always whole — the preview is never cut — while the long lists,
 * questions and row fates of up to thousands of rows, are paged.
 */

export const QUESTIONS_PER_PAGE = 100;
export const ROWS_PER_PAGE = 100;
/** Characters of a question's text shown in the preview table (the whole text is saved). */
const TEXT_SHOWN = 400;

type RowFate = PreviewResult['rows'][number];

/**
 * `problems`: the rows the officer should look at before confirming — those skipped (with the reason), and the
 * questions whose key is already in the RFP (updating that question, or added under a new key). Rows filtered out
 * and section headings are what the mapping asked for, so they are not problems.
 */
export const FATE_FILTERS = ['all', 'problems', 'question', 'section', 'skipped', 'filtered'] as const;
export type FateFilter = (typeof FATE_FILTERS)[number];

export interface SheetChoice {
  index: number;
  name: string;
  rows: number;
  hidden: boolean;
  /** The sheet that looks most like a questionnaire (first in the list). */
  proposed: boolean;
  chosen: boolean;
}

export interface ColumnChoice {
  value: string;
  label: string;
}

export interface SheetMappingView {
  index: number;
  name: string;
  headerRow: number;
  orientation: 'rows' | 'columns';
  /** The hidden `s<i>_for` value: a changed header row or layout is proposed again. */
  proposedFor: string;
  /** Column number per field as the select's value; '' when not in the file. */
  columns: Record<ImportField, string>;
  /** The columns (or rows, sideways) to choose from, labelled from the chosen header row. */
  columnChoices: ColumnChoice[];
  sections: 'column' | 'sheet';
  /** '' (none), 'outline', or 'c<column>'. */
  depth: string;
  sectionDepth: string;
  onlyDepth: string;
  filterColumn: string;
  filterValue: string;
  /** Proposed on the officer's last update (ticked then, or a new header row): worth a second look. */
  reproposed: boolean;
}

export interface PageInfo {
  page: number;
  pages: number;
  total: number;
  /** 1-based, inclusive; 0 when there is nothing. */
  from: number;
  to: number;
}

export interface QuestionItem {
  sheet: string;
  row: number;
  section: string;
  key: string;
  text: string;
  cut: boolean;
  required: boolean;
  type: string;
  options: Array<{ label: string; share: string }>;
  typeSource: string;
  action: 'add' | 'update';
}

export interface RowItem {
  sheet: string;
  row: number;
  fate: RowFate['fate'];
  fateLabel: string;
  detail: string;
}

export interface PreviewView {
  counts: { questions: number; sections: number; rows: number; headings: number; skipped: number; filtered: number; blank: number; updates: number };
  tree: Array<{ title: string; questions: number }>;
  questions: { items: QuestionItem[]; page: PageInfo };
  rows: { items: RowItem[]; page: PageInfo; fate: FateFilter; counts: Record<FateFilter, number> };
  /** `shown` is what the page showed, sent back so the form tells the officer's edits from the file's own reading. */
  codes: Array<{ code: string; count: number; type: string; options: string; recognised: boolean; shown: string }>;
  shares: Array<{ label: string; count: number; share: string }>;
  collisions: Array<{ sheet: string; row: number; key: string; existingText: string; outcome: 'skipped' | 'updated' | 'renamed'; newKey: string | null }>;
  warnings: string[];
  /** More than one sheet: tables name the sheet of each row. */
  multiSheet: boolean;
}

export interface ViewParams {
  questionsPage: number;
  rowsPage: number;
  fate: FateFilter;
}

/** The paging and row filter of the page's own links (`?qpage=2&rpage=3&fate=skipped`). */
export function viewParams(params: URLSearchParams): ViewParams {
  const page = (name: string) => {
    const value = Number(params.get(name) ?? '1');
    return Number.isInteger(value) && value >= 1 && value <= 100_000 ? value : 1;
  };
  const fate = params.get('fate') ?? 'all';
  return { questionsPage: page('qpage'), rowsPage: page('rpage'), fate: (FATE_FILTERS as readonly string[]).includes(fate) ? (fate as FateFilter) : 'all' };
}

/** The sheets in the order to offer them: the proposed one first, then as the mapping ranked them (empty sheets last). */
export function sheetChoices(grid: WorkbookGrid, ranking: ReadonlyArray<{ name: string }>, chosen: ReadonlyArray<string>): SheetChoice[] {
  const order = new Map(ranking.map((r, i) => [r.name, i]));
  const picked = new Set(chosen);
  return grid.sheets
    .map((sheet, index) => ({ sheet, index, rank: order.get(sheet.name) ?? ranking.length + index }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ sheet, index }, position) => ({
      index,
      name: sheet.name,
      rows: sheet.rowCount,
      hidden: sheet.hidden === true,
      proposed: position === 0 && ranking.length > 0,
      chosen: picked.has(sheet.name),
    }));
}

function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The labels of the header row (the label column, sideways) and how many columns (rows) there are to choose from. */
export function headerLabels(sheet: SheetGrid, headerRow: number, orientation: 'rows' | 'columns'): { labels: string[]; count: number } {
  if (orientation === 'columns') {
    const lines = transposeRows(sheet.rows);
    const labels = headerRow > 0 ? lines.find((l) => l.row === headerRow)?.cells ?? [] : [];
    return { labels: labels.map((l) => l.trim()), count: Math.max(sheet.rowCount, labels.length) };
  }
  const labels = headerRow > 0 ? sheet.rows.find((r) => r.row === headerRow)?.cells ?? [] : [];
  return { labels: labels.map((l) => l.trim()), count: Math.max(sheet.columnCount, labels.length) };
}

const LABEL_SHOWN = 60;

export function columnChoices(sheet: SheetGrid, mapping: ImportMapping): ColumnChoice[] {
  const orientation = mapping.orientation ?? 'rows';
  const { labels, count } = headerLabels(sheet, mapping.headerRow, orientation);
  // A mapped column past the last filled one (a file changed since) still shows, so the select keeps its value.
  const mapped = [...Object.values(mapping.columns), mapping.depth?.source === 'column' ? mapping.depth.column : 0, mapping.filter?.column ?? 0];
  const total = Math.max(count, ...mapped);
  return Array.from({ length: total }, (_, i) => {
    const n = i + 1;
    const label = labels[i] ?? '';
    const name = orientation === 'columns' ? `Row ${n}` : `Column ${columnLetters(n)}`;
    return { value: String(n), label: label ? `${name}: ${label.length > LABEL_SHOWN ? `${label.slice(0, LABEL_SHOWN)}…` : label}` : `${name} (no label)` };
  });
}

export function sheetMappingView(sheet: SheetGrid, index: number, mapping: ImportMapping, reproposed: boolean): SheetMappingView {
  const columns = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, mapping.columns[f] === undefined ? '' : String(mapping.columns[f])])) as Record<
    ImportField,
    string
  >;
  return {
    index,
    name: sheet.name,
    headerRow: mapping.headerRow,
    orientation: mapping.orientation ?? 'rows',
    proposedFor: proposedFor(mapping),
    columns,
    columnChoices: columnChoices(sheet, mapping),
    sections: mapping.sheetIsSection ? 'sheet' : 'column',
    depth: mapping.depth ? (mapping.depth.source === 'outline' ? 'outline' : `c${mapping.depth.column}`) : '',
    sectionDepth: mapping.sectionDepth === undefined ? '' : String(mapping.sectionDepth),
    onlyDepth: mapping.onlyDepth === undefined ? '' : String(mapping.onlyDepth),
    filterColumn: mapping.filter ? String(mapping.filter.column) : '',
    filterValue: mapping.filter?.value ?? '',
    reproposed,
  };
}

/** The mapping forms of the chosen sheets, in import order. */
export function mappingViews(grid: WorkbookGrid, plan: ImportPlan, reproposed: ReadonlyArray<number>): SheetMappingView[] {
  return plan.sheets.flatMap((mapping) => {
    const index = grid.sheets.findIndex((s) => s.name === mapping.sheet);
    return index === -1 ? [] : [sheetMappingView(grid.sheets[index]!, index, mapping, reproposed.includes(index))];
  });
}

export function pageOf(total: number, perPage: number, requested: number): PageInfo {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(requested, pages);
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  return { page, pages, total, from, to: Math.min(total, page * perPage) };
}

/** A share as the tables show and take it: '' is "not auto-scored". */
export function shareText(share: number | null): string {
  return share === null ? '' : String(Math.round(share * 1000) / 1000);
}

const TYPE_SOURCES: Record<PreviewQuestion['typeSource'], string> = {
  column: 'the answer-type column',
  validation: 'a dropdown in the workbook',
  options: 'the options column',
  default: 'nothing in the file (free text)',
};

const FATE_LABELS: Record<RowFate['fate'], string> = {
  header: 'Header row',
  question: 'Question',
  section: 'Section heading',
  skipped: 'Skipped',
  filtered: 'Filtered out',
};

function questionItem(question: PreviewQuestion, section: string): QuestionItem {
  const cut = question.text.length > TEXT_SHOWN;
  return {
    sheet: question.sheet,
    row: question.row,
    section,
    key: question.key,
    text: cut ? `${question.text.slice(0, TEXT_SHOWN)}…` : question.text,
    cut,
    required: question.required,
    type: ANSWER_TYPE_LABELS[question.answerType],
    options: question.options.map((o) => ({ label: o.label, share: o.autoScore === null ? 'not auto-scored' : shareText(o.autoScore) })),
    typeSource: TYPE_SOURCES[question.typeSource],
    action: question.action,
  };
}

type Collision = PreviewResult['collisions'][number];

const rowId = (r: { sheet: string; row: number }) => `${r.sheet}\u0000${r.row}`;

function rowItem(fate: RowFate, collision: Collision | undefined): RowItem {
  let detail = fate.reason ?? '';
  if (fate.fate === 'question') {
    detail = `Key ${fate.key ?? ''}`;
    if (collision?.outcome === 'updated') detail += ': already in this RFP, so it updates that question';
    if (collision?.outcome === 'renamed') detail += `: the file’s key ${collision.key} is already in this RFP, so it is added under this key`;
  }
  return { sheet: fate.sheet, row: fate.row, fate: fate.fate, fateLabel: FATE_LABELS[fate.fate], detail };
}

export function previewView(preview: PreviewResult, view: ViewParams, sheetCount: number): PreviewView {
  const questions = preview.sections.flatMap((s) => s.questions.map((q) => ({ q, section: s.title })));
  // Collisions the import still takes (updated, renamed): a skipped one is a skipped row already.
  const collided = new Map(preview.collisions.filter((c) => c.outcome !== 'skipped').map((c) => [rowId(c), c]));
  const isProblem = (r: RowFate) => r.fate === 'skipped' || (r.fate === 'question' && collided.has(rowId(r)));
  const fateCounts: Record<FateFilter, number> = { all: 0, problems: 0, question: 0, section: 0, skipped: 0, filtered: 0 };
  for (const row of preview.rows) {
    if (row.fate === 'header') continue;
    fateCounts.all++;
    fateCounts[row.fate]++;
    if (isProblem(row)) fateCounts.problems++;
  }
  const shown = (r: RowFate) => view.fate === 'all' || (view.fate === 'problems' ? isProblem(r) : r.fate === view.fate);
  const listed = preview.rows.filter((r) => r.fate !== 'header' && shown(r));
  const questionsPage = pageOf(questions.length, QUESTIONS_PER_PAGE, view.questionsPage);
  const rowsPage = pageOf(listed.length, ROWS_PER_PAGE, view.rowsPage);
  return {
    counts: {
      questions: questions.length,
      sections: preview.sections.length,
      rows: preview.totalRows,
      headings: fateCounts.section,
      skipped: fateCounts.skipped,
      filtered: fateCounts.filtered,
      blank: preview.blankRows,
      updates: questions.filter(({ q }) => q.action === 'update').length,
    },
    tree: preview.sections.map((s) => ({ title: s.title, questions: s.questions.length })),
    questions: { items: questions.slice(questionsPage.from - 1, questionsPage.to).map(({ q, section }) => questionItem(q, section)), page: questionsPage },
    rows: { items: listed.slice(rowsPage.from - 1, rowsPage.to).map((r) => rowItem(r, collided.get(rowId(r)))), page: rowsPage, fate: view.fate, counts: fateCounts },
    codes: preview.answerTypeCodes.map((c) => ({
      code: c.code,
      count: c.count,
      type: c.rule.type,
      options: c.rule.options.join('; '),
      recognised: c.recognised,
      shown: codeShown(c.rule.type, c.rule.options),
    })),
    shares: preview.optionShares.map((o) => ({ label: o.label, count: o.count, share: shareText(o.share) })),
    collisions: preview.collisions.map((c) => ({
      sheet: c.sheet,
      row: c.row,
      key: c.key,
      existingText: c.existingText.length > 200 ? `${c.existingText.slice(0, 200)}…` : c.existingText,
      outcome: c.outcome,
      newKey: c.newKey ?? null,
    })),
    warnings: preview.warnings,
    multiSheet: sheetCount > 1,
  };
}
