import { describe, expect, it } from 'vitest';
import { defaultShares, ruleForCode } from '#app/import/answer-types';
import type { GridValidation } from '#app/import/import-types.server';
import { listValidation, previewOne, questionsOf, rowsOf, sheetOf } from './preview-grid';

/**
 * Issue 11, item 2: answer types come from the workbook — its dropdowns (data validations) and its answer-type codes —
 * and closed answers carry the default auto-score shares of DESIGN §3, which the officer can change.
 */

const YES_NO_NA = ['Yes', 'No', 'N/A'];
const YES_NO_PARTIAL_NA = ['Yes', 'No', 'Partial', 'N/A'];
const SCALE = ['1', '2', '3', '4', '5', 'N/A'];

const typed = (preview: ReturnType<typeof previewOne>) =>
  questionsOf(preview).map((q) => ({ key: q.key, type: q.answerType, source: q.typeSource, options: q.options.map((o) => [o.label, o.autoScore]) }));

describe('dropdowns on the answer column', () => {
  // A cloud-security style tab: the answer column has one dropdown per block, one of them a list kept on a hidden sheet
  // (the reader resolves it, so here it is already a list of values); the Required column has a Yes/No dropdown of its own.
  const rows = rowsOf(
    ['ID', 'Question', 'Required', 'Answer', 'Notes'],
    ['Q-1', 'Is MFA enforced?', 'Yes'],
    ['Q-2', 'Is data encrypted at rest?', 'Yes'],
    ['Q-3', 'Are backups tested?', 'No'],
    ['Q-4', 'How mature is your patching?', ''],
    ['Q-5', 'How many staff handle data?', ''],
    ['Q-6', 'Describe your SOC.', ''],
  );
  const validations: GridValidation[] = [
    listValidation(3, 2, 7, ['Yes', 'No']),
    listValidation(4, 2, 2, ['Yes', 'No']),
    listValidation(4, 3, 3, YES_NO_NA),
    listValidation(4, 4, 4, YES_NO_PARTIAL_NA),
    { ...listValidation(4, 5, 5, SCALE), note: 'from the hidden sheet “Lists”' },
    { ranges: [{ top: 6, left: 4, bottom: 6, right: 4 }], kind: 'whole', options: [], min: 0, max: 10_000 },
  ];
  const preview = previewOne(sheetOf('Security', rows, { validations }), { headerRow: 1, columns: { key: 1, question: 2, required: 3 } });

  it('makes Yes/No a yes/no, other lists a choice of their values, and number rules a number, with default shares', () => {
    expect(typed(preview)).toEqual([
      { key: 'Q-1', type: 'yes_no', source: 'validation', options: [['Yes', 1], ['No', 0]] },
      { key: 'Q-2', type: 'choice', source: 'validation', options: [['Yes', 1], ['No', 0], ['N/A', null]] },
      { key: 'Q-3', type: 'choice', source: 'validation', options: [['Yes', 1], ['No', 0], ['Partial', 0.5], ['N/A', null]] },
      { key: 'Q-4', type: 'choice', source: 'validation', options: [['1', 0], ['2', 0.25], ['3', 0.5], ['4', 0.75], ['5', 1], ['N/A', null]] },
      { key: 'Q-5', type: 'number', source: 'validation', options: [] },
      { key: 'Q-6', type: 'text', source: 'default', options: [] },
    ]);
    // The Required column's own dropdown is about the question, not its answer.
    expect(questionsOf(preview).map((q) => q.required)).toEqual([true, true, false, false, false, false]);
  });

  it('lists every option label with its count and share for the editable table', () => {
    expect(preview.optionShares).toEqual([
      { label: 'Yes', count: 3, share: 1 },
      { label: 'No', count: 3, share: 0 },
      { label: 'N/A', count: 3, share: null },
      { label: 'Partial', count: 1, share: 0.5 },
      { label: '1', count: 1, share: 0 },
      { label: '2', count: 1, share: 0.25 },
      { label: '3', count: 1, share: 0.5 },
      { label: '4', count: 1, share: 0.75 },
      { label: '5', count: 1, share: 1 },
    ]);
  });

  it('takes the officer’s shares over the defaults, by label whatever its case', () => {
    const changed = previewOne(sheetOf('Security', rows, { validations }), { headerRow: 1, columns: { key: 1, question: 2, required: 3 } }, { optionShares: { partial: 0.25, 'n/a': 0, '5': null } });
    expect(typed(changed)[2]!.options).toEqual([['Yes', 1], ['No', 0], ['Partial', 0.25], ['N/A', 0]]);
    expect(typed(changed)[3]!.options.slice(4)).toEqual([['5', null], ['N/A', 0]]);
    expect(changed.optionShares.find((s) => s.label === 'Partial')).toEqual({ label: 'Partial', count: 1, share: 0.25 });
  });

  it('uses the leftmost dropdown outside the question’s own columns, and says when a dropdown could not be read', () => {
    const sheet = sheetOf('S', rowsOf(['ID', 'Question', 'Answer', 'Evidence'], ['Q-1', 'Is MFA enforced?'], ['Q-2', 'Is data encrypted?']), {
      validations: [
        listValidation(4, 2, 3, ['Attached', 'Not attached', 'Later']),
        listValidation(3, 2, 2, YES_NO_NA),
        { ...listValidation(3, 3, 3, []), note: 'the list refers to a sheet “Gone” that the workbook does not have.' },
      ],
    });
    const result = previewOne(sheet, { headerRow: 1, columns: { key: 1, question: 2 } });
    expect(typed(result).map((q) => [q.key, q.options.map(([label]) => label)])).toEqual([
      ['Q-1', YES_NO_NA],
      ['Q-2', ['Attached', 'Not attached', 'Later']],
    ]);
    expect(result.warnings).toContain('A dropdown could not be read, so it gives no answer type: the list refers to a sheet “Gone” that the workbook does not have.');
  });
});

describe('answer-type codes in a column', () => {
  const rows = rowsOf(
    ['Ref', 'Question', 'Type', 'Options'],
    ['A-1', 'Describe your governance.', 'TXT'],
    ['A-2', 'Do you test for bias?', 'YNA'],
    ['A-3', 'Is the model explainable?', 'YNANA'],
    ['A-4', 'Which frameworks?', 'MC', 'NIST; ISO'],
    ['A-5', 'How many models?', 'zzz'],
    ['A-6', 'Do you log prompts?', ' yna '],
    ['A-7', 'Pick a region', 'Select one'],
  );
  const mapping = { headerRow: 1, columns: { key: 1, question: 2, answerType: 3, options: 4 } };

  it('maps the built-in codes and words, and lists each distinct code with its count and rule', () => {
    const preview = previewOne(sheetOf('AI', rows, { validations: [listValidation(5, 2, 8, ['East', 'West'])] }), mapping);
    expect(typed(preview)).toEqual([
      { key: 'A-1', type: 'text', source: 'column', options: [] },
      { key: 'A-2', type: 'choice', source: 'column', options: [['Yes', 1], ['No', 0], ['N/A', null]] },
      { key: 'A-3', type: 'choice', source: 'column', options: [['Yes', 1], ['No', 0], ['Partial', 0.5], ['N/A', null]] },
      { key: 'A-4', type: 'multi_choice', source: 'column', options: [['NIST', null], ['ISO', null]] },
      // An unknown code says nothing, so the row's dropdown decides.
      { key: 'A-5', type: 'choice', source: 'validation', options: [['East', null], ['West', null]] },
      { key: 'A-6', type: 'choice', source: 'column', options: [['Yes', 1], ['No', 0], ['N/A', null]] },
      // A choice word without options of its own takes the dropdown's.
      { key: 'A-7', type: 'choice', source: 'column', options: [['East', null], ['West', null]] },
    ]);
    expect(preview.answerTypeCodes).toEqual([
      { code: 'TXT', count: 1, rule: { type: 'text', options: [] }, recognised: true },
      { code: 'YNA', count: 2, rule: { type: 'choice', options: YES_NO_NA }, recognised: true },
      { code: 'YNANA', count: 1, rule: { type: 'choice', options: YES_NO_PARTIAL_NA }, recognised: true },
      { code: 'MC', count: 1, rule: { type: 'multi_choice', options: [] }, recognised: true },
      { code: 'zzz', count: 1, rule: { type: 'text', options: [] }, recognised: false },
      { code: 'Select one', count: 1, rule: { type: 'choice', options: [] }, recognised: true },
    ]);
    expect(preview.warnings).toContain('Answer type(s) not recognised, read as free text: “zzz” (row 6).');
  });

  it('takes the officer’s table over the built-in codes', () => {
    const preview = previewOne(sheetOf('AI', rows), mapping, {
      answerTypeCodes: { zzz: { type: 'number', options: [] }, yna: { type: 'yes_no', options: ['Yes', 'No'] } },
    });
    expect(typed(preview).map((q) => [q.key, q.type])).toEqual([
      ['A-1', 'text'],
      ['A-2', 'yes_no'],
      ['A-3', 'choice'],
      ['A-4', 'multi_choice'],
      ['A-5', 'number'],
      ['A-6', 'yes_no'],
      ['A-7', 'text'],
    ]);
    expect(preview.answerTypeCodes.find((c) => c.code === 'zzz')).toEqual({ code: 'zzz', count: 1, rule: { type: 'number', options: [] }, recognised: true });
  });

  it('lets the options column win over a dropdown when the type column is silent', () => {
    const sheet = sheetOf('S', rowsOf(['Ref', 'Question', 'Type', 'Options'], ['B-1', 'Colour?', '', 'Red | Green']), { validations: [listValidation(5, 2, 2, YES_NO_NA)] });
    expect(typed(previewOne(sheet, mapping))).toEqual([{ key: 'B-1', type: 'choice', source: 'options', options: [['Red', null], ['Green', null]] }]);
  });
});

describe('answer-type words that spell out their options', () => {
  it.each([
    ['Yes/No/N/A', { type: 'choice', options: YES_NO_NA }],
    ['Yes / No / Partial / N/A', { type: 'choice', options: YES_NO_PARTIAL_NA }],
    ['yes, no, partially', { type: 'choice', options: ['Yes', 'No', 'Partial'] }],
    ['Yes/No', { type: 'yes_no', options: ['Yes', 'No'] }],
  ] as const)('%j → %j', (word, rule) => {
    expect(ruleForCode(word, undefined)).toEqual(rule);
  });
});

describe('default shares', () => {
  it.each([
    [['Yes', 'No'], [1, 0]],
    [['yes', 'NO', 'Partially', 'Not applicable'], [1, 0, 0.5, null]],
    [['0', '1', '2', '3', 'N/A'], [0, 0.333, 0.667, 1, null]],
    [['Low', 'Medium', 'High'], [null, null, null]],
  ])('%j → %j', (labels, shares) => {
    expect(defaultShares(labels)).toEqual(shares);
  });
});
