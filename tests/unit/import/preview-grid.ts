import type { ExistingQuestion, GridRow, GridValidation, ImportMapping, ImportPlan, PreviewResult, SheetGrid, WorkbookGrid } from '#app/import/import-types.server';
import { buildImportPreview } from '#app/import/preview.server';

/** Hand-built grids for the preview tests: rows numbered from 1, null a blank line (absent, as the reader leaves it). */
export function rowsOf(...rows: Array<Array<string | null> | null>): GridRow[] {
  return rows.flatMap((cells, i) => (cells ? [{ row: i + 1, cells: cells.map((c) => c ?? '') }] : []));
}

export function sheetOf(name: string, rows: GridRow[], extra: Partial<Omit<SheetGrid, 'validations'>> & { validations?: SheetGrid['validations'] } = {}): SheetGrid {
  return { name, rowCount: rows.length ? rows[rows.length - 1]!.row : 0, columnCount: Math.max(0, ...rows.map((r) => r.cells.length)), rows, complete: true, validations: [], ...extra };
}

export function workbook(...sheets: SheetGrid[]): WorkbookGrid {
  return { kind: 'xlsx', sheets, warnings: [] };
}

/** A list validation over one column of rows `top`..`bottom`. */
export function listValidation(column: number, top: number, bottom: number, options: string[]): GridValidation {
  return { ranges: [{ top, left: column, bottom, right: column }], kind: 'list', options };
}

/** The preview of one sheet under one mapping (sheet name filled in), with the plan's other choices. */
export function previewOne(sheet: SheetGrid, mapping: Omit<ImportMapping, 'sheet'>, plan: Omit<ImportPlan, 'sheets'> = {}, existing: ExistingQuestion[] = []): PreviewResult {
  return buildImportPreview(workbook(sheet), { ...plan, sheets: [{ ...mapping, sheet: sheet.name }] }, existing);
}

export const questionsOf = (preview: PreviewResult) => preview.sections.flatMap((s) => s.questions);
export const keysBySection = (preview: PreviewResult) => preview.sections.map((s) => [s.title, s.questions.map((q) => q.key)] as const);
export const fates = (preview: PreviewResult) => preview.rows.map((r) => [r.row, r.fate] as const);
