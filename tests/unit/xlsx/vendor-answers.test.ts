import { describe, expect, it } from 'vitest';
import {
  type ComparedQuestion,
  type ComparedQuestionnaire,
  compareVendorAnswers,
  interpretRawWorkbook,
  normaliseAnswer,
  type ParsedVendorWorkbook,
  type RawVendorWorkbook,
  VENDOR_IMPORT_OUTCOMES,
} from '#app/xlsx/vendor-response-import.server';

const q = (key: string, answerType: ComparedQuestion['answerType'], extra: Partial<ComparedQuestion> = {}): ComparedQuestion => ({
  id: `q-${key}`,
  key,
  text: `Question ${key}`,
  answerType,
  options: [],
  required: false,
  ...extra,
});
const opts = (...labels: string[]) => labels.map((label) => ({ label }));
/** The import runs for this vendor; these workbooks are unsigned unless a test signs one. */
const context = { vendor: { id: 'vendor-acme', key: 'acme', name: 'Acme' }, secret: 'unit-test-secret-unit-test-secret' };

const questionnaire: ComparedQuestionnaire = {
  rfpId: 'rfp-1',
  reference: 'DEMO-311-GENAI',
  questionnaireVersion: 2,
  questions: [
    q('T-1', 'text', { required: true }),
    q('T-2', 'text'),
    q('YN-1', 'yes_no', { options: opts('Yes', 'No'), required: true }),
    q('CH-1', 'choice', { options: opts('United States only', 'Elsewhere') }),
    q('MC-1', 'multi_choice', { options: opts('NIST AI RMF 1.0', 'ISO/IEC 42001', 'EU AI Act, as applicable') }),
    q('N-1', 'number', { required: true }),
    q('A-1', 'attachment'),
    q('REQ-GONE', 'text', { required: true }),
  ],
};

function parsed(rows: Array<[string, ParsedVendorWorkbook['rows'][number]['raw']]>, overrides: Partial<ParsedVendorWorkbook> = {}): ParsedVendorWorkbook {
  return {
    reference: 'DEMO-311-GENAI',
    questionnaireVersion: 2,
    vendorName: 'Acme',
    rows: rows.map(([key, raw], i) => ({ sheet: 'Sheet', row: i + 2, key, raw })),
    keyColumnFound: true,
    stampSource: 'properties',
    signed: null,
    warnings: [],
    ...overrides,
  };
}

describe('normaliseAnswer', () => {
  it('trims text and keeps inner line breaks; blank is null', () => {
    expect(normaliseAnswer(q('x', 'text'), '  line one\r\nline two \n')).toEqual({ ok: true, value: 'line one\nline two' });
    expect(normaliseAnswer(q('x', 'text'), '   \n ')).toEqual({ ok: true, value: null });
    expect(normaliseAnswer(q('x', 'text'), null)).toEqual({ ok: true, value: null });
    expect(normaliseAnswer(q('x', 'text'), 42.5)).toEqual({ ok: true, value: '42.5' });
    expect(normaliseAnswer(q('x', 'attachment'), ' report.pdf ')).toEqual({ ok: true, value: 'report.pdf' });
  });

  it('keeps formula-looking text exactly (it is an answer, never evaluated)', () => {
    for (const text of ['=1+1', '+cmd|calc', '-2+3', '@SUM(A1)', '=HYPERLINK("http://x","y")']) {
      expect(normaliseAnswer(q('x', 'text'), text)).toEqual({ ok: true, value: text });
    }
  });

  it('refuses text over the limit', () => {
    const result = normaliseAnswer(q('x', 'text'), 'a'.repeat(11), { maxTextLength: 10 });
    expect(result).toMatchObject({ ok: false, outcome: 'too_long' });
  });

  it('matches yes/no and choices case-insensitively to the canonical label', () => {
    const yn = q('x', 'yes_no', { options: opts('Yes', 'No', 'Partially') });
    expect(normaliseAnswer(yn, ' no ')).toEqual({ ok: true, value: 'No' });
    expect(normaliseAnswer(yn, 'PARTIALLY')).toEqual({ ok: true, value: 'Partially' });
    expect(normaliseAnswer(yn, true)).toEqual({ ok: true, value: 'Yes' });
    expect(normaliseAnswer(q('x', 'yes_no'), 'yes')).toEqual({ ok: true, value: 'Yes' });
    expect(normaliseAnswer(yn, 'Maybe')).toEqual({ ok: false, outcome: 'invalid_choice', message: '“Maybe” is not one of the choices: Yes; No; Partially.' });
    const choice = q('x', 'choice', { options: opts('United States only', 'Elsewhere') });
    expect(normaliseAnswer(choice, 'united  states ONLY')).toEqual({ ok: true, value: 'United States only' });
  });

  it('splits multiple choices on ; and line breaks, in the questionnaire’s order, without repeats', () => {
    const mc = q('x', 'multi_choice', { options: opts('NIST AI RMF 1.0', 'ISO/IEC 42001', 'EU AI Act, as applicable', 'A;B') });
    expect(normaliseAnswer(mc, 'iso/iec 42001; nist ai rmf 1.0\nISO/IEC 42001;')).toEqual({ ok: true, value: ['NIST AI RMF 1.0', 'ISO/IEC 42001'] });
    expect(normaliseAnswer(mc, 'EU AI Act, as applicable')).toEqual({ ok: true, value: ['EU AI Act, as applicable'] });
    // A label that contains ";" is still recognised.
    expect(normaliseAnswer(mc, 'A;B; ISO/IEC 42001')).toEqual({ ok: true, value: ['ISO/IEC 42001', 'A;B'] });
    // Commas are accepted as separators only when every piece is an option.
    const simple = q('x', 'multi_choice', { options: opts('Red', 'Green', 'Blue') });
    expect(normaliseAnswer(simple, 'red, blue')).toEqual({ ok: true, value: ['Red', 'Blue'] });
    expect(normaliseAnswer(simple, 'Red; Purple; Pink')).toEqual({
      ok: false,
      outcome: 'invalid_choice',
      message: '“Purple”, “Pink” are not among the choices: Red; Green; Blue. Separate choices with ;.',
    });
    expect(normaliseAnswer(simple, ' ; ')).toEqual({ ok: true, value: null });
  });

  it('reads numbers from number cells and from numeric text', () => {
    const n = q('x', 'number');
    expect(normaliseAnswer(n, 1240000)).toEqual({ ok: true, value: 1240000 });
    for (const [text, value] of [
      ['1,240,000', 1240000],
      ['$1,240,000.00', 1240000],
      [' -3.5 ', -3.5],
      ['USD 12', 12],
      ['(1,200.50)', -1200.5],
      ['.5', 0.5],
      ['1 240 000', 1240000],
    ] as const) {
      expect(normaliseAnswer(n, text), text).toEqual({ ok: true, value });
    }
    for (const text of ['about 5', '1,24', '12.5%', '1.2.3', '$', '-', 'TRUE']) {
      expect(normaliseAnswer(n, text), text).toMatchObject({ ok: false, outcome: 'invalid_number' });
    }
    expect(normaliseAnswer(n, false)).toMatchObject({ ok: false, outcome: 'invalid_number' });
    expect(normaliseAnswer(n, '  ')).toEqual({ ok: true, value: null });
  });
});

describe('compareVendorAnswers', () => {
  it('gives every outcome, with counts, changes and whether it can be applied', () => {
    const existing = { 'q-T-2': 'old text', 'q-CH-1': 'Elsewhere', 'q-N-1': 5 };
    const preview = compareVendorAnswers(
      parsed([
        ['T-1', 'A new answer'],
        ['T-2', 'old text  '], // unchanged once trimmed
        ['YN-1', 'maybe'],
        ['CH-1', 'United States only'],
        ['MC-1', 'Not an option'],
        ['N-1', 'five'],
        ['A-1', 'x'.repeat(40)],
        ['ZZ-9', 'stray'],
        ['', 'a row added by hand'],
        ['REQ-GONE', null],
      ]),
      questionnaire,
      existing,
      { ...context, limits: { maxTextLength: 30 } },
    );
    expect(preview.refused).toBeNull();
    expect(preview.rows.map((r) => [r.key, r.outcome])).toEqual([
      ['T-1', 'new'],
      ['T-2', 'unchanged'],
      ['YN-1', 'invalid_choice'],
      ['CH-1', 'changed'],
      ['MC-1', 'invalid_choice'],
      ['N-1', 'invalid_number'],
      ['A-1', 'too_long'],
      ['ZZ-9', 'unknown_key'],
      ['', 'unknown_key'],
      ['REQ-GONE', 'missing_required'],
    ]);
    expect(Object.keys(preview.counts).sort()).toEqual([...VENDOR_IMPORT_OUTCOMES].sort());
    expect(preview.counts).toMatchObject({ new: 1, unchanged: 1, changed: 1, invalid_choice: 2, invalid_number: 1, too_long: 1, unknown_key: 2, missing_required: 1, duplicate_key: 0 });
    expect(preview.canApply).toBe(false);
    expect(preview.changes).toEqual([
      { questionId: 'q-T-1', value: 'A new answer' },
      { questionId: 'q-CH-1', value: 'United States only' },
    ]);
    const changed = preview.rows.find((r) => r.key === 'CH-1')!;
    expect(changed).toMatchObject({ questionId: 'q-CH-1', sheet: 'Sheet', row: 5, old: 'Elsewhere', value: 'United States only', message: null });
    expect(preview.rows.find((r) => r.key === 'ZZ-9')!.message).toBe('No question of this questionnaire has the key “ZZ-9”, so the row is ignored.');
    expect(preview.rows.find((r) => r.key === 'N-1')!).toMatchObject({ old: 5, value: 'five' });
  });

  it('lists required questions without an answer but still allows applying; unknown keys do not block either', () => {
    const preview = compareVendorAnswers(
      parsed([
        ['T-1', null],
        ['YN-1', 'Yes'],
        ['N-1', '1,240,000'],
        ['zz-1', 'ignored'],
      ]),
      questionnaire,
      {},
      context,
    );
    expect(preview.rows.map((r) => [r.key, r.outcome, r.sheet, r.row])).toEqual([
      ['T-1', 'missing_required', 'Sheet', 2],
      ['YN-1', 'new', 'Sheet', 3],
      ['N-1', 'new', 'Sheet', 4],
      ['zz-1', 'unknown_key', 'Sheet', 5],
      // A required question the workbook has no row for.
      ['REQ-GONE', 'missing_required', '', 0],
    ]);
    expect(preview.canApply).toBe(true);
    expect(preview.changes).toEqual([
      { questionId: 'q-YN-1', value: 'Yes' },
      { questionId: 'q-N-1', value: 1240000 },
    ]);
  });

  it('never removes a recorded answer because a cell is blank', () => {
    const preview = compareVendorAnswers(parsed([['T-1', null], ['T-2', '   ']]), questionnaire, {
      'q-T-1': 'kept',
      'q-T-2': 'kept too',
      'q-YN-1': 'No',
      'q-N-1': 3,
      'q-REQ-GONE': 'x',
    }, context);
    expect(preview.rows).toEqual([
      { key: 'T-1', questionId: 'q-T-1', sheet: 'Sheet', row: 2, outcome: 'unchanged', old: 'kept', value: null, message: 'Blank in the workbook; the answer already recorded is kept.', flags: [] },
      { key: 'T-2', questionId: 'q-T-2', sheet: 'Sheet', row: 3, outcome: 'unchanged', old: 'kept too', value: null, message: 'Blank in the workbook; the answer already recorded is kept.', flags: [] },
    ]);
    expect(preview.changes).toEqual([]);
  });

  it('marks every row of a repeated key as duplicate_key, which blocks applying', () => {
    const preview = compareVendorAnswers(
      { ...parsed([]), rows: [ { sheet: 'A', row: 4, key: 'T-2', raw: 'one' }, { sheet: 'B', row: 9, key: 't-2', raw: 'two' } ] },
      questionnaire,
      {},
      context,
    );
    expect(preview.rows.map((r) => r.outcome)).toEqual(['duplicate_key', 'duplicate_key', 'missing_required', 'missing_required', 'missing_required', 'missing_required']);
    expect(preview.rows[0]!.message).toBe('The key “T-2” appears on 2 rows (“A” row 4, “B” row 9). Keep one row per question.');
    expect(preview.canApply).toBe(false);
    expect(preview.changes).toEqual([]);
  });

  it('treats a re-import of what is recorded as all unchanged, whatever the formatting', () => {
    const existing = {
      'q-T-1': 'Line one\r\nLine two',
      'q-YN-1': 'Yes',
      'q-CH-1': 'Elsewhere',
      'q-MC-1': ['ISO/IEC 42001', 'NIST AI RMF 1.0'],
      'q-N-1': 1240000,
      'q-A-1': 'report.pdf',
      'q-REQ-GONE': 'present',
    };
    const preview = compareVendorAnswers(
      parsed([
        ['T-1', 'Line one\nLine two'],
        ['YN-1', 'yes'],
        ['CH-1', 'ELSEWHERE'],
        ['MC-1', 'NIST AI RMF 1.0; ISO/IEC 42001'],
        ['N-1', '$1,240,000.00'],
        ['A-1', 'report.pdf'],
        ['REQ-GONE', 'present'],
      ]),
      questionnaire,
      existing,
      context,
    );
    expect(preview.rows.every((r) => r.outcome === 'unchanged')).toBe(true);
    expect(preview.changes).toEqual([]);
    expect(preview.canApply).toBe(true);
  });

  it('flags (rather than refuses) an unsigned workbook of another RFP or questionnaire version; refuses one without a key column', () => {
    const other = compareVendorAnswers(parsed([['T-1', 'x']], { reference: 'RFP-2026-009' }), questionnaire, {}, context);
    expect(other.refused).toBeNull();
    expect(other.workbookFlags.map((f) => f.code)).toEqual(['unsigned', 'other_rfp']);
    expect(other.workbookFlags[1]!.message).toBe('This workbook says it was issued for RFP-2026-009, not DEMO-311-GENAI. Check that you chose the right file, or import it into RFP-2026-009.');
    expect(other).toMatchObject({ flagged: true, signature: 'missing', changes: [{ questionId: 'q-T-1', value: 'x' }] });

    const outdated = compareVendorAnswers(parsed([['T-1', 'x']], { questionnaireVersion: 1 }), questionnaire, {}, context);
    expect(outdated.workbookFlags.map((f) => f.code)).toEqual(['unsigned', 'other_version']);
    expect(outdated.workbookFlags[1]!.message).toMatch(/^This workbook says it is for questionnaire version 1; the current version is 2, so questions may have changed since\. Export a new workbook/);

    const noKeys = compareVendorAnswers(parsed([], { keyColumnFound: false }), questionnaire, {}, context);
    expect(noKeys.refused).toMatch(/^No questionnaire key column found/);
    expect(noKeys.canApply).toBe(false);

    // The reference compares case-insensitively.
    expect(compareVendorAnswers(parsed([], { reference: 'demo-311-genai' }), questionnaire, {}, context).workbookFlags.map((f) => f.code)).toEqual(['unsigned']);
  });

  it('matches by key alone, with a warning, when the workbook lost its stamp', () => {
    const preview = compareVendorAnswers(parsed([['T-1', 'x']], { reference: null, questionnaireVersion: null, stampSource: null }), questionnaire, {}, context);
    expect(preview.refused).toBeNull();
    expect(preview.warnings).toEqual([expect.stringMatching(/carries no RFP reference/)]);
    expect(preview.changes).toEqual([{ questionId: 'q-T-1', value: 'x' }]);
  });
});

describe('interpretRawWorkbook', () => {
  const raw = (overrides: Partial<RawVendorWorkbook>): RawVendorWorkbook => ({
    properties: { subject: null, keywords: null, title: null, category: null },
    meta: null,
    issued: null,
    vendorName: null,
    rows: [],
    keyColumnFound: true,
    warnings: [],
    ...overrides,
  });
  const meta = { format: 'workbench-vendor-workbook-v1', rfpReference: 'DEMO-311-GENAI', questionnaireVersion: 2 };

  it('reads the stamp from the keywords, whatever separators a tool left between them', () => {
    for (const keywords of ['workbench-vendor-workbook-v1 rfp=RFP%202026%2F9 questionnaire-version=3', 'workbench-vendor-workbook-v1; rfp=RFP%202026%2F9; questionnaire-version=3', 'rfp=RFP%202026%2F9,workbench-vendor-workbook-v1,questionnaire-version=3']) {
      const parsedBook = interpretRawWorkbook(raw({ properties: { subject: 'ignored', keywords, title: null, category: null } }));
      expect(parsedBook).toMatchObject({ reference: 'RFP 2026/9', questionnaireVersion: 3, stampSource: 'properties' });
    }
  });

  it('falls back to the _meta sheet, and warns when the two disagree', () => {
    expect(interpretRawWorkbook(raw({ meta }))).toMatchObject({ reference: 'DEMO-311-GENAI', questionnaireVersion: 2, stampSource: 'meta', warnings: [] });
    const both = interpretRawWorkbook(raw({ meta, properties: { subject: null, keywords: 'workbench-vendor-workbook-v1 rfp=OTHER questionnaire-version=2', title: null, category: null } }));
    expect(both).toMatchObject({ reference: 'OTHER', stampSource: 'properties' });
    expect(both.warnings).toEqual([expect.stringMatching(/properties say OTHER, questionnaire version 2 but its hidden _meta sheet says DEMO-311-GENAI/)]);
  });

  it('finds no stamp in a workbook that is not ours', () => {
    const book = interpretRawWorkbook(raw({ properties: { subject: 'DEMO', keywords: 'budget 2026', title: null, category: null }, meta: { format: 'something else' } }));
    expect(book).toMatchObject({ reference: null, questionnaireVersion: null, stampSource: null });
  });
});
