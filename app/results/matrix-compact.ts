/**
 * The comparison matrix as the results page sends it (issue 13, "light pages"): the page carries what each cell
 * prints and whether it opens; the individual scores and rationales stay on the server until a cell is opened
 * (app/routes/rfps.$rfpId.results_.criterion.$criterionId.tsx). Pure.
 */
import type { CompactCell, CompactMatrixView, CriterionDrillView, FocusView, MatrixCellView, MatrixView } from './types';

export function compactCell(cell: MatrixCellView): CompactCell {
  const out: CompactCell = { t: cell.text };
  if (cell.note !== null) out.n = cell.note;
  if (cell.points !== null) out.p = cell.points;
  if (cell.pointsNotCounted) out.x = 1;
  if (cell.band !== null) out.b = cell.band;
  if (cell.tone !== 'scored' && cell.tone !== 'price') out.k = cell.tone;
  if (cell.source === 'consensus') out.c = 1;
  if (cell.divergent) out.d = cell.spread ?? '';
  if (cell.drill !== null) out.o = 1;
  return out;
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
