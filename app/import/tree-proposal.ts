import { cellAt } from './grid-cells';
import type { GridRow, ImportMapping } from './import-types.server';

/**
 * Proposes the structure a framework checklist carries beside its columns: a depth tree (a "depth"/"level" column of
 * small integers, or the rows' outline levels) and an "assessable"-style column that marks the rows to keep. Exported
 * from GRC tools, such a workbook holds every node of the framework — functions, categories, then the assessable
 * items — and importing every row with text over-imports it several times over.
 */

export interface FilterProposal {
  column: number;
  /** The mark as the file spells it most often ("x", "Yes", "✓"); the preview compares it case-insensitively. */
  value: string;
  kept: number;
  rows: number;
}

/** Headers of a column that marks the rows in scope. One that marks rows out of scope would keep the wrong ones. */
const FILTER_HEADER = /\b(assessable|in scope|applicable|applies|include|included|selected|in use|relevant|select)\b/;
const NEGATED_HEADER = /\b(not|non|exclude|excluded|out of scope|n a)\b/;
const MARKS = new Set(['x', '✓', '✔', '☑', '●', '•', 'yes', 'y', 'true', '1']);
const UNMARKS = new Set(['', 'no', 'n', 'false', '0', '-', '✗', '✘', 'n/a', 'na']);

const normalHeader = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * A column headed like "Assessable" / "In scope" / "Applicable" that holds one mark and otherwise blanks (or noes):
 * keeping the marked rows is proposed. Null when no column fits, or when every row is marked (nothing to filter).
 */
export function findFilterColumn(headerCells: string[], dataRows: GridRow[], mapped: ReadonlySet<number>): FilterProposal | null {
  for (let index = 0; index < headerCells.length; index++) {
    const column = index + 1;
    const header = normalHeader(headerCells[index] ?? '');
    if (mapped.has(column) || !FILTER_HEADER.test(header) || NEGATED_HEADER.test(header)) continue;
    const spellings = new Map<string, Map<string, number>>();
    let unmarked = 0;
    let other = 0;
    for (const row of dataRows) {
      const raw = cellAt(row, column);
      const value = raw.toLowerCase();
      if (MARKS.has(value)) {
        const counts = spellings.get(value) ?? new Map<string, number>();
        counts.set(raw, (counts.get(raw) ?? 0) + 1);
        spellings.set(value, counts);
      } else if (UNMARKS.has(value)) unmarked++;
      else other++;
    }
    const byMark = [...spellings.values()].map((counts) => ({ counts, total: [...counts.values()].reduce((a, b) => a + b, 0) }));
    byMark.sort((a, b) => b.total - a.total);
    const top = byMark[0];
    if (!top || unmarked === 0) continue;
    // Mostly one mark and blanks: a column of mixed answers ("Partly", "Planned") is something else.
    if (other + (byMark.length > 1 ? byMark.slice(1).reduce((n, m) => n + m.total, 0) : 0) > 0.1 * (top.total + other)) continue;
    const value = [...top.counts].sort((a, b) => b[1] - a[1])[0]![0];
    return { column, value, kept: top.total, rows: dataRows.length };
  }
  return null;
}

/** Headers of a column that gives each row's depth in the tree. */
const DEPTH_HEADER = /^(depth|level|outline|outline level|hierarchy|hierarchy level|tree depth|tree level|indent|indent level|nesting level|row level|node level)$/;
/** Depths deeper than this are not a tree a questionnaire uses; such a column holds something else. */
const MAX_DEPTH = 20;

/**
 * Where each row's depth comes from: a depth/level column holding small integers on (nearly) every row, or else the
 * rows' outline (grouping) levels when they differ. Null when the sheet has neither.
 */
export function findDepthSource(headerCells: string[], dataRows: GridRow[], mapped: ReadonlySet<number>): NonNullable<ImportMapping['depth']> | null {
  if (dataRows.length === 0) return null;
  for (let index = 0; index < headerCells.length; index++) {
    const column = index + 1;
    if (mapped.has(column) || !DEPTH_HEADER.test(normalHeader(headerCells[index] ?? ''))) continue;
    const values = dataRows.map((r) => cellAt(r, column)).filter((v) => v !== '');
    const depths = values.filter((v) => /^\d{1,2}$/.test(v) && Number(v) <= MAX_DEPTH);
    if (values.length >= dataRows.length * 0.8 && depths.length >= values.length * 0.95 && new Set(depths.map(Number)).size >= 2) {
      return { source: 'column', column };
    }
  }
  if (new Set(dataRows.map((r) => r.outline ?? 0)).size >= 2) return { source: 'outline' };
  return null;
}

/** A row's depth under a depth source, or null when its depth cell is not a depth. */
export function depthOf(row: GridRow, source: NonNullable<ImportMapping['depth']>): number | null {
  if (source.source === 'outline') return row.outline ?? 0;
  const text = cellAt(row, source.column);
  return /^\d{1,2}$/.test(text) ? Number(text) : null;
}

export interface DepthProposal {
  sectionDepth: number;
  /** Proposed when the depths between the sections and the deepest rows hold no questions either. */
  onlyDepth?: number;
}

/**
 * Which depth makes the sections: the shallowest whose rows mostly are not questions — unmarked when there is a filter
 * column, without question marks when the sheet asks with them, otherwise any depth above the deepest. Null when no
 * depth above the deepest looks like headings, or its rows are not fewer than those below (then the tree gives no sections).
 */
export function proposeDepths(
  dataRows: GridRow[],
  source: NonNullable<ImportMapping['depth']>,
  questionColumn: number | undefined,
  filter: FilterProposal | null,
): DepthProposal | null {
  const perDepth = new Map<number, { rows: number; marked: number; asking: number }>();
  let anyAsking = false;
  for (const row of dataRows) {
    const depth = depthOf(row, source);
    if (depth === null) continue;
    const stats = perDepth.get(depth) ?? { rows: 0, marked: 0, asking: 0 };
    stats.rows++;
    if (filter && cellAt(row, filter.column).toLowerCase() === filter.value.toLowerCase()) stats.marked++;
    if (questionColumn !== undefined && cellAt(row, questionColumn).includes('?')) {
      stats.asking++;
      anyAsking = true;
    }
    perDepth.set(depth, stats);
  }
  const depths = [...perDepth.keys()].sort((a, b) => a - b);
  if (depths.length < 2) return null;
  const deepest = depths[depths.length - 1]!;
  const heading = (d: number) => {
    const s = perDepth.get(d)!;
    if (filter) return s.marked < s.rows * 0.5;
    if (anyAsking) return s.asking < s.rows * 0.5;
    return d < deepest;
  };
  const sectionDepth = depths.find((d) => d < deepest && heading(d));
  if (sectionDepth === undefined) return null;
  // Sections gather questions: when the rows at that depth outnumber those below it (questions with grouped notes under
  // them, say), the levels are not a tree of sections.
  const deeperRows = depths.filter((d) => d > sectionDepth).reduce((n, d) => n + perDepth.get(d)!.rows, 0);
  if (perDepth.get(sectionDepth)!.rows >= deeperRows) return null;
  const between = depths.filter((d) => d > sectionDepth && d < deepest);
  const onlyDeepest = !filter && between.length > 0 && between.every(heading) && !heading(deepest);
  return onlyDeepest ? { sectionDepth, onlyDepth: deepest } : { sectionDepth };
}
