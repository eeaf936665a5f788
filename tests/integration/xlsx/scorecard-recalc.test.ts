import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelViewer } from '#app/confidentiality/panel';
import { loadScorecardData, type ScorecardData } from '#app/xlsx/scorecard-data.server';
import { matrixPlan } from '#app/xlsx/scorecard-layout';
import { buildScorecardWorkbook } from '#app/xlsx/scorecard-workbook.server';
import { computeResults, roundForDisplay, type ScoringInput, type ScoringResults } from '#scoring/index';
import { createTestDatabase } from '#tests/support/db';
import { createEvaluation, DEFAULT_EVALUATION, type EvaluationSpec } from '#tests/support/evaluation-factory';
import { libreOfficeConvert } from '#tests/support/libreoffice';

// The Matrix's formulas recomputed by another spreadsheet program. openpyxl re-saves the workbook (which drops every
// cached formula result, so nothing can be read from the cache), optionally changing weights; LibreOffice headless opens
// and re-saves it, computing every formula; openpyxl reads the computed values, which must equal — to the cent — what
// `computeResults` gives for the same weights.
// Needs libreoffice-calc, python3-openpyxl and poppler-utils (pdfinfo).

const run = promisify(execFile);
const cents = (x: unknown) => roundForDisplay(Number(x));
const VIEWER = { name: 'Lena Lead', email: 'lena@city.example', canReadResponses: true, canReadAudit: true };

function python(): string {
  if (spawnSync('/usr/bin/python3', ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0) return '/usr/bin/python3';
  throw new Error('These tests need python3 with openpyxl: apt-get install python3-openpyxl');
}

/** Loads the workbook (formulas), sets the given Matrix cells, saves it without any cached value. */
const RESAVE = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['Matrix']
for address, value in json.loads(sys.argv[3]).items():
    ws[address] = value
wb.save(sys.argv[2])
check = openpyxl.load_workbook(sys.argv[2], data_only=True)['Matrix']
print(json.dumps({a: check[a].value for a in json.loads(sys.argv[4])}))
`;

/** The computed values of the given Matrix cells. */
const READ = `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True)['Matrix']
print(json.dumps({a: ws[a].value for a in json.loads(sys.argv[2])}))
`;

type Plan = ReturnType<typeof matrixPlan>;

function planOf(data: ScorecardData, results: ScoringResults): Plan {
  return matrixPlan({ rfpLine: '', generatedLine: '', sections: data.bundle.sections, criteria: data.bundle.criteria, results });
}

/** Cells whose recomputed values are compared: every vendor's points, subtotals, total, qualified flag and rank; P_min. */
function watched(plan: Plan['at']): string[] {
  const cells = plan.lowestPrice ? [plan.lowestPrice] : [];
  for (const v of plan.vendorColumns) {
    for (const r of plan.criterionRows) if (r.kind !== 'pass_fail') cells.push(`${v.points}${r.row}`);
    for (const s of plan.subtotalRows) cells.push(`${v.points}${s.row}`);
    cells.push(`${v.points}${plan.totalRow}`, `${v.points}${plan.qualifiedRow}`, `${v.points}${plan.rankRow}`);
  }
  return cells;
}

/** What the engine says those cells must hold (rounded to the cent; "" for no points). */
function expectedCells(plan: Plan['at'], results: ScoringResults, sectionOf: ReadonlyArray<{ id: string; sectionId: string }>): Record<string, number | string | null> {
  const criteria = new Map(sectionOf.map((c) => [c.id, c.sectionId]));
  const out: Record<string, number | string | null> = {};
  if (plan.lowestPrice) out[plan.lowestPrice] = results.lowestPrice === null ? null : cents(results.lowestPrice);
  plan.vendorColumns.forEach((col) => {
    const v = results.vendors.find((x) => x.vendorId === col.vendorId)!;
    for (const r of plan.criterionRows) {
      if (r.kind === 'pass_fail') continue;
      const points = v.criteria.find((c) => c.criterionId === r.criterionId)!.points;
      out[`${col.points}${r.row}`] = points === null ? null : cents(points);
    }
    for (const s of plan.subtotalRows) {
      // A section where no criterion earned points (knock-outs only, or nobody scored it) reads "—", never 0.00.
      const earned = v.criteria.some((c) => c.points !== null && criteria.get(c.criterionId) === s.sectionId);
      out[`${col.points}${s.row}`] = earned ? cents(v.sections.find((x) => x.sectionId === s.sectionId)!.points) : '—';
    }
    out[`${col.points}${plan.totalRow}`] = cents(v.total);
    out[`${col.points}${plan.qualifiedRow}`] = v.qualified ? 1 : 0;
    out[`${col.points}${plan.rankRow}`] = v.rank ?? 'DQ';
  });
  return out;
}

function rounded(values: Record<string, unknown>): Record<string, number | string | null> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? cents(v) : v === '' || v === undefined ? null : (v as string | null)]));
}

/** The engine's input with some criteria's points changed (by key) and the RFP's total adjusted to their new sum. */
function reweighted(data: ScorecardData, changes: Record<string, number>): ScoringInput {
  const input = data.bundle.input;
  const keyOf = new Map(data.bundle.criteria.map((c) => [c.id, c.key]));
  const criteria = input.criteria.map((c) => ({ ...c, points: changes[keyOf.get(c.id)!] ?? c.points }));
  return { ...input, criteria, settings: { ...input.settings, totalPoints: criteria.reduce((sum, c) => sum + c.points, 0) }, options: { monteCarloDraws: 0 } };
}

describe('the Matrix recomputed in LibreOffice', () => {
  let dir: string;
  const cases = new Map<string, { data: ScorecardData; results: ScoringResults; file: string }>();

  async function exportCase(name: string, spec: EvaluationSpec): Promise<void> {
    const handle = await createTestDatabase();
    try {
      const created = await createEvaluation(handle.db, spec);
      const rfp = await handle.db.selectFrom('rfp').selectAll().where('id', '=', created.rfpId).executeTakeFirstOrThrow();
      const data = await loadScorecardData(handle.db, rfp, { ...VIEWER, panel: PanelViewer.oversight(rfp.status) });
      if (!data.outcome.ok) throw new Error(`${name}: the engine refused the evaluation`);
      const file = join(dir, `${name}.xlsx`);
      writeFileSync(file, await buildScorecardWorkbook(data));
      cases.set(name, { data, results: data.outcome.results, file });
    } finally {
      await handle.close();
    }
  }

  /** Re-saves `name` with `changes` (Matrix cell → value), recomputes it in LibreOffice, returns the watched cells' values. */
  async function recompute(name: string, label: string, changes: Record<string, number>, cells: string[]): Promise<Record<string, unknown>> {
    const { file } = cases.get(name)!;
    const resaved = join(dir, `${name}-${label}.xlsx`);
    const { stdout: before } = await run(python(), ['-c', RESAVE, file, resaved, JSON.stringify(changes), JSON.stringify(cells)], { timeout: 60_000 });
    // Nothing cached: whatever we read next, LibreOffice computed.
    expect(Object.values(JSON.parse(before) as Record<string, unknown>).every((v) => v === null)).toBe(true);
    const outdir = join(dir, `lo-${name}-${label}`);
    mkdirSync(outdir, { recursive: true });
    const recomputed = await libreOfficeConvert(resaved, 'xlsx', outdir);
    const { stdout } = await run(python(), ['-c', READ, recomputed, JSON.stringify(cells)], { timeout: 60_000 });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-scorecard-recalc-'));
    // The factory's evaluation: ratio price formula, P_min among qualified vendors (the cheapest vendor is disqualified).
    await exportCase('default', DEFAULT_EVALUATION);
    // Two identical vendors (a tie: ranks 1, 1, 3), the linear price formula, median aggregation, a missing score.
    await exportCase('tie-linear', {
      ...DEFAULT_EVALUATION,
      priceFormula: 'linear',
      aggregation: 'median',
      vendors: [
        { name: 'Twin A', price: 700_000 },
        { name: 'Twin B', price: 700_000 },
        { name: 'Third', price: 1_100_000 },
      ],
      recusals: {},
      consensus: [],
      score: ({ vendor, evaluator, criterion }) =>
        criterion.kind === 'pass_fail' ? 1 : vendor === 2 && criterion.key === 'SEC-AI' ? null : vendor === 2 ? 2 : 3 + ((evaluator + criterion.key.length) % 3) - 1,
    });
    // Section titles as the demo's: bold in a subtotal row, "Contract and data rights" needs two lines of column A.
    const titles = ['Contract and data rights', 'Security, privacy and data minimisation', 'Accessibility and equity', 'Cost and sustainment'];
    await exportCase('long-titles', { ...DEFAULT_EVALUATION, sections: DEFAULT_EVALUATION.sections.map((sec, i) => ({ ...sec, title: titles[i] ?? sec.title })) });
  }, 90_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('computes, from the formulas alone, the figures the app shows (knock-out, ratio price, P_min over qualified vendors)', async () => {
    const { data, results } = cases.get('default')!;
    const plan = planOf(data, results);
    const cells = watched(plan.at);
    const values = await recompute('default', 'as-is', {}, cells);
    expect(rounded(values)).toEqual(expectedCells(plan.at, results, data.bundle.criteria));
    expect(results.vendors.some((v) => !v.qualified)).toBe(true);
  }, 180_000);

  it('recomputes totals and ranks as the engine does when a reader changes weights', async () => {
    const { data, results } = cases.get('default')!;
    const plan = planOf(data, results);
    const rowOf = (key: string) => plan.at.criterionRows.find((r) => r.criterionId === data.bundle.criteria.find((c) => c.key === key)!.id)!.row;
    // Price counts for far more, bias testing for more, support for nothing.
    const changes = { 'COST-PRICE': 60, 'RAI-MEAS': 25, 'COST-SUPPORT': 0 };
    const cellChanges = Object.fromEntries(Object.entries(changes).map(([key, points]) => [`E${rowOf(key)}`, points]));
    const expected = computeResults(reweighted(data, changes));
    const values = await recompute('default', 'reweighted', cellChanges, watched(plan.at));
    expect(rounded(values)).toEqual(expectedCells(plan.at, expected, data.bundle.criteria));
    // The change matters: totals moved, and the winner under the new weights is the engine's.
    expect(expected.vendors.map((v) => cents(v.total))).not.toEqual(results.vendors.map((v) => cents(v.total)));
  }, 180_000);

  it('handles ties (shared rank), the linear price formula and an unscored criterion, before and after a weight change', async () => {
    const { data, results } = cases.get('tie-linear')!;
    const plan = planOf(data, results);
    expect(results.vendors.map((v) => v.rank)).toEqual([1, 1, 3]);
    expect(results.settings.priceFormula).toBe('linear');
    const cells = watched(plan.at);
    expect(rounded(await recompute('tie-linear', 'as-is', {}, cells))).toEqual(expectedCells(plan.at, results, data.bundle.criteria));
    const row = plan.at.criterionRows.find((r) => r.criterionId === data.bundle.criteria.find((c) => c.key === 'COST-PRICE')!.id)!.row;
    const expected = computeResults(reweighted(data, { 'COST-PRICE': 45 }));
    expect(rounded(await recompute('tie-linear', 'reweighted', { [`E${row}`]: 45 }, cells))).toEqual(expectedCells(plan.at, expected, data.bundle.criteria));
  }, 180_000);

  it('prints the Matrix with every row tall enough for its text: no word of a section subtotal lies over the next row', async () => {
    const { file } = cases.get('long-titles')!;
    const pdf = await libreOfficeConvert(file, 'pdf', join(dir, 'pdf-long'));
    const { stdout: info } = await run('pdfinfo', [pdf]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    let matrixPages = 0;
    for (let page = 1; page <= pages; page++) {
      const { stdout: text } = await run('pdftotext', ['-f', String(page), '-l', String(page), pdf, '-']);
      if (!/Scoring matrix/.test(text) && !/Subtotal:/.test(text)) continue;
      matrixPages += 1;
      const { stdout: html } = await run('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-']);
      const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
        x0: Number(m[1]),
        y0: Number(m[2]),
        x1: Number(m[3]),
        y1: Number(m[4]),
        text: m[5]!,
      }));
      expect(words.some((w) => w.text === 'rights')).toBe(true);
      const overlaps: string[] = [];
      for (let i = 0; i < words.length; i++) {
        for (let j = i + 1; j < words.length; j++) {
          const a = words[i]!;
          const b = words[j]!;
          const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
          const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
          // Glyph boxes of neighbouring lines touch by a fraction of a point; text printed over text overlaps by far more.
          if (w > 1 && h > 2) overlaps.push(`“${a.text}” over “${b.text}”`);
        }
      }
      expect(overlaps, `page ${page}`).toEqual([]);
    }
    expect(matrixPages).toBeGreaterThan(0);
  }, 180_000);

  it('renders to PDF (the printed scorecard)', async () => {
    const { file } = cases.get('default')!;
    const pdf = await libreOfficeConvert(file, 'pdf', join(dir, 'pdf'));
    expect(existsSync(pdf)).toBe(true);
    const { stdout } = await run('pdfinfo', [pdf]);
    expect(Number(/Pages:\s+(\d+)/.exec(stdout)?.[1])).toBeGreaterThanOrEqual(6);
  }, 180_000);
});
