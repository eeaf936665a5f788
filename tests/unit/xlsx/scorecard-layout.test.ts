import { describe, expect, it } from 'vitest';
import { auditCsv, csvField, matrixCsv } from '#app/xlsx/matrix-csv.server';
import type { ScorecardAuditEvent } from '#app/xlsx/scorecard-data.server';
import { columnLetter, exportFileName, MATRIX_NAMES, matrixPlan, type PlanCell, SHEET_ORDER, SHEETS } from '#app/xlsx/scorecard-layout';
import { computeResults, roundForDisplay, tryComputeResults, type ScoringInput, type ScoringResults, type ScoringScore } from '#scoring/index';

/** Three vendors: C is cheapest but fails the knock-out, so P_min is B's price; one info criterion; a consensus score. */
function input(priceFormula: 'ratio' | 'linear' = 'ratio'): ScoringInput {
  const scores: ScoringScore[] = [];
  const grid: Record<string, Record<string, [number, number]>> = {
    A: { KO: [1, 1], Q1: [4, 5], Q2: [3, 3], Q3: [2, 4] },
    B: { KO: [1, 1], Q1: [3, 3], Q2: [5, 4], Q3: [3, 3] },
    C: { KO: [0, 0], Q1: [5, 5], Q2: [5, 5], Q3: [5, 5] },
  };
  for (const [vendorId, row] of Object.entries(grid)) {
    for (const [criterionId, [a, b]] of Object.entries(row)) {
      scores.push({ evaluatorId: 'e1', vendorId, criterionId, value: a, submitted: true });
      scores.push({ evaluatorId: 'e2', vendorId, criterionId, value: b, submitted: true });
    }
  }
  return {
    settings: { scaleMax: 5, aggregation: 'mean', divergenceThreshold: 0.3, priceFormula, totalPoints: 100, allowHalfPoints: false },
    sections: [
      { id: 'ko', title: 'Knock-outs' },
      { id: 'quality', title: 'Quality' },
      { id: 'cost', title: 'Cost' },
    ],
    criteria: [
      { id: 'KO', sectionId: 'ko', title: 'Data stays in the US', kind: 'pass_fail', points: 0 },
      { id: 'Q1', sectionId: 'quality', title: 'Governance', kind: 'scored', points: 30 },
      { id: 'Q2', sectionId: 'quality', title: 'Testing', kind: 'scored', points: 20 },
      { id: 'INFO', sectionId: 'quality', title: 'Hosting (info)', kind: 'info', points: 0 },
      { id: 'PRICE', sectionId: 'cost', title: 'Price', kind: 'price', points: 40 },
      { id: 'Q3', sectionId: 'cost', title: 'Support', kind: 'scored', points: 10 },
    ],
    vendors: [
      { id: 'A', name: 'Alpha Ltd', price: 100_000 },
      { id: 'B', name: '=Beta|cmd', price: 80_000 },
      { id: 'C', name: 'Gamma', price: 50_000 },
    ],
    evaluators: [
      { id: 'e1', name: 'E One' },
      { id: 'e2', name: 'E Two' },
    ],
    scores,
    consensus: [{ vendorId: 'A', criterionId: 'Q3', value: 3 }],
    options: { monteCarloDraws: 0 },
  };
}

function planFor(results: ScoringResults, i: ScoringInput = input()) {
  return matrixPlan({
    rfpLine: 'Scoring matrix',
    generatedLine: 'generated',
    sections: i.sections,
    criteria: i.criteria.map((c) => ({ ...c, key: c.id })),
    results,
  });
}

function cellAt(plan: ReturnType<typeof planFor>, address: string): PlanCell | undefined {
  const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(address)!;
  let column = 0;
  for (const ch of letters!) column = column * 26 + (ch.charCodeAt(0) - 64);
  return plan.rows[Number(digits) - 1]?.cells[column];
}

describe('the scorecard layout', () => {
  it('has six fixed sheet names that Excel accepts', () => {
    expect(SHEET_ORDER).toEqual(['Summary', 'Matrix', 'Evaluators', 'Rationale', 'Responses', 'Audit']);
    for (const name of SHEET_ORDER) expect(name).toMatch(/^[A-Za-z]{1,31}$/);
    expect(SHEETS.matrix).toBe('Matrix');
  });

  it('names columns as spreadsheets do', () => {
    expect([1, 5, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'E', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('makes file names safe for disks and headers whatever the reference holds', () => {
    expect(exportFileName('DEMO-311-GENAI', 'scorecard', '2026-11-22T10:00:00.000Z', 'xlsx')).toBe('DEMO-311-GENAI-scorecard-2026-11-22.xlsx');
    expect(exportFileName('../../etc/passwd', 'scorecard', '2026-11-22T10:00:00Z', 'xlsx')).toBe('etc_passwd-scorecard-2026-11-22.xlsx');
    expect(exportFileName('=cmd|\' /C calc\'!A0', 'matrix', '2026-11-22', 'csv')).toBe('cmd_C_calc_A0-matrix-2026-11-22.csv');
    expect(exportFileName('Ville de Montréal / 2026\r\n"x"', 'audit', 'bad', 'csv')).toBe('Ville_de_Montre_al_2026_x-audit-undated.csv');
    expect(exportFileName('', 'scorecard', '2026-01-01', 'xlsx')).toBe('rfp-scorecard-2026-01-01.xlsx');
    expect(exportFileName('x'.repeat(500), 'scorecard', '2026-01-01', 'xlsx').length).toBeLessThan(100);
  });
});

describe('the Matrix plan', () => {
  const results = computeResults(input());
  const plan = planFor(results);
  const at = plan.at;

  it('puts vendors in ranking order, information-only criteria out, a subtotal after each section', () => {
    expect(at.vendorColumns.map((v) => v.vendorId)).toEqual(results.vendors.map((v) => v.vendorId));
    expect(results.vendors.map((v) => v.vendorId)).toEqual(['B', 'A', 'C']);
    expect(at.criterionRows.map((c) => c.criterionId)).toEqual(['KO', 'Q1', 'Q2', 'PRICE', 'Q3']);
    expect(at.subtotalRows.map((s) => s.sectionId)).toEqual(['ko', 'quality', 'cost']);
    expect(at.vendorColumns[0]).toEqual({ vendorId: 'B', value: 'F', points: 'I' });
  });

  it('writes points as formulas on the weight, the value and ScaleMax, with the engine figure cached', () => {
    const q1 = at.criterionRows.find((c) => c.criterionId === 'Q1')!.row;
    const cell = cellAt(plan, `I${q1}`);
    expect(cell).toMatchObject({ kind: 'formula', formula: `IF(ISNUMBER(F${q1}),$E${q1}*F${q1}/ScaleMax,"")` });
    for (const [i, v] of results.vendors.entries()) {
      const cols = at.vendorColumns[i]!;
      for (const { criterionId, row, kind } of at.criterionRows) {
        const engine = v.criteria.find((c) => c.criterionId === criterionId)!;
        const value = cellAt(plan, `${cols.value}${row}`)!;
        if (kind === 'pass_fail') {
          expect(value).toMatchObject({ kind: 'text', text: engine.knockout === 'fail' ? 'Fail' : 'Pass' });
          continue;
        }
        expect(value).toMatchObject({ kind: 'number', value: engine.value });
        expect(cellAt(plan, `${cols.points}${row}`)).toMatchObject({ kind: 'formula', result: engine.points });
      }
      expect(cellAt(plan, `${cols.points}${at.totalRow}`)).toMatchObject({ kind: 'formula', result: v.total });
      expect(cellAt(plan, `${cols.points}${at.rankRow}`)).toMatchObject({ kind: 'formula', result: v.rank ?? 'DQ' });
      expect(cellAt(plan, `${cols.points}${at.qualifiedRow}`)).toMatchObject({ kind: 'formula', result: v.qualified ? 1 : 0 });
      for (const s of at.subtotalRows) {
        // A section nobody scored (here: knock-outs only) is "—", never 0.00.
        const subtotal = s.sectionId === 'ko' ? '—' : v.sections.find((x) => x.sectionId === s.sectionId)!.points;
        expect(cellAt(plan, `${cols.points}${s.row}`)).toMatchObject({ kind: 'formula', result: subtotal });
      }
    }
    // A consensus value is marked; the weights are the editable yellow column.
    const q3 = at.criterionRows.find((c) => c.criterionId === 'Q3')!.row;
    expect(cellAt(plan, `G${q3}`)).toMatchObject({ kind: 'number', value: 3, style: 'valueConsensus' });
    expect(cellAt(plan, `E${q1}`)).toMatchObject({ kind: 'number', value: 30, style: 'weight' });
  });

  it('shows "—", never 0.00, for a section nobody scored, and the total still sums what was scored', () => {
    // Nobody has scored Alpha on Quality yet (provisional results); the knock-out section carries no points at all.
    const i = input();
    const partial = { ...i, scores: i.scores.filter((x) => !(x.vendorId === 'A' && (x.criterionId === 'Q1' || x.criterionId === 'Q2'))) };
    const outcome = tryComputeResults(partial);
    if (!outcome.ok) throw new Error('the engine refused the input');
    const p = planFor(outcome.results, partial);
    const alpha = p.at.vendorColumns.find((v) => v.vendorId === 'A')!;
    const beta = p.at.vendorColumns.find((v) => v.vendorId === 'B')!;
    const row = (sectionId: string) => p.at.subtotalRows.find((x) => x.sectionId === sectionId)!.row;
    const quality = cellAt(p, `${alpha.points}${row('quality')}`) as Extract<PlanCell, { kind: 'formula' }>;
    expect(quality.result).toBe('—');
    expect(quality.formula).toBe(`IF(COUNT(${alpha.points}${row('quality') - 2}:${alpha.points}${row('quality') - 1})=0,"—",SUM(${alpha.points}${row('quality') - 2}:${alpha.points}${row('quality') - 1}))`);
    expect(cellAt(p, `${beta.points}${row('quality')}`)).toMatchObject({ kind: 'formula', result: 30 * 3 / 5 + 20 * 4.5 / 5 });
    expect(cellAt(p, `${alpha.points}${row('ko')}`)).toMatchObject({ kind: 'formula', result: '—' });
    expect(cellAt(p, `E${row('ko')}`)).toMatchObject({ kind: 'formula', result: '—' });
    expect(cellAt(p, `E${row('quality')}`)).toMatchObject({ kind: 'formula', result: 50 });
    const a = outcome.results.vendors.find((v) => v.vendorId === 'A')!;
    expect(cellAt(p, `${alpha.points}${p.at.totalRow}`)).toMatchObject({ kind: 'formula', result: a.total });
    expect(a.total).toBeGreaterThan(0);
  });

  it('marks a disqualified vendor’s price points as not counted, and only those', () => {
    const price = at.criterionRows.find((c) => c.criterionId === 'PRICE')!.row;
    const styles = at.vendorColumns.map((v) => [v.vendorId, (cellAt(plan, `${v.points}${price}`) as { style: string }).style]);
    // Gamma (C) failed the knock-out: its $50,000 is the lowest price, but it is not ranked and P_min is Beta's.
    expect(styles).toEqual([
      ['B', 'points'],
      ['A', 'points'],
      ['C', 'pointsNotCounted'],
    ]);
    const q1 = at.criterionRows.find((c) => c.criterionId === 'Q1')!.row;
    expect((cellAt(plan, `K${q1}`) as { style: string }).style).toBe('points');
  });

  it('computes P_min from the qualified vendors’ prices, price points by the RFP’s formula, ranks with DQ', () => {
    expect(results.lowestPrice).toBe(80_000);
    expect(cellAt(plan, at.lowestPrice!)).toMatchObject({ kind: 'formula', result: 80_000 });
    const price = at.criterionRows.find((c) => c.criterionId === 'PRICE')!.row;
    expect((cellAt(plan, `I${price}`) as { formula: string }).formula).toBe(`IF(AND(ISNUMBER(F${price}),ISNUMBER(LowestPrice)),$E${price}*MIN(1,LowestPrice/F${price}),"")`);
    const rank = cellAt(plan, `I${at.rankRow}`) as { formula: string };
    expect(rank.formula).toBe(`IF(I${at.qualifiedRow}=1,1+COUNTIFS($I$${at.totalRow}:$K$${at.totalRow},">"&(I${at.totalRow}+1E-9),$I$${at.qualifiedRow}:$K$${at.qualifiedRow},1),"DQ")`);
    expect((cellAt(plan, `I${at.qualifiedRow}`) as { formula: string }).formula).toMatch(/^IF\(COUNTIF\(F\$\d+:F\$\d+,"Fail"\)>0,0,1\)$/);
    const linear = computeResults(input('linear'));
    const linearPlan = planFor(linear, input('linear'));
    expect((cellAt(linearPlan, `I${price}`) as { formula: string }).formula).toContain('MIN(1,MAX(0,1-(F');
    expect(plan.names).toEqual([
      { name: MATRIX_NAMES.scaleMax, ref: 'Matrix!$E$4' },
      { name: MATRIX_NAMES.lowestPrice, ref: 'Matrix!$E$5' },
    ]);
  });

  it('lists every formula cell, and formulas hold only references, names and constants', () => {
    const formulas = plan.rows.flatMap((r, i) => r.cells.flatMap((c, col) => (c?.kind === 'formula' ? [`${columnLetter(col)}${i + 1}`] : [])));
    expect(new Set(formulas)).toEqual(new Set(at.formulaCells));
    for (const address of at.formulaCells) {
      const f = (cellAt(plan, address) as { formula: string }).formula;
      // The one non-ASCII constant is the "—" of a section nobody scored.
      expect(f).toMatch(/^[A-Z0-9$:(),.+\-*/<>=&"_ —]+$/i);
      expect(f).not.toMatch(/Beta|cmd/);
    }
    // Vendor names (user text) are only ever text cells.
    const header = plan.rows[at.headerRow - 1]!;
    expect(header.cells.filter((c) => c?.kind === 'text' && c.text === '=Beta|cmd')).toHaveLength(2);
  });

  it('colours the scored values only, and puts data bars on the totals', () => {
    const q1 = at.criterionRows.find((c) => c.criterionId === 'Q1')!.row;
    const q3 = at.criterionRows.find((c) => c.criterionId === 'Q3')!.row;
    expect(plan.colourScale).toEqual({ sqref: `F${q1}:H${q1 + 1} F${q3}:H${q3}`, min: 0, mid: 2.5, max: 5 });
    expect(plan.dataBar).toEqual({ sqref: `I${at.totalRow}:K${at.totalRow}`, min: 0, max: 100 });
    expect(plan.frozen).toEqual({ xSplit: 3, ySplit: at.headerRow });
    expect(plan.autoFilter).toBe(`A${at.headerRow}:K${at.subtotalRows.at(-1)!.row}`);
  });

  it('copes with no vendor', () => {
    const empty = computeResults({ ...input(), vendors: [], scores: [], consensus: [] });
    const p = planFor(empty);
    expect(p.at.formulaCells).toEqual([]);
    expect(p.autoFilter).toBeNull();
  });
});

/** RFC 4180 parser for the tests: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('the CSV exports', () => {
  it('quote fields as RFC 4180 asks and guard formula triggers', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    // After the leading tab or CR a reader splitting on tabs or lines starts a new cell: guarded too.
    expect(csvField('\t=1')).toBe("'\t'=1");
    expect(csvField('\r=1')).toBe('"\'\r\'=1"');
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(78.4)).toBe('78.4');
    expect(csvField(null)).toBe('');
  });

  it('write the matrix with the engine’s figures, rounded as the app shows them', () => {
    const results = computeResults(input());
    const i = input();
    const bundle = { sections: i.sections.map((s) => ({ ...s, key: s.id })), criteria: i.criteria.map((c) => ({ ...c, key: c.id })) };
    const text = matrixCsv({ bundle: bundle as never, outcome: { ok: true, results } });
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['Section', 'Key', 'Criterion', 'Kind', 'Weight (points)', "'=Beta|cmd — value", 'Alpha Ltd — value', 'Gamma — value', "'=Beta|cmd — points", 'Alpha Ltd — points', 'Gamma — points']);
    expect(rows.every((r) => r.length === 11)).toBe(true);
    const total = rows.find((r) => r[2] === 'Total points')!;
    expect(total.slice(8).map(Number)).toEqual(results.vendors.map((v) => roundForDisplay(v.total)));
    expect(total[4]).toBe('100.00');
    expect(rows.find((r) => r[3] === 'Rank')!.slice(8)).toEqual(['1', '2', 'DQ']);
    expect(rows.find((r) => r[1] === 'KO')!.slice(5, 8)).toEqual(['Pass', 'Pass', 'Fail']);
    expect(rows.find((r) => r[1] === 'PRICE')!.slice(5, 8)).toEqual(['80000.00', '100000.00', '50000.00']);
    expect(rows.some((r) => r[1] === 'INFO')).toBe(false);
    for (const r of rows) for (const f of r) expect(f).not.toMatch(/^[=+@\t\r]/);
    const broken = tryComputeResults({ ...i, criteria: [...i.criteria, { id: 'X', sectionId: 'nowhere', title: 'X', kind: 'scored', points: 5 }] });
    expect(broken.ok).toBe(false);
    expect(matrixCsv({ bundle: bundle as never, outcome: broken })).toContain('No matrix');
  });

  it('write the audit log with every field guarded', () => {
    const events: ScorecardAuditEvent[] = [
      { id: 1, at: '2026-11-22T10:00:00.000Z', actor_email: '=evil@example.test', entity: 'rfp', entity_id: 'r1', action: 'rfp.update', before_json: '{"title":"A"}', after_json: '{"title":"=1+1"}', reason: '@SUM(1+1)\nsecond line' },
      { id: 2, at: '2026-11-22T11:00:00.000Z', actor_email: null, entity: 'rfp', entity_id: null, action: 'rfp.export', before_json: null, after_json: null, reason: null },
    ];
    const rows = parseCsv(auditCsv(events, 'America/Los_Angeles').slice(1));
    // Times in ISO 8601 with the installation zone's offset (issue 12).
    expect(rows).toEqual([
      ['At (America/Los_Angeles)', 'Actor', 'Action', 'Entity', 'Entity id', 'Reason', 'Before', 'After'],
      ['2026-11-22T02:00:00-08:00', "'=evil@example.test", 'rfp.update', 'rfp', 'r1', "'@SUM(1+1)\nsecond line", '{"title":"A"}', '{"title":"=1+1"}'],
      ['2026-11-22T03:00:00-08:00', 'system', 'rfp.export', 'rfp', '', '', '', ''],
    ]);
  });
});
