import { ANSWER_TYPES } from '#app/utils/permissions';
import type { AnswerType, AnswerTypeRule, ImportField, ImportMapping, ImportPlan, SheetGrid, WorkbookGrid } from './import-types.server';
import type { Proposal } from './mapping.server';
import { IMPORT_FIELDS } from './import-fields';
import { COLLISION_CHOICES, type CollisionChoice, param } from './import-page-fields';

/**
 * Reading the import page's "Update the preview" form into an import plan. The page keeps the plan with the pending
 * upload (POST, then redirect to the page), so a reload or the back button shows the officer's last choices; this module
 * turns the posted fields into that plan, every value checked and bounded, and says precisely what it refused.
 *
 * Each chosen sheet's fields are named after the sheet's place in the workbook (`s2_hdr`, `s2_col_question`, …), so
 * ticking or unticking another sheet never shifts them. `s2_for` records which layout and header row the columns on the
 * form were proposed for: when the officer changes either, the columns are proposed again for the new header row, with
 * its labels, and nothing of the old choice is carried over.
 */

/** Proposes a mapping for one sheet, for a given header row and layout when the officer chose them. */
export type ProposeSheet = (sheet: SheetGrid, options: { headerRow?: number; orientation?: 'rows' | 'columns' }) => Pick<Proposal, 'mapping'>;

export interface FormPlan {
  /** The plan to store, or null when the form could not be used (then `problems` says why). */
  plan: ImportPlan | null;
  /** Sheets (by place in the workbook) whose columns were proposed on this request: newly ticked, or a new header row. */
  reproposed: number[];
  /** Values that were refused, each saying what to do. */
  problems: string[];
}

/** Bounds on what one form may carry (the body itself is capped at 1 MB by app/server/body-limit.ts). */
export const MAX_CODE_ROWS = 200;
export const MAX_SHARE_ROWS = 200;
const MAX_TEXT = 200;
const MAX_OPTIONS = 100;
const MAX_OPTION_CHARS = 500;
const MAX_HEADER_ROW = 100_000;
const MAX_COLUMN = 16_384;

function intIn(raw: string | null, min: number, max: number): number | undefined {
  if (raw === null || raw.trim() === '' || !/^\d+$/.test(raw.trim())) return undefined;
  const value = Number(raw.trim());
  return value >= min && value <= max ? value : undefined;
}

function text(raw: string | null): string {
  return (raw ?? '').trim().slice(0, MAX_TEXT);
}

/** Splits the options an officer typed for a code: semicolons or line breaks, blanks and repeats dropped. */
export function splitTypedOptions(raw: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(/;|\n/)) {
    const option = part.trim().slice(0, MAX_OPTION_CHARS);
    if (option === '' || seen.has(option.toLowerCase())) continue;
    seen.add(option.toLowerCase());
    out.push(option);
    if (out.length === MAX_OPTIONS) break;
  }
  return out;
}

/** A share as typed: '' is "not auto-scored", else a number from 0 to 1 ("0.5", ".5", "50%"). undefined when unreadable. */
export function parseShare(raw: string): number | null | undefined {
  const value = raw.trim();
  if (value === '') return null;
  const percent = /^(\d{1,3}(?:\.\d+)?)\s*%$/.exec(value);
  const number = percent ? Number(percent[1]) / 100 : /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(number) && number >= 0 && number <= 1 ? number : undefined;
}

/** `rows:4`: the layout and header row a mapping's columns belong to (the form's hidden `s<i>_for`). */
export const proposedFor = (mapping: ImportMapping) => `${mapping.orientation ?? 'rows'}:${mapping.headerRow}`;

function proposeMapping(sheet: SheetGrid, propose: ProposeSheet, options: { headerRow?: number; orientation?: 'rows' | 'columns' }): ImportMapping {
  return { ...propose(sheet, options).mapping, sheet: sheet.name };
}

function readSheet(params: URLSearchParams, index: number, sheet: SheetGrid, propose: ProposeSheet, problems: string[], reproposed: number[]): ImportMapping {
  const shownFor = params.get(param.proposedFor(index));
  // A sheet ticked for the first time: its own proposal.
  if (shownFor === null) {
    reproposed.push(index);
    return proposeMapping(sheet, propose, {});
  }
  const layout = params.get(param.layout(index)) === 'columns' ? 'columns' : 'rows';
  const headerRow = intIn(params.get(param.headerRow(index)), 0, MAX_HEADER_ROW);
  if (headerRow === undefined) {
    problems.push(`The header row of “${sheet.name}” must be a whole number: 0 when the sheet has no header row, else the row holding the column labels.`);
    return { sheet: sheet.name, headerRow: 0, columns: {} };
  }
  if (`${layout}:${headerRow}` !== shownFor) {
    reproposed.push(index);
    return proposeMapping(sheet, propose, { headerRow, orientation: layout });
  }
  const columns: Partial<Record<ImportField, number>> = {};
  for (const field of IMPORT_FIELDS) {
    const column = intIn(params.get(param.column(index, field)), 1, MAX_COLUMN);
    if (column !== undefined) columns[field] = column;
  }
  const mapping: ImportMapping = { sheet: sheet.name, headerRow, columns, orientation: layout };
  if (params.get(param.sections(index)) === 'sheet') mapping.sheetIsSection = true;
  const depth = params.get(param.depth(index)) ?? '';
  if (depth === 'outline') mapping.depth = { source: 'outline' };
  else {
    const column = /^c\d+$/.test(depth) ? intIn(depth.slice(1), 1, MAX_COLUMN) : undefined;
    if (column !== undefined) mapping.depth = { source: 'column', column };
  }
  if (mapping.depth) {
    const sectionDepth = intIn(params.get(param.sectionDepth(index)), 0, 100);
    if (sectionDepth !== undefined) mapping.sectionDepth = sectionDepth;
    const onlyDepth = intIn(params.get(param.onlyDepth(index)), 0, 100);
    if (onlyDepth !== undefined) mapping.onlyDepth = onlyDepth;
  }
  const filterColumn = intIn(params.get(param.filterColumn(index)), 1, MAX_COLUMN);
  const filterValue = text(params.get(param.filterValue(index)));
  if (filterColumn !== undefined && filterValue !== '') mapping.filter = { column: filterColumn, value: filterValue };
  else if (filterColumn !== undefined) problems.push(`“Keep only rows where” on “${sheet.name}” needs the value to keep (for example x or Yes).`);
  else if (filterValue !== '') problems.push(`“Keep only rows where” on “${sheet.name}” needs the column to look in.`);
  return mapping;
}

/**
 * The code table's rows the officer set: a row is kept in the plan when its type or options differ from what the page
 * showed (`t<n>_was`), or when the plan already held it; a row left as shown stays the file's own reading, so a code the
 * import does not know is still said to be unknown.
 */
function readCodes(params: URLSearchParams, problems: string[], previous: ImportPlan['answerTypeCodes']): Record<string, AnswerTypeRule> | undefined {
  const codes: Record<string, AnswerTypeRule> = {};
  for (let n = 0; n < MAX_CODE_ROWS; n++) {
    const code = params.get(param.code(n));
    if (code === null) break;
    const key = code.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, MAX_TEXT);
    if (key === '') continue;
    const type = params.get(param.codeType(n)) ?? '';
    if (!(ANSWER_TYPES as readonly string[]).includes(type)) {
      problems.push(`Choose an answer type for the code “${code.trim().slice(0, 40)}”.`);
      continue;
    }
    const options = type === 'choice' || type === 'multi_choice' ? splitTypedOptions(params.get(param.codeOptions(n)) ?? '') : [];
    const shown = params.get(param.codeWas(n));
    if (shown !== null && shown === codeShown(type as AnswerType, options) && !previous?.[key]) continue;
    codes[key] = { type: type as AnswerType, options };
  }
  return Object.keys(codes).length > 0 ? codes : undefined;
}

/** The shares the officer set: as for codes, a share left as the page showed it (`o<n>_was`) stays the default. */
function readShares(params: URLSearchParams, problems: string[], previous: ImportPlan['optionShares']): Record<string, number | null> | undefined {
  const shares: Record<string, number | null> = {};
  for (let n = 0; n < MAX_SHARE_ROWS; n++) {
    const label = params.get(param.shareLabel(n));
    if (label === null) break;
    const key = label.trim().toLowerCase().slice(0, MAX_OPTION_CHARS);
    if (key === '') continue;
    const raw = params.get(param.share(n)) ?? '';
    const share = parseShare(raw);
    if (share === undefined) {
      problems.push(
        `The share for “${label.trim().slice(0, 40)}” is “${raw
          .trim()
          .slice(0, 20)}”: give a number from 0 to 1 (such as 0.5), or leave it empty when choosing it should suggest no score.`,
      );
      continue;
    }
    const shown = params.get(param.shareWas(n));
    if (shown !== null && parseShare(shown) === share && previous?.[key] === undefined) continue;
    shares[key] = share;
  }
  return Object.keys(shares).length > 0 ? shares : undefined;
}

/** What the code table shows for a code (its `t<n>_was`): the type and the options as typed back. */
export const codeShown = (type: AnswerType, options: string[]) => `${type}|${type === 'choice' || type === 'multi_choice' ? options.join('; ') : ''}`;

/** The plan the posted "Update the preview" form describes, over the stored workbook; `previous` is the plan it edits. */
export function planFromForm(params: URLSearchParams, grid: WorkbookGrid, propose: ProposeSheet, previous?: ImportPlan): FormPlan {
  const problems: string[] = [];
  const reproposed: number[] = [];
  const chosen = new Set<number>();
  for (const raw of params.getAll(param.sheet)) {
    const index = intIn(raw, 0, grid.sheets.length - 1);
    if (index !== undefined) chosen.add(index);
  }
  if (chosen.size === 0) return { plan: null, reproposed, problems: ['Tick at least one sheet to import.'] };
  // Sheets are imported in the workbook's order, whatever order they were ticked in.
  const sheets = [...chosen].sort((a, b) => a - b).map((index) => readSheet(params, index, grid.sheets[index]!, propose, problems, reproposed));
  const plan: ImportPlan = { sheets };
  const answerTypeCodes = readCodes(params, problems, previous?.answerTypeCodes);
  if (answerTypeCodes) plan.answerTypeCodes = answerTypeCodes;
  const optionShares = readShares(params, problems, previous?.optionShares);
  if (optionShares) plan.optionShares = optionShares;
  const collision = params.get(param.collision);
  plan.onCollision = (COLLISION_CHOICES as readonly string[]).includes(collision ?? '') ? (collision as CollisionChoice) : 'skip';
  return problems.length > 0 ? { plan: null, reproposed, problems } : { plan, reproposed, problems };
}
