import { z } from 'zod';

/**
 * The shapes shared by the questionnaire import (the worker's grid, the mapping the officer edits, the preview).
 * Kept in one file so the pure mapping/preview code and the worker wrapper agree without importing each other.
 */

export { IMPORT_FIELD_LABELS, IMPORT_FIELDS, type ImportField } from './import-fields';
import { IMPORT_FIELDS, type ImportField } from './import-fields';

/**
 * Which sheet, which header row and which column holds each field. `orientation: 'columns'` reads a sheet sideways
 * (one question per column, field labels down the first column) — some published frameworks ship that way; then
 * `headerRow` and the numbers below count the sheet's columns and rows the other way round.
 * `headerRow: 0` means the sheet has no header row and data starts on line 1.
 */
export interface ImportMapping {
  sheet: string;
  headerRow: number /* 1-based; 0 = no header row */;
  columns: Partial<Record<ImportField, number /* 1-based column */>>;
  orientation?: 'rows' | 'columns';
  /** A depth/level tree: a column holding 1, 2, 3… (or "1.2.3"-style outline numbers), or the rows' outline levels. */
  depth?: { source: 'column'; column: number } | { source: 'outline' };
  /** With `depth`: rows at this depth are section headings; deeper rows are questions; shallower rows are skipped as banners. */
  sectionDepth?: number;
  /** Keep only rows whose cell in `column` equals `value` (trimmed, case-insensitive); others get fate 'filtered'. */
  filter?: { column: number; value: string };
  /** With `depth`: keep only questions at this depth. */
  onlyDepth?: number;
  /** true: every question of this sheet goes in one section named after the sheet (multi-sheet imports). */
  sheetIsSection?: boolean;
}

/**
 * Validates a mapping posted back from the mapping screen before it touches a file. Numbers only: the route turns form
 * strings into numbers itself (after a non-empty check, since `z.coerce.number()` reads "" as 0).
 */
export const importMappingSchema = z.object({
  sheet: z.string().min(1).max(200),
  headerRow: z.number().int().min(0).max(100_000),
  columns: z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(1).max(16_384)),
  orientation: z.enum(['rows', 'columns']).optional(),
  depth: z.union([z.object({ source: z.literal('column'), column: z.number().int().min(1).max(16_384) }), z.object({ source: z.literal('outline') })]).optional(),
  sectionDepth: z.number().int().min(0).max(100).optional(),
  filter: z.object({ column: z.number().int().min(1).max(16_384), value: z.string().max(500) }).optional(),
  onlyDepth: z.number().int().min(0).max(100).optional(),
  sheetIsSection: z.boolean().optional(),
});

export type AnswerType = 'text' | 'yes_no' | 'choice' | 'multi_choice' | 'number' | 'attachment';
const ANSWER_TYPE_VALUES = ['text', 'yes_no', 'choice', 'multi_choice', 'number', 'attachment'] as const satisfies readonly AnswerType[];

/** An answer-type code or word of the file mapped to a type (options only for choice/multi_choice). */
export interface AnswerTypeRule {
  type: AnswerType;
  options: string[];
}

/** What to do with a key already used by a question in the RFP. */
export type CollisionChoice = 'skip' | 'update' | 'new_keys';
export const COLLISION_CHOICES = ['skip', 'update', 'new_keys'] as const satisfies readonly CollisionChoice[];

/** Everything the officer chose for one import: the sheets and their mappings, the code and share tables, collisions. */
export interface ImportPlan {
  /** At least one; imported in this order. */
  sheets: ImportMapping[];
  /** Answer-type column codes/words → type (+options), keyed by the trimmed lower-cased code; merged over the built-in table. */
  answerTypeCodes?: Record<string, AnswerTypeRule>;
  /**
   * Auto-score share (0..1, or null = not auto-scored) per option label, keyed by trimmed lower-cased label; over the
   * defaults (yes 1, no 0, partial 0.5, n/a null; an all-numeric scale min→0 … max→1).
   */
  optionShares?: Record<string, number | null>;
  /** Default 'skip'. */
  onCollision?: CollisionChoice;
}

/** Validates a plan from a form, the command line or the pending upload's stored copy before it touches a grid. */
export const importPlanSchema = z.object({
  sheets: z.array(importMappingSchema).min(1).max(100),
  answerTypeCodes: z.record(z.string().max(200), z.object({ type: z.enum(ANSWER_TYPE_VALUES), options: z.array(z.string().max(500)).max(100) })).optional(),
  optionShares: z.record(z.string().max(500), z.number().min(0).max(1).nullable()).optional(),
  onCollision: z.enum(COLLISION_CHOICES).optional(),
});

/** A question already in the RFP, as the preview needs it to show collisions. */
export interface ExistingQuestion {
  id: string;
  key: string;
  text: string;
}

export interface SheetSummary {
  name: string;
  rowCount: number;
  columnCount: number;
  /** Hidden sheets usually hold dropdown lists; they are never proposed but can be chosen. */
  hidden?: boolean;
}

export interface InspectResult {
  kind: 'xlsx' | 'csv';
  sheets: SheetSummary[];
  proposed: ImportMapping;
  /** Of the proposed sheet and header row (empty strings for unlabelled columns). */
  headers: string[];
  /** The first ~8 data rows as text, for the mapping screen. */
  sampleRows: string[][];
  /** Things the officer should know before mapping (formulas without saved values, no header recognised, …). */
  warnings: string[];
}

export interface PreviewOption {
  label: string;
  /** The auto-score suggestion's share of the points (0..1), or null when choosing it suggests nothing. */
  autoScore: number | null;
}

export interface PreviewQuestion {
  sheet: string;
  /** The sheet row (or column, for `orientation: 'columns'`) the question came from. */
  row: number;
  /** Exactly the key that will be saved. */
  key: string;
  text: string;
  guidance: string | null;
  answerType: AnswerType;
  options: PreviewOption[];
  required: boolean;
  references: string[];
  /** From where the answer type came: the answer-type column, a data validation, the options column, or the default. */
  typeSource: 'column' | 'validation' | 'options' | 'default';
  /** 'add' normally; 'update' when onCollision='update' and the key exists (then existingId is set). */
  action: 'add' | 'update';
  existingId?: string;
}

/** What became of one non-blank line below the header row. */
export interface RowFate {
  sheet: string;
  row: number;
  fate: 'header' | 'question' | 'section' | 'skipped' | 'filtered';
  /** Why, for everything that is not a question (a heading's reason names its section). */
  reason?: string;
  /** The key saved, for a question. */
  key?: string;
}

export interface PreviewSection {
  title: string;
  questions: PreviewQuestion[];
}

export interface PreviewResult {
  sections: PreviewSection[];
  /** Rows of fate 'skipped' and 'filtered', with their reasons. */
  skipped: Array<{ sheet?: string; row: number; reason: string }>;
  /** Every non-blank line below each header row, in order. */
  rows: RowFate[];
  warnings: string[];
  /** Lines below the header row up to the last non-empty one, blank ones included. */
  totalRows: number;
  /** Blank lines skipped without a reason. */
  blankRows: number;
  /** Whether `row` numbers count rows or (for a sideways sheet) columns (of the first sheet). */
  orientation: 'rows' | 'columns';
  /** Distinct answer-type column values with what they map to, for the editable table. */
  answerTypeCodes: Array<{ code: string; count: number; rule: AnswerTypeRule; recognised: boolean }>;
  /** Distinct option labels of closed questions with their share, for the editable shares table. */
  optionShares: Array<{ label: string; count: number; share: number | null }>;
  /** Keys of the file that are already in the RFP, and what happens to them under onCollision. */
  collisions: Array<{ sheet: string; row: number; key: string; existingId: string; existingText: string; outcome: 'skipped' | 'updated' | 'renamed'; newKey?: string }>;
}

/** One line of a sheet as the worker hands it over: text only, merge slaves already blanked or filled down. */
export interface GridRow {
  /** 1-based sheet row. */
  row: number;
  /** Index 0 = column A. Trailing empty cells may be missing. */
  cells: string[];
  /** Horizontal merges that start on this row, as [firstColumn, lastColumn] (1-based). A banner heading is one of these. */
  spans?: Array<[number, number]>;
  /** Row outline (grouping) level from <row outlineLevel>, 0 when absent (then the field is left out). */
  outline?: number;
}

/** A data validation of a sheet, as the worker read it (app/import/ooxml/validations.mjs). */
export interface GridValidation {
  /**
   * Cells it covers, 1-based inclusive, clipped to the sheet's last used row (and, for whole-row ranges, last used
   * column), so a whole-column range A:A or A1:A1048576 never expands to a million cells.
   */
  ranges: Array<{ top: number; left: number; bottom: number; right: number }>;
  kind: 'list' | 'whole' | 'decimal';
  /**
   * For a list: its values in order, resolved — inline "Yes,No,N/A", a range on any sheet (hidden included), or a
   * defined name. Empty when unresolvable (then `note` says why).
   */
  options: string[];
  /** whole/decimal: the bounds when constant. */
  min?: number | null;
  max?: number | null;
  note?: string;
}

export interface SheetGrid extends SheetSummary {
  rows: GridRow[];
  /** Always true now: the worker reads every sheet whole. */
  complete: boolean;
  /** List and number validations of the sheet (none for CSV). */
  validations: GridValidation[];
}

export interface WorkbookGrid {
  kind: 'xlsx' | 'csv';
  sheets: SheetGrid[];
  warnings: string[];
}
