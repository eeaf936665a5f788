import { describe, expect, it } from 'vitest';
import type { GridRow, ImportMapping, PreviewResult } from '#app/import/import-types.server';
import {
  buildImportPreview,
  checkMapping,
  GUIDANCE_MAX_CHARS,
  QUESTION_MAX_CHARS,
  recogniseAnswerType,
  recogniseRequired,
  splitOptions,
  splitReferences,
} from '#app/import/preview.server';
import { INJECTION_TEXTS } from '#fixtures/questionnaire-import/workbooks';

/** Rows numbered from 1; null leaves a blank line (as the worker does, it is simply absent). */
const grid = (...rows: Array<Array<string | null> | null>): GridRow[] =>
  rows.flatMap((cells, i) => (cells ? [{ row: i + 1, cells: cells.map((c) => c ?? '') }] : []));

const KQ: ImportMapping = { sheet: 'S', headerRow: 1, columns: { key: 1, question: 2 } };
const ALL: ImportMapping = {
  sheet: 'S',
  headerRow: 1,
  columns: { key: 1, section: 2, question: 3, guidance: 4, answerType: 5, options: 6, required: 7, references: 8 },
};
const HEADER = ['Key', 'Section', 'Question', 'Guidance', 'Type', 'Options', 'Required', 'References'];

/** One sheet named `sheetName` under one mapping, no questions in the RFP yet. */
const buildPreview = (rows: GridRow[], mapping: ImportMapping, sheetName: string): PreviewResult =>
  buildImportPreview(
    { kind: 'xlsx', warnings: [], sheets: [{ name: sheetName, rowCount: rows.length, columnCount: 8, rows, complete: true, validations: [] }] },
    { sheets: [{ ...mapping, sheet: sheetName }] },
    [],
  );

const questions = (result: PreviewResult) => result.sections.flatMap((s) => s.questions);

describe('recognising wordings', () => {
  it.each([
    ['Yes/No', 'yes_no'],
    ['Y/N', 'yes_no'],
    ['yes or no', 'yes_no'],
    ['Free text', 'text'],
    ['Narrative', 'text'],
    ['Text', 'text'],
    ['Multiple choice', 'choice'],
    ['Select one', 'choice'],
    ['Drop-down', 'choice'],
    ['Select all that apply', 'multi_choice'],
    ['Multi-select', 'multi_choice'],
    ['Numeric', 'number'],
    ['Amount (USD)', 'number'],
    ['Percentage', 'number'],
    ['Upload', 'attachment'],
    ['Attachment', 'attachment'],
    ['Document upload', 'attachment'],
  ] as const)('answer type %j → %s', (raw, type) => {
    expect(recogniseAnswerType(raw)).toBe(type);
  });

  it('does not guess an answer type it does not know', () => {
    expect(recogniseAnswerType('Haiku')).toBeNull();
    expect(recogniseAnswerType('')).toBeNull();
  });

  it.each([
    ['yes', true],
    ['Y', true],
    ['TRUE', true],
    ['x', true],
    ['Required', true],
    ['Mandatory', true],
    ['no', false],
    ['FALSE', false],
    ['Optional', false],
    ['', false],
    ['sometimes', null],
  ] as const)('required %j → %s', (raw, value) => {
    expect(recogniseRequired(raw)).toBe(value);
  });

  it('splits options on line breaks, semicolons and pipes, and references on semicolons and line breaks', () => {
    expect(splitOptions('A\nB; C | D;; a\n- E')).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(splitOptions('Yes, with conditions; No')).toEqual(['Yes, with conditions', 'No']);
    expect(splitReferences('NIST AI RMF MAP 1.1; ISO/IEC 42001 A.7\n• EU AI Act Art. 13')).toEqual(['NIST AI RMF MAP 1.1', 'ISO/IEC 42001 A.7', 'EU AI Act Art. 13']);
  });

});

describe('checkMapping', () => {
  it('needs a question column and one field per column', () => {
    expect(() => checkMapping({ sheet: 'S', headerRow: 1, columns: { key: 1 } }, 256)).toThrow(/question text/);
    expect(() => checkMapping({ sheet: 'S', headerRow: 1, columns: { key: 2, question: 2 } }, 256)).toThrow(/Column 2 is mapped to both Key and Question/);
    expect(() => checkMapping({ sheet: 'S', headerRow: 1, columns: { question: 300 } }, 256)).toThrow(/outside the sheet/);
    expect(() => checkMapping(KQ, 256)).not.toThrow();
  });
});

describe('buildPreview', () => {
  it('makes every field of a fully mapped row into a question, keeping line breaks', () => {
    const result = buildPreview(
      grid(HEADER, ['RAI-07', 'Responsible AI', '  Describe bias testing.\nName the groups.  ', 'Say which metrics.', 'Select one', 'Yes\nNo\nPartial', 'mandatory', 'NIST AI RMF MEASURE 2.11; EU AI Act Art. 10']),
      ALL,
      'Sheet',
    );
    expect(result.sections).toEqual([
      {
        title: 'Responsible AI',
        questions: [
          {
            sheet: 'Sheet',
            row: 2,
            key: 'RAI-07',
            text: 'Describe bias testing.\nName the groups.',
            guidance: 'Say which metrics.',
            answerType: 'choice',
            options: [
              { label: 'Yes', autoScore: 1 },
              { label: 'No', autoScore: 0 },
              { label: 'Partial', autoScore: 0.5 },
            ],
            required: true,
            references: ['NIST AI RMF MEASURE 2.11', 'EU AI Act Art. 10'],
            typeSource: 'column',
            action: 'add',
          },
        ],
      },
    ]);
    expect(result).toMatchObject({ skipped: [], warnings: [], totalRows: 1, blankRows: 0, orientation: 'rows' });
  });

  it('turns lone-cell and merged banner rows into section headings when no section column is mapped, and drops empty ones', () => {
    const rows = grid(
      ['Key', 'Question', 'Notes'],
      ['Q-0', 'Before any heading?'],
      ['1. Governance'],
      ['Q-1', 'Who approves changes?'],
      null,
      ['', '2. Data'],
      ['Q-2', 'Where is data stored?'],
      ['3. Nothing here'],
      [null, '4. Banner'],
      ['Q-3', 'Is the banner a heading?'],
    );
    rows[7]!.spans = [[2, 3]];
    const result = buildPreview(rows, KQ, 'Questionnaire');
    expect(result.sections.map((s) => [s.title, s.questions.map((q) => q.key)])).toEqual([
      ['Questionnaire', ['Q-0']],
      ['1. Governance', ['Q-1']],
      ['2. Data', ['Q-2']],
      ['4. Banner', ['Q-3']],
    ]);
    expect(result.warnings).toEqual(['Section “3. Nothing here” (row 8) has no questions and is left out.']);
    expect(result.totalRows).toBe(9);
    expect(result.blankRows).toBe(1);
  });

  it('keeps a lone question-column line as a question when keys are not the rule', () => {
    const result = buildPreview(grid(['Key', 'Question'], [null, 'Is this a question?'], [null, 'And this one']), KQ, 'S');
    expect(questions(result).map((q) => q.text)).toEqual(['Is this a question?', 'And this one']);
  });

  it('groups by a mapped section column, filling blank section cells from the line above', () => {
    const result = buildPreview(
      grid(HEADER, ['A-1', 'Access', 'Q1?'], ['A-2', '', 'Q2?'], ['L-1', 'Logging', 'Q3?'], ['A-3', 'Access', 'Q4?'], ['Only a heading']),
      ALL,
      'S',
    );
    expect(result.sections.map((s) => [s.title, s.questions.map((q) => q.key)])).toEqual([
      ['Access', ['A-1', 'A-2', 'A-3']],
      ['Logging', ['L-1']],
    ]);
    // A key-column value with no question text is a section heading (issue 11), here one without questions.
    expect(result.skipped).toEqual([]);
    expect(result.warnings).toEqual(['Section “Only a heading” (row 6) has no questions and is left out.']);
  });

  it('skips duplicate keys (case-insensitive) and rows without question text, with reasons', () => {
    const result = buildPreview(grid(['Key', 'Question', 'Notes'], ['RAI-07', 'First?'], ['rai-07', 'Second?'], ['RAI-08', '', 'guidance only']), KQ, 'S');
    expect(questions(result).map((q) => q.key)).toEqual(['RAI-07']);
    expect(result.skipped).toEqual([
      { sheet: 'S', row: 3, reason: 'duplicate key rai-07 (first used on row 2)' },
      { sheet: 'S', row: 4, reason: 'no question text' },
    ]);
  });

  it('generates missing keys in row order, never reusing a key the file has, and warns', () => {
    const rows = grid(['Key', 'Question'], [null, 'One?'], ['IMP-002', 'Two?'], [null, 'Three?'], ['IMP-004', 'Four?'], [null, 'Five?']);
    const result = buildPreview(rows, KQ, 'S');
    expect(questions(result).map((q) => q.key)).toEqual(['IMP-001', 'IMP-002', 'IMP-003', 'IMP-004', 'IMP-005']);
    expect(result.warnings).toEqual([
      '3 question(s) had no key, so keys were generated (IMP-001 … IMP-005). Add keys in the spreadsheet if other documents refer to these questions.',
    ]);
    // The same input always gives the same keys.
    expect(buildPreview(rows, KQ, 'S')).toEqual(result);
  });

  // Issue 11: official keys are kept verbatim; a key that breaks the rule is skipped, never rewritten (was: sanitised to GOVERN-1.1, *** → generated).
  it('keeps keys verbatim and skips a row whose key breaks the rule, saying why', () => {
    const result = buildPreview(grid(['Key', 'Question'], ['GOVERN 1.1', 'Q?'], ['***', 'Four?']), KQ, 'S');
    expect(questions(result).map((q) => q.key)).toEqual(['GOVERN 1.1']);
    expect(result.skipped).toEqual([{ sheet: 'S', row: 3, reason: expect.stringMatching(/^key “\*\*\*” has characters a key cannot have/) }]);
  });

  it('reads unknown answer types and required values as text / not required, listing them once', () => {
    const rows = grid(HEADER, ['A', 'S', 'Q1', '', 'Haiku', '', 'sometimes'], ['B', 'S', 'Q2', '', 'Haiku', '', ''], ['C', 'S', 'Q3', '', 'Select one', '', '']);
    const result = buildPreview(rows, ALL, 'S');
    expect(questions(result).map((q) => [q.answerType, q.required])).toEqual([
      ['text', false],
      ['text', false],
      ['text', false],
    ]);
    expect(result.warnings).toEqual([
      'Answer type(s) not recognised, read as free text: “Haiku” (rows 2, 3).',
      '1 choice question(s) list no options, so they are read as free text: row 4.',
      '“Required” value(s) not recognised, read as not required: “sometimes” (row 2).',
    ]);
  });

  it('infers a choice from options when no type is given', () => {
    const result = buildPreview(grid(HEADER, ['A', 'S', 'Q1', '', '', 'Red | Green']), ALL, 'S');
    expect(questions(result)[0]).toMatchObject({ answerType: 'choice', options: [{ label: 'Red' }, { label: 'Green' }], typeSource: 'options' });
  });

  it('skips over-long questions and cuts over-long guidance, saying so', () => {
    const long = 'q'.repeat(QUESTION_MAX_CHARS + 1);
    const guidance = 'g'.repeat(GUIDANCE_MAX_CHARS + 5);
    const result = buildPreview(grid(HEADER, ['A', 'S', long], ['B', 'S', 'Fine?', guidance]), ALL, 'S');
    expect(result.skipped).toEqual([{ sheet: 'S', row: 2, reason: 'question text is 4,001 characters; the limit is 4,000 (shorten it in the spreadsheet)' }]);
    expect(questions(result)[0]!.guidance).toHaveLength(GUIDANCE_MAX_CHARS);
    expect(result.warnings).toEqual(['Guidance longer than 8,000 characters was cut to that length on row 3 (8,005 characters).']);
    expect(buildPreview(grid(HEADER, ['A', 'S', 'q'.repeat(QUESTION_MAX_CHARS)]), ALL, 'S').skipped).toEqual([]);
  });

  it('keeps formula-like text exactly as written', () => {
    const result = buildPreview(grid(['Key', 'Question', 'Guidance'], ...INJECTION_TEXTS.map((t, i) => [`INJ-${i}`, t, t])), { ...KQ, columns: { key: 1, question: 2, guidance: 3 } }, 'S');
    expect(questions(result).map((q) => q.text)).toEqual([...INJECTION_TEXTS]);
    expect(questions(result).map((q) => q.guidance)).toEqual([...INJECTION_TEXTS]);
  });

  it('reads a sideways sheet by columns and says "column" in its reasons', () => {
    const rows = grid(['', 'K-1', 'K-1', 'K-2'], ['question', 'First?', 'Again?', ''], ['guidance', 'g', 'g', 'only guidance']);
    const result = buildPreview(rows, { sheet: 'S', headerRow: 1, columns: { key: 1, question: 2, guidance: 3 }, orientation: 'columns' }, 'S');
    expect(questions(result)).toMatchObject([{ row: 2, key: 'K-1', text: 'First?', guidance: 'g' }]);
    expect(result.skipped).toEqual([
      { sheet: 'S', row: 3, reason: 'duplicate key K-1 (first used on column 2)' },
      { sheet: 'S', row: 4, reason: 'no question text' },
    ]);
    expect(result.orientation).toBe('columns');
  });

  // Speed is for tests/bench to measure; a timed assertion here would fail on a loaded machine, not on slow code.
  it('previews thousands of rows', () => {
    const rows = grid(HEADER, ...Array.from({ length: 5_000 }, (_, i) => [`Q-${i}`, `Section ${Math.floor(i / 100)}`, `Question ${i}?`, 'g', 'Yes/No', '', 'yes', 'Ref A; Ref B']));
    const result = buildPreview(rows, ALL, 'S');
    expect(result.sections).toHaveLength(50);
    expect(questions(result)).toHaveLength(5_000);
  });
});

describe('a sheet without a header row', () => {
  it('reads every line as data when headerRow is 0', () => {
    const result = buildPreview(grid(['Q-1', 'First?'], ['Q-2', 'Second?']), { sheet: 'S', headerRow: 0, columns: { key: 1, question: 2 } }, 'S');
    expect(result.sections[0]!.questions.map((q) => q.key)).toEqual(['Q-1', 'Q-2']);
    expect(result.totalRows).toBe(2);
  });
});
