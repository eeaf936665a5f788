import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formatLeniency, formatPercent, formatPoints, formatScore, formatSigned, MINUS } from '#app/results/format';
import { buildScorecardView } from '#app/results/scorecard';
import { buildResultsView } from '#app/results/view-model';
import type { ScoringBundle } from '#app/utils/db.server';
import { matrixCsv } from '#app/xlsx/matrix-csv.server';
import type { ScorecardData } from '#app/xlsx/scorecard-data.server';
import { matrixPlan } from '#app/xlsx/scorecard-layout';
import { buildScorecardWorkbook } from '#app/xlsx/scorecard-workbook.server';
import { tryComputeResults, type ScoringInput, type ScoringOutcome, type ScoringScore } from '#scoring/index';
import { bundleOf } from '../results/helpers';

// The "Readings" under DESIGN §4, as the results page, the leadership scorecard and the scorecard workbook must all
// state them: a knock-out left open on a vendor another knock-out already disqualified is "not needed"; blocked results
// say divergence, robustness and knock-outs were "not computed"; the Evaluators sheet lists withdrawn vendors' scores,
// marked not counted; signed figures have two decimals and one minus sign.

/**
 * Acme and Beta pass both knock-outs; Gamma fails "No training" unanimously and has a split vote (1 pass, 2 fail) on
 * "Human oversight", which no consensus settled — and need not. On the one scored criterion Ann scores one below the
 * panel, Ben one above, Cara level with it; Dan scores only Gamma, where nobody else did (no shared item).
 */
function readingsInput(): ScoringInput {
  const scores: ScoringScore[] = [];
  const vote = (evaluatorId: string, vendorId: string, criterionId: string, value: number) => scores.push({ evaluatorId, vendorId, criterionId, value, submitted: true });
  for (const [vendorId, [a, b, c]] of [['A', [3, 5, 4]], ['B', [2, 4, 3]]] as const) {
    vote('e1', vendorId, 'c1', a);
    vote('e2', vendorId, 'c1', b);
    vote('e3', vendorId, 'c1', c);
    for (const e of ['e1', 'e2', 'e3']) for (const ko of ['ko1', 'ko2']) vote(e, vendorId, ko, 1);
  }
  vote('e4', 'G', 'c1', 2);
  for (const e of ['e1', 'e2', 'e3']) vote(e, 'G', 'ko1', 0);
  vote('e1', 'G', 'ko2', 1);
  vote('e2', 'G', 'ko2', 0);
  vote('e3', 'G', 'ko2', 0);
  return {
    settings: { scaleMax: 5, aggregation: 'mean', divergenceThreshold: 0.3, priceFormula: 'ratio', totalPoints: 100, allowHalfPoints: false },
    sections: [{ id: 's1', title: 'Approach' }],
    criteria: [
      { id: 'ko1', sectionId: 's1', title: 'No training on city data', kind: 'pass_fail', points: 0 },
      { id: 'ko2', sectionId: 's1', title: 'Human oversight', kind: 'pass_fail', points: 0 },
      { id: 'c1', sectionId: 's1', title: 'Bias testing', kind: 'scored', points: 100 },
    ],
    vendors: [
      { id: 'A', name: 'Acme', price: null },
      { id: 'B', name: 'Beta', price: null },
      { id: 'G', name: 'Gamma', price: null },
    ],
    evaluators: [
      { id: 'e1', name: 'Ann' },
      { id: 'e2', name: 'Ben' },
      { id: 'e3', name: 'Cara' },
      { id: 'e4', name: 'Dan' },
    ],
    scores,
    consensus: [],
    scoresheets: [],
  };
}

const BLOCKED: ScoringOutcome = { ok: false, problems: [{ code: 'POINTS_TOTAL_MISMATCH', message: 'The criteria’s points add up to 90, not 100.', path: 'criteria' }] };

/** Scorecard data as `loadScorecardData` assembles it, with a withdrawn vendor whose two scores are on record. */
function scorecardData(input: ScoringInput, outcome: ScoringOutcome = tryComputeResults(input)): ScorecardData {
  const bundle: ScoringBundle = {
    ...bundleOf(input),
    input,
    excluded: [{ vendorId: 'W', key: 'W', name: 'Westward', status: 'withdrawn', reason: 'Withdrew on 2027-01-10.' }],
    excludedScoreDetails: [
      { evaluatorId: 'e1', vendorId: 'W', criterionId: 'c1', value: 4, rationale: 'Scored before Westward withdrew.', submitted: true, recused: false, status: 'withdrawn' },
      { evaluatorId: 'e2', vendorId: 'W', criterionId: 'ko1', value: 1, rationale: 'Meets it.', submitted: false, recused: false, status: 'withdrawn' },
    ],
  };
  return {
    rfp: { id: 'rfp-1', reference: 'RFP-TEST-1', title: 'Test RFP', department: 'IT', status: 'consensus' },
    generatedAt: '2027-01-30T10:00:00.000Z',
    generatedBy: { name: 'Lena Lead', email: 'lena@city.example' },
    bundle,
    outcome,
    panelVisible: true,
    responses: null,
    audit: null,
    auditTruncated: false,
    auditChainHead: null,
  };
}

async function sheetTexts(data: ScorecardData): Promise<Map<string, string[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await buildScorecardWorkbook(data)) as unknown as ArrayBuffer);
  const out = new Map<string, string[][]>();
  for (const sheet of book.worksheets) {
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell((c) => cells.push(typeof c.value === 'object' && c.value !== null && 'result' in c.value ? String(c.value.result) : String(c.value)));
      rows.push(cells);
    });
    out.set(sheet.name, rows);
  }
  return out;
}

const source = (input: ScoringInput, outcome: ScoringOutcome = tryComputeResults(input)) => ({
  rfp: { id: 'rfp-1', reference: 'RFP-TEST-1', title: 'Test RFP', status: 'consensus' as const },
  bundle: bundleOf(input),
  outcome,
  panelVisible: true,
});

describe('a split vote on a vendor another knock-out already disqualified', () => {
  const input = readingsInput();
  const results = tryComputeResults(input);
  if (!results.ok) throw new Error('the engine refused the readings input');

  it('leaves the results final and is reported as not needed, never as open, on the page and the scorecard', () => {
    const view = buildResultsView(source(input));
    expect(view.final).toBe(true);
    expect(view.complete).toBe(
      'every scoresheet is submitted, every knock-out decided and every price recorded (the knock-out “Human oversight” for Gamma is not needed: that vendor is already disqualified by another knock-out)',
    );
    const ko2 = view.matrix!.groups.flatMap((g) => g.rows).find((r) => r.criterionId === 'ko2')!;
    expect(ko2.cells.map((c) => c.text)).toEqual(['Pass', 'Pass', 'Split (1 pass, 2 fail): not needed']);

    const card = buildScorecardView(source(input), 'Jan 30, 2027');
    expect(card.final).toBe(true);
    expect(card.recommendation).toBe('Acme, with 80.00 of 100.00 points.');
    const split = card.disagreements.find((d) => d.criterion === 'Human oversight')!;
    expect(split).toMatchObject({ vendor: 'Gamma', what: 'Split knock-out vote: 1 pass, 2 fail.', resolution: 'Not needed: Gamma is already disqualified by another knock-out.' });
    expect(JSON.stringify(card)).not.toMatch(/Not resolved yet/);
  });

  it('says the same in the workbook (Summary, Matrix) and the matrix CSV', async () => {
    const sheets = await sheetTexts(scorecardData(input));
    const summary = sheets.get('Summary')!.flat();
    expect(summary).toContain(
      'Final: every scoresheet is submitted, every knock-out decided and every price recorded (the knock-out “Human oversight” for Gamma is not needed: that vendor is already disqualified by another knock-out).',
    );
    expect(summary).toContain('Split knock-out vote: 1 pass, 2 fail. Not needed: Gamma is already disqualified by another knock-out.');
    expect(summary.join('\n')).not.toMatch(/Not resolved yet/);
    const plan = matrixPlan({ rfpLine: '', generatedLine: '', sections: input.sections, criteria: input.criteria.map((c) => ({ ...c, key: c.id })), results: results.results });
    const row = plan.at.criterionRows.find((r) => r.criterionId === 'ko2')!.row;
    const gamma = plan.rows[row - 1]!.cells[6 + 2]!;
    expect(gamma).toMatchObject({ kind: 'text', text: 'Split (1 pass, 2 fail): not needed' });
    expect(sheets.get('Matrix')!.flat()).toContain('Split (1 pass, 2 fail): not needed');
    const csv = matrixCsv({ bundle: { sections: input.sections.map((s) => ({ ...s, key: s.id })), criteria: input.criteria.map((c) => ({ ...c, key: c.id })) } as never, outcome: results });
    expect(csv).toContain('Human oversight,Knock-out,,Pass,Pass,"Split (1 pass, 2 fail): not needed"');
  });
});

describe('blocked results', () => {
  const input = readingsInput();

  it('say divergence, robustness and knock-outs were not computed on the scorecard page', () => {
    const card = buildScorecardView(source(input, BLOCKED), 'Jan 30, 2027');
    expect(card.disagreements).toEqual([]);
    expect(card.disagreementsNote).toBe('Divergence was not computed: the scoring data has problems that must be fixed first.');
    expect(card.robustnessSummary).toBe('Robustness was not computed: the scoring data has problems that must be fixed first.');
    expect(card.knockoutsNote).toBe('Knock-outs were not computed: the scoring data has problems that must be fixed first.');
    const computed = buildScorecardView(source({ ...input, scores: input.scores.filter((s) => s.criterionId !== 'ko2' && s.vendorId !== 'G') }), 'Jan 30, 2027');
    expect(computed.disagreementsNote).toBe('Evaluators did not diverge on any criterion.');
  });

  it('say so in the workbook’s Summary, never “did not diverge” or “no vendor failed”', async () => {
    const summary = (await sheetTexts(scorecardData(input, BLOCKED))).get('Summary')!.flat();
    expect(summary).toContain('Divergence was not computed: the scoring data has problems that must be fixed first.');
    expect(summary).toContain('Robustness was not computed: the scoring data has problems that must be fixed first.');
    expect(summary).toContain('Knock-outs were not computed: the scoring data has problems that must be fixed first.');
    expect(summary.join('\n')).not.toMatch(/did not diverge|No vendor failed/);
  });
});

describe('the Evaluators sheet', () => {
  it('lists every score, the withdrawn vendor’s too, marked not counted', async () => {
    const data = scorecardData(readingsInput());
    const all = (await sheetTexts(data)).get('Evaluators')!;
    const rows = all.slice(all.findIndex((r) => r[0] === 'Evaluator') + 1);
    expect(rows).toHaveLength(data.bundle.scoreDetails.length + 2);
    const westward = rows.filter((r) => r[1] === 'Westward');
    expect(westward.map((r) => [r[0], r[3], r[6], r[7], r[8]])).toEqual([
      ['Ann', 'C1', '4', 'Submitted', 'No: the submission is withdrawn (not evaluated)'],
      ['Ben', 'KO1', 'Pass', 'In progress', 'No: the submission is withdrawn (not evaluated)'],
    ]);
    // Listed after the vendors in the evaluation, for each evaluator.
    const annRows = rows.filter((r) => r[0] === 'Ann').map((r) => r[1]);
    expect(annRows[annRows.length - 1]).toBe('Westward');
    const rationale = (await sheetTexts(data)).get('Rationale')!.flat();
    expect(rationale).toContain('Evaluator (withdrawn: not counted)');
    expect(rationale).toContain('Scored before Westward withdrew.');
  });
});

describe('signed figures', () => {
  it('round half away from zero on the decimal value, show zero as 0.00, always two decimals and one minus sign', () => {
    expect(formatLeniency(-0.025)).toBe('−0.03');
    expect(formatLeniency(0.025)).toBe('+0.03');
    expect(formatLeniency(0)).toBe('0.00');
    expect(formatLeniency(-0.001)).toBe('0.00');
    expect(formatLeniency(1)).toBe('+1.00');
    expect(formatLeniency(-1.005)).toBe('−1.01');
    expect(formatLeniency(null)).toBe('—');
    expect(formatSigned(-12.4)).toBe('−12.40');
    expect(MINUS).toBe('\u2212');
    for (const text of [formatPoints(-3), formatScore(-0.5), formatPercent(-0.25), formatSigned(-2)]) expect(text.startsWith(MINUS)).toBe(true);
  });

  it('write each evaluator’s leniency so in the workbook’s Summary', async () => {
    const summary = (await sheetTexts(scorecardData(readingsInput()))).get('Summary')!;
    const leniency = (name: string) => summary.find((r) => r[0] === name)?.find((text) => text.startsWith('Leniency'));
    expect(leniency('Ann')).toBe('Leniency −1.00 on the 0–5 scale compared with the panel mean, over 2 items.');
    expect(leniency('Ben')).toBe('Leniency +1.00 on the 0–5 scale compared with the panel mean, over 2 items.');
    expect(leniency('Cara')).toBe('Leniency 0.00 on the 0–5 scale compared with the panel mean, over 2 items.');
    expect(leniency('Dan')).toBe('Leniency —: no item this evaluator scored was scored by another evaluator.');
    // No hyphen as a minus anywhere in the Summary's texts.
    expect(summary.flat().join('\n')).not.toMatch(/(^|[\s(+])-\d/m);
  });
});
