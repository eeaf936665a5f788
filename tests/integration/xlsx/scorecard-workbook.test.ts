import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelViewer } from '#app/confidentiality/panel';
import type { DatabaseHandle } from '#db/client';
import { newId, nowIso } from '#db/ids';
import { getAuditChainHead, recordAudit } from '#db/queries/audit';
import { loadScorecardData, type ScorecardData, type ScorecardViewer } from '#app/xlsx/scorecard-data.server';
import { MATRIX_NAMES, matrixPlan, SCORECARD_FORMAT, SHEET_ORDER, TABLE_HEADER_ROW } from '#app/xlsx/scorecard-layout';
import { buildScorecardWorkbook } from '#app/xlsx/scorecard-workbook.server';
import { roundForDisplay, type ScoringResults } from '#scoring/index';
import { createTestDatabase } from '#tests/support/db';
import { createEvaluation, type CreatedEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';

// The scorecard workbook of a complete evaluation (tests/support/evaluation-factory.ts: four vendors, one disqualified by a
// unanimous knock-out fail, one split knock-out settled by consensus, a recused evaluator, a withdrawn vendor), read back
// by exceljs and by openpyxl (another implementation), every figure compared with the engine's to the cent.

const run = promisify(execFile);
const LEAD: Omit<ScorecardViewer, 'panel'> = { name: 'Lena Lead', email: 'lena@city.example', canReadResponses: true, canReadAudit: true };
const cents = (x: unknown) => roundForDisplay(Number(x));

function python(): string {
  if (spawnSync('/usr/bin/python3', ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0) return '/usr/bin/python3';
  throw new Error('These tests need python3 with openpyxl: apt-get install python3-openpyxl');
}

/** Two questions per scored criterion, and every included vendor's answers (text, number, multiple choice). */
async function addResponses(handle: DatabaseHandle, created: CreatedEvaluation): Promise<Array<{ id: string; key: string }>> {
  const now = nowIso();
  const questions = created.criteria
    .filter((c) => c.kind === 'scored')
    .flatMap((c, i) => [
      { id: newId(), key: `${c.key}-Q1`, criterion: c.id, type: 'text' as const, position: i * 2 },
      { id: newId(), key: `${c.key}-Q2`, criterion: c.id, type: (i % 2 === 0 ? 'number' : 'multi_choice') as 'number' | 'multi_choice', position: i * 2 + 1 },
    ]);
  await handle.db
    .insertInto('question')
    .values(
      questions.map((q) => ({
        id: q.id,
        rfp_id: created.rfpId,
        criterion_id: q.criterion,
        key: q.key,
        text: `How does the system meet ${q.key}?`,
        guidance: null,
        strong_answer: null,
        answer_type: q.type,
        options_json: q.type === 'multi_choice' ? JSON.stringify([{ label: 'A', autoScore: null }, { label: 'B', autoScore: null }]) : '[]',
        required: 1,
        references_json: '[]',
        position: q.position,
        created_at: now,
      })),
    )
    .execute();
  const answers = created.vendors.flatMap((v, vi) =>
    questions.map((q, qi) => ({
      id: newId(),
      rfp_id: created.rfpId,
      submission_id: v.submissionId,
      question_id: q.id,
      value_json: JSON.stringify(q.type === 'number' ? 1000 * (vi + 1) + qi : q.type === 'multi_choice' ? ['A', 'B'] : `${v.name} answers ${q.key}.`),
      source: 'manual' as const,
      updated_by: null,
      updated_at: now,
    })),
  );
  await handle.db.insertInto('answer').values(answers).execute();
  return questions.map((q) => ({ id: q.id, key: q.key }));
}

const INSPECT = `
import json, sys, openpyxl
path = sys.argv[1]
wb = openpyxl.load_workbook(path)
values = openpyxl.load_workbook(path, data_only=True)
m, mv = wb['Matrix'], values['Matrix']
def cf(ws):
    out = []
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            out.append([str(rng.sqref), rule.type])
    return out
def dims(ws):
    return {k: v.width for k, v in ws.column_dimensions.items() if v.width}
out = {
  'sheets': wb.sheetnames,
  'props': {'title': wb.properties.title, 'subject': wb.properties.subject, 'creator': wb.properties.creator, 'keywords': wb.properties.keywords},
  'names': {n: str(wb.defined_names[n].attr_text) for n in wb.defined_names} if hasattr(wb.defined_names, 'keys') else {d.name: d.attr_text for d in wb.defined_names.definedName},
  'sheetsInfo': {},
  'matrixFormulas': {},
  'matrixValues': {},
}
for ws in wb.worksheets:
    out['sheetsInfo'][ws.title] = {
      'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref, 'printTitles': ws.print_title_rows,
      'orientation': ws.page_setup.orientation, 'fitToWidth': ws.page_setup.fitToWidth, 'fitToPage': ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
      'maxRow': ws.max_row, 'cf': cf(ws), 'widths': dims(ws),
      'header': [c.value for c in ws[${TABLE_HEADER_ROW}]] if ws.max_row >= ${TABLE_HEADER_ROW} else [],
    }
for row in m.iter_rows():
    for c in row:
        if isinstance(c.value, str) and c.value.startswith('='):
            out['matrixFormulas'][c.coordinate] = c.value
        v = mv[c.coordinate].value
        if v is not None:
            out['matrixValues'][c.coordinate] = v
print(json.dumps(out, default=str))
`;

interface Inspection {
  sheets: string[];
  props: Record<string, string>;
  names: Record<string, string>;
  sheetsInfo: Record<string, { freeze: string | null; filter: string | null; printTitles: string | null; orientation: string; fitToWidth: number; fitToPage: boolean; maxRow: number; cf: Array<[string, string]>; widths: Record<string, number>; header: unknown[] }>;
  matrixFormulas: Record<string, string>;
  matrixValues: Record<string, unknown>;
}

describe('the scorecard workbook of a complete evaluation', () => {
  let handle: DatabaseHandle;
  let dir: string;
  let file: string;
  let data: ScorecardData;
  let results: ScoringResults;
  let created: CreatedEvaluation;
  let workbook: ExcelJS.Workbook;
  let questions: Array<{ id: string; key: string }>;

  beforeAll(async () => {
    handle = await createTestDatabase();
    created = await createEvaluation(handle.db);
    questions = await addResponses(handle, created);
    await recordAudit(handle.db, { id: created.lead.id, email: created.lead.email }, { rfpId: created.rfpId, entity: 'rfp', entityId: created.rfpId, action: 'rfp.status', before: { status: 'evaluation' }, after: { status: 'consensus' }, reason: 'All scoresheets are in.' });
    await recordAudit(handle.db, { id: created.lead.id, email: created.lead.email }, { rfpId: created.rfpId, entity: 'consensus', action: 'consensus.record', after: { value: 3 } });
    const rfp = await handle.db.selectFrom('rfp').selectAll().where('id', '=', created.rfpId).executeTakeFirstOrThrow();
    data = await loadScorecardData(handle.db, rfp, { ...LEAD, panel: PanelViewer.oversight(rfp.status) });
    if (!data.outcome.ok) throw new Error('the engine refused the factory evaluation');
    results = data.outcome.results;
    dir = mkdtempSync(join(tmpdir(), 'wb-scorecard-'));
    file = join(dir, 'scorecard.xlsx');
    writeFileSync(file, await buildScorecardWorkbook(data));
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
  });

  afterAll(async () => {
    await handle?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const plan = () =>
    matrixPlan({ rfpLine: '', generatedLine: '', sections: data.bundle.sections, criteria: data.bundle.criteria, results });

  it('has the six sheets and the document properties', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([...SHEET_ORDER]);
    expect(workbook.title).toContain(created.reference);
    expect(workbook.subject).toBe(created.reference);
    expect(workbook.creator).toBe('AI Vendor Evaluation Workbench');
    expect(workbook.keywords).toContain(SCORECARD_FORMAT);
  });

  it('Summary: the ranking, section subtotals and totals as the engine computed them, to the cent', () => {
    const sheet = workbook.getWorksheet('Summary')!;
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain(`Evaluation scorecard — ${created.reference}`);
    expect(texts).toContain('Consensus');
    let header = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'Rank' && row.getCell(2).value === 'Vendor') header = n;
    });
    expect(header).toBeGreaterThan(0);
    const sectionsWithPoints = data.bundle.sections.filter((s) => data.bundle.criteria.some((c) => c.sectionId === s.id && c.points > 0));
    results.vendors.forEach((v, i) => {
      const row = sheet.getRow(header + 1 + i);
      expect(row.getCell(1).value).toBe(v.rank ?? 'DQ');
      expect(row.getCell(2).value).toBe(v.name);
      sectionsWithPoints.forEach((s, k) => expect(row.getCell(3 + k).value).toBe(cents(v.sections.find((x) => x.sectionId === s.id)!.points)));
      expect(row.getCell(3 + sectionsWithPoints.length).value).toBe(cents(v.total));
      expect(row.getCell(4 + sectionsWithPoints.length).value).toBe(v.qualified ? 'Qualified' : 'Disqualified');
      if (!v.qualified) expect(String(row.getCell(5 + sectionsWithPoints.length).value)).toContain('Failed knock-out');
    });
    expect(results.vendors.filter((v) => !v.qualified).map((v) => v.name)).toEqual(['BudgetBot LLC']);
    expect(texts.some((t) => t.includes('Legacy Systems Co.'))).toBe(true);
  });

  it('Matrix: values at full precision, points/subtotals/totals/ranks as formulas with the engine’s figures cached', () => {
    const sheet = workbook.getWorksheet('Matrix')!;
    const p = plan();
    expect(sheet.getCell(p.at.scaleMax).value).toBe(results.settings.scaleMax);
    expect(sheet.getCell(p.at.lowestPrice!).result).toBe(results.lowestPrice);
    results.vendors.forEach((v, i) => {
      const cols = p.at.vendorColumns[i]!;
      expect(sheet.getCell(`${cols.value}${p.at.headerRow}`).value).toBe(v.name);
      for (const { criterionId, row, kind } of p.at.criterionRows) {
        const engine = v.criteria.find((c) => c.criterionId === criterionId)!;
        const valueCell = sheet.getCell(`${cols.value}${row}`);
        const pointsCell = sheet.getCell(`${cols.points}${row}`);
        if (kind === 'pass_fail') {
          expect(typeof valueCell.value).toBe('string');
          continue;
        }
        expect(valueCell.value).toBe(engine.value);
        expect(pointsCell.formula).toBeTruthy();
        expect(cents(pointsCell.result)).toBe(cents(engine.points!));
      }
      for (const s of p.at.subtotalRows) {
        const cell = sheet.getCell(`${cols.points}${s.row}`);
        expect(cell.formula).toMatch(/^IF\(COUNT\(.*SUM\(/);
        // A section with no points to earn (knock-outs only) or nobody scored is "—", never 0.00.
        const criteria = data.bundle.criteria.filter((c) => c.sectionId === s.sectionId);
        const earned = v.criteria.some((c) => c.points !== null && criteria.some((x) => x.id === c.criterionId));
        if (earned) expect(cents(cell.result)).toBe(cents(v.sections.find((x) => x.sectionId === s.sectionId)!.points));
        else expect(cell.result).toBe('—');
      }
      const total = sheet.getCell(`${cols.points}${p.at.totalRow}`);
      expect(total.formula).toMatch(/^SUM\(/);
      expect(cents(total.result)).toBe(cents(v.total));
      expect(sheet.getCell(`${cols.points}${p.at.rankRow}`).result).toBe(v.rank ?? 'DQ');
    });
  });

  it('Evaluators: every individual score, the withdrawn vendor’s too, with whether it counts', async () => {
    const sheet = workbook.getWorksheet('Evaluators')!;
    const rows: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > TABLE_HEADER_ROW) rows.push([1, 2, 4, 7, 8, 9].map((c) => String(row.getCell(c).value)).join('|'));
    });
    // Every score in the database, the withdrawn vendor's included (DESIGN §4 readings: listed, not counted).
    const stored = await handle.db.selectFrom('score').select('id').where('rfp_id', '=', created.rfpId).execute();
    expect(rows).toHaveLength(stored.length);
    const withdrawn = created.vendors.find((v) => v.status === 'withdrawn')!;
    expect(data.bundle.excludedScoreDetails.length).toBeGreaterThan(0);
    expect(data.bundle.excludedScoreDetails.every((s) => s.vendorId === withdrawn.id && s.status === 'withdrawn')).toBe(true);
    const evaluator = new Map(data.bundle.evaluators.map((e) => [e.id, e.name]));
    const vendor = new Map([...data.bundle.vendors.map((v) => [v.id, v.name] as const), [withdrawn.id, withdrawn.name] as const]);
    const criterion = new Map(data.bundle.criteria.map((c) => [c.id, c]));
    const expected = [...data.bundle.scoreDetails, ...data.bundle.excludedScoreDetails].map((s) => {
      const c = criterion.get(s.criterionId)!;
      const value = c.kind === 'pass_fail' ? (s.value === 1 ? 'Pass' : 'Fail') : String(s.value);
      const counts =
        s.vendorId === withdrawn.id ? 'No: the submission is withdrawn (not evaluated)' : s.recused ? 'No: the evaluator is recused from this vendor' : s.submitted ? 'Yes' : 'No: scoresheet not submitted';
      return [evaluator.get(s.evaluatorId), vendor.get(s.vendorId), c.key, value, s.submitted ? 'Submitted' : 'In progress', counts].join('|');
    });
    expect([...rows].sort()).toEqual([...expected].sort());
    expect(rows.filter((r) => r.includes(`|${withdrawn.name}|`))).toHaveLength(data.bundle.excludedScoreDetails.length);
  });

  it('Rationale: every consensus rationale and every evaluator’s rationale', () => {
    const sheet = workbook.getWorksheet('Rationale')!;
    const texts: string[] = [];
    const sources: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > TABLE_HEADER_ROW) {
        texts.push(String(row.getCell(8).value));
        sources.push(String(row.getCell(5).value));
      }
    });
    expect(texts).toHaveLength([...data.bundle.scoreDetails, ...data.bundle.excludedScoreDetails].filter((s) => s.rationale).length + data.bundle.consensusDetails.length);
    expect(sources).toContain('Evaluator (withdrawn: not counted)');
    for (const k of DEFAULT_EVALUATION.consensus!) expect(texts).toContain(k.rationale);
    expect(sources.filter((s) => s === 'Consensus')).toHaveLength(DEFAULT_EVALUATION.consensus!.length);
  });

  it('Responses: questions × vendors, answers side by side', () => {
    const sheet = workbook.getWorksheet('Responses')!;
    const header = sheet.getRow(TABLE_HEADER_ROW);
    expect([1, 2, 3].map((c) => header.getCell(c).value)).toEqual(['Section', 'Key', 'Question']);
    expect(results.vendors.map((_, i) => header.getCell(4 + i).value)).toEqual(results.vendors.map((v) => v.name));
    const keys: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > TABLE_HEADER_ROW) keys.push(row.getCell(2).value);
    });
    expect(keys).toEqual(questions.map((q) => q.key));
    const first = sheet.getRow(TABLE_HEADER_ROW + 1);
    results.vendors.forEach((v, i) => expect(first.getCell(4 + i).value).toBe(`${v.name} answers ${questions[0]!.key}.`));
    const numberRow = sheet.getRow(TABLE_HEADER_ROW + 2);
    expect(typeof numberRow.getCell(4).value).toBe('number');
    expect(sheet.getRow(TABLE_HEADER_ROW + 4).getCell(4).value).toBe('A; B');
  });

  it('Audit: the RFP’s audit events, oldest first', () => {
    const sheet = workbook.getWorksheet('Audit')!;
    const actions: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > TABLE_HEADER_ROW) actions.push(row.getCell(3).value);
    });
    expect(actions).toEqual(['rfp.status', 'consensus.record']);
    expect(sheet.getRow(TABLE_HEADER_ROW + 1).getCell(6).value).toBe('All scoresheets are in.');
  });

  it('Summary and Audit: the audit chain head when generated, with the command that checks it later', async () => {
    const head = (await getAuditChainHead(handle.db, created.rfpId))!;
    expect(head.seq).toBe(2);
    expect(data.auditChainHead).toEqual(head);
    const texts: string[] = [];
    workbook.getWorksheet('Summary')!.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    const line = texts.find((t) => t.startsWith('Chain head when generated'));
    expect(line).toBe(
      `Chain head when generated: event 2, ${head.at.slice(0, 10)} ${head.at.slice(11, 19)} UTC, SHA-256 ${head.hash}. ` +
        `To prove later that the log was not rewritten since: npx workbench audit verify ${created.reference} --head ${head.hash}`,
    );
    expect(String(workbook.getWorksheet('Audit')!.getCell('A2').value)).toContain(`(head: event 2, ${head.hash})`);
  });

  it('still writes a workbook, saying why, when the engine refuses the scoring data', async () => {
    const refused: ScorecardData = { ...data, outcome: { ok: false, problems: [{ code: 'POINTS_TOTAL_MISMATCH', message: 'The criteria’s points add up to 90, not 100.', path: 'criteria' }] } };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await buildScorecardWorkbook(refused)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([...SHEET_ORDER]);
    expect(String(book.getWorksheet('Matrix')!.getCell('A2').value)).toMatch(/^No matrix: the scoring data has problems/);
    const summary: string[] = [];
    book.getWorksheet('Summary')!.eachRow((row) => row.eachCell((c) => summary.push(String(c.value))));
    expect(summary).toContain('• The criteria’s points add up to 90, not 100.');
  });

  it('writes the Matrix’s colour scale and data bars as plain 2007 rules (no dangling x14 extension)', async () => {
    const { readZipDirectory, inflateEntry, DEFAULT_UPLOAD_LIMITS } = await import('#app/import/upload-guard.server');
    const bytes = new Uint8Array(await buildScorecardWorkbook(data));
    const entry = readZipDirectory(bytes, 'x.xlsx', DEFAULT_UPLOAD_LIMITS).find((e) => e.name.endsWith('xl/worksheets/sheet2.xml'))!;
    const xml = new TextDecoder().decode(inflateEntry(bytes, entry, 'x.xlsx'));
    const p = plan();
    const rules = [...xml.matchAll(/<conditionalFormatting sqref="([^"]+)"><cfRule type="(\w+)"/g)].map((m) => [m[1], m[2]]);
    expect(rules).toEqual([
      [p.colourScale!.sqref, 'colorScale'],
      [p.dataBar!.sqref, 'dataBar'],
    ]);
    expect(xml).not.toMatch(/extLst|x14:/);
  });

  it('reads the same in openpyxl: sheets, properties, names, frozen headers, filters, print setup, formats and figures', async () => {
    const { stdout } = await run(python(), ['-c', INSPECT, file], { timeout: 60_000, maxBuffer: 64 * 2 ** 20 });
    const info = JSON.parse(stdout) as Inspection;
    const p = plan();
    expect(info.sheets).toEqual([...SHEET_ORDER]);
    expect(info.props).toMatchObject({ subject: created.reference, creator: 'AI Vendor Evaluation Workbench' });
    expect(info.props.keywords).toContain(SCORECARD_FORMAT);
    expect(info.names[MATRIX_NAMES.scaleMax]).toBe('Matrix!$E$4');
    expect(info.names[MATRIX_NAMES.lowestPrice]).toBe('Matrix!$E$5');
    const matrix = info.sheetsInfo.Matrix!;
    expect(matrix.freeze).toBe(`D${p.at.headerRow + 1}`);
    expect(matrix.filter).toBe(p.autoFilter);
    expect(matrix.printTitles).toBe(`$${p.printTitlesRow.replace(':', ':$')}`);
    expect(matrix.orientation).toBe('landscape');
    expect(matrix.fitToWidth).toBe(1);
    expect(matrix.fitToPage).toBe(true);
    expect(matrix.cf.map(([, type]) => type).sort()).toEqual(['colorScale', 'dataBar']);
    expect(matrix.widths.C).toBe(36);
    for (const name of ['Evaluators', 'Rationale', 'Responses', 'Audit']) {
      const s = info.sheetsInfo[name]!;
      expect(s.freeze, name).toMatch(new RegExp(`^[A-D]${TABLE_HEADER_ROW + 1}$`));
      expect(s.filter, name).toMatch(new RegExp(`^A${TABLE_HEADER_ROW}:[A-Z]+\\d+$`));
      expect(s.printTitles, name).toBe(`$${TABLE_HEADER_ROW}:$${TABLE_HEADER_ROW}`);
      expect(s.orientation, name).toBe('landscape');
    }
    expect(info.sheetsInfo.Evaluators!.header).toEqual(['Evaluator', 'Vendor', 'Section', 'Key', 'Criterion', 'Kind', 'Score', 'Scoresheet', 'Counts in the results']);
    // Exactly the planned formula cells are formulas, and their cached values are the engine's.
    expect(Object.keys(info.matrixFormulas).sort()).toEqual([...p.at.formulaCells].sort());
    results.vendors.forEach((v, i) => {
      const cols = p.at.vendorColumns[i]!;
      expect(cents(info.matrixValues[`${cols.points}${p.at.totalRow}`])).toBe(cents(v.total));
      expect(info.matrixValues[`${cols.points}${p.at.rankRow}`]).toBe(v.rank ?? 'DQ');
    });
  });
});

describe('the scorecard before consensus', () => {
  it('seals every individual score and rationale, as the results page does', async () => {
    const handle = await createTestDatabase();
    try {
      const created = await createEvaluation(handle.db, { ...DEFAULT_EVALUATION, status: 'evaluation', consensus: [], sheet: (e) => (e === 0 ? 'in_progress' : 'submitted') });
      const rfp = await handle.db.selectFrom('rfp').selectAll().where('id', '=', created.rfpId).executeTakeFirstOrThrow();
      const data = await loadScorecardData(handle.db, rfp, { ...LEAD, canReadResponses: false, canReadAudit: false, panel: PanelViewer.oversight(rfp.status) });
      expect(data.panelVisible).toBe(false);
      expect(data.bundle.scoreDetails).toEqual([]);
      const bytes = await buildScorecardWorkbook(data);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      const all: string[] = [];
      for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((c) => all.push(String(c.value))));
      expect(all.some((t) => t.includes('shows level'))).toBe(false);
      expect(String(workbook.getWorksheet('Evaluators')!.getCell('A2').value)).toMatch(/sealed until the RFP reaches consensus/);
      expect(String(workbook.getWorksheet('Responses')!.getCell('A2').value)).toMatch(/^Not included/);
      expect(String(workbook.getWorksheet('Audit')!.getCell('A2').value)).toMatch(/^Not included/);
      expect(workbook.getWorksheet('Summary')!.getCell('A1').value).toBe(`Evaluation scorecard — ${created.reference}`);
      const summary: string[] = [];
      workbook.getWorksheet('Summary')!.eachRow((row) => row.eachCell((c) => summary.push(String(c.value))));
      expect(summary.some((t) => t.includes('has not submitted the scoresheet'))).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
