import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ImportMapping,
  type ImportOptions,
  inspectGrid,
  type InspectResult,
  parseUpload,
  planOf,
  previewGrid,
  type PreviewResult,
  type UploadRejectedError,
} from '#app/import/questionnaire-import.server';
import { HOSTILE_CASES } from '#fixtures/questionnaire-import/hostile';
import {
  buildInjectionWorkbook,
  buildLargeQuestionnaire,
  buildMinimalWorkbook,
  buildSampleQuestionnaire,
  INJECTION_TEXTS,
  injectionCsv,
  sampleQuestionnaireCsv,
} from '#fixtures/questionnaire-import/workbooks';
import { refusal } from '#tests/support/refusal';

// Every parse here runs in a real worker thread, as the server does; proposals and previews read its grid.

async function inspectFile(bytes: Uint8Array, fileName: string, options: ImportOptions & { sheet?: string } = {}): Promise<InspectResult> {
  return inspectGrid((await parseUpload(bytes, fileName, options)).grid, fileName, options);
}

async function previewFile(bytes: Uint8Array, fileName: string, mapping: ImportMapping): Promise<PreviewResult> {
  return previewGrid((await parseUpload(bytes, fileName)).grid, fileName, planOf(mapping), []);
}

const fixtures = fileURLToPath(new URL('../../../fixtures/questionnaire-import/', import.meta.url));
const text = (s: string) => new TextEncoder().encode(s);

const keysBySection = (preview: PreviewResult) => preview.sections.map((s) => [s.title, s.questions.map((q) => q.key)]);

describe('the sample questionnaire (title rows, merged headings, rich text, formulas, several sheets)', () => {
  let bytes: Uint8Array;
  let inspected: InspectResult;
  beforeAll(async () => {
    bytes = await buildSampleQuestionnaire();
    inspected = await inspectFile(bytes, 'City questionnaire.xlsx');
  });

  it('lists the sheets and proposes the questionnaire sheet, its header row and columns', () => {
    expect(inspected.kind).toBe('xlsx');
    expect(inspected.sheets).toEqual([
      { name: 'Instructions', rowCount: 4, columnCount: 1 },
      { name: 'Questionnaire', rowCount: 21, columnCount: 8 },
      { name: 'Security controls', rowCount: 6, columnCount: 4 },
      { name: 'Lists', rowCount: 7, columnCount: 1, hidden: true },
    ]);
    expect(inspected.proposed).toEqual({
      sheet: 'Questionnaire',
      headerRow: 4,
      columns: { key: 1, question: 2, guidance: 3, answerType: 4, options: 5, required: 6, references: 7 },
      orientation: 'rows',
    });
    expect(inspected.headers).toEqual(['Ref #', 'Question', 'Guidance for vendors', 'Response type', 'Options', 'Mandatory?', 'Framework mapping', 'Vendor response']);
    expect(inspected.sampleRows).toHaveLength(8);
    // A banner merged across the row is one cell, not eight.
    expect(inspected.sampleRows[0]).toEqual(['1. Governance', '', '', '', '', '', '', '']);
    // Rich text is flattened; hyperlinks give their text.
    expect(inspected.sampleRows[2]!.slice(0, 3)).toEqual(['GOV-02', 'Do you keep a register of every model version in production?', 'Answer yes only if the register is current.']);
    expect(inspected.sampleRows[2]![6]).toBe('OMB M-25-22');
  });

  it('warns about formulas without saved values and error cells, and about the other sheets', () => {
    expect(inspected.warnings).toEqual([
      '1 formula cell(s) have no saved value and are read as empty (H21). Formulas are never calculated here: open the file in Excel, save it, and upload it again to keep their values.',
      '1 cell(s) hold an Excel error such as #REF! or #N/A and are read as empty (H17).',
      'The workbook has 4 sheets; “Questionnaire” looks most like the questionnaire. Choose another sheet if that is wrong.',
    ]);
  });

  it('previews sections, questions, every skipped row with its reason, and warnings', async () => {
    const preview = await previewFile(bytes, 'City questionnaire.xlsx', inspected.proposed);
    expect(keysBySection(preview)).toEqual([
      ['1. Governance', ['GOV-01', 'GOV-02']],
      // Issue 11: keys are kept verbatim (this was “DAT-03”, rewritten from the file's “DAT 03”).
      ['2. Data', ['DAT-01', 'DAT-02', 'IMP-001', 'DAT 03', 'DAT-05', '7']],
      ['4. Security', ['SEC-01', 'SEC-02']],
    ]);
    const all = preview.sections.flatMap((s) => s.questions);
    const byKey = (key: string) => all.find((q) => q.key === key)!;
    expect(byKey('GOV-01')).toEqual({
      sheet: 'Questionnaire',
      row: 6,
      key: 'GOV-01',
      text: 'Describe how your organisation governs the AI system.\nName who approves changes to the model.',
      guidance: 'Cover policies, roles and review cadence.',
      answerType: 'text',
      options: [],
      required: true,
      references: ['NIST AI RMF GOVERN 1.1', 'ISO/IEC 42001 A.2'],
      typeSource: 'column',
      action: 'add',
    });
    expect(byKey('GOV-02')).toMatchObject({ answerType: 'yes_no', required: true, references: ['OMB M-25-22'] });
    const labels = (key: string) => byKey(key).options.map((o) => o.label);
    expect(byKey('DAT-01')).toMatchObject({ answerType: 'choice', required: true });
    expect(labels('DAT-01')).toEqual(['United States only', 'EU only', 'Customer choice']);
    expect(byKey('DAT-02')).toMatchObject({ answerType: 'multi_choice', required: false });
    expect(labels('DAT-02')).toEqual(['SOC 2', 'ISO/IEC 27001', 'FedRAMP Moderate']);
    expect(byKey('IMP-001')).toMatchObject({ row: 13, answerType: 'number' });
    expect(byKey('DAT 03')).toMatchObject({ row: 14, answerType: 'attachment', required: true });
    // A formula's saved result is used, never a recalculation.
    expect(byKey('DAT-05')).toMatchObject({ row: 16, answerType: 'number' });
    // Numbers and dates arrive as text.
    expect(byKey('7')).toMatchObject({ guidance: '2026-03-31', answerType: 'text' });
    expect(byKey('SEC-01')).toMatchObject({ text: 'How do you test for prompt injection?', references: ['OWASP LLM01', 'NIST AI RMF MEASURE 2.7'] });
    expect(byKey('SEC-02')).toMatchObject({ answerType: 'choice' });
    expect(labels('SEC-02')).toEqual(['City CISO', 'Vendor CISO']);

    expect(preview.skipped).toEqual([
      { sheet: 'Questionnaire', row: 12, reason: 'duplicate key DAT-01 (first used on row 10)' },
      { sheet: 'Questionnaire', row: 15, reason: 'no question text' },
    ]);
    expect(preview.warnings).toEqual([
      '1 question(s) had no key, so keys were generated (IMP-001). Add keys in the spreadsheet if other documents refer to these questions.',
      'Answer type(s) not recognised, read as free text: “Haiku” (row 17).',
      '“Required” value(s) not recognised, read as not required: “sometimes” (row 17).',
      'Section “3. Heading without questions” (row 18) has no questions and is left out.',
    ]);
    expect(preview).toMatchObject({ totalRows: 17, blankRows: 1, orientation: 'rows' });
  });

  it('lets the officer choose another sheet; a vertically merged section applies to every row it spans', async () => {
    const other = await inspectFile(bytes, 'City questionnaire.xlsx', { sheet: 'Security controls' });
    expect(other.proposed).toEqual({ sheet: 'Security controls', headerRow: 1, columns: { key: 2, section: 1, question: 3, answerType: 4 }, orientation: 'rows' });
    const preview = await previewFile(bytes, 'City questionnaire.xlsx', other.proposed);
    expect(keysBySection(preview)).toEqual([
      ['Access control', ['AC-1', 'AC-2', 'AC-3']],
      ['Logging', ['LG-1', 'LG-2']],
    ]);
  });

  it('answers 400 for a sheet that does not exist or a mapping without a question column', async () => {
    const missing = await refusal(() => inspectFile(bytes, 'q.xlsx', { sheet: 'Nope' }));
    expect(missing.status).toBe(400);
    expect(missing.message).toContain('“Questionnaire”');
    expect((await refusal(() => previewFile(bytes, 'q.xlsx', { ...inspected.proposed, sheet: 'Nope' }))).status).toBe(400);
    const noQuestion = await refusal(() => previewFile(bytes, 'q.xlsx', { sheet: 'Questionnaire', headerRow: 4, columns: { key: 1 } }));
    expect({ status: noQuestion.status, message: noQuestion.message }).toEqual({ status: 400, message: 'Choose the column that holds the question text.' });
  });
});

describe('CSV', () => {
  it('reads Excel-style CSV (BOM, CRLF, quoted multi-line cells) and fills blank section cells from above', async () => {
    const bytes = text(sampleQuestionnaireCsv());
    const inspected = await inspectFile(bytes, 'bank.csv');
    expect(inspected.kind).toBe('csv');
    expect(inspected.sheets).toEqual([{ name: 'bank', rowCount: 6, columnCount: 8 }]);
    expect(inspected.proposed.columns).toEqual({ key: 1, section: 2, question: 3, guidance: 4, answerType: 5, options: 6, required: 7, references: 8 });
    const preview = await previewFile(bytes, 'bank.csv', inspected.proposed);
    expect(keysBySection(preview)).toEqual([
      ['Responsible AI', ['RAI-01', 'RAI-02']],
      ['Privacy', ['PRV-01', 'PRV-02']],
    ]);
    expect(preview.sections[0]!.questions[0]!.text).toBe('Describe your bias testing.\nInclude the groups tested.');
    expect(preview.sections[1]!.questions.map((q) => q.answerType)).toEqual(['multi_choice', 'number']);
    expect(preview).toMatchObject({ skipped: [], warnings: [], totalRows: 5, blankRows: 1 });
  });

  it('reads semicolon-separated CSV (European Excel)', async () => {
    const bytes = text('Key;Question;Answer type\r\nQ-1;"Is it tested; and how?";Yes/No\r\n');
    const inspected = await inspectFile(bytes, 'eu.csv');
    const preview = await previewFile(bytes, 'eu.csv', inspected.proposed);
    expect(preview.sections[0]!.questions[0]).toMatchObject({ key: 'Q-1', text: 'Is it tested; and how?', answerType: 'yes_no' });
  });
});

describe('formula injection', () => {
  it.each([
    ['formula-injection.xlsx', buildInjectionWorkbook],
    ['formula-injection.csv', async () => text(injectionCsv())],
  ] as const)('%s: formula-like text comes through as plain text, leading characters kept', async (name, build) => {
    const bytes = await build();
    const inspected = await inspectFile(bytes, name);
    const preview = await previewFile(bytes, name, inspected.proposed);
    const all = preview.sections.flatMap((s) => s.questions);
    expect(all.map((q) => q.text)).toEqual([...INJECTION_TEXTS]);
    expect(all.map((q) => q.guidance)).toEqual([...INJECTION_TEXTS]);
  });
});

describe('a 5,000-question workbook', () => {
  // How long this takes is measured in tests/bench, not asserted here: a timed assertion fails on a loaded machine.
  it('inspects and previews every question', async () => {
    const bytes = await buildLargeQuestionnaire(5_000);
    const inspected = await inspectFile(bytes, 'large.xlsx');
    const preview = await previewFile(bytes, 'large.xlsx', inspected.proposed);
    expect(inspected.proposed.columns).toEqual({ key: 1, section: 2, question: 3, guidance: 4, answerType: 5, options: 6, required: 7, references: 8 });
    expect(preview.sections).toHaveLength(50);
    expect(preview.sections.reduce((n, s) => n + s.questions.length, 0)).toBe(5_000);
    expect(preview.skipped).toEqual([]);
    expect(preview.warnings).toEqual([]);
  });
});

describe('the hostile corpus', () => {
  it.each(HOSTILE_CASES.map((c) => [c.fileName, c] as const))('%s is refused with the right status', async (_name, item) => {
    const bytes = await item.build();
    const error = await refusal(() => inspectFile(bytes, item.fileName));
    expect({ status: error.status, code: error.code }).toEqual({ status: item.status, code: item.code });
    expect(error.message).toContain(item.fileName);
  });

  it('the committed copies in fixtures/questionnaire-import/hostile behave as the corpus says', async () => {
    const committed = HOSTILE_CASES.filter((c) => c.committed);
    expect(readdirSync(`${fixtures}hostile`).sort()).toEqual([...committed.map((c) => c.fileName), 'formula-injection.csv', 'formula-injection.xlsx'].sort());
    for (const item of committed) {
      const error = await refusal(() => inspectFile(new Uint8Array(readFileSync(`${fixtures}hostile/${item.fileName}`)), item.fileName));
      expect([item.fileName, error.status, error.code]).toEqual([item.fileName, item.status, item.code]);
    }
    const sample = await inspectFile(new Uint8Array(readFileSync(`${fixtures}sample-questionnaire.xlsx`)), 'sample-questionnaire.xlsx');
    expect(sample.proposed.sheet).toBe('Questionnaire');
  });
});

describe('the worker’s own limits', () => {
  let large: Uint8Array;
  beforeAll(async () => {
    large = await buildLargeQuestionnaire(5_000);
  });

  it('stops a parse that runs out of time', async () => {
    const error = await refusal(() => inspectFile(large, 'slow.xlsx', { limits: { timeoutMs: 1 } }));
    expect({ status: error.status, code: error.code }).toEqual({ status: 422, code: 'timeout' });
    expect(error.message).toMatch(/took longer than 1 ms to read/);
  });

  it('stops a parse that runs out of memory without harming this process', async () => {
    // Both generations small: with 8 MB of old generation and the default 32 MB young one, Node 24 sometimes parsed
    // this workbook whole (1 run in 8), so the limit was not shown to stop anything.
    const error = await refusal(() => inspectFile(large, 'heavy.xlsx', { limits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 } }));
    expect({ status: error.status, code: error.code }).toEqual({ status: 422, code: 'too_complex' });
    // The process carries on: the next parse works.
    expect((await inspectFile(await buildMinimalWorkbook(), 'ok.xlsx')).proposed.sheet).toBe('Questions');
  });

  it('refuses sheets with more rows than allowed', async () => {
    const error = await refusal(() => inspectFile(large, 'long.xlsx', { limits: { maxRows: 1_000 } }));
    expect({ status: error.status, code: error.code }).toEqual({ status: 422, code: 'too_many_rows' });
    expect(error.message).toMatch(/has more than 1,000 rows/);
  });

  it('answers 503 when too many parses are already waiting', async () => {
    const limits = { maxConcurrent: 1, maxQueued: 0 };
    const bytes = await buildMinimalWorkbook();
    const results = await Promise.allSettled([inspectFile(bytes, 'a.xlsx', { limits }), inspectFile(bytes, 'b.xlsx', { limits })]);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as UploadRejectedError).status))).toEqual(['ok', 503]);
  });
});
