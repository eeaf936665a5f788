/**
 * The comparison matrix as the results page sends it (issue 13, "light pages"): the page carries what each cell
 * prints and whether it opens, as a tuple (types.ts, CompactCell); the individual scores and rationales stay on the
 * server until a cell is opened (app/routes/rfps.$rfpId.results_.criterion.$criterionId.tsx). Pure.
 */
import type { CompactCell, CompactMatrixView, CriterionDrillView, FocusView, MatrixCellView, MatrixView } from './types';

/** The cell opens a drill-down. */
export const CELL_OPENS = 1;
/** The value is a consensus score. */
export const CELL_CONSENSUS = 2;
/** Evaluators diverged on it. */
export const CELL_DIVERGENT = 4;
/** The points are shown but do not count (a disqualified vendor's price points). */
export const CELL_NOT_COUNTED = 8;

export function compactCell(cell: MatrixCellView): CompactCell {
  const colour = cell.band ?? (cell.tone === 'scored' || cell.tone === 'price' ? null : cell.tone);
  const flags =
    (cell.drill !== null ? CELL_OPENS : 0) |
    (cell.source === 'consensus' ? CELL_CONSENSUS : 0) |
    (cell.divergent ? CELL_DIVERGENT : 0) |
    (cell.pointsNotCounted ? CELL_NOT_COUNTED : 0);
  return cell.note === null ? [cell.text, colour, cell.points, flags] : [cell.text, colour, cell.points, flags, cell.note];
}

/** `drillable`: the viewer may see the panel's individual scores. */
export function compactMatrix(matrix: MatrixView, drillable: boolean): CompactMatrixView {
  const { groups, rationalesInline: _inline, ...rest } = matrix;
  return {
    ...rest,
    drillable,
    groups: groups.map((g) => ({ ...g, rows: g.rows.map((r) => ({ ...r, cells: r.cells.map(compactCell) })) })),
  };
}

/** One criterion's drill-downs from the matrix built with it in focus. */
export function criterionDrill(focus: FocusView, evaluators: string[]): CriterionDrillView {
  return {
    criterionId: focus.criterionId,
    evaluators,
    vendors: focus.vendors.map((v) => ({ id: v.id, spread: v.spread, consensus: v.consensus, entries: v.entries })),
  };
}
